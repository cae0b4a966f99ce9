//! The parse error type.

use std::fmt;

/// Why a template failed to parse, and where.
///
/// The [`message`](TemplateError::message) is a complete sentence meant for
/// humans (for example a compile error emitted by a proc macro); it already
/// mentions the byte offset. [`offset`](TemplateError::offset) is the byte
/// offset into the template of the offending character, useful for pointing
/// at it in a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    message: String,
    offset: usize,
}

impl TemplateError {
    pub(crate) fn new(offset: usize, message: String) -> TemplateError {
        TemplateError { message, offset }
    }

    /// Human-readable description: what is wrong and what would be right.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset into the template where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}
