//! A client that sends faster than calls finish gets back-pressure, not refusals: over
//! stdio the server stops reading at its in-flight cap (the pipe fills and the client's
//! writes wait), over HTTP requests wait for a turn within a bound; every request gets its
//! real answer, and only a flood beyond the bound a clear, retryable refusal.

mod http;
mod stdio;
