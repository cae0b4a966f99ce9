//! One SSE stream's events in memory: an append-only log bounded in events, with a change
//! counter that readers watch.

use crate::store::{Event, Read, Watch};
use std::collections::VecDeque;
use std::sync::Mutex;
use tokio::sync::watch;

#[derive(Debug)]
pub(crate) struct EventStream {
    capacity: usize,
    log: Mutex<Log>,
    /// Bumped on every append, close and cut.
    changes: watch::Sender<u64>,
}

#[derive(Debug)]
struct Log {
    events: VecDeque<Event>,
    next_sequence: u64,
    closed: bool,
    cuts: u64,
    /// Bytes of the events held.
    bytes: usize,
}

impl EventStream {
    /// An empty stream keeping at most `capacity` events.
    pub(crate) fn new(capacity: usize) -> Self {
        EventStream {
            capacity: capacity.max(1),
            // Sequence 0 is the priming event every SSE response starts with.
            log: Mutex::new(Log {
                events: VecDeque::new(),
                next_sequence: 1,
                closed: false,
                cuts: 0,
                bytes: 0,
            }),
            changes: watch::Sender::new(0),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Appends an event (and with `close` ends the stream, in the same step: a reader never
    /// sees a response without also seeing the stream closed); the oldest events fall out
    /// beyond the capacity. `None` once the stream is closed.
    #[cfg(any(test, feature = "http"))]
    pub(crate) fn push(&self, data: String, close: bool) -> Option<u64> {
        self.push_counted(data, close).map(|(sequence, _)| sequence)
    }

    /// `push`, also giving the change in bytes held.
    pub(crate) fn push_counted(&self, data: String, close: bool) -> Option<(u64, isize)> {
        let mut log = self.log();
        if log.closed {
            return None;
        }
        let sequence = log.next_sequence;
        log.next_sequence += 1;
        let added = data.len();
        log.bytes += added;
        log.events.push_back(Event { sequence, data });
        let mut dropped = 0;
        while log.events.len() > self.capacity {
            if let Some(event) = log.events.pop_front() {
                dropped += event.data.len();
            }
        }
        log.bytes -= dropped;
        log.closed = close;
        drop(log);
        self.changed();
        Some((sequence, added as isize - dropped as isize))
    }

    /// Bytes of the events held.
    pub(crate) fn bytes(&self) -> usize {
        self.log().bytes
    }

    /// Whether the stream ended (nothing more will be appended).
    pub(crate) fn is_closed(&self) -> bool {
        self.log().closed
    }

    /// Drops the oldest event, unless it is the newest (a response, the latest notice: what
    /// a reader most needs). Returns the bytes freed.
    pub(crate) fn trim_oldest(&self) -> usize {
        let mut log = self.log();
        if log.events.len() < 2 {
            return 0;
        }
        let freed = log.events.pop_front().map_or(0, |event| event.data.len());
        log.bytes -= freed;
        freed
    }

    /// Ends the stream with no further event.
    pub(crate) fn close(&self) {
        self.log().closed = true;
        self.changed();
    }

    /// Ends the live readers: those that saw fewer cuts stop once they sent what they read.
    pub(crate) fn cut(&self) {
        self.log().cuts += 1;
        self.changed();
    }

    /// The sequence of the newest event (0 when none).
    pub(crate) fn last_sequence(&self) -> u64 {
        self.log().next_sequence - 1
    }

    /// The events after `after`.
    pub(crate) fn read_after(&self, after: u64) -> Read {
        let log = self.log();
        let oldest = log.events.front().map_or(log.next_sequence, |e| e.sequence);
        if after.saturating_add(1) < oldest {
            return Read::Lost { oldest };
        }
        let skip = usize::try_from(after.saturating_add(1) - oldest).unwrap_or(usize::MAX);
        Read::Held {
            events: log.events.iter().skip(skip).cloned().collect(),
            closed: log.closed,
            cuts: log.cuts,
        }
    }

    /// A watch on this stream's changes.
    pub(crate) fn watch(&self) -> Watch {
        Watch::new(self.changes.subscribe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(read: Read) -> Vec<(u64, String)> {
        match read {
            Read::Held { events, .. } => events.into_iter().map(|e| (e.sequence, e.data)).collect(),
            other => panic!("not held: {other:?}"),
        }
    }

    #[test]
    fn readers_resume_after_a_position_until_it_falls_out() {
        let stream = EventStream::new(2);
        assert_eq!(events(stream.read_after(0)), []);
        stream.push("a".into(), false);
        stream.push("b".into(), false);
        assert_eq!(events(stream.read_after(1)), [(2, "b".into())]);
        stream.push("c".into(), false);
        assert_eq!(
            stream.read_after(0),
            Read::Lost { oldest: 2 },
            "event 1 fell out of a log of two"
        );
        assert_eq!(
            events(stream.read_after(1)),
            [(2, "b".into()), (3, "c".into())]
        );
        stream.push("last".into(), true);
        assert_eq!(
            stream.push("late".into(), false),
            None,
            "nothing after the end"
        );
        let Read::Held { closed, .. } = stream.read_after(4) else {
            panic!("held")
        };
        assert!(closed);
    }

    #[tokio::test]
    async fn watchers_see_pushes_cuts_and_closes() {
        let stream = std::sync::Arc::new(EventStream::new(8));
        for change in [
            (|s: &EventStream| {
                s.push("x".into(), false);
            }) as fn(&EventStream),
            |s| s.cut(),
            |s| s.close(),
        ] {
            let mut watch = stream.watch();
            change(&stream);
            tokio::time::timeout(std::time::Duration::from_secs(1), watch.changed())
                .await
                .expect("the watch saw the change");
        }
    }
}
