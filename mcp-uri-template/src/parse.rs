//! Template parser: turns the template text into precomputed match steps.

use crate::decode::hex_val;
use crate::error::TemplateError;
use crate::types::{Operator, Variable};

/// Bit set of ASCII bytes.
pub(crate) type ByteSet = u128;

const fn byte_set(chars: &[u8]) -> ByteSet {
    let mut set = 0u128;
    let mut i = 0;
    while i < chars.len() {
        set |= 1u128 << chars[i];
        i += 1;
    }
    set
}

/// `true` when `b` is in `set` (non-ASCII bytes never are).
pub(crate) fn contains(set: ByteSet, b: u8) -> bool {
    b < 128 && set & (1u128 << b) != 0
}

/// One precomputed piece of a template.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Literal text: byte range into the template string.
    Literal { start: usize, end: usize },
    /// `{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}`: every variable required, in order.
    Positional {
        prefix: Option<u8>,
        sep: u8,
        forbidden: ByteSet,
        vars: Box<[usize]>,
    },
    /// `{;x}`, `{?x}`, `{&x}` (adjacent compatible ones merged): optional
    /// `lead`, then `name=value` pairs separated by `sep`, in any order.
    Keyed {
        lead: u8,
        sep: u8,
        stop: ByteSet,
        vars: Box<[usize]>,
    },
}

/// The result of parsing.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) variables: Vec<Variable>,
    pub(crate) steps: Vec<Step>,
    pub(crate) literal_len: usize,
    pub(crate) fixed: bool,
    /// Some name appears in more than one expression.
    pub(crate) repeats: bool,
}

pub(crate) fn parse(template: &str) -> Result<Parsed, TemplateError> {
    let mut p = Parser {
        src: template,
        bytes: template.as_bytes(),
        parsed: Parsed {
            variables: Vec::new(),
            steps: Vec::new(),
            literal_len: 0,
            fixed: true,
            repeats: false,
        },
    };
    let mut i = 0;
    let mut lit_start = 0;
    while i < p.bytes.len() {
        match p.bytes[i] {
            b'{' => {
                p.literal(lit_start, i);
                i = p.expression(i)?;
                lit_start = i;
            }
            b'}' => {
                return Err(TemplateError::new(
                    i,
                    format!(
                        "unexpected `}}` at byte {i}: it does not close any `{{`; \
                         write a literal `}}` as `%7D`"
                    ),
                ));
            }
            _ => i += 1,
        }
    }
    p.literal(lit_start, i);
    Ok(p.parsed)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    parsed: Parsed,
}

fn is_varchar_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'%'
}

impl<'a> Parser<'a> {
    fn literal(&mut self, start: usize, end: usize) {
        if start < end {
            self.parsed.literal_len += self.src[start..end].chars().count();
            self.parsed.steps.push(Step::Literal { start, end });
        }
    }

    /// Describe the character at `at` for an error message.
    fn char_at(&self, at: usize) -> String {
        let c = self.src[at..].chars().next().unwrap_or(' ');
        format!("`{}`", c.escape_debug())
    }

    /// Parse the expression whose `{` is at `open`; returns the index just
    /// past its `}`.
    fn expression(&mut self, open: usize) -> Result<usize, TemplateError> {
        let bytes = self.bytes;
        let mut close = open + 1;
        loop {
            match bytes.get(close) {
                None => {
                    return Err(TemplateError::new(
                        open,
                        format!("unclosed expression: `{{` at byte {open} has no matching `}}`"),
                    ));
                }
                Some(b'}') => break,
                Some(b'{') => {
                    return Err(TemplateError::new(
                        close,
                        format!(
                            "nested `{{` at byte {close} inside the expression opened at byte \
                             {open}: expressions cannot be nested; close the first one with `}}` \
                             before opening another"
                        ),
                    ));
                }
                Some(_) => close += 1,
            }
        }
        if close == open + 1 {
            return Err(TemplateError::new(
                open,
                format!(
                    "empty expression `{{}}` at byte {open}: put a variable name inside, \
                     e.g. `{{id}}`"
                ),
            ));
        }
        let first = bytes[open + 1];
        let (op, body) = match Operator::from_byte(first) {
            Some(op) => (op, open + 2),
            None if b"=,!@|".contains(&first) => {
                let at = open + 1;
                return Err(TemplateError::new(
                    at,
                    format!(
                        "operator `{}` at byte {at} is reserved by RFC 6570 for future \
                         extensions and not supported; use one of `+ # . / ; ? &` or no operator",
                        first as char
                    ),
                ));
            }
            None => (Operator::Simple, open + 1),
        };
        if body == close {
            let sym = first as char;
            return Err(TemplateError::new(
                open + 1,
                format!(
                    "expression at byte {open} has operator `{sym}` but no variable name; \
                     write e.g. `{{{sym}id}}`"
                ),
            ));
        }
        let mut names: Vec<(usize, &'a str)> = Vec::new();
        let mut start = body;
        while start <= close {
            let end = start
                + bytes[start..close]
                    .iter()
                    .position(|&b| b == b',')
                    .unwrap_or(close - start);
            let name = self.varspec(open, start, end)?;
            if names.iter().any(|&(_, n)| n == name) {
                return Err(TemplateError::new(
                    start,
                    format!(
                        "duplicate variable `{name}` at byte {start}: each variable may appear \
                         only once per expression"
                    ),
                ));
            }
            names.push((start, name));
            start = end + 1;
        }
        let vars: Vec<usize> = names.iter().map(|&(_, n)| self.register(n, op)).collect();
        self.push_expression(op, vars);
        self.parsed.fixed = false;
        Ok(close + 1)
    }

    /// Validate one varspec `[start, end)` of the expression opened at
    /// `open`; returns the variable name.
    fn varspec(&self, open: usize, start: usize, end: usize) -> Result<&'a str, TemplateError> {
        let bytes = self.bytes;
        if start == end {
            return Err(TemplateError::new(
                start,
                format!(
                    "empty variable name at byte {start} in the expression opened at byte \
                     {open}: expected a name such as `id` (check for a stray `,`)"
                ),
            ));
        }
        let mut k = start;
        while k < end {
            let b = bytes[k];
            if b.is_ascii_alphanumeric() || b == b'_' {
                k += 1;
            } else if b == b'%' {
                let ok = k + 2 < end
                    && hex_val(bytes[k + 1]).is_some()
                    && hex_val(bytes[k + 2]).is_some();
                if !ok {
                    return Err(TemplateError::new(
                        k,
                        format!(
                            "invalid percent-encoding in variable name at byte {k}: `%` must be \
                             followed by two hex digits, e.g. `%20`"
                        ),
                    ));
                }
                k += 3;
            } else if b == b'.' {
                let after_ok = k + 1 < end && is_varchar_start(bytes[k + 1]);
                if k == start || bytes[k - 1] == b'.' || !after_ok {
                    return Err(TemplateError::new(
                        k,
                        format!(
                            "invalid variable name `{}`: the `.` at byte {k} is only allowed \
                             between two name characters, e.g. `user.id`",
                            &self.src[start..end]
                        ),
                    ));
                }
                k += 1;
            } else if k > start && (b == b':' || b == b'*') {
                let name = &self.src[start..k];
                let modifier = &self.src[k..end];
                let kind = if b == b':' { "prefix" } else { "explode" };
                return Err(TemplateError::new(
                    k,
                    format!(
                        "level-4 {kind} modifier `{modifier}` on variable `{name}` at byte {k} \
                         is not supported (only RFC 6570 levels 1-3 are); write `{name}` \
                         without the modifier"
                    ),
                ));
            } else {
                return Err(TemplateError::new(
                    k,
                    format!(
                        "invalid character {} in variable name at byte {k}: names may only \
                         contain ASCII letters, digits, `_`, percent-encoded triplets such as \
                         `%20`, and `.` between them",
                        self.char_at(k)
                    ),
                ));
            }
        }
        Ok(&self.src[start..end])
    }

    /// Index of `name` in the variable list, adding it on first appearance.
    fn register(&mut self, name: &str, op: Operator) -> usize {
        let vars = &mut self.parsed.variables;
        if let Some(i) = vars.iter().position(|v| v.name == name) {
            vars[i].optional &= op.is_keyed();
            self.parsed.repeats = true;
            return i;
        }
        vars.push(Variable {
            name: name.to_owned(),
            operator: op,
            optional: op.is_keyed(),
        });
        vars.len() - 1
    }

    fn push_expression(&mut self, op: Operator, vars: Vec<usize>) {
        let steps = &mut self.parsed.steps;
        if op.is_keyed() {
            let (lead, sep, stop) = match op {
                Operator::PathParam => (b';', b';', byte_set(b"/?#")),
                Operator::Query => (b'?', b'&', byte_set(b"#")),
                _ => (b'&', b'&', byte_set(b"#")),
            };
            // `{?a}{&b}`, `{&a}{&b}` and `{;a}{;b}` form one group whose pairs
            // may come in any order.
            if let Some(Step::Keyed {
                lead: prev_lead,
                vars: prev_vars,
                ..
            }) = steps.last_mut()
            {
                let compatible = match op {
                    Operator::PathParam => *prev_lead == b';',
                    Operator::QueryContinuation => *prev_lead != b';',
                    _ => false,
                };
                if compatible {
                    let mut merged = prev_vars.to_vec();
                    merged.extend(vars.iter().filter(|v| !prev_vars.contains(v)));
                    *prev_vars = merged.into_boxed_slice();
                    return;
                }
            }
            steps.push(Step::Keyed {
                lead,
                sep,
                stop,
                vars: vars.into_boxed_slice(),
            });
            return;
        }
        let (prefix, sep, base) = match op {
            Operator::Simple => (None, b',', byte_set(b"/?#")),
            Operator::Reserved => (None, b',', byte_set(b"?#")),
            Operator::Fragment => (Some(b'#'), b',', byte_set(b"#")),
            Operator::Label => (Some(b'.'), b'.', byte_set(b"./?#")),
            _ => (Some(b'/'), b'/', byte_set(b"/?#")),
        };
        let forbidden = if vars.len() > 1 {
            base | byte_set(&[sep])
        } else {
            base
        };
        steps.push(Step::Positional {
            prefix,
            sep,
            forbidden,
            vars: vars.into_boxed_slice(),
        });
    }
}
