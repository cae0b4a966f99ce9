//! Argument validation against a tool's advertised input schema, compiled once per binding.
//!
//! Failures are reported per JSON path in words a model can act on ("expected integer at
//! /limit"), without echoing the client's values unless the server is configured to.

use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;
use std::fmt::Write as _;

/// Errors described in a report, one line each.
const REPORTED_ERRORS: usize = 10;
/// Errors counted beyond those before the count gives up.
const COUNTED_ERRORS: usize = 1000;
/// Characters of a value echoed in a report (with `echo_input`).
const ECHOED_CHARS: usize = 200;

/// A value as JSON, cut at `ECHOED_CHARS`.
struct Echo<'a>(&'a Value);

impl std::fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0.to_string();
        match text.char_indices().nth(ECHOED_CHARS) {
            Some((cut, _)) => write!(f, "{}...", &text[..cut]),
            None => f.write_str(&text),
        }
    }
}

/// A compiled input schema.
pub(crate) struct ArgumentValidator {
    validator: Validator,
}

impl std::fmt::Debug for ArgumentValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ArgumentValidator")
    }
}

impl ArgumentValidator {
    /// Compiles a schema; the error says why it is not a valid JSON Schema.
    pub(crate) fn compile(schema: &Value) -> Result<Self, String> {
        jsonschema::draft202012::options()
            .build(schema)
            .map(|validator| ArgumentValidator { validator })
            .map_err(|e| format!("its input schema is not a valid JSON Schema: {e}"))
    }

    /// Checks `arguments`; on failure returns one line per failing path.
    pub(crate) fn validate(&self, arguments: &Value, echo_input: bool) -> Result<(), String> {
        // Valid arguments are the common case: a yes/no answer costs no allocation, the
        // report is only collected when there is something to report.
        if self.validator.is_valid(arguments) {
            return Ok(());
        }
        let mut report = String::from("invalid arguments:");
        let mut errors = self.validator.iter_errors(arguments);
        for error in errors.by_ref().take(REPORTED_ERRORS) {
            let path = error.instance_path().to_string();
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            let _ = write!(report, "\n- {}", describe(error.kind(), &path));
            if echo_input {
                let _ = write!(report, ", got {}", Echo(error.instance()));
            }
        }
        // The rest are counted, not described, and only so far: a 4 MB array of the wrong
        // item type has millions of errors, and no reader needs them all.
        let more = errors.take(COUNTED_ERRORS).count();
        match more {
            0 => {}
            COUNTED_ERRORS => {
                let _ = write!(report, "\n- and {COUNTED_ERRORS} or more errors besides");
            }
            n => {
                let _ = write!(
                    report,
                    "\n- and {n} more error{}",
                    if n == 1 { "" } else { "s" }
                );
            }
        }
        Err(report)
    }
}

fn describe(kind: &ValidationErrorKind, path: &str) -> String {
    match kind {
        ValidationErrorKind::Required { property } => {
            format!("missing required property {property} at {path}")
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            // Quoted as JSON strings: a name may hold a quote or a line break.
            let names: Vec<String> = unexpected
                .iter()
                .map(|n| Value::from(n.as_str()).to_string())
                .collect();
            format!(
                "unexpected propert{} {} at {path}; remove {}",
                if names.len() == 1 { "y" } else { "ies" },
                names.join(", "),
                if names.len() == 1 { "it" } else { "them" }
            )
        }
        ValidationErrorKind::Type { kind } => format!("expected {} at {path}", type_names(kind)),
        ValidationErrorKind::Minimum { limit } => format!("expected a number >= {limit} at {path}"),
        ValidationErrorKind::Maximum { limit } => format!("expected a number <= {limit} at {path}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("expected a number > {limit} at {path}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("expected a number < {limit} at {path}")
        }
        ValidationErrorKind::MinLength { limit } => {
            format!("expected at least {limit} characters at {path}")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("expected at most {limit} characters at {path}")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("expected at least {limit} items at {path}")
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!("expected at most {limit} items at {path}")
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("expected a string matching /{pattern}/ at {path}")
        }
        ValidationErrorKind::Enum { options } => format!("expected one of {options} at {path}"),
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {expected_value} at {path}")
        }
        ValidationErrorKind::Format { format } => {
            format!("expected a string in {format} format at {path}")
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            format!("expected a multiple of {multiple_of} at {path}")
        }
        ValidationErrorKind::UniqueItems => format!("expected unique items at {path}"),
        other => format!(
            "value at {path} does not satisfy the schema ({})",
            keyword(other)
        ),
    }
}

fn type_names(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => article(&t.to_string()),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
            format!("one of {}", names.join(", "))
        }
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "null" => "null".into(),
        "integer" | "object" | "array" => format!("an {type_name}"),
        other => format!("a {other}"),
    }
}

fn keyword(kind: &ValidationErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .split([' ', '{', '('])
        .next()
        .unwrap_or("schema")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validator() -> ArgumentValidator {
        ArgumentValidator::compile(&json!({
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "minimum": 1},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "kind": {"enum": ["a", "b"]}
            },
            "required": ["limit"],
            "additionalProperties": false
        }))
        .unwrap()
    }

    #[test]
    fn each_failure_names_its_path() {
        let v = validator();
        assert!(v.validate(&json!({"limit": 3}), false).is_ok());
        let report = v.validate(&json!({"limit": "ten"}), false).unwrap_err();
        assert!(report.contains("expected an integer at /limit"), "{report}");
        assert!(
            !report.contains("ten"),
            "input must not be echoed: {report}"
        );
        let report = v
            .validate(
                &json!({"limit": 0, "code": "usd", "kind": "c", "extra": 1}),
                false,
            )
            .unwrap_err();
        for needle in [
            "expected a number >= 1 at /limit",
            "at /code",
            "expected one of",
            "unexpected property \"extra\"",
        ] {
            assert!(report.contains(needle), "missing {needle:?} in {report}");
        }
        let report = v.validate(&json!({}), false).unwrap_err();
        assert!(
            report.contains("missing required property \"limit\" at /"),
            "{report}"
        );
    }

    /// One line per failure, whatever the names of unexpected properties hold (found by
    /// the `tool_arguments` fuzz target).
    #[test]
    fn unexpected_names_are_quoted_as_json() {
        let report = validator()
            .validate(&json!({"limit": 1, "a\nb\"c": 0}), false)
            .unwrap_err();
        assert_eq!(
            report,
            "invalid arguments:\n- unexpected property \"a\\nb\\\"c\" at /; remove it"
        );
    }

    #[test]
    fn input_is_echoed_only_when_asked() {
        let report = validator()
            .validate(&json!({"limit": "ten"}), true)
            .unwrap_err();
        assert!(report.contains("got \"ten\""), "{report}");
    }

    #[test]
    fn an_invalid_schema_is_reported() {
        assert!(ArgumentValidator::compile(&json!({"type": 5})).is_err());
    }

    fn list_of_integers() -> ArgumentValidator {
        ArgumentValidator::compile(&json!({
            "type": "object",
            "properties": { "values": { "type": "array", "items": { "type": "integer" } } }
        }))
        .unwrap()
    }

    #[test]
    fn a_report_describes_ten_errors_then_counts_the_rest_so_far() {
        let strings = |n: usize| json!({ "values": vec!["x"; n] });
        let report = list_of_integers()
            .validate(&strings(15), false)
            .unwrap_err();
        assert_eq!(
            report
                .lines()
                .filter(|l| l.contains("expected an integer"))
                .count(),
            10
        );
        assert!(report.ends_with("\n- and 5 more errors"), "{report}");
        // Millions of errors: ten described, a thousand counted, and no more work.
        let report = list_of_integers()
            .validate(&strings(1_000_000), true)
            .unwrap_err();
        assert_eq!(report.lines().count(), 12, "{report}");
        assert!(
            report.ends_with("\n- and 1000 or more errors besides"),
            "{report}"
        );
    }

    #[test]
    fn an_echoed_value_is_cut_short() {
        let report = validator()
            .validate(&json!({ "limit": "y".repeat(10_000) }), true)
            .unwrap_err();
        assert!(report.len() < 400, "{} bytes", report.len());
        assert!(report.contains("..."), "{report}");
    }
}
