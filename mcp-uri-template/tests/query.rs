//! Matching of keyed expressions: `{?x}`, `{&x}`, `{;x}`.

use mcp_uri_template::UriTemplate;

fn m(template: &str, uri: &str) -> Option<Vec<Option<String>>> {
    UriTemplate::parse(template).unwrap().match_uri(uri)
}

fn v(values: &[Option<&str>]) -> Option<Vec<Option<String>>> {
    Some(values.iter().map(|v| v.map(str::to_owned)).collect())
}

const SEARCH: &str = "search://items{?q,page}";

#[test]
fn query_in_order_and_any_order() {
    assert_eq!(
        m(SEARCH, "search://items?q=rust&page=2"),
        v(&[Some("rust"), Some("2")])
    );
    assert_eq!(
        m(SEARCH, "search://items?page=2&q=rust"),
        v(&[Some("rust"), Some("2")])
    );
}

#[test]
fn missing_query_variables_are_none() {
    assert_eq!(m(SEARCH, "search://items?q=rust"), v(&[Some("rust"), None]));
    assert_eq!(m(SEARCH, "search://items?page=3"), v(&[None, Some("3")]));
    assert_eq!(m(SEARCH, "search://items"), v(&[None, None]));
    assert_eq!(m(SEARCH, "search://items?"), v(&[None, None]));
}

#[test]
fn unknown_keys_and_odd_pairs() {
    assert_eq!(
        m(SEARCH, "search://items?sort=asc&q=x&extra"),
        v(&[Some("x"), None])
    );
    assert_eq!(
        m(SEARCH, "search://items?q=&page"),
        v(&[Some(""), Some("")])
    );
    assert_eq!(
        m(SEARCH, "search://items?q=1&q=2"),
        v(&[Some("1"), None]),
        "first wins"
    );
    assert_eq!(m(SEARCH, "search://items?&&q=1&"), v(&[Some("1"), None]));
    assert_eq!(m(SEARCH, "search://items?q=a=b"), v(&[Some("a=b"), None]));
    assert_eq!(
        m(SEARCH, "search://items?q=a/b?c"),
        v(&[Some("a/b?c"), None])
    );
}

#[test]
fn query_values_are_decoded_but_plus_stays() {
    assert_eq!(
        m(SEARCH, "search://items?q=a+b%20c%26d"),
        v(&[Some("a+b c&d"), None])
    );
    assert_eq!(m(SEARCH, "search://items?q=%zz"), None);
    // Invalid encoding in an ignored key does not matter.
    assert_eq!(m(SEARCH, "search://items?x=%zz&q=1"), v(&[Some("1"), None]));
}

#[test]
fn query_non_matches() {
    assert_eq!(m(SEARCH, "search://item"), None);
    assert_eq!(m(SEARCH, "search://itemsX"), None);
    assert_eq!(m(SEARCH, "search://items/?q=1"), None);
    assert_eq!(m(SEARCH, "search://items&q=1"), None);
    assert_eq!(m(SEARCH, "search://items?q=1#frag"), None);
}

#[test]
fn query_after_path_variable() {
    let t = "search://{index}/items{?q}";
    assert_eq!(
        m(t, "search://books/items?q=x"),
        v(&[Some("books"), Some("x")])
    );
    assert_eq!(m(t, "search://books/items"), v(&[Some("books"), None]));
    assert_eq!(m(t, "search:///items?q=x"), None);
}

#[test]
fn query_continuation() {
    let t = "search://items?fixed=1{&q,page}";
    assert_eq!(
        m(t, "search://items?fixed=1&page=4&q=z"),
        v(&[Some("z"), Some("4")])
    );
    assert_eq!(m(t, "search://items?fixed=1"), v(&[None, None]));
    assert_eq!(m(t, "search://items?fixed=1&q=z"), v(&[Some("z"), None]));
    assert_eq!(m(t, "search://items?fixed=2&q=z"), None);
    assert_eq!(
        m(t, "search://items?q=z&fixed=1"),
        None,
        "literal part must come first"
    );
}

#[test]
fn adjacent_query_expressions_form_one_group() {
    let t = "s://x{?a}{&b}";
    assert_eq!(m(t, "s://x?a=1&b=2"), v(&[Some("1"), Some("2")]));
    assert_eq!(m(t, "s://x?b=2&a=1"), v(&[Some("1"), Some("2")]));
    assert_eq!(m(t, "s://x?b=2"), v(&[None, Some("2")]));
}

#[test]
fn query_followed_by_fragment() {
    let t = "doc://x{?q}{#sec}";
    assert_eq!(m(t, "doc://x?q=1#top"), v(&[Some("1"), Some("top")]));
    assert_eq!(m(t, "doc://x#top"), v(&[None, Some("top")]));
    assert_eq!(m(t, "doc://x?q=1"), None, "fragment is required");
}

#[test]
fn path_params() {
    let t = "map://x{;lat,long}";
    assert_eq!(m(t, "map://x;lat=1;long=2"), v(&[Some("1"), Some("2")]));
    assert_eq!(m(t, "map://x;long=2;lat=1"), v(&[Some("1"), Some("2")]));
    assert_eq!(m(t, "map://x;lat"), v(&[Some(""), None]));
    assert_eq!(m(t, "map://x"), v(&[None, None]));
    assert_eq!(m(t, "map://x;lat=1/2"), None);
    assert_eq!(m(t, "map://xlat=1"), None);
    let t = "map://x{;lat}/tiles{?zoom}";
    assert_eq!(
        m(t, "map://x;lat=5/tiles?zoom=3"),
        v(&[Some("5"), Some("3")])
    );
    assert_eq!(m(t, "map://x/tiles"), v(&[None, None]));
}

#[test]
fn keyed_group_backtracks_to_let_literals_match() {
    // The group first tries to take every pair, then fewer, then none.
    let t = "s://x{;a}{;b};end";
    assert_eq!(m(t, "s://x;b=2;a=1;end"), v(&[Some("1"), Some("2")]));
    assert_eq!(m(t, "s://x;end"), v(&[None, None]));
}
