//! Arbitrary bytes as one JSON-RPC message: the decoder, then dispatch of whatever it
//! decodes. The same bytes go to a client that has not initialized, to an initialized
//! 2025-era session, and (with the revision and capabilities added to `_meta`) as a
//! stateless 2026-era request. Each must be answered with one well-formed response
//! carrying the request's id, and nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_fuzz::{check_answer, check_notifications, check_stateless_result, run, send, server};
use mcp_runtime::testing::TestClient;

fuzz_target!(|data: &[u8]| {
    run(async {
        let server = server();

        let fresh = TestClient::connect_uninitialized(server, None);
        let sent = send(&fresh, data).await;
        check_answer(data, &sent);

        let session = TestClient::connect(server).await;
        let sent = send(&session, data).await;
        check_answer(data, &sent);
        check_notifications(&session).await;

        if let Some(stateless) = mcp_fuzz::stateless_variant(data) {
            let client = TestClient::connect_uninitialized(server, None);
            let sent = send(&client, &stateless).await;
            if let Some(response) = check_answer(&stateless, &sent) {
                check_stateless_result(&response);
            }
            check_notifications(&client).await;
        }
    });
});
