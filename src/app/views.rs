//! What the API answers with: the resources of docs/api.md, as JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::AppError;
use super::from_db;
use crate::domain::{Actor, Language, Role, SessionKind, Severity};
use crate::store::rows::{EvidenceRow, FindingRow, OrganisationRow, SessionRow, UnitRow, UserRow};

/// Declares the page type of a collection.
macro_rules! page {
    ($name:ident, $item:ty) => {
        /// A page of a collection; follow `next_cursor` for the next.
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; null on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

page!(UserPage, User);
page!(OrganisationPage, Organisation);
page!(UnitPage, Unit);
page!(CasePage, super::case_views::Case);

/// A person who signs in; never carries a password or its hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub language: Language,
    /// False once the account is closed: the user cannot sign in.
    pub active: bool,
}

impl User {
    /// The user as the policy sees them.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id.clone(),
            role: self.role,
            organisation_id: self.organisation_id.clone(),
            unit_id: self.unit_id.clone(),
        }
    }

    pub fn from_row(row: &UserRow) -> User {
        User {
            id: row.id.clone(),
            email: row.email.clone(),
            name: row.name.clone(),
            role: row.role,
            organisation_id: row.organisation_id.clone(),
            unit_id: row.unit_id.clone(),
            language: row.language,
            active: row.active,
        }
    }
}

/// A client organisation: a municipality, a region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// Swedish organisationsnummer, `NNNNNN-NNNN`.
    pub org_number: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Its certified units are listed in the public registry (`GET /registry`).
    pub public_registry: bool,
}

impl From<OrganisationRow> for Organisation {
    fn from(row: OrganisationRow) -> Self {
        Organisation {
            id: row.id,
            name: row.name,
            org_number: row.org_number,
            created_at: from_db(row.created_at),
            public_registry: row.public_registry,
        }
    }
}

/// A unit of an organisation: an elderly-care home, a school, a team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub department: Option<String>,
    pub headcount: i32,
    pub contact_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UnitRow> for Unit {
    fn from(row: UnitRow) -> Self {
        Unit {
            id: row.id,
            organisation_id: row.organisation_id,
            name: row.name,
            department: row.department,
            headcount: row.headcount,
            contact_email: row.contact_email,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// A scheduled kickoff, workshop or supervision session of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    pub id: String,
    pub case_id: String,
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    /// How many attended; null until attendance is recorded.
    pub attended: Option<i32>,
    pub cancelled: bool,
    /// Who the session was shaped for; null when not given.
    pub audience: Option<String>,
    /// The perspectives or focus areas it was built on.
    pub themes: Vec<String>,
    /// What the group worked on (never about an individual); null until written.
    pub notes: Option<String>,
    /// When the notes were last written; null without notes.
    pub documented_at: Option<DateTime<Utc>>,
}

impl Session {
    /// The session a row holds; its themes must read back as a list.
    pub fn from_row(row: SessionRow) -> Result<Session, AppError> {
        let themes: Vec<String> = serde_json::from_str(&row.themes).map_err(|e| {
            AppError::Store(crate::store::StoreError::Corrupt(format!(
                "session {} themes: {e}",
                row.id
            )))
        })?;
        Ok(Session {
            id: row.id,
            case_id: row.case_id,
            kind: row.kind,
            title: row.title,
            starts_at: from_db(row.starts_at),
            ends_at: from_db(row.ends_at),
            location: row.location,
            attended: row.attended,
            cancelled: row.cancelled,
            audience: row.audience,
            themes,
            notes: row.notes,
            documented_at: row.documented_at.map(from_db),
        })
    }
}

/// The unit's own evidence that a routine area carries the work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    pub id: String,
    pub case_id: String,
    pub area: String,
    pub description: String,
    pub link: Option<String>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    /// The uploaded file, if any (`GET /api/v1/cases/{id}/evidence/{eid}/file`).
    pub file: Option<EvidenceFileView>,
}

/// An evidence file as its history event recorded it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceFileView {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Bytes.
    pub size: i64,
    pub media_type: String,
    /// The name it was uploaded under.
    pub name: String,
}

impl From<EvidenceRow> for Evidence {
    fn from(row: EvidenceRow) -> Self {
        let file = match (
            row.file_sha256,
            row.file_size,
            row.file_media_type,
            row.file_name,
        ) {
            (Some(sha256), Some(size), Some(media_type), Some(name)) => Some(EvidenceFileView {
                sha256,
                size,
                media_type,
                name,
            }),
            _ => None,
        };
        Evidence {
            file,
            id: row.id,
            case_id: row.case_id,
            area: row.area,
            description: row.description,
            link: row.link,
            added_by: row.added_by,
            added_at: from_db(row.added_at),
        }
    }
}

/// An auditor's finding, and how the unit resolved it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finding {
    pub id: String,
    pub case_id: String,
    pub severity: Severity,
    pub area: Option<String>,
    pub text: String,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The audit round (1, 2, …) the finding was recorded in.
    pub round: i32,
    /// The day it must be resolved by; null for findings from before deadlines.
    pub due_on: Option<NaiveDate>,
}

impl From<FindingRow> for Finding {
    fn from(row: FindingRow) -> Self {
        Finding {
            id: row.id,
            case_id: row.case_id,
            severity: row.severity,
            area: row.area,
            text: row.text,
            resolution: row.resolution,
            resolved_at: row.resolved_at.map(from_db),
            round: row.round,
            due_on: row.due_on,
        }
    }
}
