//! Transports turn bytes into messages and back; what a message means is dispatch's business.

pub(crate) mod stdio;
