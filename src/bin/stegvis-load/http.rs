//! A thin timed HTTP client over awc: one per load thread (awc is single-threaded).

use std::time::{Duration, Instant};

use awc::http::header;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::stats::Stats;

/// One answer: status, ETag version (when sent) and the raw body.
pub struct Answer {
    pub status: u16,
    pub etag: Option<i64>,
    pub body: actix_web::web::Bytes,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json<T: DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            anyhow::anyhow!(
                "status {}: unexpected body ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

/// A base URL and a client that records every request in `stats` under a label.
pub struct Http {
    client: awc::Client,
    base: String,
}

/// What a request carries besides its method and path.
#[derive(Default)]
pub struct Opts<'a> {
    pub token: Option<&'a str>,
    pub if_match: Option<i64>,
}

impl Http {
    pub fn new(base: &str, connections: usize) -> Http {
        let connector = awc::Connector::new()
            .limit(connections.max(1))
            .timeout(Duration::from_secs(10));
        let client = awc::Client::builder()
            .connector(connector)
            .timeout(Duration::from_secs(30))
            .disable_redirects()
            .finish();
        Http {
            client,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// Sends a request with an optional JSON body; a transport failure counts as status 0.
    pub async fn send<B: Serialize>(
        &self,
        stats: &Stats,
        label: &'static str,
        method: awc::http::Method,
        path: &str,
        opts: Opts<'_>,
        body: Option<&B>,
    ) -> Answer {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = opts.token {
            req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
        }
        if let Some(v) = opts.if_match {
            req = req.insert_header((header::IF_MATCH, format!("\"{v}\"")));
        }
        let started = Instant::now();
        let sent = match body {
            Some(b) => req.send_json(b).await,
            None => req.send().await,
        };
        let answer = match sent {
            Ok(mut res) => {
                let status = res.status().as_u16();
                let etag = res
                    .headers()
                    .get(header::ETAG)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim_start_matches("W/").trim_matches('"').parse().ok());
                let body = res.body().limit(16 << 20).await.unwrap_or_default();
                Answer { status, etag, body }
            }
            Err(_) => Answer {
                status: 0,
                etag: None,
                body: actix_web::web::Bytes::new(),
            },
        };
        stats.record(label, answer.status, started.elapsed());
        answer
    }
}
