//! The one CSV writer of every export: UTF-8 with a byte-order mark, `;` between
//! fields, CRLF line ends (what Excel in a Swedish locale opens with å, ä and ö
//! intact), and no cell a spreadsheet would run as a formula.

/// True when a spreadsheet would read `value` as a formula (or as the start of one):
/// it begins, after any spaces, with `=`, `+`, `-` or `@`, or begins with a tab or CR.
pub fn is_formula(value: &str) -> bool {
    value.starts_with(['\t', '\r'])
        || value
            .trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@'])
}

/// One cell: a would-be formula gets a leading `'` (shown as text, never run), and a
/// cell with `;`, `"` or a line break is quoted.
pub fn cell(value: &str) -> String {
    let value = if is_formula(value) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Builds a CSV document row by row.
pub struct CsvWriter {
    out: String,
}

impl Default for CsvWriter {
    fn default() -> Self {
        CsvWriter::new()
    }
}

impl CsvWriter {
    /// An empty document (just the byte-order mark).
    pub fn new() -> CsvWriter {
        CsvWriter {
            out: String::from("\u{feff}"),
        }
    }

    /// Appends one row of cells.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let line: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref())).collect();
        self.out.push_str(&line.join(";"));
        self.out.push_str("\r\n");
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for formula in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =HYPERLINK(\"x\")",
        ] {
            assert!(
                cell(formula).trim_start_matches('"').starts_with('\''),
                "{formula:?}: {}",
                cell(formula)
            );
        }
        assert_eq!(cell("Förskolan Regnbågen"), "Förskolan Regnbågen");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            cell("2026-03-02T09:00:00+00:00"),
            "2026-03-02T09:00:00+00:00"
        );
    }

    #[test]
    fn a_document_has_a_bom_semicolons_and_crlf() {
        let mut w = CsvWriter::new();
        w.row(["a", "=b"]);
        assert_eq!(w.finish(), "\u{feff}a;'=b\r\n");
    }
}
