//! The page reads in one language: no English word on a Swedish page, no Swedish word
//! on an English one. Names people typed are not words of either: the pages mark them
//! `translate="no"` (and a phrase in another language carries its own `lang`, as the
//! language switcher's "English" does), and the walk's own names are left out too.

use serde_json::Value;

/// Common English words that have no place in Swedish text, as whole words.
const ENGLISH: &[&str] = &[
    "the",
    "must",
    "is",
    "are",
    "invalid",
    "required",
    "and",
    "of",
    "not",
    "with",
    "your",
    "should",
    "please",
    "this",
    "there",
    "which",
    "been",
    "has",
    "have",
    "was",
    "were",
    "will",
    "cannot",
    "error",
    "null",
    "undefined",
    "unknown",
    "failed",
    "submit",
    "between",
    "characters",
];

/// Common Swedish words that have no place in English text, as whole words.
const SWEDISH: &[&str] = &[
    "och",
    "är",
    "måste",
    "ärende",
    "ärendet",
    "ärenden",
    "inte",
    "att",
    "för",
    "med",
    "som",
    "eller",
    "enheten",
    "enhet",
    "granskning",
    "granskare",
    "steget",
    "krav",
    "sparad",
    "sparat",
    "avvikelse",
    "får",
    "vara",
    "ska",
    "kan",
    "här",
    "inga",
    "inget",
    "ingen",
    "av",
    "till",
    "på",
    "om",
    "det",
    "den",
    "vid",
    "från",
    "nytt",
    "ny",
];

/// The visible and announced text of the page, without what is marked as a name or
/// another language: text nodes, `alt`, `aria-label`, `title`, `placeholder`, and the
/// labels of `<input type=submit|button>`, and the title without the names the page
/// marks.
const COLLECT: &str = r#"
const skip = el => !el || el.closest('[translate="no"], [lang]:not(html), script, style, noscript, template, code, kbd, samp, pre, textarea, svg desc');
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!skip(n.parentElement)) out.push(n.nodeValue);
}
for (const el of document.querySelectorAll('[alt], [aria-label], [title], [placeholder], input[type=submit][value], input[type=button][value]')) {
  if (skip(el)) continue;
  for (const a of ['alt', 'aria-label', 'title', 'placeholder']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  if (el.matches('input[type=submit], input[type=button]')) out.push(el.value);
}
// A name the page marks as one is a name in its title too.
const names = [...document.querySelectorAll('[translate="no"]')]
  .map(e => e.textContent.trim()).filter(Boolean).sort((a, b) => b.length - a.length);
let title = document.title;
for (const name of names) title = title.split(name).join(' ');
out.push(title);
return out.join('\n');
"#;

/// The words of `text` (letters only, lower case), with `names` taken out first.
fn words_of(text: &str, names: &[&str]) -> Vec<String> {
    let mut text = text.to_string();
    for name in names {
        text = text.replace(name, " ");
    }
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of the other language found in `text`, each with the line it is on.
pub fn foreign_words(page_lang: &str, text: &str, names: &[&str]) -> Vec<String> {
    let foreign = if page_lang == "sv" { ENGLISH } else { SWEDISH };
    let mut found = Vec::new();
    for line in text.lines() {
        for word in words_of(line, names) {
            if foreign.contains(&word.as_str()) {
                found.push(format!("{word:?} in {:?}", line.trim()));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The text [`foreign_words`] reads, collected in the browser.
pub async fn page_text(client: &fantoccini::Client) -> String {
    match client.execute(COLLECT, vec![]).await {
        Ok(Value::String(text)) => text,
        other => panic!("the page's text: {other:?}"),
    }
}

/// The names the walks and the demo data type (people, organisations, units,
/// meetings, comments): Swedish in both walks, since people's names do not change
/// with the page's language.
pub const NAMES: &[&str] = &[
    "Annan kommun",
    "Järfälla kommun",
    "Socialtjänst Väst",
    "Socialförvaltningen",
    "Hemtjänst Öst",
    "Skola Syd",
    "Vård",
    "Karin Processledare",
    "Gustav Granskare",
    "Ulla Kontakt",
    "Sara Samordnare",
    "Ada Admin",
    "Stegvis",
    "Protokoll där frågan är en stående punkt",
    "Åtgärdat i protokollmallen",
    "Väl genomfört",
    "Punkten saknas i två protokoll",
    "Bra exempel från SAM",
    "Rum 1",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_word_on_a_swedish_page_is_found_and_a_name_is_not() {
        let text = "Rätta det som är markerat.\nmust be an e-mail address\nthe name is required\nSkola Syd";
        let found = foreign_words("sv", text, &["Skola Syd"]);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(foreign_words("sv", "Granskning begärd", &[]).is_empty());
        assert_eq!(
            foreign_words("en", "Barn och unga", &["Barn och unga"]).len(),
            0
        );
        assert_eq!(foreign_words("en", "The case är closed", &[]).len(), 1);
    }
}
