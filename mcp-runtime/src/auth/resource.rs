//! OAuth 2.0 Protected Resource Metadata (RFC 9728): what the server tells clients about
//! itself as a resource server, served at `/.well-known/oauth-protected-resource`.

use serde_json::{Value, json};

/// This server as an OAuth resource server: its identifier (the URL clients reach it at,
/// which tokens must name as their audience, RFC 8707), the authorization servers that
/// issue its tokens, and the scopes it knows.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtectedResource {
    resource: String,
    authorization_servers: Vec<String>,
    scopes: Vec<String>,
    name: Option<String>,
}

impl ProtectedResource {
    /// The resource identifier: the MCP endpoint's absolute URL, such as
    /// `https://mcp.example.com/mcp`.
    pub fn new(resource: impl Into<String>) -> Self {
        ProtectedResource {
            resource: resource.into(),
            authorization_servers: Vec::new(),
            scopes: Vec::new(),
            name: None,
        }
    }

    /// Adds an authorization server (its issuer URL).
    pub fn authorization_server(mut self, issuer: impl Into<String>) -> Self {
        self.authorization_servers.push(issuer.into());
        self
    }

    /// The scopes clients may ask for (`scopes_supported`).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// A human-readable name (`resource_name`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The resource identifier.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The metadata document.
    pub(crate) fn document(&self) -> Value {
        let mut document = json!({
            "resource": self.resource,
            "authorization_servers": self.authorization_servers,
            "bearer_methods_supported": ["header"],
        });
        if !self.scopes.is_empty() {
            document["scopes_supported"] = json!(self.scopes);
        }
        if let Some(name) = &self.name {
            document["resource_name"] = json!(name);
        }
        document
    }

    /// Where the document is served on this server: the well-known prefix, then the
    /// resource's path (RFC 9728 section 3.1), e.g. `/.well-known/oauth-protected-resource/mcp`.
    pub(crate) fn metadata_path(&self) -> String {
        let path = self.split().1.trim_end_matches('/');
        format!("{WELL_KNOWN}{path}")
    }

    /// The document's absolute URL, for `WWW-Authenticate`.
    pub(crate) fn metadata_url(&self) -> String {
        format!("{}{}", self.split().0, self.metadata_path())
    }

    /// (`scheme://authority`, `/path`) of the resource identifier.
    fn split(&self) -> (&str, &str) {
        let after_scheme = self.resource.find("://").map_or(0, |i| i + 3);
        let path_at = self.resource[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(self.resource.len(), |i| after_scheme + i);
        let path = &self.resource[path_at..];
        let path = path.split(['?', '#']).next().unwrap_or_default();
        (&self.resource[..path_at], path)
    }
}

pub(crate) const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_lives_under_the_well_known_prefix_then_the_resource_path() {
        let resource = ProtectedResource::new("https://mcp.example.com:8443/tenant/mcp")
            .authorization_server("https://auth.example.com")
            .scopes(["read"]);
        assert_eq!(
            resource.metadata_path(),
            "/.well-known/oauth-protected-resource/tenant/mcp"
        );
        assert_eq!(
            resource.metadata_url(),
            "https://mcp.example.com:8443/.well-known/oauth-protected-resource/tenant/mcp"
        );
        let root = ProtectedResource::new("https://mcp.example.com/");
        assert_eq!(root.metadata_path(), WELL_KNOWN);
        assert_eq!(
            resource.document(),
            json!({
                "resource": "https://mcp.example.com:8443/tenant/mcp",
                "authorization_servers": ["https://auth.example.com"],
                "bearer_methods_supported": ["header"],
                "scopes_supported": ["read"],
            })
        );
    }
}
