//! The catalogue in headless Chromium: the rendered DOM names the bindings and their
//! constraints, no injected markup runs, and each kind of try-it form gets the server's real
//! answer. A screenshot is kept in `target/catalogue.png`.

use super::{builder, serve, tokens};
use mcp_tests::browser::Browser;
use serde_json::{Value, json};
use std::net::SocketAddr;

/// The text of `selector`'s result box once a call has filled it.
const RESULT_OF: &str = "const box = document.querySelector(arguments[0] + ' .result');
     return box && !box.hidden && box.textContent;";

/// Replaces the arguments of tool `name`, calls it, and returns the text of its answer.
async fn call_tool(browser: &Browser, name: &str, arguments: &Value) -> String {
    let form = format!("form[data-call=tool][data-name='{name}']");
    browser
        .eval(
            "document.querySelector(arguments[0] + ' .result').hidden = true",
            json!([form]),
        )
        .await;
    browser
        .type_into(&format!("{form} textarea"), &arguments.to_string())
        .await;
    browser.click(&format!("{form} button")).await;
    text(browser.wait_for(RESULT_OF, json!([form])).await)
}

fn text(value: Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_default()
}

async fn open_catalogue(browser: &Browser, addr: SocketAddr) {
    browser
        .open(&format!("http://127.0.0.1:{}/catalogue", addr.port()))
        .await;
    // The script has run once the filter it reveals is shown.
    browser
        .wait_for(
            "return !document.querySelector('.controls').hidden",
            json!([]),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_renders_and_its_forms_call_the_server() {
    let addr = serve(builder()).await;
    let browser = Browser::start().await;
    open_catalogue(&browser, addr).await;

    // The DOM as rendered: every binding, and the constraints of the forecast's input.
    let cards = browser
        .eval(
            "return [...document.querySelectorAll('article.binding')].map(a => a.dataset.name)",
            json!([]),
        )
        .await;
    let names: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for name in [
        "forecast",
        "divide",
        "wipe",
        "conditions",
        "headline",
        "briefing",
    ] {
        assert!(names.contains(&name), "{name} not rendered: {names:?}");
    }
    assert_eq!(names.len(), 9, "{names:?}");
    let forecast = text(
        browser
            .eval(
                "return document.getElementById('tool-forecast').innerText",
                json!([]),
            )
            .await,
    );
    for shown in [
        "pattern ^[A-Z]",
        "length ≥ 2",
        "≥ 1",
        "≤ 14",
        "30 calls per 60s",
    ] {
        assert!(
            forecast.contains(shown),
            "{shown} not shown in:\n{forecast}"
        );
    }

    // The hostile names and descriptions are text: no element they spell exists, and the
    // only script is the page's own.
    let injected = browser
        .eval(
            "return { scripts: document.scripts.length, images: document.images.length,
                      bold: document.querySelectorAll('b').length,
                      italic: document.querySelectorAll('i').length }",
            json!([]),
        )
        .await;
    assert_eq!(
        injected,
        json!({ "scripts": 1, "images": 0, "bold": 0, "italic": 0 })
    );
    let hostile_title = text(
        browser
            .eval(
                "return document.querySelector('#tool-hostile .title').textContent",
                json!([]),
            )
            .await,
    );
    assert_eq!(hostile_title, "<b onmouseover=\"alert('title')\">bold</b>");

    // A tool's result, its isError result, and a validation error naming the argument.
    let answer = call_tool(&browser, "divide", &json!({ "a": 6, "b": 3 })).await;
    assert!(answer.starts_with("result\n"), "{answer}");
    assert!(answer.contains("\"text\": \"2.0\""), "{answer}");
    let answer = call_tool(&browser, "divide", &json!({ "a": 1, "b": 0 })).await;
    assert!(answer.starts_with("result (isError)\n"), "{answer}");
    assert!(answer.contains("cannot divide by zero"), "{answer}");
    let answer = call_tool(&browser, "divide", &json!({ "a": "six", "b": 1 })).await;
    // Invalid arguments are a tool error the model can act on (2025-11-25), naming the path.
    assert!(answer.starts_with("result (isError)\n"), "{answer}");
    assert!(
        answer.contains("expected a number at /a"),
        "the failing path is not named: {answer}"
    );
    let answer = call_tool(&browser, "forecast", &json!({ "city": "Oslo", "days": 2 })).await;
    assert!(answer.contains("Oslo in 2 days: sunny"), "{answer}");
    assert!(answer.contains("\"structuredContent\""), "{answer}");

    // A template filled in variable by variable, then read.
    let template = "form[data-call=resource]:has(input[data-template])";
    browser
        .type_into(&format!("{template} input[data-variable=city]"), "Oslo")
        .await;
    let uri = browser
        .eval(
            "return document.querySelector(arguments[0] + ' input[name=uri]').value",
            json!([template]),
        )
        .await;
    assert_eq!(uri, json!("weather://cities/Oslo/now"));
    browser.click(&format!("{template} button")).await;
    let answer = text(browser.wait_for(RESULT_OF, json!([template])).await);
    assert!(answer.contains("Oslo: clear"), "{answer}");

    // A prompt with its arguments.
    let prompt = "form[data-call=prompt][data-name=briefing]";
    browser
        .type_into(&format!("{prompt} input[data-argument=city]"), "Paris")
        .await;
    browser
        .type_into(&format!("{prompt} input[data-argument=tone]"), "dramatic")
        .await;
    browser.click(&format!("{prompt} button")).await;
    let answer = text(browser.wait_for(RESULT_OF, json!([prompt])).await);
    assert!(
        answer.contains("Give a dramatic weather briefing for Paris."),
        "{answer}"
    );

    // The filter hides what does not match.
    browser.type_into("#filter", "city").await;
    let shown = browser
        .eval(
            "return [...document.querySelectorAll('article.binding:not([hidden])')].map(a => a.dataset.name)",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!(["forecast", "conditions", "briefing"]));

    let png = browser.screenshot().await;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/catalogue.png");
    std::fs::write(path, &png).expect("write the screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_authentication_the_page_and_its_calls_need_credentials() {
    let addr = serve(builder().authenticate(tokens())).await;
    let browser = Browser::start().await;
    let url = format!("http://127.0.0.1:{}/catalogue", addr.port());
    // A browser with no credentials is refused, as /mcp would refuse it.
    browser.open(&url).await;
    let body = text(
        browser
            .eval("return document.body.innerText", json!([]))
            .await,
    );
    assert!(body.contains("unauthorized"), "{body}");
    assert!(
        browser
            .eval(
                "return document.querySelector('article') === null",
                json!([])
            )
            .await
            .as_bool()
            .unwrap()
    );

    // Behind a gateway that adds the caller's credentials to every request (played here by
    // the browser itself), the page loads and its calls are the caller's.
    browser
        .set_headers(&[("Authorization", "Bearer reader-token")])
        .await;
    open_catalogue(&browser, addr).await;
    let answer = call_tool(&browser, "divide", &json!({ "a": 9, "b": 3 })).await;
    assert!(answer.contains("\"text\": \"3.0\""), "{answer}");
    let answer = call_tool(&browser, "wipe", &json!({})).await;
    assert!(
        answer.starts_with("error -32006: "),
        "a reader wiped: {answer}"
    );

    // Without the gateway, the page's calls carry nothing and are refused...
    browser.set_headers(&[]).await;
    let answer = call_tool(&browser, "divide", &json!({ "a": 9, "b": 3 })).await;
    assert!(answer.contains("unauthorized"), "{answer}");
    // ...until a token is typed into the page: its calls are then that caller's, in a
    // session of their own (the reader's session is not theirs: 404, opened anew).
    browser.type_into("#token", "admin-token").await;
    let answer = call_tool(&browser, "wipe", &json!({})).await;
    assert!(answer.starts_with("result\n"), "{answer}");
    assert!(answer.contains("wiped"), "{answer}");
}
