//! Keys that rotate: a `JwtAuthenticator::from_jwks_uri` against a local issuer whose JWKS
//! the test changes mid-run, counting the fetches the issuer sees.

use super::*;
use axum::extract::State as Shared;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::time::{Instant, sleep};

const COOLDOWN: Duration = Duration::from_millis(500);
const REFRESH: Duration = Duration::from_millis(1500);

/// Three HS256 keys: kid, secret, and the secret as a JWK's `k` (base64url).
const KEYS: [(&str, &[u8], &str); 3] = [
    (
        "A",
        b"first-secret-of-thirty-two-bytes",
        "Zmlyc3Qtc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXM",
    ),
    (
        "B",
        b"second-secret-of-32-bytes-long!!",
        "c2Vjb25kLXNlY3JldC1vZi0zMi1ieXRlcy1sb25nISE",
    ),
    (
        "C",
        b"third-secret-of-thirty-two-byte!",
        "dGhpcmQtc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZSE",
    ),
];

/// The secret and `k` of a kid; a made-up kid signs with the suite's secret, no JWK has it.
fn key(kid: &str) -> (&'static [u8], &'static str) {
    KEYS.iter()
        .find(|(k, _, _)| *k == kid)
        .map_or((SECRET, ""), |(_, secret, k)| (*secret, *k))
}

/// The authorization server's `jwks_uri`: serves the kids it is told, or `503` while down.
#[derive(Default)]
struct Issuer {
    kids: Mutex<Vec<&'static str>>,
    down: AtomicBool,
    hits: AtomicUsize,
}

impl Issuer {
    async fn start(kids: &[&'static str]) -> (Arc<Issuer>, String) {
        let issuer = Arc::new(Issuer::default());
        issuer.publish(kids);
        let router = axum::Router::new()
            .route("/jwks", get(jwks))
            .with_state(Arc::clone(&issuer));
        let addr = http::serve(router).await;
        (issuer, format!("http://{addr}/jwks"))
    }

    fn publish(&self, kids: &[&'static str]) {
        *self.kids.lock().unwrap() = kids.to_vec();
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Waits (up to 5 s) until the issuer has seen more than `hits` fetches.
    async fn fetched_since(&self, hits: usize) {
        let started = Instant::now();
        while self.hits() <= hits {
            assert!(started.elapsed() < Duration::from_secs(5), "no refresh");
            sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn jwks(Shared(issuer): Shared<Arc<Issuer>>) -> Response {
    issuer.hits.fetch_add(1, Ordering::SeqCst);
    if issuer.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let keys: Vec<Value> = issuer
        .kids
        .lock()
        .unwrap()
        .iter()
        .map(|kid| json!({ "kty": "oct", "kid": kid, "alg": "HS256", "k": key(kid).1 }))
        .collect();
    let document = json!({ "keys": keys }).to_string();
    ([("content-type", "application/jwk-set+json")], document).into_response()
}

fn signed(kid: &str) -> String {
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = json!({ "iss": ISSUER, "aud": RESOURCE, "sub": kid, "exp": exp });
    let header = Header {
        kid: Some(kid.to_owned()),
        ..Header::default()
    };
    encode(
        &header,
        &claims,
        &EncodingKey::from_secret(key(kid).0).unwrap(),
    )
    .unwrap()
}

/// The status of a request bearing a token signed with `kid`, and the reason of a refusal.
async fn status(addr: SocketAddr, kid: &str) -> (u16, String) {
    let response = post(
        addr,
        Some(&format!("Bearer {}", signed(kid))),
        &initialize(),
    )
    .await;
    let challenge = response.header("www-authenticate").unwrap_or_default();
    (response.status, challenge.to_owned())
}

async fn server(jwks_uri: &str) -> SocketAddr {
    let auth = JwtAuthenticator::from_jwks_uri(jwks_uri, ISSUER, RESOURCE)
        .refresh_interval(REFRESH)
        .unknown_kid_cooldown(COOLDOWN)
        .build()
        .unwrap();
    serve(builder().authenticate(auth).protected_resource(protected())).await
}

#[tokio::test]
async fn rotated_keys_are_picked_up_and_withdrawn_ones_refused_without_hammering_the_issuer() {
    let (issuer, jwks_uri) = Issuer::start(&["A"]).await;
    let addr = server(&jwks_uri).await;
    assert_eq!(
        issuer.hits(),
        0,
        "nothing is fetched before a token needs it"
    );
    assert_eq!(status(addr, "A").await.0, 200);
    assert_eq!(issuer.hits(), 1);

    // The issuer rotates: B in, A out. A token signed with B makes the server fetch.
    issuer.publish(&["B"]);
    sleep(COOLDOWN).await;
    assert_eq!(status(addr, "B").await.0, 200);
    assert_eq!(issuer.hits(), 2);
    let (refused, why) = status(addr, "A").await;
    assert_eq!(refused, 401);
    assert!(why.contains("token signed with an unknown key"), "{why}");

    // Made-up kids from 20 clients at once for three cool-downs and more: at most one
    // fetch per cool-down, not one per request.
    let before = issuer.hits();
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..20 {
        clients.spawn(async move {
            let mut sent = 0;
            while started.elapsed() < COOLDOWN * 3 + COOLDOWN / 5 {
                let (status, why) = status(addr, &format!("forged-{client}-{sent}")).await;
                assert_eq!(status, 401, "{why}");
                sent += 1;
            }
            sent
        });
    }
    let mut forged = 0;
    while let Some(sent) = clients.join_next().await {
        forged += sent.unwrap();
    }
    let spent = started.elapsed();
    let fetches = issuer.hits() - before;
    let bound = (spent.as_millis() / COOLDOWN.as_millis()) as usize + 1;
    assert!(
        (1..=bound).contains(&fetches),
        "{fetches} fetches for {forged} forged kids in {spent:?}"
    );

    // Periodic refresh: C replaces B with no unknown kid to prompt it. The next request
    // after the interval goes on with B and starts the refresh.
    issuer.publish(&["C"]);
    sleep(REFRESH).await;
    let before = issuer.hits();
    assert_eq!(status(addr, "B").await.0, 200, "the stale keys still serve");
    issuer.fetched_since(before).await;
    let after = issuer.hits();
    assert_eq!(status(addr, "C").await.0, 200);
    assert_eq!(
        issuer.hits(),
        after,
        "C was known without a fetch of its own"
    );
    assert_eq!(status(addr, "B").await.0, 401, "B was withdrawn");

    // The issuer goes down: the refresh fails and the last good keys serve on.
    issuer.down.store(true, Ordering::SeqCst);
    sleep(REFRESH).await;
    let before = issuer.hits();
    assert_eq!(status(addr, "C").await.0, 200);
    issuer.fetched_since(before).await;
    sleep(Duration::from_millis(50)).await;
    assert_eq!(status(addr, "C").await.0, 200, "the failed refresh kept C");
}

#[tokio::test]
async fn an_issuer_down_at_boot_delays_tokens_until_it_answers() {
    let (issuer, jwks_uri) = Issuer::start(&["A"]).await;
    issuer.down.store(true, Ordering::SeqCst);
    let addr = server(&jwks_uri).await;
    let (refused, why) = status(addr, "A").await;
    assert_eq!(refused, 401, "a refusal the client can retry, not a 500");
    assert!(why.contains("could not be fetched yet"), "{why}");
    issuer.down.store(false, Ordering::SeqCst);
    sleep(COOLDOWN).await;
    assert_eq!(status(addr, "A").await.0, 200);
    assert_eq!(issuer.hits(), 2);
}
