//! An SSE stream as an append-only, bounded log: live readers follow it, and a client that
//! lost its connection resumes from `Last-Event-ID` by reading the events it missed.
//! Event ids are `{stream}-{sequence}`, unique within a session and naming their stream.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Notify;

/// One event of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub sequence: u64,
    pub data: String,
}

#[derive(Debug)]
pub(crate) struct EventStream {
    id: u32,
    capacity: usize,
    log: Mutex<Log>,
    closed: AtomicBool,
    /// Bumped when the server ends the live responses reading this stream (SSE polling):
    /// readers opened before a cut stop once they have sent what was there.
    cuts: std::sync::atomic::AtomicU64,
    changed: Notify,
}

#[derive(Debug, Default)]
struct Log {
    events: VecDeque<Event>,
    next_sequence: u64,
    /// The sequence of the response that finished the stream, if one did.
    response: Option<u64>,
}

/// What a reader gets when it asks for events after a position.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Events(Vec<Event>),
    /// Nothing new yet; wait for a change.
    Pending,
    /// Nothing new and nothing will come.
    Closed,
    /// The position fell out of the bounded log.
    Lost,
}

impl EventStream {
    pub(crate) fn new(id: u32, capacity: usize) -> Self {
        EventStream {
            id,
            capacity: capacity.max(1),
            // Sequence 0 is the priming event every SSE response starts with.
            log: Mutex::new(Log {
                events: VecDeque::new(),
                next_sequence: 1,
                response: None,
            }),
            closed: AtomicBool::new(false),
            cuts: std::sync::atomic::AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    pub(crate) fn event_id(&self, sequence: u64) -> String {
        format!("{}-{sequence}", self.id)
    }

    /// Appends a message; the oldest events fall out beyond the capacity.
    pub(crate) fn push(&self, data: String) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        self.append(&mut log, data);
        drop(log);
        self.changed.notify_waiters();
    }

    fn append(&self, log: &mut Log, data: String) {
        let sequence = log.next_sequence;
        log.next_sequence += 1;
        log.events.push_back(Event { sequence, data });
        while log.events.len() > self.capacity {
            log.events.pop_front();
        }
    }

    /// Pushes the response (if any: a cancelled request has none) and closes, in one step:
    /// a reader never sees the response without also seeing the stream closed.
    pub(crate) fn finish(&self, response: Option<String>) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = response {
            log.response = Some(log.next_sequence);
            self.append(&mut log, data);
        }
        self.closed.store(true, Ordering::Release);
        drop(log);
        self.changed.notify_waiters();
    }

    /// Ends the live responses reading the stream now; the client resumes with
    /// `Last-Event-ID` and gets what comes after.
    pub(crate) fn cut(&self) {
        self.cuts.fetch_add(1, Ordering::AcqRel);
        self.changed.notify_waiters();
    }

    /// How many cuts happened so far.
    pub(crate) fn cuts(&self) -> u64 {
        self.cuts.load(Ordering::Acquire)
    }

    /// The response, when it is the stream's only event and the stream is finished: what a
    /// request that sent nothing else is answered with as plain JSON.
    pub(crate) fn sole_response(&self) -> Option<String> {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        match (log.response, log.events.front()) {
            (Some(sequence), Some(event))
                if log.events.len() == 1 && event.sequence == sequence =>
            {
                Some(event.data.clone())
            }
            _ => None,
        }
    }

    /// The sequence of the newest event (0 when none).
    pub(crate) fn last_sequence(&self) -> u64 {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_sequence
            - 1
    }

    /// The events after `after` (a sequence number).
    pub(crate) fn read_after(&self, after: u64) -> Read {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let oldest = log.events.front().map_or(log.next_sequence, |e| e.sequence);
        if after + 1 < oldest {
            return Read::Lost;
        }
        let events: Vec<Event> = log
            .events
            .iter()
            .filter(|e| e.sequence > after)
            .cloned()
            .collect();
        if !events.is_empty() {
            Read::Events(events)
        } else if self.closed.load(Ordering::Acquire) {
            Read::Closed
        } else {
            Read::Pending
        }
    }

    /// Waits until the stream has events after `after`, is closed, or was cut more than
    /// `cuts` times (the count the caller last saw, so a cut before the call is not missed).
    pub(crate) async fn changed(&self, after: u64, cuts: u64) {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.read_after(after) != Read::Pending || self.cuts() != cuts {
                return;
            }
            notified.await;
        }
    }
}

/// Splits an SSE event id into (stream, sequence).
pub(crate) fn parse_event_id(id: &str) -> Option<(u32, u64)> {
    let (stream, sequence) = id.split_once('-')?;
    Some((stream.parse().ok()?, sequence.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_resume_after_a_position_until_it_falls_out() {
        let stream = EventStream::new(3, 2);
        assert_eq!(stream.read_after(0), Read::Pending);
        stream.push("a".into());
        stream.push("b".into());
        assert_eq!(
            stream.read_after(1),
            Read::Events(vec![Event {
                sequence: 2,
                data: "b".into()
            }])
        );
        stream.push("c".into());
        assert_eq!(
            stream.read_after(0),
            Read::Lost,
            "event 1 fell out of a log of two"
        );
        assert_eq!(stream.read_after(3), Read::Pending);
        stream.finish(None);
        assert_eq!(stream.read_after(3), Read::Closed);
        assert_eq!(stream.event_id(7), "3-7");
        assert_eq!(parse_event_id("3-7"), Some((3, 7)));
        assert_eq!(parse_event_id("x"), None);
    }

    #[tokio::test]
    async fn waiters_see_pushes_and_closes() {
        let stream = std::sync::Arc::new(EventStream::new(1, 8));
        let waiter = tokio::spawn({
            let stream = stream.clone();
            async move { stream.changed(0, 0).await }
        });
        tokio::task::yield_now().await;
        stream.push("x".into());
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
            .await
            .unwrap()
            .unwrap();
    }
}
