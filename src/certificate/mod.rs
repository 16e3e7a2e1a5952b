//! Certificates: issuance (the command pipeline's certificate reactor), the PDF, the
//! QR code, the signed credential and its keys.

pub mod credential;
mod diploma;
pub mod issuance;
pub mod keys;
pub mod pdf;
mod pdf_ua;
pub mod qr;
pub mod rendering;
mod sheet;
pub mod status_backfill;
pub mod status_list;

use rand::Rng;

/// No 0/O, 1/I/L: a code read off paper is typed back without doubt.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 12 characters of 31: about 59 bits, unguessable at any request rate we allow.
pub const CODE_LENGTH: usize = 12;

/// A new random verification code.
pub fn verification_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// True when `code` could be a verification code (checked before any lookup).
pub fn looks_like_code(code: &str) -> bool {
    code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// What issuing needs besides the database: the keys, the issuer's name and the
/// public URL that verification links point at.
pub struct CertificateKit {
    pub keys: keys::KeyRing,
    pub issuer: String,
    /// The issuer's logo printed on certificates (`certificate.issuer_logo_file`).
    pub logo: Option<pdf::IssuerLogo>,
    pub public_url: String,
    /// Entries per status list before a new list is started.
    pub status_list_capacity: u32,
}

/// The public verification page of a code.
pub fn verify_url(public_url: &str, code: &str) -> String {
    format!("{}/verify/{code}", public_url.trim_end_matches('/'))
}

/// Why issuing or updating a certificate failed; never caused by a client's input.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Pdf(pdf::PdfError),
    #[error("{0} is missing")]
    Missing(&'static str),
}
