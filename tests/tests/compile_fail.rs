//! Binding mistakes caught at compile time, one `ui/*.rs` case per check with its `.stderr`.
//! Regenerate the expectations with `TRYBUILD=overwrite cargo test -p mcp-tests --test compile_fail`.

#[test]
fn binding_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/all_keys.rs");
    cases.pass("ui/pass/parameter_named_like_its_function.rs");
}
