//! The words of the pages, in Swedish (the default) and English, from
//! `templates/web/i18n/{sv,en}.json` (compiled in). Keys are dotted, e.g.
//! `stage.kickoff`; `{name}` placeholders are filled from named arguments.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::Language;

type Table = HashMap<String, String>;

fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let parse = |text: &str| serde_json::from_str::<Table>(text).unwrap_or_default();
        (
            parse(include_str!("../../../templates/web/i18n/sv.json")),
            parse(include_str!("../../../templates/web/i18n/en.json")),
        )
    })
}

fn table(lang: Language) -> &'static Table {
    match lang {
        Language::Sv => &tables().0,
        Language::En => &tables().1,
    }
}

/// The text for `key`, if the language has it.
pub fn lookup(lang: Language, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// The text for `key` with `{name}` placeholders filled; the key itself when missing,
/// so a gap shows on the page (and the test of the tables catches it).
pub fn text(lang: Language, key: &str, args: &[(&str, String)]) -> String {
    let mut out = lookup(lang, key).unwrap_or(key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A message from the service (English) in the page's language, when the tables know it.
pub fn message(lang: Language, english: &str) -> String {
    lookup(lang, &format!("msg.{english}"))
        .map(String::from)
        .unwrap_or_else(|| english.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let (sv, en) = tables();
        assert!(sv.len() > 100, "the Swedish table loads");
        let missing_en: Vec<_> = sv.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_sv: Vec<_> = en.keys().filter(|k| !sv.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.json: {missing_en:?}");
        assert!(missing_sv.is_empty(), "missing in sv.json: {missing_sv:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        let t = text(
            Language::Sv,
            "progress.workshops_held",
            &[("current", "3".into()), ("required", "4".into())],
        );
        assert_eq!(t, "3 av 4 verkstäder");
    }
}
