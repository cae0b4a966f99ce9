//! SSE responses read from a stream's log: a priming event carrying an id (so a client can
//! resume even before the first message), then the messages, with keep-alive comments
//! while idle. A dropped connection leaves the log intact for resumption; a log that can no
//! longer be read (the store went away, the session ended) ends the response cleanly.

use super::get::StreamClaim;
use crate::session::{Session, Source};
use crate::store::{Read, Watch};
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response, StatusCode, header};
use std::any::Any;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// How a stream starts.
pub(crate) struct Opening {
    /// The position to read after.
    pub after: u64,
    /// Send a priming event (id of `after`, empty data) and the `retry:` interval first.
    pub prime: Option<Duration>,
    pub keep_alive: Duration,
    /// The stream's cut count this response belongs to (a later cut ends it); `None`: the
    /// count when it is first read.
    pub cuts: Option<u64>,
    /// Held while the response lives (cancels a stateless call when the client goes).
    pub guard: Option<Box<dyn Any + Send>>,
    /// The stream's session: when it ends, so does the response.
    pub session: Option<Arc<Session>>,
    /// The claim on a session's standalone stream, renewed while the response lives.
    pub claim: Option<StreamClaim>,
    /// Turns true when the server begins to shut down, which ends the response (given to
    /// streams that would never end by themselves).
    pub stopping: Option<tokio::sync::watch::Receiver<bool>>,
}

struct Reader {
    source: Source,
    position: u64,
    cuts: Option<u64>,
    prime: Option<Duration>,
    keep_alive: Duration,
    watch: Option<Watch>,
    session: Option<Arc<Session>>,
    claim: Option<StreamClaim>,
    stopping: Option<tokio::sync::watch::Receiver<bool>>,
    done: bool,
    _guard: Option<Box<dyn Any + Send>>,
}

pub(crate) fn response(source: Source, opening: Opening) -> Response<Body> {
    let reader = Reader {
        source,
        position: opening.after,
        cuts: opening.cuts,
        prime: opening.prime,
        keep_alive: opening.keep_alive,
        watch: None,
        session: opening.session,
        claim: opening.claim,
        stopping: opening.stopping,
        done: false,
        _guard: opening.guard,
    };
    let body = futures_util::stream::unfold(reader, |mut reader| async move {
        let chunk = reader.next_chunk().await?;
        Some((Ok::<Bytes, std::convert::Infallible>(chunk), reader))
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// What a wait for the stream came to.
enum Waited {
    Changed,
    Idle,
    Ended,
}

impl Reader {
    async fn next_chunk(&mut self) -> Option<Bytes> {
        if let Some(retry) = self.prime.take() {
            let id = self.source.event_id(self.position);
            return Some(Bytes::from(format!(
                "id: {id}\nretry: {}\ndata: \n\n",
                retry.as_millis()
            )));
        }
        while !self.done {
            // Watch before reading, so a change between the read and the wait is seen.
            if self.watch.is_none() {
                match self.source.watch().await {
                    Ok(watch) => self.watch = Some(watch),
                    Err(error) => return self.end_on(&error),
                }
            }
            let (events, closed, cuts) = match self.source.read_after(self.position).await {
                Ok(Read::Held {
                    events,
                    closed,
                    cuts,
                }) => (events, closed, cuts),
                // A reader slower than the log is bounded: it goes on from what is held
                // (the response included) rather than end with nothing.
                Ok(Read::Lost { oldest }) => {
                    tracing::debug!(
                        skipped = oldest - 1 - self.position,
                        "a slow SSE reader skips events that fell out of its log"
                    );
                    self.position = oldest - 1;
                    continue;
                }
                Ok(Read::Unknown) => return None,
                Err(error) => return self.end_on(&error),
            };
            let baseline = *self.cuts.get_or_insert(cuts);
            if !events.is_empty() {
                let mut chunk = String::new();
                for event in events {
                    let id = self.source.event_id(event.sequence);
                    let _ = write!(chunk, "id: {id}\nevent: message\ndata: {}\n\n", event.data);
                    self.position = event.sequence;
                }
                self.done = closed;
                return Some(Bytes::from(chunk));
            }
            if closed || cuts != baseline {
                return None;
            }
            match self.wait().await {
                Waited::Changed => {}
                Waited::Ended => return None,
                Waited::Idle => {
                    if !self.still_wanted().await {
                        return None;
                    }
                    return Some(Bytes::from_static(b": keep-alive\n\n"));
                }
            }
        }
        None
    }

    /// The store could not be read: the response ends, and the client resumes later.
    fn end_on(&mut self, error: &crate::store::StoreError) -> Option<Bytes> {
        tracing::debug!(%error, "an SSE stream ends: its log cannot be read");
        self.done = true;
        None
    }

    async fn wait(&mut self) -> Waited {
        let Reader {
            watch,
            session,
            stopping,
            keep_alive,
            ..
        } = self;
        let watch = watch.as_mut().expect("watched before reading");
        let ended = async {
            match session {
                Some(session) => session.ended().await,
                None => std::future::pending().await,
            }
        };
        let stopped = async {
            match stopping {
                Some(stopping) => drop(stopping.wait_for(|stopping| *stopping).await),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = watch.changed() => Waited::Changed,
            () = ended => Waited::Ended,
            () = stopped => Waited::Ended,
            () = tokio::time::sleep(*keep_alive) => Waited::Idle,
        }
    }

    /// On each idle interval: whether the stream should go on (its session lives and this
    /// response still holds its claim).
    async fn still_wanted(&mut self) -> bool {
        match &self.claim {
            Some(claim) => claim.renew().await,
            None => true,
        }
    }
}
