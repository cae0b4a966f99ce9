//! What a connection receives besides requests: notifications (a cancellation may be for
//! a request another replica runs), and the messages it passes on to those replicas.

use super::Connection;
use crate::protocol::RequestId;
use crate::shared::Message;
use crate::store::Topic;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

impl Connection {
    /// Tells the other replicas serving this session (an HTTP one; a connection of its
    /// own has no other replica) what `message` makes for it, without holding up the
    /// message that prompted it.
    pub(super) fn tell_elsewhere(&self, message: impl FnOnce(String) -> Message) {
        let Some(session) = self.session.id() else {
            tracing::debug!("ignoring a message about no request of this connection");
            return;
        };
        let message = message(session.to_owned());
        let server = Arc::clone(&self.server);
        let topic = Topic::Session(session.into());
        crate::background::spawn(async move { server.tell(&topic, &message).await });
    }

    pub(super) fn notification(&self, method: &str, params: Option<&RawValue>) {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Cancelled {
            request_id: RequestId,
        }
        match method {
            "notifications/cancelled" => {
                match crate::protocol::decode_params::<Cancelled>(params) {
                    Ok(Cancelled { request_id }) => {
                        if !self.session.cancel_request(&request_id) {
                            // It may run on another replica serving this session.
                            self.tell_elsewhere(|session| Message::Cancel {
                                session,
                                request: request_id,
                            });
                        }
                    }
                    Err(e) => tracing::debug!(error = %e, "ignoring a malformed cancellation"),
                }
            }
            "notifications/initialized" | "notifications/roots/list_changed" => {}
            other => tracing::debug!(method = other, "ignoring an unknown notification"),
        }
    }
}
