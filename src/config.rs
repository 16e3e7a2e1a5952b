//! Configuration: `config/default.toml`, then a file named by `--config` or
//! `STEGVIS_CONFIG`, then `STEGVIS__SECTION__KEY` environment variables.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration of one Stegvis process.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub auth: AuthSettings,
    #[serde(default)]
    pub certificate: CertificateSettings,
    #[serde(default)]
    pub metrics: MetricsSettings,
    #[serde(default)]
    pub log: LogSettings,
    #[serde(default)]
    pub readiness: ReadinessSettings,
    #[serde(default)]
    pub webhooks: WebhookSettings,
    #[serde(default)]
    pub events: EventSettings,
    #[serde(default)]
    pub evidence: EvidenceSettings,
    pub data_dir: PathBuf,
}

/// Evidence files (docs/configuration.md), stored under `data_dir/evidence`.
#[derive(Debug, Clone, Deserialize)]
pub struct EvidenceSettings {
    /// The largest file accepted, in bytes (20 MB by default).
    #[serde(default = "defaults::evidence_max_file_bytes")]
    pub max_file_bytes: u64,
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        EvidenceSettings {
            max_file_bytes: defaults::evidence_max_file_bytes(),
        }
    }
}

/// Open events with public sign-up (docs/plans-and-events.md).
#[derive(Debug, Clone, Deserialize)]
pub struct EventSettings {
    /// Days after an event ends before its registrants' names and e-mail addresses
    /// are erased (the counts stay).
    #[serde(default = "defaults::event_retention_days")]
    pub retention_days: u32,
    /// Sign-ups one client address may send per minute; never below 30 (a
    /// receptionist signs up a group from one address).
    #[serde(default = "defaults::signups_per_minute")]
    pub signups_per_minute: u32,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            retention_days: defaults::event_retention_days(),
            signups_per_minute: defaults::signups_per_minute(),
        }
    }
}

/// Webhook deliveries (docs/operations.md).
#[derive(Debug, Clone, Deserialize)]
pub struct WebhookSettings {
    /// Accept endpoints on private, loopback and link-local addresses (a receiver
    /// inside the same network; the tests' receiver on loopback). Off by default, so
    /// an admin's URL cannot reach the server's own network.
    #[serde(default)]
    pub allow_private: bool,
    /// Attempts before a delivery is dead (at most 8, the length of the schedule).
    #[serde(default = "defaults::webhook_max_attempts")]
    pub max_attempts: u32,
    /// How long one attempt may take, connection included.
    #[serde(default = "defaults::webhook_timeout_secs")]
    pub timeout_secs: u64,
    /// How long a claimed delivery is reserved for its worker.
    #[serde(default = "defaults::webhook_lease_secs")]
    pub lease_secs: u64,
    /// Deliveries claimed (and sent at once) per batch.
    #[serde(default = "defaults::webhook_batch_size")]
    pub batch_size: u32,
    /// How often an idle worker looks for due deliveries.
    #[serde(default = "defaults::poll_ms")]
    pub poll_ms: u64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            max_attempts: defaults::webhook_max_attempts(),
            timeout_secs: defaults::webhook_timeout_secs(),
            lease_secs: defaults::webhook_lease_secs(),
            batch_size: defaults::webhook_batch_size(),
            poll_ms: defaults::poll_ms(),
        }
    }
}

/// `GET /metrics`: where it is served and whether it asks for a token.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MetricsSettings {
    /// A second address that serves only `/metrics` (and the health checks); the main
    /// address then answers 404 there. `None`: served on the main address.
    #[serde(default)]
    pub bind: Option<String>,
    /// When set (not empty), a scrape must send `Authorization: Bearer <token>`.
    #[serde(default)]
    pub token: Option<String>,
}

impl MetricsSettings {
    /// The token a scrape must send, if one is configured.
    pub fn required_token(&self) -> Option<&str> {
        self.token.as_deref().filter(|t| !t.is_empty())
    }
}

/// How log lines are written (to standard error).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct LogSettings {
    #[serde(default)]
    pub format: LogFormat,
}

/// `log.format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// When `/readyz` reports the service as degraded (still 200).
#[derive(Debug, Clone, Deserialize)]
pub struct ReadinessSettings {
    /// Pending mails above this many: degraded.
    #[serde(default = "defaults::outbox_pending_max")]
    pub outbox_pending_max: u64,
    /// The oldest pending mail waiting longer than this: degraded.
    #[serde(default = "defaults::outbox_age_max_secs")]
    pub outbox_age_max_secs: u64,
    /// SQLite write transactions waiting or running above this many: degraded.
    #[serde(default = "defaults::writer_queue_max")]
    pub writer_queue_max: usize,
}

impl Default for ReadinessSettings {
    fn default() -> Self {
        ReadinessSettings {
            outbox_pending_max: defaults::outbox_pending_max(),
            outbox_age_max_secs: defaults::outbox_age_max_secs(),
            writer_queue_max: defaults::writer_queue_max(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CertificateSettings {
    /// The certifying body, printed on certificates and named in credentials.
    pub issuer: String,
    /// Unknown verification codes one client address may try per minute before 429.
    pub verify_misses_per_minute: u32,
    /// Entries in one credential status list before a new list is started (the
    /// published bitstring is never shorter than the spec's 131,072 bits).
    pub status_list_capacity: u32,
    /// Address of the issuer's logo shown on the verification page, if any.
    pub issuer_logo: Option<String>,
    /// A PNG or JPEG file of the issuer's logo printed on certificates, if any.
    pub issuer_logo_file: Option<std::path::PathBuf>,
}

impl Default for CertificateSettings {
    fn default() -> Self {
        CertificateSettings {
            issuer: "Stegvis certifiering".into(),
            verify_misses_per_minute: 30,
            status_list_capacity: 131_072,
            issuer_logo: None,
            issuer_logo_file: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address and port to listen on; port 0 picks a free one.
    pub bind: String,
    /// Base URL printed in e-mails, QR codes and credentials.
    pub public_url: String,
    /// HTTP worker threads; 0 means one per core.
    #[serde(default)]
    pub workers: usize,
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed; from any
    /// other peer the header is ignored. Empty (the default): never believed.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    /// Connections in the pool; 0 means sized to the machine.
    #[serde(default)]
    pub pool_size: u32,
    /// SQLite only: when a commit reaches the disk. `full` (the default) fsyncs the
    /// write-ahead log before a commit is acknowledged.
    #[serde(default)]
    pub sqlite_synchronous: SqliteSynchronous,
}

/// SQLite's `PRAGMA synchronous`, as far as Stegvis lets it be chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    /// An acknowledged commit survives a power loss or an OS crash (fsync per commit).
    #[default]
    Full,
    /// Like `full`, and the directory is synced as well after the log is reset.
    Extra,
    /// Survives a crash of the process (kill -9), not of the machine: the last
    /// commits before a power loss may be lost. Faster.
    Normal,
}

impl SqliteSynchronous {
    /// The pragma's value.
    pub fn as_pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "FULL",
            SqliteSynchronous::Extra => "EXTRA",
            SqliteSynchronous::Normal => "NORMAL",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    /// `file`, `smtp` or `log`.
    pub transport: String,
    pub smtp_url: Option<String>,
    pub from: String,
    pub file_dir: PathBuf,
    /// Attempts before a row is dead.
    #[serde(default = "defaults::max_attempts")]
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles with each further one.
    #[serde(default = "defaults::retry_base_secs")]
    pub retry_base_secs: u64,
    /// The longest wait between two attempts.
    #[serde(default = "defaults::retry_cap_secs")]
    pub retry_cap_secs: u64,
    /// How long a claimed row is reserved for its worker before another may take it.
    #[serde(default = "defaults::lease_secs")]
    pub lease_secs: u64,
    /// Rows claimed at a time.
    #[serde(default = "defaults::batch_size")]
    pub batch_size: u32,
    /// Mails sent at once (and SMTP connections pooled).
    #[serde(default = "defaults::concurrency")]
    pub concurrency: usize,
    /// How often an idle worker looks for due mail.
    #[serde(default = "defaults::poll_ms")]
    pub poll_ms: u64,
    #[serde(default = "defaults::smtp_timeout_secs")]
    pub smtp_timeout_secs: u64,
}

mod defaults {
    pub fn evidence_max_file_bytes() -> u64 {
        20 * 1024 * 1024
    }
    pub fn event_retention_days() -> u32 {
        30
    }
    pub fn signups_per_minute() -> u32 {
        60
    }
    pub fn webhook_max_attempts() -> u32 {
        8
    }
    pub fn webhook_timeout_secs() -> u64 {
        10
    }
    pub fn webhook_lease_secs() -> u64 {
        60
    }
    pub fn webhook_batch_size() -> u32 {
        16
    }
    pub fn outbox_pending_max() -> u64 {
        1000
    }
    pub fn outbox_age_max_secs() -> u64 {
        900
    }
    pub fn writer_queue_max() -> usize {
        256
    }
    pub fn max_attempts() -> u32 {
        8
    }
    pub fn retry_base_secs() -> u64 {
        30
    }
    pub fn retry_cap_secs() -> u64 {
        3600
    }
    pub fn lease_secs() -> u64 {
        120
    }
    pub fn batch_size() -> u32 {
        64
    }
    pub fn concurrency() -> usize {
        8
    }
    pub fn poll_ms() -> u64 {
        1000
    }
    pub fn smtp_timeout_secs() -> u64 {
        10
    }
    pub fn login_backoff_base_secs() -> u32 {
        60
    }
    pub fn login_backoff_cap_secs() -> u32 {
        3600
    }
    pub fn failed_logins_per_address() -> u32 {
        100
    }
    pub fn address_window_minutes() -> u32 {
        60
    }
    pub fn oidc_scopes() -> Vec<String> {
        vec!["email".into(), "profile".into()]
    }
    pub fn oidc_email_claim() -> String {
        "email".into()
    }
    pub fn yes() -> bool {
        true
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// How long a bearer token lives.
    pub token_ttl_hours: u32,
    /// Failed log-ins for one account from one client address before back-off starts.
    pub max_failed_logins: u32,
    /// A pair's failures are forgotten this long after its last failure (or the end
    /// of its back-off).
    pub failed_login_window_minutes: u32,
    /// The first back-off; it doubles with each further failure.
    #[serde(default = "defaults::login_backoff_base_secs")]
    pub login_backoff_base_secs: u32,
    /// The longest back-off.
    #[serde(default = "defaults::login_backoff_cap_secs")]
    pub login_backoff_cap_secs: u32,
    /// Failed log-ins one client address may make per window, whatever the accounts
    /// (successful log-ins do not count).
    #[serde(default = "defaults::failed_logins_per_address")]
    pub failed_logins_per_address: u32,
    #[serde(default = "defaults::address_window_minutes")]
    pub address_window_minutes: u32,
    /// Single sign-on: one entry per OpenID Connect provider (`[[auth.oidc]]`),
    /// none by default (docs/people.md).
    #[serde(default)]
    pub oidc: Vec<OidcProvider>,
}

/// One OpenID Connect provider the log-in page offers (docs/people.md).
#[derive(Debug, Clone, Deserialize)]
pub struct OidcProvider {
    /// Names the provider in `/auth/oidc/login?provider={id}`.
    pub id: String,
    /// The issuer; its discovery document is `{issuer_url}/.well-known/openid-configuration`.
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Scopes asked for besides `openid`.
    #[serde(default = "defaults::oidc_scopes")]
    pub scopes: Vec<String>,
    /// The ID token claim that holds the e-mail address (`email`, or
    /// `preferred_username` for some Entra ID tenants).
    #[serde(default = "defaults::oidc_email_claim")]
    pub email_claim: String,
    /// The text of the log-in page's button, e.g. "Järfälla kommun".
    pub display_name: String,
    /// Refuse an ID token unless it says `email_verified: true` (the default). Turn off
    /// only for a provider that vouches for every address it issues and sends no such
    /// claim (Entra ID with addresses its own tenant controls).
    #[serde(default = "defaults::yes")]
    pub require_email_verified: bool,
    /// Just-in-time accounts: a verified address in one of these domains with no
    /// Stegvis account gets one, placed as the rule says.
    #[serde(default)]
    pub jit: Vec<OidcJitRule>,
}

impl AuthSettings {
    /// What is wrong with the single sign-on configuration, if anything: checked at
    /// start-up (a provider that is down is not checked: it is asked only when its
    /// button is pressed).
    pub fn oidc_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, p) in self.oidc.iter().enumerate() {
            let at = format!("auth.oidc[{i}] ({})", p.id);
            if p.id.is_empty()
                || !p
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                problems.push(format!("{at}: id must be letters, digits, - or _"));
            }
            if self.oidc[..i].iter().any(|q| q.id == p.id) {
                problems.push(format!("{at}: another provider has this id"));
            }
            if !p.issuer_url.starts_with("https://") && !p.issuer_url.starts_with("http://") {
                problems.push(format!("{at}: issuer_url must be an http(s) URL"));
            }
            if p.client_id.is_empty() || p.display_name.trim().is_empty() {
                problems.push(format!("{at}: client_id and display_name are required"));
            }
            if !matches!(p.email_claim.as_str(), "email" | "preferred_username") {
                problems.push(format!(
                    "{at}: email_claim must be email or preferred_username"
                ));
            }
            for rule in &p.jit {
                let placed = match rule.role.as_str() {
                    "coordinator" => rule.organisation_id.is_some() && rule.unit_id.is_none(),
                    "unit_contact" => rule.unit_id.is_some(),
                    _ => false,
                };
                if rule.domain.trim_start_matches('@').is_empty() || !placed {
                    problems.push(format!(
                        "{at}: jit rule for {:?}: a domain, and role coordinator with organisation_id or unit_contact with unit_id",
                        rule.domain
                    ));
                }
            }
        }
        problems
    }
}

/// `[[auth.oidc.jit]]`: who is created on first sign-in, and where.
#[derive(Debug, Clone, Deserialize)]
pub struct OidcJitRule {
    /// The e-mail domain, e.g. `jarfalla.se` (matched whole, case-insensitively).
    pub domain: String,
    /// `coordinator` or `unit_contact`; nothing else is created this way.
    pub role: String,
    /// The organisation a coordinator belongs to.
    #[serde(default)]
    pub organisation_id: Option<String>,
    /// The unit a unit contact belongs to (its organisation follows from it).
    #[serde(default)]
    pub unit_id: Option<String>,
}

const DEFAULTS: &str = include_str!("../config/default.toml");

impl Settings {
    /// Loads the defaults (compiled in, so the binary runs from any directory), then
    /// `file` or `$STEGVIS_CONFIG`, then `STEGVIS__*` environment variables.
    pub fn load(file: Option<&Path>) -> Result<Settings, config::ConfigError> {
        let file: Option<PathBuf> = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("STEGVIS_CONFIG").map(PathBuf::from));
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = file {
            builder = builder.add_source(config::File::from(file).required(true));
        }
        builder
            .add_source(
                config::Environment::with_prefix("STEGVIS")
                    .prefix_separator("__")
                    .separator("__"),
            )
            .build()?
            .try_deserialize()
    }

    /// The compiled-in defaults alone, with another database; for tests and tools.
    pub fn defaults_with_database(url: &str) -> Result<Settings, config::ConfigError> {
        config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml))
            .set_override("database.url", url)?
            .build()?
            .try_deserialize()
    }
}
