//! `subscriptions/listen` streams of the stateless era: who listens for what, and the
//! tagged notifications they receive.

use crate::context::Outbound;
use crate::protocol::notification;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// Which notifications a listener asked for.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListenFilter {
    #[serde(default)]
    pub tools_list_changed: bool,
    #[serde(default)]
    pub prompts_list_changed: bool,
    #[serde(default)]
    pub resources_list_changed: bool,
    #[serde(default)]
    pub resource_subscriptions: Vec<String>,
}

/// Something listeners may hear about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Notice<'a> {
    ToolsListChanged,
    PromptsListChanged,
    ResourcesListChanged,
    ResourceUpdated(&'a str),
}

#[derive(Debug)]
pub(crate) struct Listener {
    /// Who listens (the key rate limits count against): each caller has a cap of its own.
    pub caller: String,
    /// The listen request's id, which tags everything sent on its stream.
    pub subscription_id: Value,
    pub filter: ListenFilter,
    pub outbound: Outbound,
}

impl Listener {
    fn wants(&self, notice: Notice<'_>) -> bool {
        match notice {
            Notice::ToolsListChanged => self.filter.tools_list_changed,
            Notice::PromptsListChanged => self.filter.prompts_list_changed,
            Notice::ResourcesListChanged => self.filter.resources_list_changed,
            Notice::ResourceUpdated(uri) => {
                self.filter.resource_subscriptions.iter().any(|u| u == uri)
            }
        }
    }

    /// A notification tagged with this subscription.
    pub(crate) fn tagged(&self, method: &str, mut params: Value) -> String {
        params["_meta"] = json!({ "io.modelcontextprotocol/subscriptionId": self.subscription_id });
        notification(method, params)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Listeners {
    entries: Mutex<Vec<Arc<Listener>>>,
}

impl Listeners {
    /// Registers `listener`; `false` when `max` listeners are registered already, or
    /// `per_caller` of its caller's.
    pub(crate) fn add(&self, listener: Arc<Listener>, max: usize, per_caller: usize) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let callers = entries
            .iter()
            .filter(|l| l.caller == listener.caller)
            .count();
        if entries.len() >= max || callers >= per_caller {
            return false;
        }
        entries.push(listener);
        true
    }

    pub(crate) fn remove(&self, listener: &Arc<Listener>) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|l| !Arc::ptr_eq(l, listener));
    }

    /// Sends `notice` to every listener that asked for it.
    pub(crate) async fn broadcast(&self, notice: Notice<'_>) {
        let listeners: Vec<Arc<Listener>> = {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .iter()
                .filter(|l| l.wants(notice))
                .cloned()
                .collect()
        };
        let (method, params) = match notice {
            Notice::ToolsListChanged => ("notifications/tools/list_changed", json!({})),
            Notice::PromptsListChanged => ("notifications/prompts/list_changed", json!({})),
            Notice::ResourcesListChanged => ("notifications/resources/list_changed", json!({})),
            Notice::ResourceUpdated(uri) => {
                ("notifications/resources/updated", json!({ "uri": uri }))
            }
        };
        for listener in listeners {
            listener
                .outbound
                .send(listener.tagged(method, params.clone()))
                .await;
        }
    }
}
