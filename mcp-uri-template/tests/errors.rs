//! Every parse error kind, with its message and byte offset.

use mcp_uri_template::{TemplateError, UriTemplate};

fn err(template: &str) -> TemplateError {
    match UriTemplate::parse(template) {
        Ok(_) => panic!("`{template}` should not parse"),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_err(template: &str, offset: usize, needle: &str) {
    let e = err(template);
    assert_eq!(e.offset(), offset, "offset for `{template}`: {e}");
    assert!(
        e.message().contains(needle),
        "message for `{template}` lacks {needle:?}: {e}"
    );
    assert_eq!(e.to_string(), e.message());
}

#[test]
fn unclosed_expression() {
    let e = err("invoices:{id");
    assert_eq!(e.offset(), 9);
    assert_eq!(
        e.message(),
        "unclosed expression: `{` at byte 9 has no matching `}`"
    );
    assert_err("{", 0, "unclosed expression");
    assert_err("a://{x}/{?q", 8, "at byte 8 has no matching `}`");
}

#[test]
fn stray_closing_brace() {
    assert_err("a://x}", 5, "unexpected `}` at byte 5");
    assert_err("a://{x}}", 7, "does not close any `{`");
    assert_err("}{x}", 0, "%7D");
}

#[test]
fn empty_expression() {
    assert_err("a://{}", 4, "empty expression `{}` at byte 4");
}

#[test]
fn nested_brace() {
    assert_err(
        "a://{x{y}}",
        6,
        "nested `{` at byte 6 inside the expression opened at byte 4",
    );
}

#[test]
fn operator_without_variable() {
    assert_err("a://{+}", 5, "operator `+` but no variable name");
    assert_err("a://{?}", 5, "`{?id}`");
}

#[test]
fn reserved_operators() {
    for op in ['=', ',', '!', '@', '|'] {
        let t = format!("a://{{{op}x}}");
        assert_err(&t, 5, &format!("operator `{op}` at byte 5 is reserved"));
    }
}

#[test]
fn invalid_variable_names() {
    assert_err(
        "a://{my-var}",
        7,
        "invalid character `-` in variable name at byte 7",
    );
    assert_err("a://{ x}", 5, "invalid character ` `");
    assert_err("a://{é}", 5, "invalid character `é`");
    assert_err("a://{a$}", 6, "invalid character `$`");
    assert_err("a://{:3}", 5, "invalid character `:`");
    assert_err(
        "a://{.x.}",
        7,
        "invalid variable name `x.`: the `.` at byte 7",
    );
    assert_err(
        "a://{.x}{.y..z}",
        11,
        "`y..z`: the `.` at byte 11 is only allowed",
    );
    assert_err(
        "a://{a%2}",
        6,
        "invalid percent-encoding in variable name at byte 6",
    );
    assert_err("a://{a%zz}", 6, "invalid percent-encoding");
}

#[test]
fn empty_variable_name_in_list() {
    assert_err("a://{a,,b}", 7, "empty variable name at byte 7");
    assert_err("a://{a,}", 7, "stray `,`");
    assert_err("a://{?q,}", 8, "empty variable name");
}

#[test]
fn duplicate_variable_in_one_expression() {
    assert_err("a://{x,y,x}", 9, "duplicate variable `x` at byte 9");
    assert_err("a://{?q,q}", 8, "duplicate variable `q`");
}

#[test]
fn level_four_modifiers_are_rejected() {
    let e = err("a://{var:3}");
    assert_eq!(e.offset(), 8);
    assert!(e.message().contains("level-4 prefix modifier `:3`"), "{e}");
    assert!(e.message().contains("not supported"), "{e}");
    assert_err(
        "a://{/list*}",
        10,
        "level-4 explode modifier `*` on variable `list`",
    );
    assert_err("a://{?a,b:10}", 9, "prefix modifier `:10` on variable `b`");
}

#[test]
fn error_is_std_error() {
    fn takes(_: &dyn std::error::Error) {}
    let e = err("{");
    takes(&e);
    assert_eq!(e.clone(), e);
}
