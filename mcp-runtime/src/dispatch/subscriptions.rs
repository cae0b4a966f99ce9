//! `subscriptions/listen`: one long-lived stream per listener. The acknowledgement comes
//! first; then each notification the listener asked for, tagged with its subscription id;
//! the stream ends when the client closes it (or cancels the request).

use super::{Reply, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{RpcError, decode_params};
use crate::shared::Shared;
use crate::shared::listeners::{ListenFilter, Listener};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use std::sync::Arc;

#[derive(Deserialize)]
struct ListenParams {
    notifications: ListenFilter,
}

pub(super) async fn listen(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let ListenParams { notifications } = decode_params(params)?;
    let subscription_id = json!(env.request_id());
    let accepted = json!({
        "toolsListChanged": notifications.tools_list_changed,
        "promptsListChanged": notifications.prompts_list_changed,
        "resourcesListChanged": notifications.resources_list_changed,
        "resourceSubscriptions": notifications.resource_subscriptions,
    });
    let listener = Arc::new(Listener {
        caller: env.rate_limit_key(),
        subscription_id: subscription_id.clone(),
        filter: notifications,
        outbound: env.outbound().clone(),
    });
    let (max, per_caller) = (
        server.config.max_listeners,
        server.config.max_listeners_per_caller,
    );
    if !server.listeners.add(Arc::clone(&listener), max, per_caller) {
        return Err(RpcError::busy(
            format!(
                "server busy: too many subscription streams are open ({max} in all: \
                 max_listeners; {per_caller} per caller: max_listeners_per_caller); retry later"
            ),
            60,
        ));
    }
    let registration = Registration { server, listener };
    let ack = registration.listener.tagged(
        "notifications/subscriptions/acknowledged",
        json!({ "notifications": accepted }),
    );
    env.outbound().send(ack).await;
    // Until the client goes, or the server stops (the client listens again elsewhere).
    tokio::select! {
        () = env.cancellation.cancelled() => {}
        () = server.stopped() => {}
    }
    drop(registration);
    to_reply(&json!({ "_meta": { "io.modelcontextprotocol/subscriptionId": subscription_id } }))
}

/// Unregisters the listener however the request ends (a dropped future included).
struct Registration<'s> {
    server: &'s Shared,
    listener: Arc<Listener>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.server.listeners.remove(&self.listener);
    }
}
