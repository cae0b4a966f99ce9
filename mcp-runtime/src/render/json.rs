use std::ops::{Deref, DerefMut};

/// Structured output: a tool returning `Json<T>` advertises `T`'s schema as its
/// `outputSchema` and answers with `structuredContent` plus a text mirror; a resource
/// returning `Json<T>` is read as `application/json` text.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// #[derive(Serialize, JsonSchema)]
/// struct Sum { total: f64 }
///
/// /// Add numbers.
/// #[mcp_tool]
/// fn sum(values: Vec<f64>) -> Json<Sum> {
///     Json(Sum { total: values.iter().sum() })
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}
