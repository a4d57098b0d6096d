//! Ingest adapters: payloads other systems already send, turned into events. Each adapter
//! is a pure mapping; the shell stores and routes what it returns like any other event.

pub mod alertmanager;
pub mod threshold;

/// `text` cut to at most `max` bytes on a character boundary, ending in `…` when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn cuts_on_a_character_boundary() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdefghij", 6), "abc…");
        let cut_multibyte = cut("ééééé", 7);
        assert_eq!(cut_multibyte, "éé…");
        assert!(cut_multibyte.len() <= 7);
    }
}
