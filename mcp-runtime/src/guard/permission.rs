use crate::context::RequestEnv;
use crate::protocol::{RpcError, codes};
use serde_json::json;

/// Decides whether a request may use a binding. Plain functions
/// `fn(&RequestEnv) -> bool` are permissions; implement the trait for richer refusals.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::RequestEnv;
///
/// fn is_admin(env: &RequestEnv) -> bool {
///     env.principal().is_some_and(|p| p.has_scope("admin"))
/// }
///
/// /// Drop every table.
/// #[mcp_tool(destructive, permission = is_admin)]
/// fn drop_tables() -> String { "gone".into() }
/// ```
pub trait Permission: Send + Sync + 'static {
    /// Allows the request, or refuses it saying why.
    fn check(&self, env: &RequestEnv) -> Result<(), PermissionDenied>;

    /// Allows a request only when both `self` and `other` do; the first refusal stands.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::{guard::Permission, RequestEnv, guard::scopes};
    ///
    /// fn business_hours(_: &RequestEnv) -> bool { true }
    ///
    /// /// Pay an invoice.
    /// #[mcp_tool(permission = scopes(["invoices:write"]).and(business_hours))]
    /// fn pay(id: u64) -> String { format!("paid {id}") }
    /// ```
    fn and<P: Permission>(self, other: P) -> AllOf<Self, P>
    where
        Self: Sized,
    {
        AllOf(self, other)
    }

    /// Allows a request when `self` or `other` does; when both refuse, the scopes of the
    /// first refusal are the ones named (or the second's, if the first named none).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::{guard::Permission, guard::scopes};
    ///
    /// /// Read any invoice.
    /// #[mcp_tool(permission = scopes(["invoices:read"]).or(scopes(["admin"])))]
    /// fn read_invoice(id: u64) -> String { format!("invoice {id}") }
    /// ```
    fn or<P: Permission>(self, other: P) -> AnyOf<Self, P>
    where
        Self: Sized,
    {
        AnyOf(self, other)
    }
}

/// Both permissions must allow ([`Permission::and`]).
#[derive(Debug, Clone)]
pub struct AllOf<A, B>(A, B);

impl<A: Permission, B: Permission> Permission for AllOf<A, B> {
    fn check(&self, env: &RequestEnv) -> Result<(), PermissionDenied> {
        self.0.check(env)?;
        self.1.check(env)
    }
}

/// Either permission may allow ([`Permission::or`]).
#[derive(Debug, Clone)]
pub struct AnyOf<A, B>(A, B);

impl<A: Permission, B: Permission> Permission for AnyOf<A, B> {
    fn check(&self, env: &RequestEnv) -> Result<(), PermissionDenied> {
        let first = match self.0.check(env) {
            Ok(()) => return Ok(()),
            Err(denied) => denied,
        };
        match self.1.check(env) {
            Ok(()) => Ok(()),
            Err(second) if first.required_scopes.is_empty() => Err(second),
            Err(_) => Err(first),
        }
    }
}

impl<F: Fn(&RequestEnv) -> bool + Send + Sync + 'static> Permission for F {
    fn check(&self, env: &RequestEnv) -> Result<(), PermissionDenied> {
        if self(env) {
            Ok(())
        } else {
            Err(PermissionDenied::new())
        }
    }
}

/// A permission's refusal (`-32006`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionDenied {
    required_scopes: Vec<String>,
}

impl PermissionDenied {
    /// A refusal naming no scopes.
    pub fn new() -> Self {
        Self::default()
    }

    /// A refusal naming the scopes that would allow the request.
    pub fn requiring<S: Into<String>>(scopes: impl IntoIterator<Item = S>) -> Self {
        PermissionDenied {
            required_scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }

    /// The scopes that would allow the request.
    pub fn required_scopes(&self) -> &[String] {
        &self.required_scopes
    }

    pub(crate) fn into_rpc_error(self) -> RpcError {
        let message = if self.required_scopes.is_empty() {
            "permission denied".to_owned()
        } else {
            format!(
                "permission denied: requires scope {}",
                self.required_scopes.join(" ")
            )
        };
        RpcError::new(codes::PERMISSION_DENIED, message)
            .with_data(json!({ "requiredScopes": self.required_scopes }))
    }
}

struct Scopes(Vec<String>);

impl Permission for Scopes {
    fn check(&self, env: &RequestEnv) -> Result<(), PermissionDenied> {
        let granted = env
            .principal()
            .is_some_and(|p| self.0.iter().all(|s| p.has_scope(s)));
        if granted {
            Ok(())
        } else {
            Err(PermissionDenied::requiring(self.0.clone()))
        }
    }
}

/// A permission that requires every one of `scopes` on the request's principal.
pub fn scopes<S: Into<String>>(scopes: impl IntoIterator<Item = S>) -> impl Permission {
    Scopes(scopes.into_iter().map(Into::into).collect())
}
