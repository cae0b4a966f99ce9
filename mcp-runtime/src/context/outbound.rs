use tokio::sync::mpsc;

/// The way back to the client for messages that are not the response itself
/// (progress, log messages). On stdio it is the process's writer; on HTTP the request's stream.
#[derive(Debug, Clone)]
pub(crate) struct Outbound {
    sender: mpsc::Sender<String>,
}

impl Outbound {
    pub(crate) fn new(sender: mpsc::Sender<String>) -> Self {
        Outbound { sender }
    }

    /// Queues one encoded message. A closed transport drops it: the client is gone.
    pub(crate) async fn send(&self, message: String) {
        let _ = self.sender.send(message).await;
    }
}
