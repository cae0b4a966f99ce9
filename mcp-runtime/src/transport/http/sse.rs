//! SSE responses read from a session's event log: a priming event carrying an id (so a
//! client can resume even before the first message), then the messages, with keep-alive
//! comments while idle. A dropped connection leaves the log intact for resumption.

use crate::session::{EventStream, Read};
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
    /// The stream's cut count this response belongs to: a cut after it ends the response.
    pub cuts: u64,
    /// Held while the response lives (releases a reader claim when the client goes).
    pub guard: Option<Box<dyn Any + Send>>,
}

struct Reader {
    stream: Arc<EventStream>,
    position: u64,
    /// The stream's cut count when this response started; a later cut ends it.
    cuts: u64,
    prime: Option<Duration>,
    keep_alive: Duration,
    done: bool,
    _guard: Option<Box<dyn Any + Send>>,
}

pub(crate) fn response(stream: Arc<EventStream>, opening: Opening) -> Response<Body> {
    let reader = Reader {
        cuts: opening.cuts,
        stream,
        position: opening.after,
        prime: opening.prime,
        keep_alive: opening.keep_alive,
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

impl Reader {
    async fn next_chunk(&mut self) -> Option<Bytes> {
        if let Some(retry) = self.prime.take() {
            let id = self.stream.event_id(self.position);
            return Some(Bytes::from(format!(
                "id: {id}\nretry: {}\ndata: \n\n",
                retry.as_millis()
            )));
        }
        loop {
            if self.done {
                return None;
            }
            match self.stream.read_after(self.position) {
                Read::Events(events) => {
                    let mut chunk = String::new();
                    for event in events {
                        let id = self.stream.event_id(event.sequence);
                        let _ = write!(chunk, "id: {id}\nevent: message\ndata: {}\n\n", event.data);
                        self.position = event.sequence;
                    }
                    return Some(Bytes::from(chunk));
                }
                Read::Closed | Read::Lost => self.done = true,
                Read::Pending if self.stream.cuts() != self.cuts => self.done = true,
                Read::Pending => {
                    let changed = tokio::time::timeout(
                        self.keep_alive,
                        self.stream.changed(self.position, self.cuts),
                    )
                    .await;
                    if changed.is_err() {
                        return Some(Bytes::from_static(b": keep-alive\n\n"));
                    }
                }
            }
        }
    }
}
