//! Numbers as each language writes them: no decimals where the number is whole, and
//! a decimal comma in Swedish.

use crate::domain::Language;

/// `value` with at most one decimal: `14`, `14,5` in Swedish, `14.5` in English.
pub fn decimal(lang: Language, value: f64) -> String {
    let tenths = (value * 10.0).round() / 10.0;
    let written = if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    };
    match lang {
        Language::Sv => written.replace('.', ","),
        Language::En => written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_median_has_no_decimals_and_a_fraction_has_a_swedish_comma() {
        assert_eq!(decimal(Language::Sv, 14.0), "14");
        assert_eq!(decimal(Language::Sv, 14.5), "14,5");
        assert_eq!(decimal(Language::En, 14.5), "14.5");
        assert_eq!(decimal(Language::Sv, 2.04), "2");
        assert_eq!(decimal(Language::En, 0.25), "0.3");
    }
}
