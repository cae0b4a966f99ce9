//! What every binding kind shares: its name, texts, guards, origin and requirements,
//! and the builder methods for them (generated once for all kinds by `binding_builder!`).

use super::completion::Completer;
use crate::extract::Requirements;
use crate::guard::Guards;
use std::borrow::Cow;
use std::collections::HashMap;

/// Where a binding came from, for filters and for error messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub module_path: Option<&'static str>,
    pub location: Option<&'static str>,
    pub tags: Vec<Cow<'static, str>>,
}

impl Origin {
    pub(crate) fn describe(&self) -> String {
        match (self.location, self.module_path) {
            (Some(location), _) => location.to_owned(),
            (None, Some(module)) => format!("module {module}"),
            (None, None) => "a binding registered by hand".to_owned(),
        }
    }
}

/// Completion handlers of a resource's template variables or a prompt's arguments.
#[derive(Clone, Default)]
pub(crate) struct Completions {
    pub by_argument: HashMap<Cow<'static, str>, Completer>,
    pub fallback: Option<Completer>,
}

impl Completions {
    pub(crate) fn is_empty(&self) -> bool {
        self.by_argument.is_empty() && self.fallback.is_none()
    }

    pub(crate) fn for_argument(&self, name: &str) -> Option<&Completer> {
        self.by_argument.get(name).or(self.fallback.as_ref())
    }
}

#[derive(Clone, Default)]
pub(crate) struct Common {
    pub name: Cow<'static, str>,
    pub title: Option<Cow<'static, str>>,
    pub description: Option<Cow<'static, str>>,
    pub guards: Guards,
    pub origin: Origin,
    pub requirements: Requirements,
    pub completions: Completions,
    pub timeout: Option<std::time::Duration>,
}

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Common")
            .field("name", &self.name)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Common {
    pub(crate) fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Common {
            name: name.into(),
            ..Common::default()
        }
    }
}

/// The builder methods every binding kind has; `$ty` keeps its fields in `common`.
macro_rules! binding_builder {
    ($ty:ty) => {
        impl $ty {
            /// The binding's name.
            pub fn name(&self) -> &str {
                &self.common.name
            }

            /// Sets a human-readable title.
            pub fn title(mut self, title: impl Into<std::borrow::Cow<'static, str>>) -> Self {
                self.common.title = Some(title.into());
                self
            }

            /// Sets the description (what a model reads to decide when to use it).
            pub fn description(
                mut self,
                description: impl Into<std::borrow::Cow<'static, str>>,
            ) -> Self {
                self.common.description = Some(description.into());
                self
            }

            /// Adds a permission; every permission must allow a request.
            pub fn permission(mut self, permission: impl $crate::guard::Permission) -> Self {
                self.common
                    .guards
                    .permissions
                    .push(std::sync::Arc::new(permission));
                self
            }

            /// Limits calls with the in-memory limiter (`rate_limit_algorithm` on the
            /// server's builder chooses which; fixed window by default).
            pub fn rate_limit(mut self, limit: $crate::guard::RateLimit) -> Self {
                self.common.guards.rate_limit = Some(limit);
                self
            }

            /// Shares one rate limit between every binding of `group`: a caller's calls to
            /// any of them count against one budget (declare the `rate_limit` on one or all).
            pub fn rate_limit_group(
                mut self,
                group: impl Into<std::borrow::Cow<'static, str>>,
            ) -> Self {
                self.common.guards.group = Some(group.into());
                self
            }

            /// Limits calls with a limiter of your own.
            pub fn rate_limiter(mut self, limiter: impl $crate::guard::RateLimiter) -> Self {
                self.common.guards.limiter = Some(std::sync::Arc::new(limiter));
                self
            }

            /// Cancels calls that run longer than `timeout` (default: the server's `default_timeout`).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.common.timeout = Some(timeout);
                self
            }

            /// Adds a tag (for filtering bindings into servers).
            pub fn tag(mut self, tag: impl Into<std::borrow::Cow<'static, str>>) -> Self {
                self.common.origin.tags.push(tag.into());
                self
            }

            /// Records that the binding needs `State<T>` (checked at `build()`).
            pub fn requires_state<T: 'static>(mut self) -> Self {
                self.common.requirements.state::<T>();
                self
            }

            #[doc(hidden)]
            pub fn __origin(mut self, module_path: &'static str, location: &'static str) -> Self {
                self.common.origin.module_path = Some(module_path);
                self.common.origin.location = Some(location);
                self
            }

            #[doc(hidden)]
            pub fn __requires(mut self, describe: fn(&mut $crate::extract::Requirements)) -> Self {
                let mut declared = $crate::extract::Requirements::default();
                describe(&mut declared);
                self.common.requirements.declare(declared);
                self
            }
        }
    };
}

/// Completion builder methods, for the kinds that have arguments to complete.
macro_rules! completion_builder {
    ($ty:ty) => {
        impl $ty {
            /// Completes the argument (or template variable) `name` with `handler`.
            pub fn complete_argument<M>(
                mut self,
                name: impl Into<std::borrow::Cow<'static, str>>,
                handler: impl $crate::registry::Complete<M>,
            ) -> Self {
                self.common
                    .completions
                    .by_argument
                    .insert(name.into(), handler.into_completer());
                self
            }

            /// Completes every argument without a handler of its own with `handler`.
            pub fn complete<M>(mut self, handler: impl $crate::registry::Complete<M>) -> Self {
                self.common.completions.fallback = Some(handler.into_completer());
                self
            }
        }
    };
}

pub(crate) use {binding_builder, completion_builder};
