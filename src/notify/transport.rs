//! Where mail goes, by `mail.transport`: an SMTP relay (pooled; plain for `smtp://`,
//! TLS for `smtps://`, credentials from the URL), one .eml file per mail in
//! `mail.file_dir` (the embedded default), or the log (masked recipient, no body).

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::{Message, SmtpTransport, Transport as _};

use super::recipients::mask;
use crate::config::MailSettings;

/// A configured way of delivering mail.
#[derive(Clone)]
pub enum Transport {
    Smtp(SmtpTransport),
    File(PathBuf),
    Log,
}

impl Transport {
    /// The transport `mail.transport` names.
    pub fn from_settings(mail: &MailSettings) -> Result<Transport, String> {
        match mail.transport.as_str() {
            "smtp" => {
                let url = mail
                    .smtp_url
                    .as_deref()
                    .ok_or("mail.transport is smtp but mail.smtp_url is not set")?;
                let transport = SmtpTransport::from_url(url)
                    .map_err(|e| format!("mail.smtp_url is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(mail.smtp_timeout_secs.max(1))))
                    .pool_config(PoolConfig::new().max_size(mail.concurrency.max(1) as u32))
                    .build();
                Ok(Transport::Smtp(transport))
            }
            "file" => {
                std::fs::create_dir_all(&mail.file_dir).map_err(|e| {
                    format!(
                        "cannot create mail.file_dir {}: {e}",
                        mail.file_dir.display()
                    )
                })?;
                Ok(Transport::File(mail.file_dir.clone()))
            }
            "log" => Ok(Transport::Log),
            other => Err(format!(
                "mail.transport is file, smtp or log, not {other:?}"
            )),
        }
    }

    /// Delivers one message; `file_name` names the .eml of the file transport.
    pub fn send(&self, message: &Message, file_name: &str) -> Result<(), String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| e.to_string()),
            Transport::File(dir) => {
                // Written beside, then renamed: a reader never sees half a mail.
                let path = dir.join(format!("{file_name}.eml"));
                let partial = dir.join(format!(".{file_name}.eml.part"));
                std::fs::write(&partial, message.formatted())
                    .and_then(|()| std::fs::rename(&partial, &path))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
            }
            Transport::Log => {
                let to: Vec<String> = message
                    .envelope()
                    .to()
                    .iter()
                    .map(|a| mask(a.as_ref()))
                    .collect();
                tracing::info!(to = ?to, file_name, "mail sent (log transport)");
                Ok(())
            }
        }
    }
}
