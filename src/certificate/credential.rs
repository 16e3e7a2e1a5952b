//! The signed credential: a W3C Verifiable Credential in the Open Badges 3.0 shape,
//! as a compact JWS signed with Ed25519 (`alg` EdDSA, `kid` naming the key).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::Signer;
use serde_json::{json, Value};

use super::keys::KeyRing;

/// What the credential says.
pub struct CredentialSubject<'a> {
    pub verify_url: &'a str,
    pub issuer_url: &'a str,
    pub issuer_name: &'a str,
    pub number: &'a str,
    pub unit_id: &'a str,
    pub unit_name: &'a str,
    pub organisation_name: &'a str,
    pub programme_key: &'a str,
    pub programme_name: &'a str,
    pub programme_version: i32,
    pub criteria: String,
    pub issued_at: DateTime<Utc>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// The `credentialStatus` entries (see `status_list`).
    pub credential_status: Value,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

/// The credential document (the JWT's payload).
pub fn document(s: &CredentialSubject<'_>) -> Value {
    let valid_from = start_of(s.valid_from);
    let valid_until = end_of(s.valid_until);
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": s.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("{} – {}", s.programme_name, s.unit_name),
        "issuer": {
            "id": s.issuer_url,
            "type": ["Profile"],
            "name": s.issuer_name
        },
        "validFrom": valid_from.to_rfc3339(),
        "validUntil": valid_until.to_rfc3339(),
        "credentialStatus": s.credential_status,
        "credentialSubject": {
            "id": format!("urn:stegvis:unit:{}", s.unit_id),
            "type": ["AchievementSubject"],
            "name": s.unit_name,
            "organisation": s.organisation_name,
            "certificateNumber": s.number,
            "achievement": {
                "id": format!("{}/programmes/{}/v{}", s.issuer_url, s.programme_key, s.programme_version),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": s.programme_name,
                "version": s.programme_version.to_string(),
                "description": format!("{} (version {})", s.programme_name, s.programme_version),
                "criteria": { "narrative": s.criteria }
            }
        },
        // Registered JWT claims, so ordinary JWT tooling can check the token too.
        "iss": s.issuer_url,
        "jti": s.verify_url,
        "sub": format!("urn:stegvis:unit:{}", s.unit_id),
        "iat": s.issued_at.timestamp(),
        "nbf": valid_from.timestamp(),
        "exp": valid_until.timestamp()
    })
}

/// Signs `payload` as a compact JWS with the key ring's newest key.
pub fn sign(keys: &KeyRing, payload: &Value) -> String {
    let header = json!({"alg": "EdDSA", "typ": "vc+jwt", "kid": keys.signing_kid()});
    let encode = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap_or_default());
    let signing_input = format!("{}.{}", encode(&header), encode(payload));
    let signature = keys.signing_key().sign(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}
