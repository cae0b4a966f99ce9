use super::text::TextValue;
use crate::service_error::{ServiceValidationError, ToolError};
use serde::de::DeserializeOwned;

/// A `resources/read` call that matched a binding: the URI and its template variables'
/// decoded values, in the template's order.
#[derive(Debug, Clone)]
pub struct ResourceRequest {
    uri: String,
    values: Vec<Option<String>>,
}

impl ResourceRequest {
    pub(crate) fn new(uri: String, values: Vec<Option<String>>) -> Self {
        ResourceRequest { uri, values }
    }

    /// The URI the client asked for.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The raw value of the template variable at `index`.
    pub fn value(&self, index: usize) -> Option<&str> {
        self.values.get(index).and_then(Option::as_deref)
    }
}

/// The type of a URI template variable's parameter: anything `Deserialize` that can come
/// from text (numbers, strings, booleans, unit enums), `Option<T>` for query variables.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a URI template variable",
    label = "template variables are text",
    note = "use a type that implements `serde::Deserialize` from a string: a number, `String`, `bool`, a unit enum, or `Option<T>` of one for an optional `{{?query}}` variable"
)]
pub trait TemplateValue: Sized + Send + 'static {
    /// Decodes the variable at `index` (named `name`).
    fn from_template(
        request: &mut ResourceRequest,
        index: usize,
        name: &'static str,
    ) -> Result<Self, ToolError>;
}

impl<T: DeserializeOwned + Send + 'static> TemplateValue for T {
    fn from_template(
        request: &mut ResourceRequest,
        index: usize,
        name: &'static str,
    ) -> Result<Self, ToolError> {
        let raw = request.values.get_mut(index).and_then(Option::take);
        T::deserialize(TextValue(raw)).map_err(|e| {
            ServiceValidationError::new(format!(
                "invalid value for URI template variable `{name}`: {e}"
            ))
            .into()
        })
    }
}
