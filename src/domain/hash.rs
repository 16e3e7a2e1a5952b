//! The hash chain over a case's history: each event seals the one before it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of a case's first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event as stored: numbered, with the hash of the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub case_id: String,
    pub seq: u64,
    #[serde(serialize_with = "micros")]
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub kind: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub comment: Option<String>,
    pub data: Value,
    pub prev_hash: String,
}

fn micros<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Micros, true))
}

impl EventRecord {
    /// SHA-256, hex, over the canonical JSON of the record (fields in declaration
    /// order, object keys sorted), which includes the previous event's hash.
    pub fn hash(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(canonical))
    }
}

/// Where a stored history stops being an unbroken chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("event {seq} does not follow event {expected_prev_seq}")]
    Gap { seq: u64, expected_prev_seq: u64 },
    #[error("event {seq} names a previous hash that is not the hash of the event before it")]
    BrokenLink { seq: u64 },
    #[error("event {seq} was altered: its content does not match its hash")]
    Altered { seq: u64 },
}

/// Checks that `events` (oldest first, each with its stored hash) form one unbroken chain.
pub fn verify_chain(events: &[(EventRecord, String)]) -> Result<(), ChainError> {
    let mut prev = GENESIS_HASH.to_string();
    for (i, (record, stored_hash)) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if record.seq != expected_seq {
            return Err(ChainError::Gap {
                seq: record.seq,
                expected_prev_seq: expected_seq - 1,
            });
        }
        if record.prev_hash != prev {
            return Err(ChainError::BrokenLink { seq: record.seq });
        }
        if &record.hash() != stored_hash {
            return Err(ChainError::Altered { seq: record.seq });
        }
        prev = stored_hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, prev_hash: String) -> EventRecord {
        EventRecord {
            case_id: "c1".into(),
            seq,
            at: DateTime::<Utc>::UNIX_EPOCH,
            actor_id: Some("u1".into()),
            kind: "paused".into(),
            from_stage: None,
            to_stage: None,
            comment: None,
            data: serde_json::json!({"b": 1, "a": 2}),
            prev_hash,
        }
    }

    fn chain(n: u64) -> Vec<(EventRecord, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let r = record(seq, prev.clone());
                let h = r.hash();
                prev = h.clone();
                (r, h)
            })
            .collect()
    }

    #[test]
    fn an_untouched_history_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(()));
    }

    #[test]
    fn an_altered_comment_is_detected() {
        let mut events = chain(3);
        events[1].0.comment = Some("edited".into());
        assert_eq!(verify_chain(&events), Err(ChainError::Altered { seq: 2 }));
    }

    #[test]
    fn a_removed_event_is_detected() {
        let mut events = chain(3);
        events.remove(1);
        assert!(verify_chain(&events).is_err());
    }
}
