//! What commands print: plain tables for people, and the masking of secrets in any text
//! that reaches the terminal.

/// Replaces known secret values in text with `****`.
#[derive(Debug, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    /// Values shorter than 4 characters are no secret worth hiding and would mangle text.
    pub fn add_all(&mut self, values: impl IntoIterator<Item = String>) {
        for v in values {
            if v.chars().count() >= 4 && !self.secrets.contains(&v) {
                self.secrets.push(v);
            }
        }
        // Longest first, so that a secret containing another is hidden whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "****");
            }
        }
        out
    }
}

/// Columns padded to their widest cell, a header line first.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                let pad = widths[i] - cell.chars().count() + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_known_secret() {
        let mut m = Masker::default();
        m.add_all(["tk_secret".to_owned(), "abc".to_owned()]);
        assert_eq!(m.mask("token tk_secret, abc"), "token ****, abc");
    }

    #[test]
    fn tables_align_columns() {
        let t = table(&["ID", "NAME"], &[vec!["1".into(), "ops".into()]]);
        assert_eq!(t, "ID  NAME\n1   ops\n");
    }
}
