//! A programme's key made from its name, so that nobody types one: the key is how the
//! versions of a programme belong together, and people never see it.

use super::programme::is_key;

/// The longest key the API accepts.
const MAX: usize = 60;

/// `name` as a key no programme in `taken` has: lower-case a–z and 0–9 with `-`
/// between words (å and ä read a, ö reads o, é reads e), `-2`, `-3` … when taken.
pub fn key_from_name(name: &str, taken: &[String]) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let plain = match c {
            'å' | 'ä' | 'à' | 'á' => Some('a'),
            'ö' | 'ø' | 'ó' => Some('o'),
            'é' | 'è' | 'ë' => Some('e'),
            'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        };
        match plain {
            Some(c) => slug.push(c),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
    }
    let mut base: String = slug.trim_end_matches('-').chars().take(MAX - 4).collect();
    base = base.trim_end_matches('-').to_string();
    if base.is_empty() {
        base = "programme".into();
    }
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    debug_assert!(is_key(&key, MAX));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swedish_name_becomes_a_plain_key_unique_among_the_taken() {
        assert_eq!(
            key_from_name("Inkluderande arbetsplats – Äldreomsorg", &[]),
            "inkluderande-arbetsplats-aldreomsorg"
        );
        let taken = vec!["skola".to_string(), "skola-2".to_string()];
        assert_eq!(key_from_name("Skola", &taken), "skola-3");
        assert_eq!(key_from_name("  ", &[]), "programme");
        let long = key_from_name(&"ö".repeat(100), &[]);
        assert!(is_key(&long, MAX), "{long}");
    }
}
