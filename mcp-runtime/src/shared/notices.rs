//! Notices every client hears: a list changed, a resource was updated. HTTP sessions get
//! them on their standalone streams, written once by the replica the notice comes from (so
//! a client reading on any replica, or resuming later, sees each exactly once); each
//! replica passes them on to its own stdio connections and `subscriptions/listen` streams.

use super::listeners;
use super::{Message, Shared};
use crate::protocol::notification;
use crate::registry::BindingKind;
use crate::store::{StoreError, Topic};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Something every interested client hears about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub(crate) enum Notice {
    ListChanged { binding: BindingKind },
    ResourceUpdated { uri: String },
}

impl Notice {
    /// The notification as sent.
    fn message(&self) -> String {
        match self {
            Notice::ListChanged { binding } => notification(list_changed(*binding), json!({})),
            Notice::ResourceUpdated { uri } => {
                notification("notifications/resources/updated", json!({ "uri": uri }))
            }
        }
    }

    /// The resource a session must be subscribed to for this notice, if any.
    fn uri(&self) -> Option<&str> {
        match self {
            Notice::ListChanged { .. } => None,
            Notice::ResourceUpdated { uri } => Some(uri),
        }
    }

    fn for_listeners(&self) -> listeners::Notice<'_> {
        match self {
            Notice::ListChanged {
                binding: BindingKind::Tool,
            } => listeners::Notice::ToolsListChanged,
            Notice::ListChanged {
                binding: BindingKind::Resource,
            } => listeners::Notice::ResourcesListChanged,
            Notice::ListChanged {
                binding: BindingKind::Prompt,
            } => listeners::Notice::PromptsListChanged,
            Notice::ResourceUpdated { uri } => listeners::Notice::ResourceUpdated(uri),
        }
    }
}

fn list_changed(binding: BindingKind) -> &'static str {
    match binding {
        BindingKind::Tool => "notifications/tools/list_changed",
        BindingKind::Resource => "notifications/resources/list_changed",
        BindingKind::Prompt => "notifications/prompts/list_changed",
    }
}

impl Shared {
    /// Tells every interested client, on every replica: this replica's own connections and
    /// listeners before it returns.
    pub(crate) async fn announce(&self, notice: Notice) -> Result<(), StoreError> {
        self.deliver_locally(&notice).await;
        let message = notice.message();
        let audience = self.sessions.audience(notice.uri()).await;
        let others = Message::Notice {
            notice,
            from: self.instance,
        };
        self.tell(&Topic::Everyone, &others).await;
        let audience = audience?;
        if !audience.is_empty() {
            self.events.announce(audience, message).await?;
        }
        Ok(())
    }

    /// Passes a notice on to this replica's own connections and listeners.
    pub(crate) async fn deliver_locally(&self, notice: &Notice) {
        let message = notice.message();
        for connection in self.open_connections() {
            if notice.uri().is_none_or(|uri| connection.is_subscribed(uri)) {
                connection.notify(message.clone()).await;
            }
        }
        self.listeners.broadcast(notice.for_listeners()).await;
    }
}
