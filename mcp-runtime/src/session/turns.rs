//! Turns of an HTTP session's requests: at most `requests_in_flight` run at once; more wait
//! their turn in a bounded queue, for a bounded time, rather than being refused at once.
//! (stdio needs none of it: its reader stops reading at the cap.)

use super::Session;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The running requests' permits and how many requests wait for one.
#[derive(Debug)]
pub(crate) struct Turns {
    permits: Semaphore,
    waiting: AtomicUsize,
}

/// Why a request got no turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoTurn {
    /// `queue` requests wait already.
    QueueFull { queue: usize },
    /// No turn came within the wait limit.
    TimedOut { waited: Duration },
}

/// A request's turn, given back when dropped.
#[derive(Debug)]
pub(crate) struct Turn(Arc<Session>);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.turns.permits.add_permits(1);
    }
}

impl Turns {
    pub(crate) fn new(running: usize) -> Self {
        Turns {
            permits: Semaphore::new(running.max(1)),
            waiting: AtomicUsize::new(0),
        }
    }
}

impl Session {
    /// Waits for a turn to run a request: at once below the cap; otherwise in a queue of at
    /// most `queue` requests, for at most `wait`.
    pub(crate) async fn take_turn(
        self: &Arc<Self>,
        queue: usize,
        wait: Duration,
    ) -> Result<Turn, NoTurn> {
        let turns = &self.turns;
        if let Ok(permit) = turns.permits.try_acquire() {
            permit.forget();
            return Ok(Turn(Arc::clone(self)));
        }
        if turns.waiting.fetch_add(1, Ordering::AcqRel) >= queue {
            turns.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(NoTurn::QueueFull { queue });
        }
        let acquired = tokio::time::timeout(wait, turns.permits.acquire()).await;
        turns.waiting.fetch_sub(1, Ordering::AcqRel);
        match acquired {
            Ok(Ok(permit)) => {
                permit.forget();
                Ok(Turn(Arc::clone(self)))
            }
            // The semaphore is never closed.
            Ok(Err(_)) | Err(_) => Err(NoTurn::TimedOut { waited: wait }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionLimits;

    fn session(running: usize) -> Arc<Session> {
        let limits = SessionLimits {
            requests_in_flight: running,
            ..SessionLimits::default()
        };
        Arc::new(Session::http("s".into(), "r", limits))
    }

    #[tokio::test]
    async fn turns_queue_within_bounds_and_come_back_when_dropped() {
        let session = session(1);
        let wait = Duration::from_millis(200);
        let first = session.take_turn(1, wait).await.expect("a free turn");
        let queued = tokio::spawn({
            let session = Arc::clone(&session);
            async move { session.take_turn(1, Duration::from_secs(5)).await.map(drop) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            session.take_turn(1, wait).await.unwrap_err(),
            NoTurn::QueueFull { queue: 1 },
            "one waits already"
        );
        drop(first);
        assert!(
            queued.await.unwrap().is_ok(),
            "the waiting request got the turn"
        );
        let held = session.take_turn(1, wait).await.expect("free again");
        assert_eq!(
            session.take_turn(1, wait).await.unwrap_err(),
            NoTurn::TimedOut { waited: wait }
        );
        drop(held);
    }
}
