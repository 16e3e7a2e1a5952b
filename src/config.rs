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
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CertificateSettings {
    /// The certifying body, printed on certificates and named in credentials.
    pub issuer: String,
    /// Unknown verification codes one client address may try per minute before 429.
    pub verify_misses_per_minute: u32,
}

impl Default for CertificateSettings {
    fn default() -> Self {
        CertificateSettings {
            issuer: "Stegvis certifiering".into(),
            verify_misses_per_minute: 30,
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
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    /// Connections in the pool; 0 means sized to the machine.
    #[serde(default)]
    pub pool_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub transport: String,
    pub smtp_url: Option<String>,
    pub from: String,
    pub file_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// How long a bearer token lives.
    pub token_ttl_hours: u32,
    /// Failed log-ins per e-mail address within the window before 429.
    pub max_failed_logins: u32,
    pub failed_login_window_minutes: u32,
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
