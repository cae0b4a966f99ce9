//! The store contract, checked against every backend: the in-memory default and Redis (a
//! real `redis-server` started for each test). Both must say the same about sessions, SSE
//! logs, the bus, tasks and rate limits; what only a shared store can do (two replicas on
//! one Redis, Redis going away and coming back) is checked on Redis alone.

mod bus;
mod events;
mod faults;
mod limits;
mod sessions;
mod tasks;

use mcp_runtime::store::{MemoryStore, RedisStore, Store};
use mcp_tests::redis::RedisServer;

/// A backend under test, and the Redis behind it (kept alive as long as the test).
struct Backend {
    store: Box<dyn Store>,
    _redis: Option<RedisServer>,
}

fn memory() -> Backend {
    Backend {
        store: Box::new(MemoryStore::new()),
        _redis: None,
    }
}

async fn redis() -> Backend {
    let server = RedisServer::start();
    let store = RedisStore::connect(&server.url())
        .await
        .expect("connect to the test's redis-server");
    Backend {
        store: Box::new(store),
        _redis: Some(server),
    }
}

/// One test per backend of a scenario `async fn(&dyn Store)`.
macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod memory_store {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let backend = super::memory();
                    super::$scenario(&*backend.store).await;
                }
            )*
        }
        mod redis_store {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let backend = super::redis().await;
                    super::$scenario(&*backend.store).await;
                }
            )*
        }
    };
}

use bus::*;
use events::*;
use limits::*;
use sessions::*;
use tasks::*;

on_every_backend!(
    sessions_are_created_once_touched_patched_and_removed,
    a_full_store_refuses_new_sessions_and_evicts_none,
    sessions_expire_idle_and_at_their_maximum_age,
    the_standalone_stream_is_claimed_by_one_holder_at_a_time,
    streams_log_events_in_order_and_end_with_the_response,
    logs_are_bounded_and_say_what_they_no_longer_hold,
    watches_wake_on_appends_cuts_and_closes,
    notices_reach_the_standalone_stream_of_live_sessions,
    tasks_belong_to_their_owner_and_the_first_ending_stands,
    task_input_is_listed_until_answered,
    running_tasks_are_bounded_and_expire,
    every_algorithm_holds_a_budget_of_three,
    the_bus_delivers_what_everyone_and_this_replica_hear,
);
