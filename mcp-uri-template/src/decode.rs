//! Percent-decoding helpers that work on borrowed byte slices.
//!
//! The matcher validates and compares values without allocating; only the
//! final [`decode`] call allocates the returned `String`.

/// Value of an ASCII hex digit, or `None`.
pub(crate) fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Iterator over the bytes of a percent-decoded slice.
///
/// A `%` that does not start a valid `%XX` triplet is yielded as-is; callers
/// that care must check [`is_valid`] first.
struct Decoded<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        if b == b'%'
            && let (Some(h), Some(l)) = (
                self.bytes.get(self.pos + 1).copied().and_then(hex_val),
                self.bytes.get(self.pos + 2).copied().and_then(hex_val),
            )
        {
            self.pos += 3;
            return Some(h << 4 | l);
        }
        self.pos += 1;
        Some(b)
    }
}

fn decoded(bytes: &[u8]) -> Decoded<'_> {
    Decoded { bytes, pos: 0 }
}

/// `true` when every `%` starts a `%XX` triplet and the decoded bytes are
/// valid UTF-8. Does not allocate.
pub(crate) fn is_valid(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.get(i + 1).copied().and_then(hex_val).is_some()
                && bytes.get(i + 2).copied().and_then(hex_val).is_some();
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    utf8_valid(decoded(bytes))
}

/// Streaming UTF-8 validation (rejects overlong forms, surrogates and code
/// points above U+10FFFF, like `str::from_utf8`).
fn utf8_valid(mut it: impl Iterator<Item = u8>) -> bool {
    while let Some(b) = it.next() {
        let (extra, lo, hi) = match b {
            0x00..=0x7F => continue,
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        match it.next() {
            Some(c) if (lo..=hi).contains(&c) => {}
            _ => return false,
        }
        for _ in 1..extra {
            match it.next() {
                Some(0x80..=0xBF) => {}
                _ => return false,
            }
        }
    }
    true
}

/// `true` when both slices decode to the same bytes. Does not allocate.
pub(crate) fn decoded_eq(a: &[u8], b: &[u8]) -> bool {
    decoded(a).eq(decoded(b))
}

/// Percent-decode a slice already checked with [`is_valid`].
///
/// Returns `None` if it is not valid after all (defensive; the matcher only
/// calls this on validated values).
pub(crate) fn decode(bytes: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend(decoded(bytes));
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_triplets_in_either_case() {
        assert_eq!(decode(b"a%2Fb%2fc").as_deref(), Some("a/b/c"));
        assert_eq!(decode(b"plain").as_deref(), Some("plain"));
        assert_eq!(decode(b"caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(decode(b"a+b").as_deref(), Some("a+b"));
    }

    #[test]
    fn validity() {
        assert!(is_valid(b""));
        assert!(is_valid(b"%41%42"));
        assert!(is_valid("caf\u{e9}".as_bytes()));
        assert!(is_valid(b"caf%C3%A9"));
        assert!(!is_valid(b"%"));
        assert!(!is_valid(b"%4"));
        assert!(!is_valid(b"%zz"));
        assert!(!is_valid(b"abc%"));
        // lone continuation byte, truncated sequence, overlong, surrogate
        assert!(!is_valid(b"%80"));
        assert!(!is_valid(b"%C3"));
        assert!(!is_valid(b"%C0%AF"));
        assert!(!is_valid(b"%ED%A0%80"));
        assert!(!is_valid(b"%F4%90%80%80"));
        assert!(is_valid(b"%F0%9F%98%80"));
    }

    #[test]
    fn utf8_validator_agrees_with_std() {
        // Exhaustive over all 1- and 2-byte sequences, plus 3-byte starts.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let v = [a, b];
                assert_eq!(
                    utf8_valid(v.iter().copied()),
                    std::str::from_utf8(&v).is_ok(),
                    "{v:?}"
                );
                for c in [0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0] {
                    let v = [a, b, c];
                    assert_eq!(
                        utf8_valid(v.iter().copied()),
                        std::str::from_utf8(&v).is_ok(),
                        "{v:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn decoded_equality() {
        assert!(decoded_eq(b"a%2Fb", b"a/b"));
        assert!(decoded_eq(b"%41", b"%41"));
        assert!(!decoded_eq(b"ab", b"abc"));
        assert!(!decoded_eq(b"a%2Fb", b"a%2Fc"));
    }
}
