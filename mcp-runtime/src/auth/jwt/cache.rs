//! The keys of a `jwks_uri`, kept fresh: fetched on the first request, again when a token
//! names a key they lack (the issuer rotated), and again once they are older than the
//! refresh interval (the issuer may have withdrawn one). Three rules bound what the issuer
//! sees, whatever the traffic:
//!
//! - single flight: concurrent requests that need a fetch share one;
//! - cool-down: no fetch starts sooner than `cooldown` after the previous one started,
//!   whether it succeeded or not, so a flood of unknown kids (or an issuer that is down)
//!   costs at most one fetch per cool-down;
//! - a fetch that fails keeps the last good keys.
//!
//! A request whose key is known never waits: a due refresh runs in the background.
//! The state is one immutable snapshot behind an `ArcSwap`, so a request reads it without
//! a lock; only fetches, one at a time, replace it.

use super::fetch::JwksFetcher;
use super::keys::KeySet;
use crate::auth::Unauthorized;
use arc_swap::ArcSwap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Where the keys come from, and the bounds on a fetch.
pub(super) struct Source {
    pub(super) uri: String,
    pub(super) fetcher: Arc<dyn JwksFetcher>,
    pub(super) timeout: Duration,
    pub(super) max_bytes: usize,
}

/// When to fetch again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Policy {
    pub(super) refresh_interval: Duration,
    pub(super) cooldown: Duration,
}

/// What is known at one moment. Replaced whole, never changed in place.
struct Snapshot {
    /// The last good keys; `None` until a fetch succeeds.
    keys: Option<Arc<KeySet>>,
    /// When the fetch that gave `keys` started.
    fetched: Option<Instant>,
    /// When the last fetch started, whatever became of it.
    attempted: Option<Instant>,
    /// How many fetches have started: a request that waited for a fetch in flight sees it
    /// moved and does not start another.
    attempts: u64,
}

impl Snapshot {
    fn stale(&self, now: Instant, policy: Policy) -> bool {
        self.fetched
            .is_none_or(|at| now.duration_since(at) >= policy.refresh_interval)
    }

    fn may_fetch(&self, now: Instant, policy: Policy) -> bool {
        self.attempted
            .is_none_or(|at| now.duration_since(at) >= policy.cooldown)
    }
}

/// The keys of one `jwks_uri`.
pub(super) struct JwksCache {
    source: Source,
    policy: Policy,
    state: ArcSwap<Snapshot>,
    /// Held for the whole of a fetch: the single flight.
    flight: Arc<tokio::sync::Mutex<()>>,
}

/// What a request is told while no fetch has succeeded yet.
const NO_KEYS: &str = "the issuer's signing keys could not be fetched yet, so no token can be checked; try again shortly";

impl JwksCache {
    /// Nothing fetched yet: the first request that needs a key fetches.
    pub(super) fn new(source: Source, policy: Policy) -> JwksCache {
        JwksCache {
            source,
            policy,
            state: ArcSwap::from_pointee(Snapshot {
                keys: None,
                fetched: None,
                attempted: None,
                attempts: 0,
            }),
            flight: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The keys to check a token whose header names `kid`: the current ones if they hold
    /// it, else those of a fetch if the cool-down allows one (or one is in flight). The
    /// caller looks `kid` up in them; a miss is an unknown key.
    pub(super) async fn keys_for(
        self: &Arc<Self>,
        kid: Option<&str>,
    ) -> Result<Arc<KeySet>, Unauthorized> {
        let seen = self.state.load_full();
        let now = Instant::now();
        if let Some(keys) = seen.keys.as_ref().filter(|keys| keys.find(kid).is_some()) {
            if seen.stale(now, self.policy) && seen.may_fetch(now, self.policy) {
                self.refresh_in_background();
            }
            return Ok(Arc::clone(keys));
        }
        if seen.may_fetch(now, self.policy) || self.fetching() {
            let _flight = self.flight.lock().await;
            let current = self.state.load();
            // A fetch that started while this request waited has answered it already.
            if current.attempts == seen.attempts && current.may_fetch(Instant::now(), self.policy) {
                self.fetch().await;
            }
        }
        let latest = self.state.load();
        latest
            .keys
            .clone()
            .ok_or_else(|| Unauthorized::invalid(NO_KEYS))
    }

    fn fetching(&self) -> bool {
        self.flight.try_lock().is_err()
    }

    /// Starts a refresh on its own task unless one is in flight; the request that noticed
    /// the keys were old goes on with them.
    fn refresh_in_background(self: &Arc<Self>) {
        let Ok(flight) = Arc::clone(&self.flight).try_lock_owned() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let cache = Arc::clone(self);
        runtime.spawn(async move {
            let _flight = flight;
            let current = cache.state.load();
            let now = Instant::now();
            if current.stale(now, cache.policy) && current.may_fetch(now, cache.policy) {
                cache.fetch().await;
            }
        });
    }

    /// One fetch; the caller holds the flight, so this is the only writer. The attempt is recorded before the fetch
    /// starts, so a request that gives up on it (its client went away) still counts
    /// against the cool-down.
    async fn fetch(&self) {
        let started = Instant::now();
        let before = self.state.load_full();
        let attempts = before.attempts + 1;
        self.state.store(Arc::new(Snapshot {
            keys: before.keys.clone(),
            fetched: before.fetched,
            attempted: Some(started),
            attempts,
        }));
        match self.load().await {
            Ok(keys) => {
                self.state.store(Arc::new(Snapshot {
                    keys: Some(Arc::new(keys)),
                    fetched: Some(started),
                    attempted: Some(started),
                    attempts,
                }));
            }
            Err(error) => tracing::warn!(
                uri = %self.source.uri,
                %error,
                kept = before.keys.as_ref().map_or(0, |keys| keys.len()),
                "could not refresh the JWKS; keeping the last good keys"
            ),
        }
    }

    /// The keys at the source, within its bounds of time and size.
    async fn load(&self) -> Result<KeySet, String> {
        let Source {
            uri,
            fetcher,
            timeout,
            max_bytes,
        } = &self.source;
        let body = tokio::time::timeout(*timeout, fetcher.fetch(uri, *max_bytes))
            .await
            .map_err(|_| format!("no answer within {timeout:?}"))?
            .map_err(|e| e.to_string())?;
        if body.len() > *max_bytes {
            return Err(format!("the document is over {max_bytes} bytes"));
        }
        let (keys, unusable) = KeySet::parse(&body)?;
        for key in unusable {
            tracing::warn!(uri = %uri, kid = %key.kid, reason = %key.reason,
                "a key of the JWKS cannot verify signatures here; skipped");
        }
        tracing::debug!(uri = %uri, keys = keys.len(), "JWKS fetched");
        Ok(keys)
    }
}
