//! Commands to Redis, with the deadline the connection was made with: a store that does not
//! answer in time is unavailable, never waited on.

use crate::store::StoreError;
use redis::aio::ConnectionManager;
use redis::{Cmd, FromRedisValue, Pipeline, RedisResult, ScriptInvocation};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Clone)]
pub(super) struct Redis {
    connection: ConnectionManager,
    timeout: Duration,
    /// Round trips made, for operators and the benchmarks.
    round_trips: Arc<AtomicU64>,
}

impl Redis {
    pub fn new(connection: ConnectionManager, timeout: Duration) -> Self {
        Redis {
            connection,
            timeout,
            round_trips: Arc::default(),
        }
    }

    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// Runs one exchange with Redis. Its deadline is the connection's own: every response
    /// within `timeout`, every connection attempt (two at most) within half of it, set
    /// where the connection is made; a second timer here would cost every request.
    async fn timed<T>(&self, work: impl Future<Output = RedisResult<T>>) -> Result<T, StoreError> {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        work.await
            .map_err(|error| StoreError::unavailable(format!("Redis: {error}")))
    }

    /// One command.
    pub async fn query<T: FromRedisValue>(&self, command: &Cmd) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        self.timed(command.query_async(&mut connection)).await
    }

    /// Several commands in one round trip.
    pub async fn pipeline<T: FromRedisValue>(&self, pipeline: &Pipeline) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        self.timed(pipeline.query_async(&mut connection)).await
    }

    /// A script, by its SHA1 (loaded again if Redis lost it).
    pub async fn script<T: FromRedisValue>(
        &self,
        invocation: &ScriptInvocation<'_>,
    ) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        self.timed(invocation.invoke_async(&mut connection)).await
    }

    /// A pipeline whose commands run `scripts` by SHA1: when Redis lost them (it restarted),
    /// they are loaded and the pipeline sent once more.
    pub async fn pipeline_with_scripts<T: FromRedisValue>(
        &self,
        pipeline: &Pipeline,
        scripts: &[&redis::Script],
    ) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        match pipeline.query_async(&mut connection).await {
            Err(error)
                if error.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript) =>
            {
                for script in scripts {
                    self.timed(script.load_async(&mut connection)).await?;
                }
                self.timed(pipeline.query_async(&mut connection)).await
            }
            result => result.map_err(|error| StoreError::unavailable(format!("Redis: {error}"))),
        }
    }
}

/// Adds a call of `script` by SHA1 to a pipeline.
pub(super) fn evalsha<'p>(
    pipeline: &'p mut Pipeline,
    script: &redis::Script,
    keys: &[String],
    args: &[&[u8]],
) -> &'p mut Pipeline {
    pipeline
        .cmd("EVALSHA")
        .arg(script.get_hash())
        .arg(keys.len())
        .arg(keys)
        .arg(args)
}
