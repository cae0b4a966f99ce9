//! What a binding may ask for: [`Context`] (progress, logging, cancellation, the request's
//! [`RequestEnv`]) and [`State<T>`] (shared state given to the builder).

mod cancel;
mod client_request;
mod env;
mod outbound;
mod principal;
mod request_context;
mod state;

pub use cancel::CancellationToken;
pub(crate) use cancel::{Cancel, Cancellable};
pub use client_request::{
    ClientRequestError, ElicitAction, ElicitResult, Root, SamplingMessage, SamplingRequest,
    SamplingResult,
};
#[cfg(feature = "http")]
pub(crate) use env::caller_key;
pub(crate) use env::{Cancellation, ConnectionEnv};
pub use env::{RequestEnv, TransportKind};
pub(crate) use outbound::Outbound;
pub use principal::Principal;
pub use request_context::Context;
pub use state::State;
pub(crate) use state::{StateMap, StateRequirement};
