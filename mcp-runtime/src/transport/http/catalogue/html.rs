//! Escaping for the catalogue's HTML: every string a binding or a caller provides goes
//! through [`Escaped`] before it reaches the page, in text and in attribute values alike.

use std::fmt;

/// Text made safe for HTML text and for double- or single-quoted attribute values: the five
/// characters that could end either, or start markup, become character references.
pub(super) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut written = 0;
        for (at, byte) in text.bytes().enumerate() {
            let reference = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&text[written..at])?;
            f.write_str(reference)?;
            written = at + 1;
        }
        f.write_str(&text[written..])
    }
}

#[cfg(test)]
mod tests {
    use super::Escaped;

    #[test]
    fn markup_and_quotes_become_references() {
        let hostile = r#"<script>alert("x")</script> & 'y' <img src=x onerror=alert(1)>"#;
        let escaped = Escaped(hostile).to_string();
        assert_eq!(
            escaped,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; \
             &lt;img src=x onerror=alert(1)&gt;"
        );
        for dangerous in ['<', '>', '"', '\''] {
            assert!(
                !escaped.contains(dangerous),
                "{dangerous} left in {escaped}"
            );
        }
    }

    #[test]
    fn plain_and_multibyte_text_is_unchanged() {
        for text in ["", "plain", "été → 東京", "a\u{0}b"] {
            assert_eq!(Escaped(text).to_string(), text);
        }
    }
}
