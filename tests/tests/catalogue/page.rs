//! The page over real HTTP: off by default, what it lists, escaping, who sees what, and the
//! headers that keep it self-contained.

use super::{builder, get, serve, tokens};
use mcp_runtime::McpServer;
use mcp_tests::http;

#[tokio::test]
async fn there_is_no_catalogue_unless_asked_for() {
    let server = McpServer::builder("plain", "1.0")
        .filter(|_| false)
        .build()
        .unwrap();
    let addr = http::serve(server.router()).await;
    let (status, _) = get(addr, "/catalogue", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_binding_is_listed_with_its_parameters_and_facts() {
    let addr = serve(builder()).await;
    let response = http::send(addr, "GET", "/catalogue", &[], "").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let page = response.text().await;

    assert!(
        page.contains(
            r#"<p id="summary">4 tools · 2 resources · 1 resource template · 2 prompts</p>"#
        ),
        "{page}"
    );
    for id in [
        r#"id="tool-forecast""#,
        r#"id="tool-divide""#,
        r#"id="tool-wipe""#,
        r#"id="template-conditions""#,
        r#"id="resource-headline""#,
        r#"id="prompt-briefing""#,
    ] {
        assert!(page.contains(id), "{id} missing");
    }
    let forecast = card(&page, "tool-forecast");
    for expected in [
        "Weather forecast",
        "The weather for a city, some days ahead.",
        "<dt>hints</dt><dd>read-only, idempotent</dd>",
        "<dt>tags</dt><dd>weather</dd>",
        "<dt>rate limit</dt><dd>30 calls per 60s</dd>",
        "<dt>timeout</dt><dd>5s</dd>",
        // The input table: type, required, default, constraints, description.
        "<tr><td><code>city</code></td><td>string</td><td>yes</td><td></td><td>\
         <span class=\"constraint\">length ≥ 2</span> <span class=\"constraint\">pattern ^[A-Z]</span> \
         </td><td>The city, capitalised.</td></tr>",
        "<tr><td><code>days</code></td><td>integer</td><td>no</td><td>3</td><td>\
         <span class=\"constraint\">≥ 1</span> <span class=\"constraint\">≤ 14</span>",
        "<td><code>unit</code></td><td>string or null</td><td>no</td><td></td><td>\
         <span class=\"constraint\">one of &quot;metric&quot;, &quot;imperial&quot;, null</span>",
        // The output schema too, and both raw schemas one click away.
        "<h4>Output</h4>",
        "<td><code>temperature</code></td><td>number</td><td>yes</td>",
        "<summary>Input JSON Schema</summary>",
        "<summary>Output JSON Schema</summary>",
        // The try-it form, its arguments filled with what is required.
        r#"<form class="try" data-call="tool" data-name="forecast">"#,
        "&quot;city&quot;: &quot;&quot;",
    ] {
        assert!(
            forecast.contains(expected),
            "{expected}\nnot in\n{forecast}"
        );
    }
    assert!(card(&page, "tool-wipe").contains("<dt>hints</dt><dd>destructive</dd>"));

    let template = card(&page, "template-conditions");
    assert!(
        template.contains(r#"<input data-variable="city" required>"#),
        "{template}"
    );
    assert!(template.contains(r#"data-template="weather://cities/{city}/now""#));
    assert!(template.contains("<dt>MIME type</dt><dd>text/plain</dd>"));
    let fixed = card(&page, "resource-headline");
    assert!(
        fixed.contains(r#"<input name="uri" value="weather://headline""#),
        "{fixed}"
    );
    let prompt = card(&page, "prompt-briefing");
    assert!(
        prompt.contains(r#"<input data-argument="city" required>"#),
        "{prompt}"
    );
    assert!(
        prompt.contains(r#"<input data-argument="tone">"#),
        "{prompt}"
    );
    assert!(prompt.contains("<td>The city to brief on</td>"));
}

#[tokio::test]
async fn every_string_a_binding_provides_is_escaped() {
    let addr = serve(builder()).await;
    let (status, page) = get(addr, "/catalogue", &[]).await;
    assert_eq!(status, 200);
    // Markup appears only as text: no tag or attribute a binding wrote survives.
    for injected in [
        "<script>alert",
        "<img src=x",
        "<b onmouseover",
        "<i>argument",
        "\"><script>",
        "\"onfocus=\"",
        "</pre></details><script>",
        "<weather>",
        "<&>",
    ] {
        assert!(
            !page.contains(injected),
            "{injected:?} reached the page unescaped"
        );
    }
    for escaped in [
        "&lt;script&gt;alert(&quot;tool&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;",
        "&lt;b onmouseover=&quot;alert(&#39;title&#39;)&quot;&gt;bold&lt;/b&gt;",
        r#"id="resource-&lt;script&gt;alert(&#39;resource&#39;)&lt;/script&gt;""#,
        "weather://&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(&#39;escaped?&#39;)&lt;/script&gt;",
        r#"data-name="say&quot;&gt;&lt;img src=x onerror=alert(2)&gt;""#,
        r#"data-argument="x&quot;onfocus=&quot;alert(3)""#,
        "&lt;i&gt;argument&lt;/i&gt;",
        "<title>weather &lt;&amp;&gt; desk · catalogue</title>",
        "Ask about the &lt;weather&gt;.",
    ] {
        assert!(page.contains(escaped), "{escaped:?} missing from the page");
    }
    // The only scripts are the page's own.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
}

#[tokio::test]
async fn the_page_is_self_contained_and_locks_itself_down() {
    let addr = serve(builder()).await;
    let response = http::send(addr, "GET", "/catalogue", &[], "").await;
    let policy = response
        .header("content-security-policy")
        .expect("a content security policy")
        .to_owned();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} not in {policy}");
    }
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    let page = response.text().await;
    // Nothing is fetched from another host: every URL in the page is relative.
    for absolute in ["http://", "https://", "//cdn", "src=\"/", "href=\"/"] {
        assert!(!page.contains(absolute), "{absolute} in the page");
    }
    assert!(page.contains(r#"<link rel="stylesheet" href="catalogue/catalogue.css">"#));
    assert!(page.contains(r#"<script defer src="catalogue/catalogue.js"></script>"#));
    assert!(page.contains(r#"data-endpoint="mcp""#));
    for (path, media) in [
        ("/catalogue/catalogue.css", "text/css; charset=utf-8"),
        ("/catalogue/catalogue.js", "text/javascript; charset=utf-8"),
    ] {
        let response = http::send(addr, "GET", path, &[], "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(media));
        assert!(response.header("content-security-policy").is_some());
        assert!(!response.text().await.is_empty());
    }
}

#[tokio::test]
async fn a_page_asked_for_under_a_foreign_host_is_refused() {
    let addr = serve(builder()).await;
    for path in ["/catalogue", "/catalogue/catalogue.js"] {
        let (status, body) = get(addr, path, &[("host", "attacker.example")]).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
}

#[tokio::test]
async fn with_authentication_the_page_asks_for_the_same_credentials() {
    let addr = serve(builder().authenticate(tokens())).await;
    let response = http::send(addr, "GET", "/catalogue", &[], "").await;
    assert_eq!(response.status, 401);
    let challenge = response.header("www-authenticate").expect("a challenge");
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    let (status, _) = get(addr, "/catalogue", &[("authorization", "Bearer wrong")]).await;
    assert_eq!(status, 401);

    let (status, page) = get(
        addr,
        "/catalogue",
        &[("authorization", "Bearer reader-token")],
    )
    .await;
    assert_eq!(status, 200);
    // The page offers a field for the token its forms send.
    assert!(page.contains(r#"<input id="token" type="password""#));
    // Without `filter_listings` the lists show every binding, and so does the page.
    assert!(page.contains(r#"id="tool-wipe""#));
}

#[tokio::test]
async fn with_filtered_listings_each_caller_sees_what_their_permissions_allow() {
    let addr = serve(builder().authenticate(tokens()).filter_listings(true)).await;
    let (_, reader) = get(
        addr,
        "/catalogue",
        &[("authorization", "Bearer reader-token")],
    )
    .await;
    assert!(
        !reader.contains("tool-wipe"),
        "a reader sees the admins' tool"
    );
    assert!(reader.contains(r#"<p id="summary">3 tools"#));
    let (_, admin) = get(
        addr,
        "/catalogue",
        &[("authorization", "Bearer admin-token")],
    )
    .await;
    assert!(admin.contains(r#"id="tool-wipe""#));
    assert!(admin.contains(r#"<p id="summary">4 tools"#));

    // The same as `tools/list` says to each.
    for (token, sees_wipe) in [("reader-token", false), ("admin-token", true)] {
        let mut client = http::McpHttp::new(addr).with_bearer(token);
        client.initialize(serde_json::json!({})).await;
        let list = client
            .request("tools/list", serde_json::json!({}))
            .await
            .json()
            .await;
        let names: Vec<&str> = list["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.contains(&"wipe"), sees_wipe, "{token}: {names:?}");
    }
}

#[tokio::test]
async fn bindings_disabled_and_enabled_at_run_time_come_and_go() {
    use mcp_runtime::binding::BindingKind;
    let server = builder().build().unwrap();
    // Disabled before the router (and the cards rendered with it) is made.
    assert!(
        server
            .set_enabled(BindingKind::Tool, "divide", false)
            .await
            .unwrap()
    );
    let addr = http::serve(server.router()).await;
    let (_, page) = get(addr, "/catalogue", &[]).await;
    assert!(!page.contains(r#"id="tool-divide""#));
    assert!(page.contains(r#"<p id="summary">3 tools"#));

    assert!(
        server
            .set_enabled(BindingKind::Tool, "divide", true)
            .await
            .unwrap()
    );
    assert!(
        server
            .set_enabled(BindingKind::Prompt, "briefing", false)
            .await
            .unwrap()
    );
    let (_, page) = get(addr, "/catalogue", &[]).await;
    assert!(!page.contains(r#"id="prompt-briefing""#));
    let divide = card(&page, "tool-divide");
    assert!(
        divide.contains("<td><code>a</code></td><td>number</td><td>yes</td>"),
        "{divide}"
    );
    assert!(divide.contains(r#"<form class="try" data-call="tool" data-name="divide">"#));
}

#[tokio::test]
async fn a_catalogue_path_that_cannot_be_served_is_a_build_error() {
    for path in ["catalogue", "/", "/mcp", "/catalogue/", "/{x}"] {
        let error = McpServer::builder("bad", "1.0")
            .filter(|_| false)
            .catalogue(path)
            .build()
            .err()
            .unwrap_or_else(|| panic!("{path:?} was accepted"));
        let message = error.to_string();
        assert!(message.starts_with("catalogue: "), "{message}");
        assert!(message.contains(&format!("{path:?}")), "{message}");
    }
}

#[tokio::test]
async fn a_nested_router_finds_its_endpoint_from_the_page() {
    let server = McpServer::builder("nested", "1.0")
        .filter(|_| false)
        .catalogue("/docs/catalogue")
        .build()
        .unwrap();
    let addr = http::serve(axum::Router::new().nest("/api", server.router())).await;
    let (status, page) = get(addr, "/api/docs/catalogue", &[]).await;
    assert_eq!(status, 200);
    // `../mcp` from /api/docs/catalogue is /api/mcp.
    assert!(page.contains(r#"data-endpoint="../mcp""#), "{page}");
    assert!(page.contains(r#"href="catalogue/catalogue.css""#));
    let (status, _) = get(addr, "/api/docs/catalogue/catalogue.css", &[]).await;
    assert_eq!(status, 200);
}

/// The HTML of the card whose id is `id`.
fn card<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no card {id}"));
    let end = page[start..]
        .find("</article>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}
