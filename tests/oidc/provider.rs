//! The OpenID Provider of the single sign-on tests: tests/oidc/provider.mjs (npm's
//! oidc-provider, installed by `npm ci --prefix tests/web`) started on loopback port 0,
//! and the Stegvis configuration that points at it. Included with `#[path]` by
//! tests/api/oidc.rs and tests/web/oidc.rs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use stegvis::config::{OidcJitRule, OidcProvider};

pub const CLIENT_ID: &str = "stegvis";
pub const CLIENT_SECRET: &str = "stegvis-test-secret";
/// The provider's id in Stegvis's configuration.
pub const PROVIDER_ID: &str = "testkommun";
/// Its button on the log-in page.
pub const DISPLAY_NAME: &str = "Testkommunens konto";

/// A running provider; stopped when dropped.
pub struct TestProvider {
    child: Child,
    /// Kept open: the provider's writes must not fail.
    _stdout: BufReader<std::process::ChildStdout>,
    pub issuer: String,
}

impl TestProvider {
    /// Starts the provider with one client whose redirect URI is `redirect_uri`; its
    /// token endpoint alters the ID token as `mode` says (see provider.mjs).
    pub fn start(redirect_uri: &str, mode: &str) -> TestProvider {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_MODE", mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs tests/oidc/provider.mjs (.ci/run installs node and oidc-provider)");
        let stdout = child.stdout.take().expect("the provider's stdout");
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the provider prints its port");
        let started: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!(
                "the provider did not start ({e}): {line:?}; is `npm ci --prefix tests/web` done?"
            )
        });
        let port = started["port"].as_u64().expect("a port");
        TestProvider {
            child,
            _stdout: stdout,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Stegvis's configuration of this provider, with `jit` rules.
    pub fn config(&self, jit: Vec<OidcJitRule>) -> OidcProvider {
        OidcProvider {
            jit,
            ..TestProvider::config_for(&self.issuer)
        }
    }

    /// Stegvis's configuration of a provider at `issuer` (running or not).
    pub fn config_for(issuer: &str) -> OidcProvider {
        OidcProvider {
            id: PROVIDER_ID.into(),
            issuer_url: issuer.into(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            scopes: vec!["email".into(), "profile".into()],
            email_claim: "email".into(),
            display_name: DISPLAY_NAME.into(),
            require_email_verified: true,
            jit: vec![],
        }
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
