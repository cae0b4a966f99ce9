//! Parsing: operators, variable lists, `is_fixed`, `literal_len`.

use mcp_uri_template::{Operator, UriTemplate, Variable};

fn var(name: &str, operator: Operator, optional: bool) -> Variable {
    Variable {
        name: name.to_owned(),
        operator,
        optional,
    }
}

fn vars(template: &str) -> Vec<Variable> {
    UriTemplate::parse(template).unwrap().variables().to_vec()
}

#[test]
fn each_operator_parses() {
    let cases = [
        ("x://{v}", Operator::Simple, false),
        ("x://{+v}", Operator::Reserved, false),
        ("x://{#v}", Operator::Fragment, false),
        ("x://{.v}", Operator::Label, false),
        ("x://{/v}", Operator::PathSegment, false),
        ("x://{;v}", Operator::PathParam, true),
        ("x://{?v}", Operator::Query, true),
        ("x://{&v}", Operator::QueryContinuation, true),
    ];
    for (template, op, optional) in cases {
        assert_eq!(vars(template), [var("v", op, optional)], "{template}");
    }
}

#[test]
fn operator_symbols() {
    assert_eq!(Operator::Simple.symbol(), None);
    assert_eq!(Operator::Reserved.symbol(), Some('+'));
    assert_eq!(Operator::Fragment.symbol(), Some('#'));
    assert_eq!(Operator::Label.symbol(), Some('.'));
    assert_eq!(Operator::PathSegment.symbol(), Some('/'));
    assert_eq!(Operator::PathParam.symbol(), Some(';'));
    assert_eq!(Operator::Query.symbol(), Some('?'));
    assert_eq!(Operator::QueryContinuation.symbol(), Some('&'));
}

#[test]
fn multi_variable_expressions_keep_order() {
    assert_eq!(
        vars("map://{x,y}/{+rest}{?q,page}"),
        [
            var("x", Operator::Simple, false),
            var("y", Operator::Simple, false),
            var("rest", Operator::Reserved, false),
            var("q", Operator::Query, true),
            var("page", Operator::Query, true),
        ]
    );
}

#[test]
fn repeated_names_are_listed_once() {
    assert_eq!(
        vars("a://{id}/{b}/{id}{?id,c}"),
        [
            var("id", Operator::Simple, false),
            var("b", Operator::Simple, false),
            var("c", Operator::Query, true),
        ]
    );
    // Optional only if every appearance is keyed.
    assert_eq!(vars("a://x{?id}/{id}"), [var("id", Operator::Query, false)]);
    assert_eq!(vars("a://x{?id}{&id}"), [var("id", Operator::Query, true)]);
}

#[test]
fn valid_variable_names() {
    let t = UriTemplate::parse("a://{user.id}/{_x9}/{a%20b}/{A.b.c}").unwrap();
    let names: Vec<&str> = t.variables().iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["user.id", "_x9", "a%20b", "A.b.c"]);
}

#[test]
fn fixed_templates() {
    assert!(
        UriTemplate::parse("config://app/settings")
            .unwrap()
            .is_fixed()
    );
    assert!(UriTemplate::parse("").unwrap().is_fixed());
    assert!(!UriTemplate::parse("config://{app}").unwrap().is_fixed());
    assert!(!UriTemplate::parse("{?q}").unwrap().is_fixed());
    assert!(
        UriTemplate::parse("config://app")
            .unwrap()
            .variables()
            .is_empty()
    );
}

#[test]
fn literal_len_counts_characters_outside_expressions() {
    let len = |t: &str| UriTemplate::parse(t).unwrap().literal_len();
    assert_eq!(len("invoices://{id}"), "invoices://".len());
    assert_eq!(
        len("file:///{+path}/meta"),
        "file:///".len() + "/meta".len()
    );
    assert_eq!(len("{a}{b}"), 0);
    assert_eq!(len("x://fixed"), 9);
    // characters, not bytes
    assert_eq!(len("é://{x}"), 4);
    assert!(len("invoices://{id}/lines") > len("invoices://{id}"));
}

#[test]
fn as_str_display_eq_and_from_str() {
    let t = UriTemplate::parse("search://items{?q,page}").unwrap();
    assert_eq!(t.as_str(), "search://items{?q,page}");
    assert_eq!(t.to_string(), "search://items{?q,page}");
    let u: UriTemplate = "search://items{?q,page}".parse().unwrap();
    assert_eq!(t, u.clone());
    assert_ne!(t, UriTemplate::parse("search://items{?q}").unwrap());
    assert!("search://{".parse::<UriTemplate>().is_err());
}
