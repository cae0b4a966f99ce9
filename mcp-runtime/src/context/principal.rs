use serde_json::Value;

/// Who is calling: the subject and scopes an authenticator established for the request
/// (or the principal configured for a stdio process).
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    subject: String,
    scopes: Vec<String>,
    claims: Value,
}

impl Principal {
    /// A principal with a subject and no scopes.
    pub fn new(subject: impl Into<String>) -> Self {
        Principal {
            subject: subject.into(),
            scopes: Vec::new(),
            claims: Value::Null,
        }
    }

    /// Adds scopes.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Attaches the raw claims (for example a JWT's payload).
    pub fn with_claims(mut self, claims: Value) -> Self {
        self.claims = claims;
        self
    }

    /// The subject (a user or client id).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The granted scopes.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether a scope was granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The raw claims (`null` when none).
    pub fn claims(&self) -> &Value {
        &self.claims
    }
}
