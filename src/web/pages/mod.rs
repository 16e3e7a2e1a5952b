//! The page handlers, one file per role's pages.

pub mod admin;
pub mod admin_mail;
pub mod admin_people;
pub mod audit;
pub mod auth;
pub mod case;
pub mod case_forms;
pub mod case_forms_view;
pub mod case_view;
pub mod cases;
pub mod dashboard;
pub mod import;
pub mod unit;
