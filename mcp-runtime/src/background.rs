//! Work left to run on its own, on the runtime the caller runs on: what a bus message or a
//! dropped guard sets off and nobody waits for.

/// Runs `work` on the current runtime. Outside one (a message delivered while the runtime
/// shuts down) it is dropped, with a warning.
pub(crate) fn spawn(work: impl std::future::Future<Output = ()> + Send + 'static) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn(work)),
        Err(_) => tracing::warn!("background work outside a runtime was dropped"),
    }
}
