//! stdio.

use super::*;

/// A server on in-memory pipes, spoken to line by line.
struct Pipe {
    to_server: tokio::io::DuplexStream,
    from_server: tokio::io::Lines<BufReader<tokio::io::DuplexStream>>,
}

impl Pipe {
    fn connect(server: McpServer) -> Pipe {
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        tokio::spawn(server.serve_io(server_in, server_out));
        Pipe {
            to_server,
            from_server: BufReader::new(from_server).lines(),
        }
    }

    /// Sends a request and returns its response (other messages are skipped).
    async fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        let line = request(json!(id), method, params).to_string() + "\n";
        self.to_server.write_all(line.as_bytes()).await.unwrap();
        loop {
            let line = tokio::time::timeout(http::READ_WAIT, self.from_server.next_line())
                .await
                .expect("the server answered in time")
                .unwrap()
                .expect("a response");
            let message: Value = serde_json::from_str(&line).unwrap();
            if message.get("method").is_none() && message["id"] == id {
                return message;
            }
        }
    }
}

#[tokio::test]
async fn stdio_serves_the_stateless_era_then_a_session_on_the_same_connection() {
    let mut pipe = Pipe::connect(build());

    let discover = pipe
        .request(1, "server/discover", json!({ "_meta": meta(json!({})) }))
        .await;
    let result = &discover["result"];
    assert!(
        result["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!(MODERN)),
        "{discover}"
    );
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["_meta"][SERVER_INFO_KEY], server_info());

    let echoed = pipe
        .request(
            2,
            "tools/call",
            with_meta(
                json!({ "name": "echo", "arguments": { "text": "pipe" } }),
                json!({}),
            ),
        )
        .await;
    assert_eq!(
        echoed,
        json!({ "jsonrpc": "2.0", "id": 2, "result": { "content": text_content("pipe"),
            "resultType": "complete", "_meta": { SERVER_INFO_KEY: server_info() } } })
    );

    let read = pipe
        .request(
            3,
            "resources/read",
            with_meta(json!({ "uri": "memo://b" }), json!({})),
        )
        .await;
    assert_eq!(read["result"]["contents"][0]["text"], "memo b", "{read}");
    assert_eq!(read["result"]["ttlMs"], 300_000, "{read}");

    for (id, uri) in [(4, "memo://missing"), (5, "nothing://here")] {
        let missing = pipe
            .request(
                id,
                "resources/read",
                with_meta(json!({ "uri": uri }), json!({})),
            )
            .await;
        assert_eq!(missing["error"]["code"], -32602, "{missing}");
        assert_eq!(missing["error"]["data"], json!({ "uri": uri }), "{missing}");
    }

    let ping = pipe
        .request(6, "ping", json!({ "_meta": meta(json!({})) }))
        .await;
    assert_eq!(ping["error"]["code"], -32601, "{ping}");
    let no_capabilities = pipe
        .request(7, "tools/list", json!({ "_meta": { VERSION_KEY: MODERN } }))
        .await;
    assert_eq!(
        no_capabilities["error"]["code"], -32602,
        "{no_capabilities}"
    );
    let future = pipe
        .request(
            8,
            "tools/list",
            json!({ "_meta": { VERSION_KEY: "v999", CAPABILITIES_KEY: {} } }),
        )
        .await;
    assert_eq!(future["error"]["code"], -32022, "{future}");
    assert_eq!(future["error"]["data"]["requested"], "v999", "{future}");

    // Without _meta and before initialize, a 2025 request is refused...
    let early = pipe.request(9, "tools/list", json!({})).await;
    assert_eq!(early["error"]["code"], -32600, "{early}");
    // ...and initialize still starts the 2025 era on this connection.
    let hello = json!({ "protocolVersion": SESSION_ERA, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } });
    let init = pipe.request(10, "initialize", hello).await;
    assert_eq!(init["result"]["protocolVersion"], SESSION_ERA, "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "stateless-era");
    let line =
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }).to_string() + "\n";
    pipe.to_server.write_all(line.as_bytes()).await.unwrap();
    let old = pipe
        .request(
            11,
            "tools/call",
            json!({ "name": "echo", "arguments": { "text": "session" } }),
        )
        .await;
    assert_eq!(
        old,
        json!({ "jsonrpc": "2.0", "id": 11, "result": { "content": text_content("session") } })
    );
    // A stateless request still works after the handshake.
    let after = pipe
        .request(
            12,
            "tools/call",
            with_meta(
                json!({ "name": "echo", "arguments": { "text": "again" } }),
                json!({}),
            ),
        )
        .await;
    assert_eq!(after["result"]["resultType"], "complete", "{after}");
}
