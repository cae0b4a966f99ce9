//! The cache's rules, on tokio's paused clock: single flight, the cool-down, background
//! refresh, and the last good keys kept through failures.

use super::cache::{JwksCache, Policy, Source};
use super::fetch::{FetchFuture, JwksFetcher};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

const K: &str = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLWxvbmch";
const INTERVAL: Duration = Duration::from_secs(300);
const COOLDOWN: Duration = Duration::from_secs(30);
const TIMEOUT: Duration = Duration::from_secs(5);

/// An issuer whose document the test changes, that counts its fetches and answers after
/// a delay.
struct Issuer {
    answer: Mutex<Result<String, String>>,
    hits: AtomicUsize,
    delay: Duration,
}

impl Issuer {
    fn serving(kids: &[&str], delay: Duration) -> Arc<Issuer> {
        let issuer = Issuer {
            answer: Mutex::new(Err(String::new())),
            hits: AtomicUsize::new(0),
            delay,
        };
        issuer.serve(kids);
        Arc::new(issuer)
    }

    fn serve(&self, kids: &[&str]) {
        let keys: Vec<_> = kids
            .iter()
            .map(|kid| json!({ "kty": "oct", "kid": kid, "k": K }))
            .collect();
        *self.answer.lock().unwrap() = Ok(json!({ "keys": keys }).to_string());
    }

    fn fail(&self, why: &str) {
        *self.answer.lock().unwrap() = Err(why.to_owned());
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl JwksFetcher for Issuer {
    fn fetch<'a>(&'a self, _: &'a str, _: usize) -> FetchFuture<'a> {
        self.hits.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            sleep(self.delay).await;
            let answer = self.answer.lock().unwrap().clone();
            answer.map(String::into_bytes).map_err(Into::into)
        })
    }
}

fn cache(issuer: &Arc<Issuer>) -> Arc<JwksCache> {
    let source = Source {
        uri: "test://issuer".into(),
        fetcher: Arc::clone(issuer) as Arc<dyn JwksFetcher>,
        timeout: TIMEOUT,
        max_bytes: 4096,
    };
    let policy = Policy {
        refresh_interval: INTERVAL,
        cooldown: COOLDOWN,
    };
    Arc::new(JwksCache::new(source, policy))
}

/// Whether the cache, asked now, can check a token signed with `kid`.
async fn knows(cache: &Arc<JwksCache>, kid: &str) -> bool {
    match cache.keys_for(Some(kid)).await {
        Ok(keys) => keys.find(Some(kid)).is_some(),
        Err(_) => false,
    }
}

/// `n` requests at once, each with its own kid.
async fn flood(cache: &Arc<JwksCache>, n: usize, kid: impl Fn(usize) -> String) -> usize {
    let mut requests = JoinSet::new();
    for i in 0..n {
        let (cache, kid) = (Arc::clone(cache), kid(i));
        requests.spawn(async move { knows(&cache, &kid).await });
    }
    let mut known = 0;
    while let Some(answer) = requests.join_next().await {
        known += usize::from(answer.unwrap());
    }
    known
}

#[tokio::test(start_paused = true)]
async fn concurrent_first_requests_share_one_fetch() {
    let issuer = Issuer::serving(&["a"], Duration::from_millis(100));
    let cache = cache(&issuer);
    assert_eq!(
        issuer.hits(),
        0,
        "nothing is fetched before a request needs it"
    );
    assert_eq!(flood(&cache, 50, |_| "a".into()).await, 50);
    assert_eq!(issuer.hits(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_kid_fetches_again_at_most_once_per_cooldown() {
    let issuer = Issuer::serving(&["a"], Duration::from_millis(100));
    let cache = cache(&issuer);
    assert!(knows(&cache, "a").await);
    issuer.serve(&["b"]);
    assert!(!knows(&cache, "b").await, "within the cool-down: no fetch");
    assert_eq!(issuer.hits(), 1);
    sleep(COOLDOWN).await;
    assert!(knows(&cache, "b").await, "the rotation is picked up");
    assert!(!knows(&cache, "a").await, "the withdrawn key is gone");
    assert_eq!(issuer.hits(), 2);

    // Made-up kids, all at once and then for 105 s: one fetch per cool-down.
    assert_eq!(flood(&cache, 200, |i| format!("forged-{i}")).await, 0);
    assert_eq!(issuer.hits(), 2, "still within the cool-down");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(105) {
        flood(&cache, 20, |i| format!("forged-{i}")).await;
        sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(issuer.hits(), 2 + 3, "at about 60, 90 and 120 s");
}

#[tokio::test(start_paused = true)]
async fn old_keys_are_refreshed_in_the_background_without_delaying_the_request() {
    let issuer = Issuer::serving(&["a"], Duration::from_secs(1));
    let cache = cache(&issuer);
    assert!(knows(&cache, "a").await);
    issuer.serve(&["a", "c"]);
    sleep(INTERVAL).await;
    let asked = Instant::now();
    assert!(knows(&cache, "a").await);
    assert_eq!(asked.elapsed(), Duration::ZERO, "the request did not wait");
    sleep(Duration::from_secs(2)).await;
    assert_eq!(issuer.hits(), 2);
    assert!(knows(&cache, "c").await, "picked up without an unknown kid");
    assert_eq!(issuer.hits(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_keeps_the_last_good_keys_and_retries_after_the_cooldown() {
    let issuer = Issuer::serving(&["a"], Duration::from_millis(10));
    let cache = cache(&issuer);
    assert!(knows(&cache, "a").await);
    issuer.fail("503 Service Unavailable");
    sleep(INTERVAL).await;
    for _ in 0..10 {
        assert!(knows(&cache, "a").await);
        sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(issuer.hits(), 2, "one failed refresh in 10 s");
    sleep(COOLDOWN).await;
    issuer.serve(&["d"]);
    assert!(knows(&cache, "a").await, "this request kicks the retry off");
    sleep(Duration::from_secs(1)).await;
    assert_eq!(issuer.hits(), 3);
    assert!(knows(&cache, "d").await && !knows(&cache, "a").await);
}

#[tokio::test(start_paused = true)]
async fn without_keys_tokens_are_refused_with_a_reason_until_the_issuer_answers() {
    let issuer = Issuer::serving(&[], Duration::from_millis(10));
    issuer.fail("connection refused");
    let cache = cache(&issuer);
    let refused = cache.keys_for(Some("a")).await.unwrap_err();
    assert!(
        refused
            .description()
            .unwrap()
            .contains("could not be fetched"),
        "{refused:?}"
    );
    assert!(!knows(&cache, "a").await);
    assert_eq!(
        issuer.hits(),
        1,
        "the second request waits for the cool-down"
    );
    issuer.serve(&["a"]);
    sleep(COOLDOWN).await;
    assert!(knows(&cache, "a").await);
    assert_eq!(issuer.hits(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_fetch_is_bounded_in_time_and_size() {
    let slow = Issuer::serving(&["a"], TIMEOUT * 2);
    let cache_of_slow = cache(&slow);
    let asked = Instant::now();
    assert!(!knows(&cache_of_slow, "a").await);
    assert_eq!(asked.elapsed(), TIMEOUT);

    let big = Issuer::serving(&["a"], Duration::ZERO);
    let padding = "x".repeat(5000);
    *big.answer.lock().unwrap() = Ok(
        json!({ "keys": [{ "kty": "oct", "kid": "a", "k": K }], "padding": padding }).to_string(),
    );
    assert!(!knows(&cache(&big), "a").await);
}

#[tokio::test(start_paused = true)]
async fn a_request_that_gives_up_on_its_fetch_still_counts_against_the_cooldown() {
    let issuer = Issuer::serving(&["a"], Duration::from_secs(2));
    let cache = cache(&issuer);
    let gave_up = tokio::time::timeout(Duration::from_secs(1), knows(&cache, "a")).await;
    assert!(gave_up.is_err());
    assert!(!knows(&cache, "a").await);
    assert_eq!(issuer.hits(), 1);
}
