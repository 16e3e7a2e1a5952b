//! The shell's use cases: each loads what it needs, asks the policy and the domain,
//! and writes the outcome in one transaction. Synchronous; handlers run them on the
//! blocking pool.

pub mod access_audit;
pub mod appeal_inputs;
pub mod appeal_projection;
pub mod appeals;
pub mod auth;
pub mod backup;
pub mod case_list;
pub mod case_page;
pub mod case_views;
pub mod cases;
pub mod certificate_views;
pub mod certificates;
pub mod cohort_inputs;
pub mod cohorts;
pub mod complaints;
pub mod corrections;
pub mod credential_status;
pub mod csv;
pub mod dashboard;
pub mod demo;
pub mod demo_events;
pub mod email;
pub mod error;
pub mod event_attendance;
pub mod event_inputs;
pub mod event_jobs;
pub mod event_views;
pub mod evidence_files;
pub mod headcount;
pub mod health;
pub mod inputs;
pub mod jobs;
pub mod lists;
pub mod mail;
pub mod metrics;
pub mod migration;
pub mod name;
pub mod number;
pub mod oidc;
pub mod oidc_http;
pub mod open_events;
pub mod organisations;
pub mod password;
pub mod password_reset;
pub mod personal_data;
pub mod pipeline;
pub mod plan_history;
pub mod plan_inputs;
pub mod plan_page;
pub mod plan_reminders;
pub mod plans;
pub mod programmes;
pub mod projection;
pub mod registry;
pub mod reminders;
pub mod reports;
pub mod scale;
pub mod throttle;
pub mod users;
pub mod validation;
pub mod views;
pub mod webhooks;
pub mod workshop_inputs;
pub mod workshop_page;
pub mod workshop_requests;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::certificate::CertificateKit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::store::Store;

/// What every request shares: the store, the clock, the configuration and the mailer.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// The keys and issuer certificates are made with.
    pub certificates: Arc<CertificateKit>,
    /// Unknown verification codes per client, against enumeration.
    pub verify_misses: Arc<certificates::MissLimiter>,
    /// The mail transport, made on first use (pooled SMTP connections live here).
    pub mailer: Arc<crate::notify::Mailer>,
    /// Renders new certificates' PDFs after their approval commits.
    pub renderer: Arc<crate::certificate::rendering::Renderer>,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// What the outbox worker needs of the state.
    pub fn delivery(&self) -> crate::notify::Delivery {
        crate::notify::Delivery {
            store: self.store.clone(),
            settings: self.settings.clone(),
            mailer: self.mailer.clone(),
            clock: self.clock.clone(),
            certificates: self.certificates.clone(),
        }
    }

    /// What the webhook worker needs of the state.
    pub fn webhook_delivery(&self) -> crate::notify::webhook::WebhookDelivery {
        crate::notify::webhook::WebhookDelivery {
            store: self.store.clone(),
            settings: self.settings.clone(),
            clock: self.clock.clone(),
        }
    }
}

pub use crate::store::{from_db, to_db};

/// A page of a top-level collection: `limit` items after `cursor`.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub cursor: Option<String>,
}

/// Splits `rows` (fetched with one extra) into a page and the cursor for the next.
pub fn paginate<T>(
    mut rows: Vec<T>,
    limit: i64,
    id_of: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let next = if has_more {
        rows.last().map(id_of)
    } else {
        None
    };
    (rows, next)
}
