//! Without the `otel` feature: nothing is traced and nothing is paid.

use super::{Operation, Outcome};
use crate::context::RequestEnv;
use crate::protocol::RequestMeta;

/// A dispatch span that does nothing.
#[derive(Debug)]
pub(crate) struct DispatchSpan;

impl DispatchSpan {
    #[inline(always)]
    pub(crate) fn start(
        _: &super::TelemetryConfig,
        _: Operation,
        _: &str,
        _: &RequestEnv,
        _: Option<&RequestMeta>,
    ) -> Self {
        DispatchSpan
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

/// Trace-context headers of an HTTP request (nothing to keep without the feature).
#[derive(Debug, Clone, Default)]
pub(crate) struct TraceHeaders;

impl TraceHeaders {
    /// No trace context (stdio, in-process).
    #[inline(always)]
    pub(crate) fn none() -> Self {
        TraceHeaders
    }

    #[cfg(feature = "http")]
    #[inline(always)]
    pub(crate) fn from_headers(_: &axum::http::HeaderMap) -> Self {
        TraceHeaders
    }
}
