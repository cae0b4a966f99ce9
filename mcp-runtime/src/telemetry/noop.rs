//! Without the `otel` feature: no OpenTelemetry span and nothing paid for one; the
//! binding's `tracing` span remains.

use super::scope::BindingScope;
use super::{Operation, Outcome};
use crate::context::RequestEnv;
use crate::protocol::RequestMeta;

/// A dispatch span with only the binding's `tracing` scope.
#[derive(Debug)]
pub(crate) struct DispatchSpan {
    scope: BindingScope,
}

impl DispatchSpan {
    #[inline(always)]
    pub(crate) fn start(
        _: &super::TelemetryConfig,
        operation: Operation,
        binding: &str,
        env: &RequestEnv,
        _: Option<&RequestMeta>,
    ) -> Self {
        DispatchSpan {
            scope: BindingScope::new(operation, binding, env),
        }
    }

    /// Where the binding's own code runs.
    #[inline(always)]
    pub(crate) fn scope(&self) -> BindingScope {
        self.scope.clone()
    }

    #[inline(always)]
    pub(crate) fn set_resource_uri(&mut self, _: &str) {}

    #[inline(always)]
    pub(crate) fn set_completion_argument(&mut self, _: &str) {}

    #[inline(always)]
    pub(crate) fn record_arguments(&mut self, _: &crate::extract::RawArguments<'_>) {}

    #[inline(always)]
    pub(crate) fn record_result(&mut self, _: &crate::render::ToolOutput) {}

    #[inline(always)]
    pub(crate) fn record_service_error(&mut self, _: &crate::ServiceError) {}

    #[inline(always)]
    pub(crate) fn end(self, _: Outcome) {}
}
