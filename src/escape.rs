//! Escaping of text that came from the network (certificate subjects, DNS names, headers,
//! alert texts) for every output surface: one function per format, used by the report,
//! `kensa compare` and everything else that writes HTML, Markdown or CSV.

/// Escape `s` for HTML text and double- or single-quoted attribute values: `&`, `<`, `>`, `"`
/// and `'` become character references; control characters other than line feed and tab
/// become U+FFFD.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape `s` for Markdown text (including table cells): `&`, `<` and `>` become character
/// references (so no HTML tag or autolink can open); `\`, `` ` ``, `*`, `_`, `[`, `]`, `(`,
/// `)`, `|`, `~`, `#`, `!`, `{`, `}` and `+` get a backslash; line breaks, tabs and other
/// control characters become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '~' | '#' | '!' | '{' | '}'
            | '+' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180 §2): quoted when it holds a comma, a quote, CR or LF. With
/// `guard_formula`, text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR
/// first) gets a leading `'`.
pub fn csv_field(s: &str, guard_formula: bool) -> String {
    let guarded = if guard_formula && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_renders_markup_as_text() {
        let hostile = "<script>alert(1)</script> \"x\" 'y' & *z* [l](javascript:1) |\u{7}";
        assert_eq!(
            html(hostile),
            "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &#39;y&#39; &amp; *z* \
             [l](javascript:1) |\u{fffd}"
        );
        assert_eq!(
            markdown(hostile),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt; \"x\" 'y' &amp; \\*z\\* \
             \\[l\\]\\(javascript:1\\) \\| "
        );
        assert_eq!(csv_field("=1+2", true), "'=1+2");
        assert_eq!(csv_field("=1+2", false), "=1+2");
        assert_eq!(csv_field("a,\"b\"", true), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_field("-3", true), "'-3");
    }
}
