#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the SMTP transport's integration tests.

Usage:
    smtp_server.py --dir DIR [--mode plain|starttls|tls] [--cert PEM --key PEM] [--auth]
                   [--exclude-auth MECHANISM]...

Every message it accepts is written to DIR/message-<n>.json with the envelope (mail_from,
rcpt_tos), the peer (host and port of the client's connection), the raw data and what
Python's `email` package parses out of it (headers, and each leaf part with its bytes in
base64 and its disposition and file name). Every connection the client
opens or closes is appended to DIR/connections.jsonl (the server's own check of itself
at start may show up there as one `close`). When ready it prints `PORT <n>` on
stdout; it stops when stdin closes (the test that started it ended) or on SIGTERM.

Modes:
    plain     no TLS at all; STARTTLS is not offered
    starttls  STARTTLS offered and required before MAIL/AUTH
    tls       implicit TLS from the first byte (SMTPS)

With --auth, AUTH PLAIN and LOGIN are offered and required, for user `tocsin` with password
`s3cret-pass` (over TLS only, except in plain mode); --exclude-auth PLAIN leaves only LOGIN.

Magic recipients: `tempfail@…` gets `451 4.3.0 try again`, `nobody@…` gets
`550 5.1.1 mailbox unavailable`.
"""

import argparse
import asyncio
import base64
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import threading

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as error:  # pragma: no cover - reported to the Rust test
    print(
        f"aiosmtpd is not installed ({error}); install it with `pip install aiosmtpd`",
        file=sys.stderr,
        flush=True,
    )
    sys.exit(3)

USER = b"tocsin"
PASSWORD = b"s3cret-pass"


class Recorder:
    """Writes what the server sees as JSON files, one per message."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()
        self.recording = False

    def connection(self, event, peer):
        if not self.recording:
            return
        with self.lock:
            path = os.path.join(self.directory, "connections.jsonl")
            with open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"event": event, "peer": list(peer or [])}) + "\n")

    def message(self, record):
        with self.lock:
            self.count += 1
            name = f"message-{self.count}.json"
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1)
        # Renamed into place: a reader never sees half a file.
        os.replace(tmp, os.path.join(self.directory, name))


def parse(raw):
    """Headers (in order, decoded) and the leaf parts of a message."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    headers = [[k, str(v)] for k, v in msg.items()]
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append(
            {
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                # Text as text; the bytes of any part in base64 (binary has no JSON form).
                "content": content if isinstance(content, str) else None,
                "base64": base64.b64encode(part.get_payload(decode=True) or b"").decode(),
                "disposition": part.get_content_disposition(),
                "filename": part.get_filename(),
            }
        )
    return {
        "content_type": msg.get_content_type(),
        "headers": headers,
        "parts": parts,
    }


class Handler:
    def __init__(self, recorder):
        self.recorder = recorder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "tempfail":
            return "451 4.3.0 try again"
        if local == "nobody":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "peer": list(session.peer or []),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "raw": raw.decode("utf-8", errors="replace"),
            "parsed": parse(raw),
        }
        self.recorder.message(record)
        return "250 2.0.0 Ok: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER
        and auth_data.password == PASSWORD
    )
    # handled=False: aiosmtpd answers a failure itself, with
    # `535 5.7.8 Authentication credentials invalid`.
    return AuthResult(success=ok, handled=False)


class RecordingSMTP(SMTP):
    """Records every TCP connection (not the TLS upgrade of one)."""

    recorder = None

    def connection_made(self, transport):
        upgrade = self.transport is not None and self._original_transport is not None
        super().connection_made(transport)
        if not upgrade:
            self.recorder.connection("open", self.session.peer)

    def connection_lost(self, error):
        peer = self.session.peer if self.session else None
        super().connection_lost(error)
        self.recorder.connection("close", peer)


class TestController(Controller):
    def __init__(self, handler, recorder, **kwargs):
        self.recorder = recorder
        super().__init__(handler, **kwargs)

    def factory(self):
        smtp = RecordingSMTP(self.handler, **self.SMTP_kwargs)
        smtp.recorder = self.recorder
        return smtp

    def _trigger_server(self):
        # Bound to port 0: learn the real port before aiosmtpd connects to itself.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", action="store_true")
    parser.add_argument("--exclude-auth", action="append", default=[])
    args = parser.parse_args()

    recorder = Recorder(args.dir)
    context = None
    if args.mode != "plain":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)

    kwargs = {
        "hostname": "127.0.0.1",
        "port": 0,
        "server_hostname": "mail.test",
        # A stuck client must not keep the test waiting for aiosmtpd's 5 minutes.
        "timeout": 30,
    }
    if args.mode == "starttls":
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    elif args.mode == "tls":
        kwargs["ssl_context"] = context
    if args.auth:
        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        # STARTTLS mode offers AUTH only after the upgrade; plain mode has no TLS at all.
        kwargs["auth_require_tls"] = args.mode == "starttls"
        if args.exclude_auth:
            kwargs["auth_exclude_mechanism"] = args.exclude_auth

    controller = TestController(Handler(recorder), recorder, **kwargs)
    controller.start()
    recorder.recording = True
    print(f"PORT {controller.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def watch_stdin():
        # The test holds our stdin open; EOF means it is gone.
        try:
            sys.stdin.read()
        finally:
            stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
