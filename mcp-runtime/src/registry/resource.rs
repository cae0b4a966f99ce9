use super::common::{Common, binding_builder, completion_builder};
use crate::context::Context;
use crate::extract::ResourceRequest;
use crate::protocol::ReadResourceResult;
use crate::render::IntoReadResourceResult;
use crate::service_error::ToolError;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub(crate) type ResourceFuture =
    Pin<Box<dyn Future<Output = Result<ReadResourceResult, ToolError>> + Send>>;
pub(crate) type ResourceHandler =
    Arc<dyn Fn(ResourceRequest, Context) -> ResourceFuture + Send + Sync>;

/// A resource or resource template: what `#[mcp_resource]` generates, or what you build by
/// hand. A `uri` with RFC 6570 expressions (`{id}`, `{+path}`, `{?q}`) is a template,
/// listed by `resources/templates/list`; any other is a fixed resource.
///
/// ```standalone_crate
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::{binding::ResourceBinding, binding::ResourceRequest};
///
/// let motd = ResourceBinding::new("motd", "text://motd", |_req: ResourceRequest, _ctx: Context| async {
///     "Have a nice day".to_owned()
/// })
/// .mime_type("text/plain");
/// let server = McpServer::builder("demo", "1.0").resource(motd).build().unwrap();
/// ```
#[derive(Clone)]
pub struct ResourceBinding {
    pub(crate) common: Common,
    pub(crate) uri: Cow<'static, str>,
    pub(crate) mime_type: Option<Cow<'static, str>>,
    pub(crate) cache_ttl: Option<Duration>,
    pub(crate) handler: ResourceHandler,
}

impl std::fmt::Debug for ResourceBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceBinding")
            .field("name", &self.common.name)
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

binding_builder!(ResourceBinding);
completion_builder!(ResourceBinding);

impl ResourceBinding {
    /// A resource named `name` at `uri` (a URI or an RFC 6570 template) read by `handler`.
    pub fn new<F, Fut, R>(
        name: impl Into<Cow<'static, str>>,
        uri: impl Into<Cow<'static, str>>,
        handler: F,
    ) -> Self
    where
        F: Fn(ResourceRequest, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoReadResourceResult,
    {
        let handler: ResourceHandler = Arc::new(move |request, ctx| {
            let uri = request.uri().to_owned();
            let pending = handler(request, ctx);
            Box::pin(async move { pending.await.into_read_result(&uri) })
        });
        ResourceBinding {
            common: Common::new(name),
            uri: uri.into(),
            mime_type: None,
            cache_ttl: None,
            handler,
        }
    }

    /// The MIME type of the contents (applied to contents that do not set their own).
    pub fn mime_type(mut self, mime_type: impl Into<Cow<'static, str>>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// How long clients may cache what a read returns.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = Some(ttl);
        self
    }

    /// The URI or template.
    pub fn uri(&self) -> &str {
        &self.uri
    }
}
