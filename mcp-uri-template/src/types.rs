//! Public description of a template's variables.

/// The RFC 6570 expression operator (the first character inside `{...}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `{var}`: simple string expansion. Values are non-empty and contain no
    /// `/`, `?` or `#` (and no `,` when the expression has several variables).
    Simple,
    /// `{+var}`: reserved expansion. Values are non-empty and may contain `/`,
    /// but not `?` or `#` (nor `,` when the expression has several variables).
    Reserved,
    /// `{#var}`: fragment expansion, `#` followed by a non-empty value that
    /// contains no `#` (nor `,` when the expression has several variables).
    Fragment,
    /// `{.var}`: label expansion, `.` followed by a non-empty value with no
    /// `.`, `/`, `?` or `#`.
    Label,
    /// `{/var}`: path segment expansion, `/` followed by a non-empty value
    /// with no `/`, `?` or `#`.
    PathSegment,
    /// `{;var}`: path-style parameters, `;name=value` pairs in any order.
    /// Variables are optional.
    PathParam,
    /// `{?var}`: form-style query, `?name=value` pairs joined by `&` in any
    /// order. Variables are optional.
    Query,
    /// `{&var}`: form-style query continuation, like [`Operator::Query`] but
    /// introduced by `&`. Variables are optional.
    QueryContinuation,
}

impl Operator {
    /// The operator character as written in a template (`+`, `#`, `.`, `/`,
    /// `;`, `?`, `&`), or `None` for [`Operator::Simple`].
    pub fn symbol(self) -> Option<char> {
        match self {
            Operator::Simple => None,
            Operator::Reserved => Some('+'),
            Operator::Fragment => Some('#'),
            Operator::Label => Some('.'),
            Operator::PathSegment => Some('/'),
            Operator::PathParam => Some(';'),
            Operator::Query => Some('?'),
            Operator::QueryContinuation => Some('&'),
        }
    }

    /// The operator for a character written right after `{`, if any.
    pub(crate) fn from_byte(b: u8) -> Option<Operator> {
        Some(match b {
            b'+' => Operator::Reserved,
            b'#' => Operator::Fragment,
            b'.' => Operator::Label,
            b'/' => Operator::PathSegment,
            b';' => Operator::PathParam,
            b'?' => Operator::Query,
            b'&' => Operator::QueryContinuation,
            _ => return None,
        })
    }

    /// Keyed operators match `name=value` pairs in any order; their variables
    /// may be absent.
    pub(crate) fn is_keyed(self) -> bool {
        matches!(
            self,
            Operator::PathParam | Operator::Query | Operator::QueryContinuation
        )
    }
}

/// One variable of a [`UriTemplate`](crate::UriTemplate).
///
/// A name used in several expressions is listed once, with the operator of
/// its first appearance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variable {
    /// The variable name exactly as written in the template (RFC 6570
    /// `varname`: ASCII letters, digits, `_`, percent-encoded triplets, and
    /// `.` between them).
    pub name: String,
    /// Operator of the expression where the name first appears.
    pub operator: Operator,
    /// `true` when a successful match may leave this variable absent
    /// (`None`). That is the case when every appearance of the name is in a
    /// `{;...}`, `{?...}` or `{&...}` expression.
    pub optional: bool,
}
