//! CSV cells as every command writes them: RFC 4180 quoting, and formulas defused.

/// RFC 4180 quoting, and a leading `'` on a cell a spreadsheet would run as a formula (one that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return): titles, sources and indicators
/// all come from the web (OWASP's advice for CSV injection).
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// One CSV record: the cells, and the CRLF RFC 4180 ends a record with.
pub fn csv_line(cells: &[&str]) -> String {
    let mut line: String = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1 day"), "'-1 day");
        assert_eq!(csv_cell("+cmd"), "'+cmd");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_line(&["a", "=1"]), "a,'=1\r\n");
    }
}
