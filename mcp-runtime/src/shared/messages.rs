//! What replicas tell each other over the bus, and what a replica does with it. A message
//! is a nudge about state the stores hold: losing one (the bus was down) loses that nudge,
//! never the state.

use super::{Notice, Shared};
use crate::protocol::{RequestId, RpcError};
use crate::registry::BindingKind;
use crate::store::Topic;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::sync::Arc;

/// A message between replicas. Externally tagged: an internally tagged enum is buffered
/// before it is read, which a client's raw answer cannot go through.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Message {
    /// `notifications/cancelled` for a request that runs on another replica.
    Cancel { session: String, request: RequestId },
    /// The client's answer to a request the replica waiting for it sent.
    Answer {
        session: String,
        id: RequestId,
        outcome: Result<Box<RawValue>, RpcError>,
    },
    /// The session ended (`DELETE`): every replica lets it go.
    Ended { session: String },
    /// A notice for every other replica's own connections and listeners (`from` already
    /// delivered it to its own).
    Notice { notice: Notice, from: u64 },
    /// A binding was enabled or disabled on the server `from`: every other one follows.
    Enabled {
        binding: BindingKind,
        name: String,
        enabled: bool,
        from: u64,
    },
    /// `tasks/update` brought input for a task running on the replica told.
    TaskInput { task: String },
    /// `tasks/cancel` cancelled a task running on the replica told.
    TaskCancelled { task: String },
}

impl Shared {
    /// Publishes `message` to `topic`. A bus that cannot be reached loses it (logged).
    pub(crate) async fn tell(&self, topic: &Topic, message: &Message) {
        let payload = serde_json::to_vec(message).expect("bus messages encode as JSON");
        if let Err(error) = self.bus.publish(topic, payload).await {
            tracing::warn!(%error, ?topic, "a message to other replicas was lost");
        }
    }

    /// Handles one message from the bus (delivered to every replica listening, this one
    /// included).
    pub(crate) fn receive(self: &Arc<Self>, payload: &[u8]) {
        let message: Message = match serde_json::from_slice(payload) {
            Ok(message) => message,
            Err(error) => {
                tracing::warn!(%error, "ignoring a bus message this version does not read");
                return;
            }
        };
        match message {
            Message::Cancel { session, request } => {
                if let Some(session) = self.live.get(&session) {
                    session.cancel_request(&request);
                }
            }
            Message::Answer {
                session,
                id,
                outcome,
            } => {
                if let Some(session) = self.live.get(&session) {
                    // Nobody here waits for it: another replica does, or nobody any more.
                    let _ = session.pending.complete(&id, outcome);
                }
            }
            Message::Ended { session } => self.forget_session(&session),
            Message::Notice { notice, from } if from != self.instance => {
                let server = Arc::clone(self);
                crate::background::spawn(async move { server.deliver_locally(&notice).await });
            }
            Message::Enabled {
                binding,
                name,
                enabled,
                from,
            } if from != self.instance => {
                self.registry.set_enabled(binding, &name, enabled);
            }
            // This server's own, back from the bus: done already.
            Message::Notice { .. } | Message::Enabled { .. } => {}
            Message::TaskInput { task } => {
                if let Some(task) = self.running_tasks.get(&task) {
                    task.wake();
                }
            }
            Message::TaskCancelled { task } => {
                if let Some(task) = self.running_tasks.get(&task) {
                    task.cancel();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_reads_back_as_written() {
        let answer = RawValue::from_string(r#"{"action":"accept","n":1.50}"#.into()).unwrap();
        let messages = [
            Message::Answer {
                session: "s".into(),
                id: RequestId::String("a-1".into()),
                outcome: Ok(answer),
            },
            Message::Answer {
                session: "s".into(),
                id: RequestId::Number(2),
                outcome: Err(RpcError::new(-1, "declined")),
            },
            Message::Cancel {
                session: "s".into(),
                request: RequestId::Number(9),
            },
            Message::Notice {
                notice: Notice::ResourceUpdated {
                    uri: "a://1".into(),
                },
                from: 7,
            },
            Message::Enabled {
                binding: BindingKind::Tool,
                name: "x".into(),
                enabled: false,
                from: 7,
            },
            Message::TaskInput { task: "t".into() },
        ];
        for message in messages {
            let written = serde_json::to_vec(&message).unwrap();
            let read: Message = serde_json::from_slice(&written).unwrap();
            assert_eq!(format!("{read:?}"), format!("{message:?}"));
        }
    }
}
