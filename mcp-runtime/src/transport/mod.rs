//! Transports turn bytes into messages and back; what a message means is dispatch's business.

#[cfg(feature = "http")]
pub(crate) mod http;
pub(crate) mod stdio;
