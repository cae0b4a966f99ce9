#[cfg(feature = "http")]
use crate::session::ResponseStream;
#[cfg(feature = "http")]
use std::sync::Arc;
use tokio::sync::mpsc;

/// The way back to the client for messages that are not the response itself (progress,
/// log messages, server-to-client requests): on stdio the process's writer, on HTTP the
/// request's answer (which they make an SSE stream).
#[derive(Debug, Clone)]
pub(crate) enum Outbound {
    Channel(mpsc::Sender<String>),
    #[cfg(feature = "http")]
    Response(Arc<ResponseStream>),
}

impl Outbound {
    pub(crate) fn new(sender: mpsc::Sender<String>) -> Self {
        Outbound::Channel(sender)
    }

    /// Ends the live HTTP response of this request (SSE polling); what the request sends
    /// later is kept for the client to resume with `Last-Event-ID`. A no-op elsewhere.
    pub(crate) async fn cut(&self) {
        match self {
            Outbound::Channel(_) => {}
            #[cfg(feature = "http")]
            Outbound::Response(stream) => stream.cut().await,
        }
    }

    /// Queues one encoded message. A closed transport drops it: the client is gone.
    pub(crate) async fn send(&self, message: String) {
        match self {
            Outbound::Channel(sender) => {
                let _ = sender.send(message).await;
            }
            #[cfg(feature = "http")]
            Outbound::Response(stream) => stream.send(message).await,
        }
    }
}
