//! Who may call what: credentials and their challenge, the resource metadata, sessions
//! bound to their principal, scopes and permissions, listings filtered per caller.

use super::*;

#[tokio::test]
async fn requests_without_valid_credentials_are_401_with_a_challenge() {
    let addr = authenticated().await;
    let missing = post(addr, None, &initialize()).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.header("www-authenticate"),
        Some(format!("Bearer resource_metadata=\"{METADATA_URL}\"").as_str())
    );
    assert_eq!(
        missing.json().await["error"]["code"],
        codes::INVALID_REQUEST
    );

    let wrong = post(addr, Some("Bearer guess"), &initialize()).await;
    assert_eq!(wrong.status, 401);
    let challenge = wrong.header("www-authenticate").unwrap().to_owned();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains(METADATA_URL), "{challenge}");

    // GET and DELETE are authenticated too, before the session is even looked at.
    let get = send(addr, "GET", "/mcp", &[("accept", "text/event-stream")], "").await;
    assert_eq!(get.status, 401);
    let delete = send(addr, "DELETE", "/mcp", &[("mcp-session-id", "x")], "").await;
    assert_eq!(delete.status, 401);
}

#[tokio::test]
async fn the_resource_metadata_is_served_at_both_well_known_paths() {
    let addr = authenticated().await;
    for path in [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ] {
        let response = send(addr, "GET", path, &[], "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.json().await,
            json!({
                "resource": RESOURCE,
                "authorization_servers": [ISSUER],
                "bearer_methods_supported": ["header"],
                "scopes_supported": ["invoices:read", "invoices:write"],
            })
        );
    }
    let plain = serve(builder()).await;
    let none = send(
        plain,
        "GET",
        "/.well-known/oauth-protected-resource",
        &[],
        "",
    )
    .await;
    assert_eq!(none.status, 404, "no metadata unless configured");
}

#[tokio::test]
async fn the_principal_reaches_bindings_and_owns_its_session() {
    let addr = authenticated().await;
    let mut alice = McpHttp::new(addr).with_bearer("alice-token");
    alice.initialize(json!({})).await;
    let result = alice.call_tool("whoami", json!({})).await;
    assert_eq!(result["content"][0]["text"], "alice");

    // Bob presenting Alice's session id finds no such session.
    let mut bob = alice.clone().with_bearer("bob-token");
    let stolen = bob.request("ping", json!({})).await;
    assert_eq!(stolen.status, 404);
    let stolen_get = bob.get(None).await;
    assert_eq!(stolen_get.status, 404);
    assert_eq!(bob.delete().await.status, 404);
    // Alice's session is untouched.
    let ping = alice.request("ping", json!({})).await;
    assert_eq!(ping.status, 200);
}

#[tokio::test]
async fn a_scope_denial_is_403_with_insufficient_scope() {
    let addr = authenticated().await;
    let mut bob = McpHttp::new(addr).with_bearer("bob-token");
    bob.initialize(json!({})).await;
    let denied = bob
        .request(
            "tools/call",
            json!({ "name": "pay", "arguments": { "id": 7 } }),
        )
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.header("www-authenticate"),
        Some(
            format!(
                "Bearer error=\"insufficient_scope\", scope=\"invoices:write\", \
                 resource_metadata=\"{METADATA_URL}\""
            )
            .as_str()
        )
    );
    let body = denied.json().await;
    assert_eq!(body["error"]["code"], codes::PERMISSION_DENIED);
    assert_eq!(
        body["error"]["data"]["requiredScopes"],
        json!(["invoices:write"])
    );

    let mut alice = McpHttp::new(addr).with_bearer("alice-token");
    alice.initialize(json!({})).await;
    let paid = alice.call_tool("pay", json!({ "id": 7 })).await;
    assert_eq!(paid["content"][0]["text"], "paid 7");
}

#[tokio::test]
async fn either_permission_of_an_or_allows() {
    let server = builder().build().unwrap();
    let call = |who: Option<Principal>| {
        let server = &server;
        async move {
            let client = TestClient::connect_as(server, who).await;
            client.call_tool("audit", json!({ "id": 1 })).await
        }
    };
    let reader = Principal::new("r").with_scopes(["invoices:read"]);
    assert!(call(Some(reader)).await.is_ok());
    let admin = Principal::new("a").with_scopes(["admin"]);
    assert!(call(Some(admin)).await.is_ok());
    let refused = call(Some(Principal::new("x"))).await.unwrap_err();
    assert_eq!(refused.code, codes::PERMISSION_DENIED);
    assert_eq!(
        refused.data.unwrap()["requiredScopes"],
        json!(["invoices:read"])
    );
}

fn jwt(audience: &str, subject: &str) -> String {
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = json!({ "iss": ISSUER, "aud": audience, "sub": subject, "exp": exp,
        "scope": "invoices:read" });
    let key = EncodingKey::from_secret(SECRET).unwrap();
    encode(&Header::default(), &claims, &key).unwrap()
}

#[tokio::test]
async fn jwts_are_bound_to_this_resource() {
    let auth = JwtAuthenticator::from_secret(SECRET, ISSUER, RESOURCE).unwrap();
    let addr = serve(builder().authenticate(auth).protected_resource(protected())).await;
    let mut carol = McpHttp::new(addr).with_bearer(&jwt(RESOURCE, "carol"));
    carol.initialize(json!({})).await;
    let result = carol.call_tool("whoami", json!({})).await;
    assert_eq!(result["content"][0]["text"], "carol");

    let elsewhere = jwt("https://another.example/mcp", "carol");
    let refused = post(addr, Some(&format!("Bearer {elsewhere}")), &initialize()).await;
    assert_eq!(refused.status, 401);
    let challenge = refused.header("www-authenticate").unwrap().to_owned();
    assert!(
        challenge.contains("token not issued for this resource"),
        "{challenge}"
    );
}

#[tokio::test]
async fn filtered_listings_show_each_caller_what_it_may_use() {
    let server = builder().filter_listings(true).build().unwrap();
    let names = |tools: Vec<Value>| -> Vec<String> {
        tools
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let alice = Principal::new("alice").with_scopes(["invoices:write"]);
    let with_scope = TestClient::connect_as(&server, Some(alice)).await;
    assert!(names(with_scope.list_tools().await.unwrap()).contains(&"pay".to_owned()));
    let without = TestClient::connect_as(&server, Some(Principal::new("bob"))).await;
    let visible = names(without.list_tools().await.unwrap());
    assert!(!visible.contains(&"pay".to_owned()) && !visible.contains(&"audit".to_owned()));
    assert!(visible.contains(&"whoami".to_owned()));
}

#[tokio::test]
async fn a_server_can_require_a_permission_on_every_tool() {
    let error = builder().require_permissions(true).build().unwrap_err();
    let message = error.to_string();
    assert!(message.contains("whoami"), "{message}");
    assert!(!message.contains("pay"), "{message}");
    assert!(message.contains("require_permissions"), "{message}");
}

#[tokio::test]
async fn both_permissions_of_an_and_must_allow() {
    let server = builder().build().unwrap();
    let call = |who: Principal| {
        let server = &server;
        async move {
            let client = TestClient::connect_as(server, Some(who)).await;
            client.call_tool("purge", json!({})).await
        }
    };
    let writer = Principal::new("w").with_scopes(["invoices:write"]);
    let refused = call(writer).await.unwrap_err();
    assert_eq!(refused.code, codes::PERMISSION_DENIED);
    let admin = Principal::new("a").with_scopes(["admin"]);
    assert_eq!(
        call(admin).await.unwrap_err().data.unwrap()["requiredScopes"],
        json!(["invoices:write"])
    );
    let both = Principal::new("b").with_scopes(["invoices:write", "admin"]);
    assert!(call(both).await.is_ok());
}
