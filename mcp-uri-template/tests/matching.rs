//! Matching of positional expressions (`{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}`),
//! literals, percent-decoding and the tie-breaking rule.

use mcp_uri_template::UriTemplate;

fn m(template: &str, uri: &str) -> Option<Vec<Option<String>>> {
    UriTemplate::parse(template).unwrap().match_uri(uri)
}

/// Expected result where every variable is present.
fn all(values: &[&str]) -> Option<Vec<Option<String>>> {
    Some(values.iter().map(|v| Some(v.to_string())).collect())
}

#[test]
fn fixed_uri() {
    assert_eq!(m("config://app", "config://app"), Some(vec![]));
    assert_eq!(m("config://app", "config://app/"), None);
    assert_eq!(m("config://app", "config://ap"), None);
    assert_eq!(m("config://app", "Config://app"), None);
}

#[test]
fn simple() {
    assert_eq!(m("invoices://{id}", "invoices://42"), all(&["42"]));
    assert_eq!(
        m("invoices://{id}/lines", "invoices://42/lines"),
        all(&["42"])
    );
    // commas are fine in a single-variable expression
    assert_eq!(m("tags://{t}", "tags://a,b"), all(&["a,b"]));
}

#[test]
fn simple_non_matches() {
    assert_eq!(m("invoices://{id}", "invoices://"), None, "empty value");
    assert_eq!(m("invoices://{id}", "invoices:/"), None, "prefix only");
    assert_eq!(m("invoices://{id}", "orders://42"), None, "wrong scheme");
    assert_eq!(
        m("invoices://{id}", "invoices://4/2"),
        None,
        "slash in value"
    );
    assert_eq!(m("invoices://{id}", "invoices://42?x=1"), None, "query");
    assert_eq!(m("invoices://{id}", "invoices://42#frag"), None, "fragment");
    assert_eq!(
        m("invoices://{id}/lines", "invoices://42/lines/x"),
        None,
        "trailing"
    );
    assert_eq!(m("invoices://{id}/lines", "invoices://42/line"), None);
    assert_eq!(m("invoices://{id}/lines", "invoices:///lines"), None);
}

#[test]
fn simple_multi_variable() {
    assert_eq!(m("map://{x,y}", "map://1,2"), all(&["1", "2"]));
    assert_eq!(m("map://{x,y}/z", "map://10,20/z"), all(&["10", "20"]));
    assert_eq!(m("map://{x,y}", "map://1"), None);
    assert_eq!(m("map://{x,y}", "map://1,"), None);
    assert_eq!(m("map://{x,y}", "map://,2"), None);
    assert_eq!(
        m("map://{x,y}", "map://1,2,3"),
        None,
        "separator inside value"
    );
    assert_eq!(m("map://{x,y}", "map://1%2C2,3"), all(&["1,2", "3"]));
}

#[test]
fn reserved() {
    assert_eq!(
        m("file:///{+path}", "file:///a/b/c.txt"),
        all(&["a/b/c.txt"])
    );
    assert_eq!(m("file:///{+path}", "file:///x"), all(&["x"]));
    assert_eq!(m("file:///{+path}", "file:///"), None, "empty");
    assert_eq!(m("file:///{+path}", "file:///a?b"), None);
    assert_eq!(m("file:///{+path}", "file:///a#b"), None);
    assert_eq!(m("file:///{+path}", "file://a"), None);
    assert_eq!(m("x://{+a,b}", "x://p/q,r/s"), all(&["p/q", "r/s"]));
}

#[test]
fn reserved_is_greedy() {
    assert_eq!(m("file:///{+path}/meta", "file:///a/b/meta"), all(&["a/b"]));
    assert_eq!(
        m("file:///{+path}/meta", "file:///a/meta/b/meta"),
        all(&["a/meta/b"])
    );
    assert_eq!(m("x://{+a}/{b}", "x://1/2/3"), all(&["1/2", "3"]));
    assert_eq!(m("x://{a}{b}", "x://abc"), all(&["ab", "c"]));
    assert_eq!(m("x://{+a}{+b}", "x://a/b"), all(&["a/", "b"]));
}

#[test]
fn fragment() {
    assert_eq!(m("doc://x{#sec}", "doc://x#intro"), all(&["intro"]));
    assert_eq!(m("doc://x{#sec}", "doc://x#a/b?c"), all(&["a/b?c"]));
    assert_eq!(m("doc://x{#sec}", "doc://x"), None);
    assert_eq!(m("doc://x{#sec}", "doc://x#"), None);
    assert_eq!(m("doc://x{#sec}", "doc://xintro"), None);
    assert_eq!(m("doc://x{#sec}", "doc://x#a#b"), None);
    assert_eq!(m("doc://x{#a,b}", "doc://x#1,2"), all(&["1", "2"]));
}

#[test]
fn label() {
    assert_eq!(
        m("file://{name}{.ext}", "file://report.pdf"),
        all(&["report", "pdf"])
    );
    assert_eq!(m("file://x{.ext}", "file://x.tar.gz"), None, "dot in label");
    assert_eq!(m("file://x{.a,b}", "file://x.tar.gz"), all(&["tar", "gz"]));
    assert_eq!(m("file://x{.ext}", "file://x."), None);
    assert_eq!(m("file://x{.ext}", "file://xpdf"), None);
    assert_eq!(m("file://x{.ext}", "file://x.a/b"), None);
}

#[test]
fn path_segment() {
    assert_eq!(m("repo://x{/owner}", "repo://x/alice"), all(&["alice"]));
    assert_eq!(
        m("repo://x{/owner,name}", "repo://x/alice/proj"),
        all(&["alice", "proj"])
    );
    assert_eq!(m("repo://x{/owner}", "repo://x/a/b"), None);
    assert_eq!(m("repo://x{/owner}", "repo://x/"), None);
    assert_eq!(m("repo://x{/owner}", "repo://xalice"), None);
    assert_eq!(m("repo://x{/owner,name}", "repo://x/alice"), None);
    assert_eq!(m("repo://x{/a}{/b}", "repo://x/1/2"), all(&["1", "2"]));
}

#[test]
fn percent_decoding() {
    assert_eq!(m("files://{name}", "files://a%2Fb"), all(&["a/b"]));
    assert_eq!(m("files://{name}", "files://a%2fb"), all(&["a/b"]));
    assert_eq!(m("files://{name}", "files://caf%C3%A9"), all(&["café"]));
    assert_eq!(m("files://{name}", "files://café"), all(&["café"]));
    assert_eq!(m("files://{name}", "files://a%20b"), all(&["a b"]));
    assert_eq!(m("files://{name}", "files://a+b"), all(&["a+b"]));
    assert_eq!(m("files://{+p}", "files://a%3Fb/c"), all(&["a?b/c"]));
}

#[test]
fn invalid_encoding_does_not_match() {
    assert_eq!(m("files://{name}", "files://a%2"), None);
    assert_eq!(m("files://{name}", "files://a%zzb"), None);
    assert_eq!(m("files://{name}", "files://%"), None);
    assert_eq!(m("files://{name}", "files://%C3"), None, "truncated UTF-8");
    assert_eq!(m("files://{name}", "files://%FF"), None, "invalid UTF-8");
    assert_eq!(m("files://{+p}/x", "files://%E2%82/x"), None);
}

#[test]
fn split_points_respect_encoding() {
    // A value never ends inside a `%XX` triplet or a multi-byte character.
    assert_eq!(m("x://{a}{b}", "x://a%41"), all(&["a", "A"]));
    assert_eq!(m("x://{a}{b}", "x://%C3%A9%C3%A9"), all(&["é", "é"]));
    assert_eq!(m("x://{a}{b}", "x://éé"), all(&["é", "é"]));
    assert_eq!(m("x://{a}{b}", "x://%41"), None);
}

#[test]
fn repeated_variable_must_agree() {
    let t = "x://{id}/{id}";
    assert_eq!(m(t, "x://7/7"), all(&["7"]));
    assert_eq!(m(t, "x://7/8"), None);
    assert_eq!(
        m(t, "x://a%2Fb/a/b"),
        None,
        "second `/` makes a separate segment"
    );
    assert_eq!(m(t, "x://%41/A"), all(&["A"]));
    assert_eq!(m("x://{a}-{a}", "x://1-2-1-2"), all(&["1-2"]));
    // A keyed repeat may be absent or must agree.
    let t = "x://{id}{?id}";
    assert_eq!(m(t, "x://7"), all(&["7"]));
    assert_eq!(m(t, "x://7?id=7"), all(&["7"]));
    assert_eq!(m(t, "x://7?id=8"), None);
}

#[test]
fn literal_text_is_compared_exactly() {
    assert_eq!(m("x://a%20b/{c}", "x://a%20b/1"), all(&["1"]));
    assert_eq!(m("x://a%20b/{c}", "x://a b/1"), None);
    assert_eq!(m("é://{c}", "é://1"), all(&["1"]));
}

#[test]
fn many_variables_use_the_heap_path() {
    let names: Vec<String> = (0..20).map(|i| format!("v{i}")).collect();
    let template = format!("x://{{/{}}}", names.join(","));
    let uri = format!(
        "x:///{}",
        (0..20).map(|i| i.to_string()).collect::<Vec<_>>().join("/")
    );
    let got = m(&template, &uri).unwrap();
    assert_eq!(got.len(), 20);
    assert_eq!(got[19].as_deref(), Some("19"));
}
