//! Reading units from CSV: `name;department;headcount;contact_email` (or with `,`),
//! an optional header line. Every row is checked as the API checks a new unit, and a
//! cell that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) is
//! refused; an error names its line and column.

use crate::app::csv::is_formula;
use crate::app::error::AppError;
use crate::app::inputs::NewUnit;
use crate::domain::{FieldCode, FieldError, Language};
use crate::glossary::{field_error, text};
use crate::http::web::inputs::new_unit;

const COLUMNS: [&str; 4] = ["name", "department", "headcount", "contact_email"];

/// The message of a cell that starts like a spreadsheet formula.
const FORMULA_REFUSED: &str = "must not start with =, +, -, @, a tab or a line break";

/// The error of one row, in words: line, column number and name, what is wrong.
pub fn row_error(lang: Language, line: usize, error: &FieldError) -> String {
    let column = COLUMNS
        .iter()
        .position(|c| *c == error.field)
        .map_or(0, |i| i + 1);
    text(
        lang,
        "import.row_error",
        &[
            ("line", line.to_string()),
            ("column", column.to_string()),
            (
                "name",
                text(lang, &format!("import.column.{}", error.field), &[]),
            ),
            ("message", field_error(lang, error)),
        ],
    )
}

fn is_header(first: &str) -> bool {
    matches!(
        first.trim().to_lowercase().as_str(),
        "name" | "namn" | "enhet" | "unit"
    )
}

/// The units of `csv` with their line numbers, and every row's errors.
#[allow(clippy::type_complexity)]
pub fn parse(
    lang: Language,
    csv_text: &str,
) -> Result<(Vec<(usize, NewUnit)>, Vec<String>), String> {
    let csv_text = csv_text.trim_start_matches('\u{feff}');
    let first_line = csv_text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut units = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| text(lang, "import.unreadable", &[("error", e.to_string())]))?;
        let line = record.position().map_or(index + 1, |p| p.line() as usize);
        if record.iter().all(|f| f.trim().is_empty())
            || (index == 0 && is_header(record.get(0).unwrap_or("")))
        {
            continue;
        }
        if record.len() > COLUMNS.len() {
            errors.push(text(
                lang,
                "import.too_many_columns",
                &[
                    ("line", line.to_string()),
                    ("count", record.len().to_string()),
                ],
            ));
            continue;
        }
        // A cell a spreadsheet would run as a formula is refused, not imported as is.
        let formulas: Vec<usize> = (0..record.len().min(COLUMNS.len()))
            .filter(|&i| record.get(i).is_some_and(is_formula))
            .collect();
        if !formulas.is_empty() {
            for i in formulas {
                errors.push(row_error(
                    lang,
                    line,
                    &FieldError::coded(COLUMNS[i], FieldCode::FormulaCell, FORMULA_REFUSED),
                ));
            }
            continue;
        }
        let cell = |i: usize| {
            record
                .get(i)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let unit = new_unit(
            &cell(0).unwrap_or_default(),
            cell(1),
            &cell(2).unwrap_or_default(),
            cell(3),
        );
        match unit {
            Ok(unit) => units.push((line, unit)),
            Err(AppError::Invalid(found)) => {
                for e in found {
                    errors.push(row_error(lang, line, &e));
                }
            }
            Err(other) => errors.push(text(
                lang,
                "import.unreadable",
                &[("error", other.to_string())],
            )),
        }
    }
    Ok((units, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_with_either_separator_and_a_header_is_skipped() {
        let (units, errors) = parse(
            Language::Sv,
            "namn;förvaltning;antal;e-post\nHemtjänst Väst;Vård;12;a@b.se\nSkola;;30;\n",
        )
        .expect("reads");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].0, 2);
        assert_eq!(units[1].1.headcount.get(), 30);
        let (units, _) = parse(Language::En, "A,,3,\nB,,4,\n").expect("reads");
        assert_eq!(units.len(), 2);
    }

    #[test]
    fn each_bad_row_names_its_line_and_column() {
        let (_, errors) = parse(Language::En, "Good;;5;\n;;7;\nBad;;0;\nX;;y;\n").expect("reads");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("Line 2") && errors[0].contains("column 1"),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("Line 4") && e.contains("column 3")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("Line 3") && e.contains("column 3")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_formula_cell_is_refused_with_its_line_and_column() {
        let (units, errors) = parse(
            Language::Sv,
            "Bra;;5;\n=HYPERLINK(\"http://x\");;5;\nEnhet;@SUM(1);5;\n",
        )
        .expect("reads");
        assert_eq!(units.len(), 1, "only the good row: {errors:?}");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("Rad 2") && errors[0].contains("kolumn 1"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("Rad 3") && errors[1].contains("kolumn 2"),
            "{errors:?}"
        );
        assert!(
            errors[0].contains("får inte börja med"),
            "in Swedish: {errors:?}"
        );
    }
}
