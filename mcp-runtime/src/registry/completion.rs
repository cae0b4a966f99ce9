//! Completion handlers: plain `fn` or `async fn` taking a [`CompletionRequest`].

use crate::protocol::CompletionValues;
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

/// What a completion handler is asked: which argument, what the user typed so far, and
/// the values of the other arguments already chosen.
#[derive(Debug, Clone, Default)]
pub struct CompletionRequest {
    pub(crate) argument: String,
    pub(crate) value: String,
    pub(crate) context: HashMap<String, String>,
}

impl CompletionRequest {
    /// A request (mostly for tests of completion handlers).
    pub fn new(argument: impl Into<String>, value: impl Into<String>) -> Self {
        CompletionRequest {
            argument: argument.into(),
            value: value.into(),
            context: HashMap::new(),
        }
    }

    /// The argument or template variable being completed.
    pub fn argument(&self) -> &str {
        &self.argument
    }

    /// What the user typed so far.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Another argument's already chosen value.
    pub fn context(&self, argument: &str) -> Option<&str> {
        self.context.get(argument).map(String::as_str)
    }
}

pub(crate) type Completer = Arc<
    dyn Fn(CompletionRequest) -> Pin<Box<dyn Future<Output = CompletionValues> + Send>>
        + Send
        + Sync,
>;

/// A completion handler: `fn(CompletionRequest) -> R` or `async fn(CompletionRequest) -> R`
/// where `R: Into<CompletionValues>` (for example `Vec<String>`). `M` only tells the two
/// apart; it is inferred.
///
/// ```
/// use mcp_runtime::binding::CompletionRequest;
/// fn languages(req: CompletionRequest) -> Vec<String> {
///     ["rust", "python", "go"].iter().filter(|l| l.starts_with(req.value())).map(|l| l.to_string()).collect()
/// }
/// # let _ = mcp_runtime::binding::PromptBinding::new("p", |_, _| async { String::new() }).complete_argument("language", languages);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a completion handler",
    label = "expected a `fn(CompletionRequest) -> Vec<String>` (or an `async fn`)",
    note = "a completion handler is a `fn(CompletionRequest) -> R` or `async fn(CompletionRequest) -> R` where `R: Into<CompletionValues>` (for example `Vec<String>`)"
)]
pub trait Complete<M>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_completer(self) -> Completer;
}

#[doc(hidden)]
pub struct Immediate<R>(PhantomData<R>);
#[doc(hidden)]
pub struct Deferred<Fut>(PhantomData<Fut>);

impl<F, R> Complete<Immediate<R>> for F
where
    F: Fn(CompletionRequest) -> R + Send + Sync + 'static,
    R: Into<CompletionValues> + 'static,
{
    fn into_completer(self) -> Completer {
        Arc::new(move |request| {
            let values = self(request).into();
            Box::pin(std::future::ready(values))
        })
    }
}

impl<F, Fut> Complete<Deferred<Fut>> for F
where
    F: Fn(CompletionRequest) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: Into<CompletionValues>,
{
    fn into_completer(self) -> Completer {
        Arc::new(move |request| {
            let pending = self(request);
            Box::pin(async move { pending.await.into() })
        })
    }
}
