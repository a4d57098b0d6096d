//! `tocsin send`: one message to channel URLs, from this process. No server, no database,
//! no worker pool: a current-thread runtime, the providers' requests and the server's
//! guarded transport (the address guard stays on), a few retries within `--timeout`.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tocsin_core::channel::ChannelConfig;
use tocsin_core::delivery::RetrySchedule;
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::Outcome;
use tocsin_providers::{ATTACHMENTS_FIELD, Attachment, Identity, Kind, Message};
use tocsin_server::dispatch::attempt;
use tocsin_server::secrets::RefPolicy;
use tocsin_server::transport::{HttpTransport, SmtpTransport, Transports};

use crate::exit;
use crate::output::Masker;
use crate::targets::{self, Target};

/// The notification types of Apprise, as severities.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum NotifyType {
    Info,
    Success,
    Warning,
    Failure,
}

impl NotifyType {
    fn severity(self) -> Severity {
        match self {
            Self::Info => Severity::Info,
            Self::Success => Severity::Ok,
            Self::Warning => Severity::Warning,
            Self::Failure => Severity::Critical,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Success => "success",
            Self::Warning => "warning",
            Self::Failure => "failure",
        }
    }
}

/// Loopback and private LAN ranges: what a bare `--allow-private` lets through. Link-local
/// (the cloud metadata address) stays refused.
const LOCAL: &[&str] = &[
    "127.0.0.0/8",
    "::1/128",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "fc00::/7",
];

#[derive(clap::Args)]
#[command(
    after_help = "Exit codes: 0 all sent, 1 failure (all failed, or a usage or \
configuration error), 3 no target matched the tags, 4 some failed."
)]
pub struct SendArgs {
    /// Channel URLs: any form Tocsin's channel kinds accept, Apprise URLs included
    /// (ntfys://, tgram://, discord://, json://, mailto://, https://hooks.slack.com/…).
    pub urls: Vec<String>,
    /// The title.
    #[arg(short, long)]
    pub title: Option<String>,
    /// The message; read from standard input when left out.
    #[arg(short, long)]
    pub body: Option<String>,
    /// The kind of message (sets the severity: failure is critical, success a recovery).
    #[arg(
        short = 'n',
        long = "notification-type",
        value_enum,
        default_value = "info"
    )]
    pub notification_type: NotifyType,
    /// Send to the targets with this tag. Repeat for either (`--tag a --tag b`), join with
    /// commas for both (`--tag a,b`); `all` takes every target. Without it, the untagged
    /// targets are sent to.
    #[arg(short = 'g', long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A file of targets: Tocsin's TOML (`[[channels]]`), or Apprise's TEXT or YAML
    /// configuration. May be repeated.
    #[arg(short, long = "config", value_name = "FILE")]
    pub config: Vec<PathBuf>,
    /// Give up on a target (retries included) after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Let targets on these addresses through the address guard: `--allow-private=CIDRS`
    /// (CIDRs and host names, comma-separated); alone, loopback and private LAN ranges.
    #[arg(
        long,
        env = "TOCSIN_ALLOW_PRIVATE",
        value_name = "CIDRS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "local",
        value_delimiter = ','
    )]
    pub allow_private: Option<Vec<String>>,
    /// Delays before each attempt of a target; those that would end after --timeout are
    /// dropped.
    #[arg(
        long,
        value_name = "DELAYS",
        value_delimiter = ',',
        default_value = "0s,30s,2m,5m"
    )]
    pub retry_schedule: Vec<String>,
    /// Show each request's outcome.
    #[arg(short, long)]
    pub verbose: bool,
    /// Check the targets and show which would be sent to; send nothing.
    #[arg(short = 'd', long)]
    pub dry_run: bool,
    /// Attach a local file (repeat for more; 10 MiB in all). Only webhook (JSON body),
    /// email, resend and ses targets carry files: with any other target selected, nothing
    /// is sent.
    #[arg(short, long = "attach", value_name = "FILE")]
    pub attach: Vec<String>,
}

/// What `--attach` takes in all.
pub const ATTACH_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Media types by file extension; anything else is application/octet-stream.
const MEDIA_TYPES: &[(&str, &str)] = &[
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("toml", "application/toml"),
    ("pdf", "application/pdf"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
];

/// The media type of `path`, from its extension.
fn media_type(path: &std::path::Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    MEDIA_TYPES
        .iter()
        .find(|(e, _)| *e == extension)
        .map_or("application/octet-stream", |(_, t)| t)
}

/// Reads the `--attach` files: local paths only, 10 MiB in all.
fn read_attachments(paths: &[String]) -> Result<Vec<Attachment>, String> {
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for given in paths {
        if given.contains("://") {
            return Err(format!(
                "--attach takes local files; {given:?} is a URL (download it first)"
            ));
        }
        let path = std::path::Path::new(given);
        let meta = std::fs::metadata(path).map_err(|e| format!("--attach {given}: {e}"))?;
        if !meta.is_file() {
            return Err(format!("--attach {given}: not a file"));
        }
        total = total.saturating_add(meta.len());
        if total > ATTACH_MAX_BYTES {
            return Err(format!(
                "--attach: the files come to more than 10 MiB ({total} bytes with {given}); \
                 attach less"
            ));
        }
        let data = std::fs::read(path).map_err(|e| format!("--attach {given}: {e}"))?;
        // The file may have grown since it was measured.
        total = total - meta.len() + data.len() as u64;
        if total > ATTACH_MAX_BYTES {
            return Err(format!(
                "--attach: the files come to more than 10 MiB ({total} bytes with {given}); \
                 attach less"
            ));
        }
        let filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| given.clone());
        files.push(Attachment {
            filename,
            mime: media_type(path).to_owned(),
            data,
        });
    }
    Ok(files)
}

/// The targets whose kind cannot carry attachments, as `label (kind)`.
fn without_attachments(chosen: &[Target]) -> Vec<String> {
    chosen
        .iter()
        .filter_map(|t| match &t.channel {
            Ok((kind, config)) if !kind.provider().carries_attachments(config) => {
                Some(format!("{} ({})", t.label, kind.name()))
            }
            _ => None,
        })
        .collect()
}

/// Renders each target's request once without sending it: a target that takes
/// attachments only with another configuration (a webhook whose body is no JSON object)
/// refuses here, before anything is sent.
fn refusals(chosen: &[Target], event: &Event, attachments: &[Attachment]) -> Vec<String> {
    let identity = Identity::default();
    let message = Message {
        event,
        delivery_id: "check",
        now: tocsin_core::time::now_millis(),
        identity: &identity,
        attachments,
    };
    chosen
        .iter()
        .filter_map(|t| {
            let (kind, config) = t.channel.as_ref().ok()?;
            match kind.provider().render(config, &message) {
                Err(e) if e.field == ATTACHMENTS_FIELD => {
                    Some(format!("{}: {}", t.label, e.message))
                }
                _ => None,
            }
        })
        .collect()
}

pub fn run(args: SendArgs) -> u8 {
    if args.urls.is_empty() && args.config.is_empty() {
        eprintln!("error: give at least one channel URL or --config FILE (see tocsin send --help)");
        return exit::FAILURE;
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("error: --timeout must be a positive number of seconds");
        return exit::FAILURE;
    }
    let all = match targets::collect(&args.urls, &args.config) {
        Ok(t) => t,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return exit::FAILURE;
        }
    };
    let filter = targets::tag_filter(&args.tags);
    let chosen: Vec<Target> = all
        .into_iter()
        .filter(|t| targets::selected(&filter, &t.tags))
        .collect();
    let mut masker = Masker::default();
    for t in &chosen {
        masker.add_all(t.secrets());
    }
    masker.add_all(args.urls.iter().cloned());
    if chosen.is_empty() {
        eprintln!("no target matches the tags; nothing sent");
        return exit::NOTHING_MATCHED;
    }
    let attachments = match read_attachments(&args.attach) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FAILURE;
        }
    };
    if !attachments.is_empty() {
        let refused = without_attachments(&chosen);
        if !refused.is_empty() {
            eprintln!(
                "error: --attach: these targets cannot carry attachments: {}. The kinds that \
                 can: {}. Nothing was sent.",
                masker.mask(&refused.join(", ")),
                tocsin_providers::kinds_with_attachments()
                    .iter()
                    .map(|k| if *k == "webhook" {
                        "webhook (JSON body)"
                    } else {
                        k
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return exit::FAILURE;
        }
    }
    if args.dry_run {
        for t in &chosen {
            match &t.channel {
                Ok(_) => println!("{}", t.label),
                Err(e) => println!("{}: {}", t.label, masker.mask(e)),
            }
        }
        return if chosen.iter().any(|t| t.channel.is_err()) {
            exit::FAILURE
        } else {
            exit::OK
        };
    }
    let body = match &args.body {
        Some(b) => b.clone(),
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("error: cannot read the message from standard input: {e}");
                return exit::FAILURE;
            }
            text
        }
    };
    let title = args.title.clone().unwrap_or_default();
    if title.trim().is_empty() && body.trim().is_empty() {
        eprintln!(
            "error: the message is empty; give --title or --body (or text on standard input)"
        );
        return exit::FAILURE;
    }
    let schedule = match RetrySchedule::parse(&serde_json::json!(args.retry_schedule)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: --retry-schedule: {}", e.message);
            return exit::FAILURE;
        }
    };
    let policy = match allow_list(args.allow_private.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: --allow-private: {e}");
            return exit::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::FAILURE;
        }
    };
    let event = event(&title, &body, args.notification_type);
    if !attachments.is_empty() {
        let refused = refusals(&chosen, &event, &attachments);
        if !refused.is_empty() {
            for r in refused {
                eprintln!("error: --attach: {}", masker.mask(&r));
            }
            eprintln!("error: nothing was sent");
            return exit::FAILURE;
        }
    }
    let plan = Plan {
        event,
        attachments,
        deadline: Instant::now() + Duration::from_secs_f64(args.timeout),
        verbose: args.verbose,
        schedule,
        masker: Arc::new(masker),
    };
    let total = chosen.len();
    let sent = runtime.block_on(send_all(plan, policy, args.timeout, chosen));
    match sent {
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
        Ok(n) if n == total => exit::OK,
        Ok(0) => exit::FAILURE,
        Ok(_) => exit::PARTIAL,
    }
}

fn allow_list(entries: Option<&[String]>) -> Result<tocsin_core::address::AddressPolicy, String> {
    let mut list = Vec::new();
    for e in entries.unwrap_or_default() {
        if e.trim() == "local" {
            list.extend(LOCAL.iter().map(|s| s.to_string()));
        } else {
            list.push(e.clone());
        }
    }
    tocsin_core::address::AddressPolicy::parse(&list).map_err(|e| e.message)
}

fn event(title: &str, body: &str, kind: NotifyType) -> Event {
    let now = tocsin_core::time::now_millis();
    let mut event = Event::test(tocsin_core::id::new_id(), now);
    event.event_type = format!("notification.{}", kind.name());
    event.title = title.to_owned();
    event.message = body.trim_end_matches('\n').to_owned();
    event.severity = kind.severity();
    event.source.clear();
    event
}

struct Plan {
    event: Event,
    attachments: Vec<Attachment>,
    deadline: Instant,
    verbose: bool,
    schedule: RetrySchedule,
    masker: Arc<Masker>,
}

/// Sends to every target at once; returns how many were delivered.
async fn send_all(
    plan: Plan,
    policy: tocsin_core::address::AddressPolicy,
    timeout: f64,
    chosen: Vec<Target>,
) -> Result<usize, String> {
    // One request may take the whole budget, but never longer than the server's default.
    let request_timeout = Duration::from_secs_f64(timeout.min(10.0));
    let http = HttpTransport::new(policy.clone(), request_timeout).map_err(|e| e.to_string())?;
    let smtp = SmtpTransport::new(policy, request_timeout);
    let plan = Arc::new(plan);
    let mut tasks = tokio::task::JoinSet::new();
    for target in chosen {
        let (plan, http, smtp) = (plan.clone(), http.clone(), smtp.clone());
        tasks.spawn(async move {
            let transports = Transports {
                http: &http,
                smtp: &smtp,
            };
            send_one(&plan, transports, target).await
        });
    }
    let mut delivered = 0;
    while let Some(done) = tasks.join_next().await {
        if matches!(done, Ok(true)) {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// Attempts one target on the default schedule (at once, 30 s, 2 min, 5 min), dropping
/// the retries that would end after the deadline. True when delivered.
async fn send_one(plan: &Plan, transports: Transports<'_>, target: Target) -> bool {
    let masker = &plan.masker;
    let (kind, config): (Kind, ChannelConfig) = match target.channel {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: failed: {}", target.label, masker.mask(&e));
            return false;
        }
    };
    let schedule = &plan.schedule;
    let identity = Identity::default();
    let delivery_id = tocsin_core::id::new_id().to_string();
    let refs = RefPolicy::default();
    for step in 0.. {
        let message = Message {
            event: &plan.event,
            delivery_id: &delivery_id,
            now: tocsin_core::time::now_millis(),
            identity: &identity,
            attachments: &plan.attachments,
        };
        let started = Instant::now();
        // `${env:}`/`${file:}` references were resolved when the targets were read, with
        // the rights of the user running `tocsin send` (the operator: any variable or file
        // they can read), because the providers check values as they are configured. None
        // is left here; the strictest policy (no files, no TOCSIN_ variables) is only a
        // safety net.
        let run = attempt::run(transports, &refs, kind, &config, &message);
        let result = match tokio::time::timeout_at(plan.deadline.into(), run).await {
            Ok(r) => r,
            Err(_) => {
                eprintln!(
                    "{}: failed: no answer within --timeout (attempt {})",
                    target.label,
                    step + 1
                );
                return false;
            }
        };
        let status = result
            .status_code
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        let took = started.elapsed().as_millis();
        match &result.outcome {
            Outcome::Delivered => {
                if plan.verbose {
                    eprintln!(
                        "{}: delivered (attempt {}, status {status}, {took} ms)",
                        target.label,
                        step + 1
                    );
                }
                return true;
            }
            Outcome::Failed { reason } => {
                eprintln!(
                    "{}: failed (attempt {}, status {status}, {took} ms): {}",
                    target.label,
                    step + 1,
                    masker.mask(reason)
                );
                return false;
            }
            Outcome::Retry { reason, after } => {
                // A receiver's Retry-After replaces the schedule's delay, as in the server.
                let next = schedule.delay(step + 1).map(|d| after.unwrap_or(d));
                let fits = next.filter(|d| Instant::now() + *d < plan.deadline);
                let Some(wait) = fits else {
                    eprintln!(
                        "{}: failed (attempt {}, status {status}, {took} ms; no retry left within --timeout): {}",
                        target.label,
                        step + 1,
                        masker.mask(reason)
                    );
                    return false;
                };
                if plan.verbose {
                    eprintln!(
                        "{}: will retry in {} (attempt {}, status {status}, {took} ms): {}",
                        target.label,
                        tocsin_core::delivery::format_duration(wait),
                        step + 1,
                        masker.mask(reason)
                    );
                }
                tokio::time::sleep(wait).await;
            }
        }
    }
    false
}
