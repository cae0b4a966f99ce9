//! RFC 6570 URI templates (levels 1 to 3) for MCP resource bindings.
//!
//! A [`UriTemplate`] is parsed once; it can then list its [`Variable`]s
//! (e.g. to check them against function parameters at compile time) and
//! match concrete URIs, returning the percent-decoded variable values.
//!
//! ```
//! use mcp_uri_template::{Operator, UriTemplate};
//!
//! let t = UriTemplate::parse("search://items/{kind}{?q,page}").unwrap();
//! let names: Vec<&str> = t.variables().iter().map(|v| v.name.as_str()).collect();
//! assert_eq!(names, ["kind", "q", "page"]);
//! assert_eq!(t.variables()[1].operator, Operator::Query);
//!
//! let values = t.match_uri("search://items/books?page=2&q=rust%20lang").unwrap();
//! assert_eq!(
//!     values,
//!     [Some("books".to_string()), Some("rust lang".to_string()), Some("2".to_string())]
//! );
//! // Query variables are optional; the query part may be missing entirely.
//! assert_eq!(t.match_uri("search://items/books").unwrap(), [Some("books".into()), None, None]);
//! assert_eq!(t.match_uri("other://items/books"), None);
//!
//! let err = UriTemplate::parse("files://{id").unwrap_err();
//! assert_eq!(err.offset(), 8);
//! assert_eq!(err.message(), "unclosed expression: `{` at byte 8 has no matching `}`");
//! ```
//!
//! # Matching rules
//!
//! * The whole URI must match the whole template. Literal text is compared
//!   byte for byte (no case folding, no percent-encoding normalisation).
//! * `{x}`, `{.x}`, `{/x}`: the value is non-empty and contains no `/`, `?`
//!   or `#`; `{.x}` values contain no `.` either. In an expression with
//!   several variables (`{x,y}`, `{.x,y}`, `{/x,y}`) values are joined by
//!   the separator (`,`, `.`, `/`), which may not occur inside them.
//! * `{+x}`: non-empty, may contain `/` but not `?` or `#`.
//!   `{#x}`: `#` then a non-empty value without `#`.
//! * `{?x,y}`: an optional `?` followed by `name=value` pairs joined by `&`,
//!   in any order. Missing variables are `None`, unknown keys are ignored,
//!   the first pair wins when a key repeats, and `name` alone (no `=`) gives
//!   an empty value. `{&x}` is the same but introduced by `&`, and `{;x}`
//!   uses `;` both to introduce and to separate pairs. Adjacent `{?..}{&..}`
//!   (or `{;..}{;..}`) expressions are matched as one group.
//! * Values are percent-decoded as UTF-8; a malformed `%` triplet or invalid
//!   UTF-8 makes the candidate fail. `+` is kept as `+`.
//! * When several matches exist, the rightmost end of each value is tried
//!   first (values are greedy, left to right) and keyed groups consume as
//!   many pairs as possible: `file:///{+path}/meta` matches
//!   `file:///a/b/meta` with `path = "a/b"`.
//! * A name used in several expressions must have the same decoded value
//!   everywhere it is present.
//!
//! Matching backtracks. Templates whose values are separated by literals
//! match in close to linear time; a template with several adjacent
//! unbounded variables (such as `{a}{b}{c}/z`) can cost up to roughly
//! quadratic time in the URI length per expression (failed attempts are
//! memoized once backtracking gets heavy). When a name is repeated across
//! expressions the memo cannot be used (a step's outcome then depends on what
//! earlier steps captured) and the search could grow exponentially: it gives
//! up after about a million steps (milliseconds) and reports no
//! match, so no URI can hold a server's thread for longer.

#![deny(missing_docs)]

mod decode;
mod error;
mod matcher;
mod parse;
mod types;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

pub use error::TemplateError;
pub use types::{Operator, Variable};

/// A parsed RFC 6570 URI template (levels 1 to 3).
///
/// Equality and hashing compare the template text.
#[derive(Clone, Debug)]
pub struct UriTemplate {
    raw: String,
    parsed: parse::Parsed,
}

impl UriTemplate {
    /// Parse a template such as `invoices://{id}`, `file:///{+path}` or
    /// `search://items{?q,page}`.
    ///
    /// Fails on unbalanced braces, empty expressions, invalid variable
    /// names, a variable repeated within one expression, operators reserved
    /// by RFC 6570 (`=`, `,`, `!`, `@`, `|`) and level-4 modifiers (`:3`,
    /// `*`), with a message and the byte offset of the problem.
    pub fn parse(template: &str) -> Result<UriTemplate, TemplateError> {
        Ok(UriTemplate {
            raw: template.to_owned(),
            parsed: parse::parse(template)?,
        })
    }

    /// The template text as given to [`parse`](UriTemplate::parse).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// `true` when the template has no expressions at all (a fixed URI).
    pub fn is_fixed(&self) -> bool {
        self.parsed.fixed
    }

    /// Every variable in order of first appearance; a name appearing in
    /// several expressions is listed once.
    pub fn variables(&self) -> &[Variable] {
        &self.parsed.variables
    }

    /// Match a concrete URI against the whole template.
    ///
    /// Returns `None` when it does not match. On a match returns one entry
    /// per variable, in [`variables`](UriTemplate::variables) order, holding
    /// the percent-decoded value, or `None` when an
    /// [`optional`](Variable::optional) variable is absent. See the crate
    /// documentation for the exact rules, and for the bound on the search when
    /// a name repeats across expressions.
    pub fn match_uri(&self, uri: &str) -> Option<Vec<Option<String>>> {
        matcher::match_uri(&self.raw, &self.parsed, uri)
    }

    /// Number of literal characters (Unicode scalar values outside
    /// expressions). Useful to rank templates, more specific (longer) first.
    pub fn literal_len(&self) -> usize {
        self.parsed.literal_len
    }
}

impl PartialEq for UriTemplate {
    fn eq(&self, other: &UriTemplate) -> bool {
        self.raw == other.raw
    }
}

impl Eq for UriTemplate {}

impl Hash for UriTemplate {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Display for UriTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for UriTemplate {
    type Err = TemplateError;

    fn from_str(s: &str) -> Result<UriTemplate, TemplateError> {
        UriTemplate::parse(s)
    }
}

/// The crate's README (its crates.io page) is run with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
