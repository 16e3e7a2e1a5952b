//! The page handlers, one file per role's pages.

pub mod adjudication;
pub mod admin;
pub mod admin_appeals;
pub mod admin_complaints;
pub mod admin_mail;
pub mod admin_people;
pub mod admin_users;
pub mod admin_webhooks;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod case;
pub mod case_appeal;
pub mod case_appeal_view;
pub mod case_confirm;
pub mod case_corrections;
pub mod case_forms;
pub mod case_forms_evidence;
pub mod case_forms_view;
pub mod case_lists;
pub mod case_view;
pub mod cases;
pub mod cohorts;
pub mod complaint;
pub mod confirm;
pub mod dashboard;
pub mod event_cancel;
pub mod event_csv;
pub mod event_list;
pub mod event_manage;
pub mod event_signup;
pub mod import;
pub mod next_steps;
pub mod oidc;
pub mod oidc_buttons;
pub mod password_reset;
pub mod plan_action;
pub mod plans;
pub mod profile;
pub mod programme_draft;
pub mod programme_editor;
pub mod programme_migrate;
pub mod programme_pages;
pub mod session_notes;
pub mod unit;
pub mod unit_list;
pub mod unit_overview;
pub mod workshop_requests;

use crate::app::PageRequest;
use crate::domain::Language;

/// A page text from the word files, without arguments.
pub(crate) fn t(lang: Language, key: &str) -> String {
    crate::http::web::i18n::text(lang, key, &[])
}

/// A whole list, as far as an admin page shows one (200 rows).
pub(crate) fn all() -> PageRequest {
    PageRequest {
        limit: 200,
        cursor: None,
    }
}
