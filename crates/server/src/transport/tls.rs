//! The TLS configuration of the HTTP client: rustls with the platform's trust store, read
//! only when the first certificate has to be checked. Reading and parsing the system's root
//! certificates takes a few milliseconds and a few hundred kilobytes, which a server that
//! sends only to `http://` receivers, or a `tocsin send` to one, never needs.

use std::fmt;
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// A client configuration equivalent to the one reqwest builds with its `rustls` feature
/// (the default crypto provider, the safe protocol versions, the platform verifier, ALPN
/// `h2` then `http/1.1`), except that the trust store is loaded on first use.
pub fn client_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?
        // The "dangerous" builder is how rustls takes a verifier of one's own; this one
        // hands every certificate to the platform verifier, so nothing is checked less.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(LazyVerifier::new(provider)))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform verifier, built the first time a server certificate is checked.
pub struct LazyVerifier {
    provider: Arc<CryptoProvider>,
    verifier: OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl fmt::Debug for LazyVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyVerifier")
            .field("loaded", &self.verifier.get().is_some())
            .finish_non_exhaustive()
    }
}

impl LazyVerifier {
    pub fn new(provider: Arc<CryptoProvider>) -> Self {
        Self {
            provider,
            verifier: OnceLock::new(),
        }
    }

    fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        self.verifier
            .get_or_init(|| rustls_platform_verifier::Verifier::new(Arc::clone(&self.provider)))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    // The signature checks need only the provider's algorithms, not the trust store: the
    // same functions the platform verifier's own checks end in.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier() -> LazyVerifier {
        LazyVerifier::new(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
    }

    #[test]
    fn building_the_client_reads_no_trust_store() {
        let v = verifier();
        let _config = client_config().expect("client config");
        assert!(v.verifier.get().is_none());
        assert!(!v.supported_verify_schemes().is_empty());
        assert!(v.verifier.get().is_none(), "the schemes need no roots");
    }

    #[test]
    fn a_self_signed_certificate_is_refused_on_first_use() {
        let v = verifier();
        let cert =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
        let der = CertificateDer::from(cert.cert.der().to_vec());
        let name = ServerName::try_from("localhost").expect("name");
        let result = v.verify_server_cert(&der, &[], &name, &[], UnixTime::now());
        assert!(v.verifier.get().is_some(), "loaded by the first check");
        match result {
            // No trusted root signed it.
            Err(rustls::Error::InvalidCertificate(_)) => {}
            // A machine without any root certificate refuses everything.
            Err(rustls::Error::General(message)) => {
                assert!(message.contains("CA certificates"), "{message}")
            }
            other => panic!("a self-signed certificate was not refused: {other:?}"),
        }
    }
}
