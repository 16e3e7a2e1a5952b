//! The words of the pages: the glossary's, in the page's language (see
//! [`crate::glossary`]); kept as the pages' short path to them.

pub use crate::glossary::{fill, lookup, text};
