//! The certificate's PDF, rendered after the approve transaction rather than in it.
//!
//! Rendering (PDF/A with embedded fonts and a QR code) took 2.7 ms on the single
//! writer every other write queues behind. The approve transaction now stores the
//! certificate with its PDF pending and hands its id to the [`Renderer`], a thread of
//! its own that renders it after the commit and stores it with a conditional UPDATE,
//! while the approval is answered. Whoever needs the PDF before then, or after a crash
//! lost the queue, renders it: the download and the approval mail both go through
//! [`pdf_of`], so a certificate's PDF is never missing, only late.
//!
//! Everything the PDF says comes from the certificate row, fixed at issuance, except
//! the unit's department, the holder's language, the auditor's name and the issuer's
//! logo, which are read when it is rendered: milliseconds after the commit, unless a
//! crash came between.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::pdf::{self, CertificateText};
use super::{verify_url, CertificateError, CertificateKit};
use crate::domain::Language;
use crate::glossary::dates;
use crate::store::certificates::{self as rows, CertificateRow, PDF_PENDING};
use crate::store::{from_db, organisations, users, DbConnection, Store};

/// The thread that renders and stores the PDFs of newly issued certificates, one at a
/// time (rendering takes a core for 2.7 ms; two cores are not to be taken by it).
pub struct Renderer {
    queue: Sender<String>,
}

impl Renderer {
    /// Starts the thread; it ends when the last handle on the renderer is dropped.
    pub fn start(store: Store, kit: Arc<CertificateKit>) -> std::io::Result<Renderer> {
        let (queue, ids) = channel::<String>();
        std::thread::Builder::new()
            .name("stegvis-pdf".into())
            .spawn(move || {
                for id in ids {
                    // A render that panics (a bug in the PDF crate, say) costs that
                    // one PDF, left for its first reader, never the thread.
                    match catch_unwind(AssertUnwindSafe(|| pdf_of(&store, &kit, &id))) {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => tracing::warn!(certificate = %id, error = %e,
                            "certificate PDF left for its first reader"),
                        Err(_) => tracing::error!(certificate = %id,
                            "rendering the certificate PDF panicked; left for its first reader"),
                    }
                }
            })?;
        Ok(Renderer { queue })
    }

    /// Renders and stores certificate `id`'s PDF soon, if it is pending.
    pub fn render_later(&self, id: String) {
        // A send fails only if the thread has ended, which a render's panic no longer
        // causes; a PDF not rendered here is rendered by its first reader anyway.
        let _ = self.queue.send(id);
    }
}

/// The PDF of certificate `id`: as stored, or rendered and stored now when it is
/// pending. `None` when there is no such certificate.
pub fn pdf_of(
    store: &Store,
    kit: &CertificateKit,
    id: &str,
) -> Result<Option<Vec<u8>>, CertificateError> {
    let mut conn = store.conn()?;
    let Some(row) = rows::by_id(&mut conn, id)? else {
        return Ok(None);
    };
    if row.pdf_sha256 != PDF_PENDING {
        return Ok(Some(rows::pdf(&mut conn, id)?));
    }
    let rendered = render(&mut conn, kit, &row)?;
    drop(conn);
    let sha256 = hex::encode(Sha256::digest(&rendered));
    let stored = store.write(|conn| {
        rows::store_pdf(conn, id, &rendered, &sha256).map_err(CertificateError::from)
    })?;
    if stored {
        return Ok(Some(rendered));
    }
    // Someone else stored it first: theirs is the one every reader gets.
    let mut conn = store.conn()?;
    Ok(Some(rows::pdf(&mut conn, id)?))
}

/// The PDF of a stored certificate.
fn render(
    conn: &mut DbConnection,
    kit: &CertificateKit,
    row: &CertificateRow,
) -> Result<Vec<u8>, CertificateError> {
    let department = organisations::unit_by_id(conn, &row.unit_id)?.and_then(|u| u.department);
    let language = holder_language(conn, &row.unit_id)?;
    let auditor_name = match &row.auditor_id {
        Some(id) => users::by_id(conn, id)?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let url = verify_url(&kit.public_url, &row.verification_code);
    let display = |on: NaiveDate| dates::day(on, language);
    pdf::render(&CertificateText {
        language,
        number: &row.number,
        unit_name: &row.unit_name,
        department: department.as_deref(),
        organisation_name: &row.organisation_name,
        programme_name: &row.programme_name,
        programme_version: row.programme_version,
        valid_from: display(row.valid_from),
        valid_until: display(row.valid_until),
        first_certified_on: display(row.first_certified_on),
        issuer: &row.issuer,
        logo: kit.logo.as_ref(),
        auditor_name: &auditor_name,
        verify_url: &url,
        issued_at: from_db(row.issued_at),
    })
    .map_err(CertificateError::Pdf)
}

/// The certificate holder's language: that of the unit's first contact (the oldest
/// account), Swedish when the unit has none.
fn holder_language(conn: &mut DbConnection, unit_id: &str) -> Result<Language, CertificateError> {
    let contacts = users::contacts_of_unit(conn, unit_id)?;
    Ok(contacts
        .iter()
        .filter(|c| c.active)
        .min_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)))
        .map(|c| c.language)
        .unwrap_or_default())
}
