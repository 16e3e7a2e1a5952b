//! Certificates issued before credentials carried their status get their status list
//! entries at start-up, and their credential is signed again with `credentialStatus`
//! added (everything else it says unchanged), so every credential has a status a
//! verifier can check offline.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{credential, status_list, CertificateError, CertificateKit};
use crate::store::status_lists;
use crate::store::Store;

/// The payload of a compact JWS (its signature was checked when it was made).
fn payload_of(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// Gives every certificate without status entries its entries and a re-signed
/// credential; one transaction per certificate. The number given.
pub fn backfill(
    store: &Store,
    kit: &CertificateKit,
    now: DateTime<Utc>,
) -> Result<usize, CertificateError> {
    let mut given = 0;
    loop {
        let batch = store.write(|conn| {
            status_lists::without_entries(conn, 100).map_err(CertificateError::from)
        })?;
        if batch.is_empty() {
            return Ok(given);
        }
        for (id, jwt) in batch {
            store.write(|conn| {
                let entries = status_list::allocate_entries(conn, kit.status_list_capacity, now)?;
                let mut document =
                    payload_of(&jwt).ok_or(CertificateError::Missing("a readable credential"))?;
                if let Some(fields) = document.as_object_mut() {
                    fields.insert(
                        "credentialStatus".into(),
                        status_list::credential_status(&kit.public_url, &entries),
                    );
                }
                let signed = credential::sign(&kit.keys, &document);
                status_lists::set_entries(conn, &id, &entries, &signed)?;
                Ok::<_, CertificateError>(())
            })?;
            given += 1;
        }
    }
}
