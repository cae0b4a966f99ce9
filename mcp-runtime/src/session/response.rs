//! The answer to one POST. What its request sends before the response (progress, log
//! messages, requests to the client) makes the answer an SSE stream, whose events go to a
//! log a client can resume from; a request that sends nothing but its response is answered
//! with plain JSON, and nothing of it is logged.

use crate::store::{EventLog, EventStream, LogLimits, Read, StoreError, StreamKey, Watch};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Where a streamed answer's events go.
#[derive(Debug)]
pub(crate) enum Log {
    /// The session's logs in the store, so the stream resumes on any replica.
    Session {
        events: Arc<dyn EventLog>,
        session: Arc<str>,
        limits: LogLimits,
    },
    /// This process only: a stateless request's stream, which is never resumed.
    Private { capacity: usize },
}

impl Log {
    /// Opens a stream; `None` when its session is gone.
    async fn open(&self) -> Result<Option<Source>, StoreError> {
        match self {
            Log::Session {
                events,
                session,
                limits,
            } => Ok(events
                .open(session, *limits)
                .await?
                .map(|key| Source::Store {
                    events: Arc::clone(events),
                    key,
                })),
            Log::Private { capacity } => Ok(Some(Source::Private {
                stream: Arc::new(EventStream::new(*capacity)),
                number: 1,
            })),
        }
    }
}

/// A stream to read from: in the store, or private to this process.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Store {
        events: Arc<dyn EventLog>,
        key: StreamKey,
    },
    Private {
        stream: Arc<EventStream>,
        number: u64,
    },
}

impl Source {
    /// The SSE event id of the event at `sequence`.
    pub(crate) fn event_id(&self, sequence: u64) -> String {
        let number = match self {
            Source::Store { key, .. } => key.stream(),
            Source::Private { number, .. } => *number,
        };
        format!("{number}-{sequence}")
    }

    pub(crate) async fn read_after(&self, after: u64) -> Result<Read, StoreError> {
        match self {
            Source::Store { events, key } => events.read_after(key, after).await,
            Source::Private { stream, .. } => Ok(stream.read_after(after)),
        }
    }

    pub(crate) async fn watch(&self) -> Result<Watch, StoreError> {
        match self {
            Source::Store { events, key } => events.watch(key).await,
            Source::Private { stream, .. } => Ok(stream.watch()),
        }
    }

    async fn append(&self, data: String, close: bool) -> Result<(), StoreError> {
        match self {
            Source::Store { events, key } => events.append(key, data, close).await.map(drop),
            Source::Private { stream, .. } => {
                stream.push(data, close);
                Ok(())
            }
        }
    }

    async fn close(&self) -> Result<(), StoreError> {
        match self {
            Source::Store { events, key } => events.close(key).await,
            Source::Private { stream, .. } => {
                stream.close();
                Ok(())
            }
        }
    }

    async fn cut(&self) -> Result<(), StoreError> {
        match self {
            Source::Store { events, key } => events.cut(key).await,
            Source::Private { stream, .. } => {
                stream.cut();
                Ok(())
            }
        }
    }
}

/// How a POST is answered.
#[derive(Debug)]
pub(crate) enum Decision {
    /// Not known yet.
    Undecided,
    /// The response alone, as plain JSON.
    Json(String),
    /// An SSE stream, read from here.
    Stream(Source),
    /// The session ended before the stream could be opened.
    Gone,
    /// The store could not open the stream.
    Failed(StoreError),
}

/// The state of the writing side.
enum Writer {
    /// Nothing sent yet.
    Undecided,
    Streaming(Source),
    Finished,
}

/// One POST's answer: written by its request, read by its HTTP response.
pub(crate) struct ResponseStream {
    log: Log,
    /// Serialises what is written, in the order the request sends it.
    writer: tokio::sync::Mutex<Writer>,
    decision: Mutex<Decision>,
    decided: Notify,
}

impl std::fmt::Debug for ResponseStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseStream")
            .field("log", &self.log)
            .finish_non_exhaustive()
    }
}

impl ResponseStream {
    pub(crate) fn new(log: Log) -> Self {
        ResponseStream {
            log,
            writer: tokio::sync::Mutex::new(Writer::Undecided),
            decision: Mutex::new(Decision::Undecided),
            decided: Notify::new(),
        }
    }

    fn decide(&self, decision: Decision) {
        *self.decision.lock().unwrap_or_else(|e| e.into_inner()) = decision;
        self.decided.notify_waiters();
    }

    /// The stream being written, opening it on the first event (the answer is then a
    /// stream); `None` when nothing more can be written.
    async fn streaming(&self, writer: &mut Writer) -> Option<Source> {
        match writer {
            Writer::Streaming(source) => Some(source.clone()),
            Writer::Finished => None,
            Writer::Undecided => {
                let opened = self.log.open().await;
                let source = match opened {
                    Ok(Some(source)) => source,
                    Ok(None) => {
                        *writer = Writer::Finished;
                        self.decide(Decision::Gone);
                        return None;
                    }
                    Err(error) => {
                        *writer = Writer::Finished;
                        self.decide(Decision::Failed(error));
                        return None;
                    }
                };
                *writer = Writer::Streaming(source.clone());
                self.decide(Decision::Stream(source.clone()));
                Some(source)
            }
        }
    }

    /// Sends a message of the request before its response. A closed answer drops it: the
    /// request ended.
    pub(crate) async fn send(&self, message: String) {
        let mut writer = self.writer.lock().await;
        if let Some(source) = self.streaming(&mut writer).await
            && let Err(error) = source.append(message, false).await
        {
            tracing::debug!(%error, "a message of a streamed answer was not logged");
        }
    }

    /// Makes the answer a stream now, if nothing decided it yet: a call silent for a while
    /// gets its headers and a priming event (an event id to resume from) before a proxy's
    /// idle timeout can cut it.
    pub(crate) async fn promote(&self) {
        let mut writer = self.writer.lock().await;
        let _ = self.streaming(&mut writer).await;
    }

    /// Ends the answer's live readers now (SSE polling); what comes later is read by the
    /// client's resumption. Makes the answer a stream if it was not one yet.
    pub(crate) async fn cut(&self) {
        let mut writer = self.writer.lock().await;
        if let Some(source) = self.streaming(&mut writer).await
            && let Err(error) = source.cut().await
        {
            tracing::debug!(%error, "a streamed answer could not be cut");
        }
    }

    /// The request's response (`None`: it was cancelled, and gets a stream that just
    /// ends): plain JSON when nothing came before it, else the stream's last event.
    pub(crate) async fn finish(&self, response: Option<String>) {
        let mut writer = self.writer.lock().await;
        let response = match (&*writer, response) {
            (Writer::Undecided, Some(line)) => {
                *writer = Writer::Finished;
                drop(writer);
                self.decide(Decision::Json(line));
                return;
            }
            (_, response) => response,
        };
        if let Some(source) = self.streaming(&mut writer).await {
            let ended = match response {
                Some(line) => source.append(line, true).await,
                None => source.close().await,
            };
            if let Err(error) = ended {
                tracing::debug!(%error, "the end of a streamed answer was not logged");
            }
        }
        *writer = Writer::Finished;
    }

    /// The response of a request that sent nothing before it, given back as the answer
    /// when nothing else was written (the stream is then finished); else given back, to
    /// `finish` the stream with.
    pub(crate) fn answered_alone(&self, response: String) -> Result<String, String> {
        match self.writer.try_lock() {
            Ok(mut writer) if matches!(*writer, Writer::Undecided) => {
                *writer = Writer::Finished;
                Ok(response)
            }
            _ => Err(response),
        }
    }

    /// How the request is answered, once known (taken once).
    pub(crate) async fn decided(&self) -> Decision {
        loop {
            let notified = self.decided.notified();
            tokio::pin!(notified);
            // Registered before the look, so a decision in between is not missed.
            notified.as_mut().enable();
            {
                let mut decision = self.decision.lock().unwrap_or_else(|e| e.into_inner());
                if !matches!(*decision, Decision::Undecided) {
                    return std::mem::replace(&mut *decision, Decision::Gone);
                }
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private() -> ResponseStream {
        ResponseStream::new(Log::Private { capacity: 8 })
    }

    #[tokio::test]
    async fn a_response_alone_is_plain_json() {
        let stream = private();
        stream.finish(Some("the response".into())).await;
        assert!(matches!(stream.decided().await, Decision::Json(line) if line == "the response"));
    }

    #[tokio::test]
    async fn anything_before_the_response_makes_a_stream_holding_both() {
        let stream = private();
        stream.send("progress".into()).await;
        stream.finish(Some("the response".into())).await;
        let Decision::Stream(source) = stream.decided().await else {
            panic!("a stream")
        };
        let Read::Held { events, closed, .. } = source.read_after(0).await.unwrap() else {
            panic!("held")
        };
        let data: Vec<_> = events.into_iter().map(|e| e.data).collect();
        assert_eq!(data, ["progress", "the response"]);
        assert!(closed);
        assert_eq!(source.event_id(2), "1-2");
    }

    #[tokio::test]
    async fn a_cancelled_request_gets_a_stream_that_ends_and_a_cut_one_a_stream() {
        let cancelled = private();
        cancelled.finish(None).await;
        assert!(matches!(cancelled.decided().await, Decision::Stream(_)));
        let cut = private();
        cut.cut().await;
        let Decision::Stream(source) = cut.decided().await else {
            panic!("a stream")
        };
        let Read::Held { cuts, .. } = source.read_after(0).await.unwrap() else {
            panic!("held")
        };
        assert_eq!(cuts, 1);
    }
}
