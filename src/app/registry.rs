//! The public registry: the certified units of organisations that opted in
//! (`public_registry`), searchable and paged, for anyone, with no people in it.
//! Listed: certificates in their period that are valid or suspended (with the status
//! shown, so a reader sees a suspension); revoked and expired ones are left out.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::certificate_views::CertificateProgramme;
use super::error::AppError;
use super::{paginate, AppState, PageRequest};
use crate::certificate::verify_url;
use crate::domain::certificate::CertificateStatus;
use crate::store::registry::{self, RegistryRow};

/// The longest search text, in characters.
pub const MAX_QUERY: usize = 200;

/// A certified unit as the registry shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistryEntry {
    pub unit_name: String,
    pub organisation_name: String,
    pub programme: CertificateProgramme,
    pub number: String,
    pub status: CertificateStatus,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// The certificate's public verification page.
    pub verify_url: String,
}

/// A page of the registry; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryPage {
    pub items: Vec<RegistryEntry>,
    /// Pass as `cursor` (with the same `q`) for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// What a reader asks of the registry.
pub struct RegistryQuery {
    /// Words every listed unit's, organisation's or programme's name must contain.
    pub q: String,
    pub page: PageRequest,
}

/// True when every word of `q` is in one of the entry's names (any case).
fn matches(row: &RegistryRow, words: &[String]) -> bool {
    let names = format!(
        "{} {} {}",
        row.unit_name, row.organisation_name, row.programme_name
    )
    .to_lowercase();
    words.iter().all(|w| names.contains(w.as_str()))
}

/// One page of the registry.
pub fn page(state: &AppState, query: &RegistryQuery) -> Result<RegistryPage, AppError> {
    let today = state.now().date_naive();
    let rows = {
        let mut conn = state.store.conn()?;
        registry::listed(&mut conn, today)?
    };
    // A renewed case can hold two certificates in their period: the newest counts.
    let mut newest: HashMap<String, RegistryRow> = HashMap::new();
    for row in rows {
        match newest.get(&row.case_id) {
            Some(kept) if kept.issued_at >= row.issued_at => {}
            _ => {
                newest.insert(row.case_id.clone(), row);
            }
        }
    }
    let words: Vec<String> = query
        .q
        .to_lowercase()
        .split_whitespace()
        .map(String::from)
        .collect();
    let mut rows: Vec<RegistryRow> = newest
        .into_values()
        .filter(|r| matches(r, &words))
        .filter(|r| query.page.cursor.as_ref().is_none_or(|c| r.id > *c))
        .collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows.truncate(query.page.limit.max(0) as usize + 1);
    let (rows, next_cursor) = paginate(rows, query.page.limit, |r| r.id.clone());
    let public_url = &state.settings.server.public_url;
    Ok(RegistryPage {
        items: rows
            .into_iter()
            .map(|r| RegistryEntry {
                status: r.status.as_of(r.valid_until, today),
                verify_url: verify_url(public_url, &r.verification_code),
                unit_name: r.unit_name,
                organisation_name: r.organisation_name,
                programme: CertificateProgramme {
                    key: r.programme_key,
                    name: r.programme_name,
                    version: r.programme_version,
                },
                number: r.number,
                valid_from: r.valid_from,
                valid_until: r.valid_until,
            })
            .collect(),
        next_cursor,
    })
}
