//! Credential status as the W3C Bitstring Status List v1.0 describes it: every
//! credential carries a `BitstringStatusListEntry` for revocation and one for
//! suspension, each a random index in a list served at
//! `{public_url}/credentials/status/{list}` as a signed `BitstringStatusListCredential`.
//! A verifier holding only the JWKS and that list can tell a revoked or suspended
//! credential from a valid one.

use std::io::Write;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::Rng;
use serde_json::{json, Value};

use crate::domain::certificate::{CertificateStatus, StatusPurpose};
use crate::store::status_lists::{self as lists, StatusEntries, StatusListRow};
use crate::store::{to_db, DbConnection};

/// The spec's floor for a list's length (16 KB of bits), so that one index tells a
/// watcher nothing about which credential was checked.
pub const MIN_BITS: usize = 131_072;

/// The address a list is served at.
pub fn list_url(public_url: &str, list: &str) -> String {
    format!(
        "{}/credentials/status/{list}",
        public_url.trim_end_matches('/')
    )
}

/// An entry for a new credential in the newest list of `purpose`, or in a new list
/// once that one has handed out its [`usable`] indexes.
pub fn allocate(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
    capacity: u32,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(String, i32)> {
    let capacity = capacity.clamp(1, i32::MAX as u32) as usize;
    let open = lists::newest_of(conn, purpose)?
        .filter(|row| (row.taken.max(0) as usize) < usable(capacity))
        .map(|row| row.id);
    let list = match open {
        Some(list) => list,
        None => {
            let id = format!(
                "{}-{}",
                purpose.as_str(),
                lists::count_of(conn, purpose)? + 1
            );
            lists::insert(
                conn,
                &StatusListRow {
                    id: id.clone(),
                    purpose: purpose.as_str().into(),
                    created_at: to_db(now),
                    taken: 0,
                },
            )?;
            id
        }
    };
    let index = free_index(conn, purpose, &list, capacity)?;
    lists::note_taken(conn, &list)?;
    Ok((list, index))
}

/// How many of a list's `capacity` indexes are handed out before the next list
/// starts: every index of a list of fewer than eight, seven in eight of a larger one.
/// A random index is then free at least one time in eight, so a draw needs at most
/// eight look-ups on average and the list is almost never read whole: filling the
/// last eighth of 131,072 indexes by reading the list would cost each certificate
/// a read of more than 100,000 entries. The unused indexes only widen the crowd a
/// credential hides in.
pub fn usable(capacity: usize) -> usize {
    capacity - capacity / 8
}

/// A free index of `list`, drawn uniformly from those free: random indexes are
/// tried until a free one comes up (one look-up each in the entry's unique index);
/// should 64 tries all miss, which [`usable`] makes rarer than one in 5,000, the list
/// is read whole once. Walking all 131,072 indexes of a list for every certificate
/// took a sixth of the SQLite writer's time on the whole path (docs/benchmarks.md,
/// fourth pass).
fn free_index(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
    list: &str,
    capacity: usize,
) -> diesel::QueryResult<i32> {
    let mut rng = rand::thread_rng();
    for _ in 0..64 {
        let candidate = rng.gen_range(0..capacity) as i32;
        if !lists::is_taken(conn, purpose, list, candidate)? {
            return Ok(candidate);
        }
    }
    let mut taken: Vec<i32> = lists::entries(conn, purpose, list)?
        .into_iter()
        .map(|(index, _)| index)
        .filter(|index| (0..capacity as i32).contains(index))
        .collect();
    taken.sort_unstable();
    taken.dedup();
    let free = capacity.saturating_sub(taken.len()).max(1);
    Ok(nth_free(&taken, rng.gen_range(0..free) as i32))
}

/// The `k`-th (from 0) index not in `taken`, which is sorted and without repeats.
fn nth_free(taken: &[i32], k: i32) -> i32 {
    let mut index = k;
    for &t in taken {
        if t > index {
            break;
        }
        index += 1;
    }
    index
}

/// Entries in a list of each purpose for a new credential.
pub fn allocate_entries(
    conn: &mut DbConnection,
    capacity: u32,
    now: DateTime<Utc>,
) -> diesel::QueryResult<StatusEntries> {
    Ok(StatusEntries {
        revocation: allocate(conn, StatusPurpose::Revocation, capacity, now)?,
        suspension: allocate(conn, StatusPurpose::Suspension, capacity, now)?,
    })
}

/// The credential's `credentialStatus`: one `BitstringStatusListEntry` per purpose.
pub fn credential_status(public_url: &str, entries: &StatusEntries) -> Value {
    let entry = |purpose: StatusPurpose, (list, index): &(String, i32)| {
        let url = list_url(public_url, list);
        json!({
            "id": format!("{url}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose.as_str(),
            "statusListIndex": index.to_string(),
            "statusListCredential": url
        })
    };
    json!([
        entry(StatusPurpose::Revocation, &entries.revocation),
        entry(StatusPurpose::Suspension, &entries.suspension)
    ])
}

/// The list's bits, GZIP-compressed and base64url-encoded with the multibase `u`
/// prefix; bit 0 is the most significant bit of the first byte, as the spec says.
pub fn encoded_list(set: &[usize], capacity: u32) -> std::io::Result<String> {
    let bits = MIN_BITS.max(capacity as usize);
    let mut bytes = vec![0u8; bits.div_ceil(8)];
    for &index in set {
        if let Some(byte) = bytes.get_mut(index / 8) {
            *byte |= 0x80 >> (index % 8);
        }
    }
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(&bytes)?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(gzip.finish()?)))
}

/// The status list credential's document (the JWT's payload), valid from `now`.
pub fn list_document(
    public_url: &str,
    issuer_name: &str,
    list: &StatusListRow,
    encoded_list: String,
    now: DateTime<Utc>,
) -> Value {
    let url = list_url(public_url, &list.id);
    let issuer = public_url.trim_end_matches('/');
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": { "id": issuer, "type": ["Profile"], "name": issuer_name },
        "validFrom": now.to_rfc3339(),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": list.purpose,
            "encodedList": encoded_list
        },
        "iss": issuer,
        "sub": url,
        "iat": now.timestamp()
    })
}

/// The indexes whose bit is set in `list`.
pub fn set_bits(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
    list: &str,
) -> diesel::QueryResult<Vec<usize>> {
    Ok(lists::entries(conn, purpose, list)?
        .into_iter()
        .filter(|(_, status): &(i32, CertificateStatus)| purpose.bit_set(*status))
        .filter_map(|(index, _)| usize::try_from(index).ok())
        .collect())
}

/// The list `id` as a signed status list credential (a compact JWS), as of `now`;
/// `None` for a list that does not exist.
pub fn signed(
    conn: &mut DbConnection,
    kit: &super::CertificateKit,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, super::CertificateError> {
    let Some(list) = lists::by_id(conn, id)? else {
        return Ok(None);
    };
    let Some(purpose) = StatusPurpose::parse(&list.purpose) else {
        return Ok(None);
    };
    let bits = set_bits(conn, purpose, &list.id)?;
    let encoded = encoded_list(&bits, kit.status_list_capacity)
        .map_err(|_| super::CertificateError::Missing("a compressed status list"))?;
    let document = list_document(&kit.public_url, &kit.issuer, &list, encoded, now);
    Ok(Some(super::credential::sign(&kit.keys, &document)))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_kth_free_index_skips_the_taken_ones() {
        let taken = [0, 1, 4, 5, 9];
        let free: Vec<i32> = (0..12).filter(|i| !taken.contains(i)).collect();
        for (k, expected) in free.iter().enumerate() {
            assert_eq!(nth_free(&taken, k as i32), *expected, "k = {k}");
        }
        assert_eq!(nth_free(&[], 7), 7);
    }

    #[test]
    fn a_small_list_is_filled_and_a_large_one_to_seven_eighths() {
        assert_eq!(usable(1), 1);
        assert_eq!(usable(3), 3);
        assert_eq!(usable(7), 7);
        assert_eq!(usable(8), 7);
        assert_eq!(usable(131_072), 114_688);
    }

    fn decoded(list: &str) -> Vec<u8> {
        let bytes = URL_SAFE_NO_PAD
            .decode(list.strip_prefix('u').expect("the multibase u prefix"))
            .expect("base64url without padding");
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut bits)
            .expect("GZIP");
        bits
    }

    #[test]
    fn the_list_is_at_least_16_kb_with_bit_0_the_first_bytes_highest() {
        let bits = decoded(&encoded_list(&[0, 9, 131_071], 4).unwrap());
        assert_eq!(bits.len(), 16_384);
        assert_eq!(bits[0], 0b1000_0000);
        assert_eq!(bits[1], 0b0100_0000);
        assert_eq!(bits[16_383], 0b0000_0001);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
    }

    #[test]
    fn a_capacity_above_the_floor_makes_a_longer_list() {
        assert_eq!(decoded(&encoded_list(&[], 200_000).unwrap()).len(), 25_000);
    }
}
