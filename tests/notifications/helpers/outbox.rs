//! Driving the outbox worker and the jobs, and reading the outbox as the admin does.

use serde_json::Value;

use super::TestApp;

impl TestApp {
    /// Runs the outbox worker until nothing is due now; the rows it handled.
    pub async fn dispatch(&self) -> usize {
        let state = self.state.clone();
        actix_web::web::block(move || stegvis::notify::dispatch_all_pending(&state.delivery()))
            .await
            .expect("the worker thread runs")
            .expect("the worker runs")
    }

    /// Runs the webhook worker until nothing is due now; the deliveries it handled.
    pub async fn dispatch_webhooks(&self) -> usize {
        stegvis::notify::webhook::dispatch_all_pending(&self.state.webhook_delivery())
            .await
            .expect("the webhook worker runs")
    }

    /// Runs the periodic jobs as of the clock's time.
    pub async fn run_jobs(&self) -> stegvis::app::jobs::JobsReport {
        let state = self.state.clone();
        actix_web::web::block(move || stegvis::app::jobs::run_all(&state))
            .await
            .expect("the jobs thread runs")
            .expect("the jobs run")
    }

    /// Runs the periodic jobs as of `as_of`, as `stegvis jobs run --at` does, while the
    /// app's clock stays where it is.
    pub async fn run_jobs_as_of(
        &self,
        as_of: chrono::DateTime<chrono::Utc>,
    ) -> stegvis::app::jobs::JobsReport {
        let state = self.state.clone();
        actix_web::web::block(move || stegvis::app::jobs::run_all_as_of(&state, as_of))
            .await
            .expect("the jobs thread runs")
            .expect("the jobs run")
    }

    /// Every outbox row as the admin lists it, of one status or all.
    pub async fn mail(&self, status: Option<&str>) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query = String::from("?limit=200");
            if let Some(status) = status {
                query.push_str(&format!("&status={status}"));
            }
            if let Some(c) = &cursor {
                query.push_str(&format!("&cursor={c}"));
            }
            let reply = self
                .get(&self.admin.token, &format!("/admin/mail{query}"))
                .await
                .should_be(200);
            items.extend(reply.items());
            cursor = reply.body["next_cursor"].as_str().map(String::from);
            if cursor.is_none() {
                return items;
            }
        }
    }

    /// The outbox rows of one kind, as (recipient, subject), sorted by recipient.
    pub async fn mail_of_kind(&self, kind: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .mail(None)
            .await
            .into_iter()
            .filter(|m| m["kind"] == kind)
            .map(|m| {
                (
                    m["recipient"].as_str().unwrap_or_default().to_string(),
                    m["subject"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }
}
