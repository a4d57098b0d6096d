//! The stylesheet keeps what it promises: text and its background differ by at least
//! 4.5:1 (WCAG AA), in the light and the dark scheme, for every pair the pages use.

use std::collections::HashMap;

/// The colour variables of one `:root { … }` block.
fn variables(block: &str) -> HashMap<String, [f64; 3]> {
    block
        .split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let name = name.trim().strip_prefix("--")?;
            let hex = value.trim().strip_prefix('#')?;
            if hex.len() != 6 {
                return None;
            }
            let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
            Some((name.to_owned(), [channel(0)?, channel(2)?, channel(4)?]))
        })
        .collect()
}

fn luminance(rgb: [f64; 3]) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text colour on background colour, as the stylesheet pairs them.
const PAIRS: [(&str, &str); 17] = [
    ("text", "bg"),
    ("text", "panel"),
    ("muted", "bg"),
    ("muted", "panel"),
    ("info", "bg"),
    ("info", "panel"),
    ("accent-text", "accent"),
    ("accent", "accent-soft"),
    ("accent", "panel"),
    ("ok", "ok-soft"),
    ("bad", "bad-soft"),
    ("bad", "panel"),
    ("warn", "warn-soft"),
    ("info", "info-soft"),
    ("ok", "panel"),
    ("text", "accent-soft"),
    ("muted", "accent-soft"),
];

#[test]
fn text_keeps_a_contrast_of_4_5_to_1_in_both_schemes() {
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/app.css"),
    )
    .unwrap();
    let block = |from: usize| {
        let start = css[from..].find(":root {").unwrap() + from;
        let end = css[start..].find('}').unwrap() + start;
        &css[start + 7..end]
    };
    let light = variables(block(0));
    let dark_at = css.find("prefers-color-scheme: dark").unwrap();
    let mut dark = light.clone();
    dark.extend(variables(block(dark_at)));
    let mut problems = Vec::new();
    for (scheme, vars) in [("light", &light), ("dark", &dark)] {
        for (fg, bg) in PAIRS {
            let ratio = contrast(vars[fg], vars[bg]);
            if ratio < 4.5 {
                problems.push(format!("{scheme}: --{fg} on --{bg} is {ratio:.2}:1"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_contrast_check_tells_black_on_white_from_grey_on_white() {
    assert!((contrast([0.0; 3], [255.0; 3]) - 21.0).abs() < 0.01);
    assert!(contrast([170.0; 3], [255.0; 3]) < 4.5);
}
