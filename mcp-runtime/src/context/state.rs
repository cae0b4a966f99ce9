use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Shared state given to the builder with `.state(value)`, injected into any binding
/// that takes a `State<T>` parameter. It is never part of the argument schema.
///
/// ```
/// use mcp_runtime::prelude::*;
/// struct Greeting(String);
///
/// /// Greet someone.
/// #[mcp_tool]
/// fn greet(name: String, greeting: State<Greeting>) -> String {
///     format!("{}, {name}!", greeting.0)
/// }
/// # let _ = McpServer::builder("demo", "1.0").state(Greeting("Hello".into()));
/// ```
pub struct State<T: ?Sized>(Arc<T>);

impl<T: ?Sized> State<T> {
    /// The shared pointer behind the state.
    pub fn into_inner(self) -> Arc<T> {
        self.0
    }
}

impl<T: ?Sized> Clone for State<T> {
    fn clone(&self) -> Self {
        State(Arc::clone(&self.0))
    }
}

impl<T: ?Sized> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("State").field(&&*self.0).finish()
    }
}

/// The states given to the builder, by type.
#[derive(Default, Clone)]
pub(crate) struct StateMap {
    entries: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl StateMap {
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.entries.insert(TypeId::of::<T>(), Arc::new(value));
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        let entry = Arc::clone(self.entries.get(&TypeId::of::<T>())?);
        entry.downcast::<T>().ok().map(State)
    }

    pub(crate) fn contains(&self, id: TypeId) -> bool {
        self.entries.contains_key(&id)
    }
}

impl fmt::Debug for StateMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateMap")
            .field("len", &self.entries.len())
            .finish()
    }
}

/// A state type a binding needs, checked when the server is built.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StateRequirement {
    pub id: TypeId,
    pub name: &'static str,
}

impl StateRequirement {
    pub(crate) fn of<T: 'static>() -> Self {
        StateRequirement {
            id: TypeId::of::<T>(),
            name: type_name::<T>(),
        }
    }
}
