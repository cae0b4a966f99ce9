//! `build()`: the registry frozen, the store's parts wired, the server's shared state made.

use super::McpServerBuilder;
use crate::error::Error;
use crate::registry::{Registration, Registry};
use crate::server::McpServer;
use crate::shared::Shared;
use crate::store::MemoryStore;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

impl McpServerBuilder {
    /// Collects every binding in the binary plus the hand-built ones, applies the filter,
    /// checks them and freezes the registry. Fails on two bindings of one name (naming
    /// both source locations), a missing `State<T>`, or an invalid hand-built binding.
    pub fn build(self) -> Result<McpServer, Error> {
        let mut bindings = Registration::collect();
        if let Some(keep) = &self.filter {
            bindings.retain(|b| keep(&b.info()));
        }
        bindings.extend(self.manual);
        let store = self.store.unwrap_or_else(|| Box::new(MemoryStore::new()));
        let mut config = self.config;
        if !self.state_key_given
            && let Some(key) = store.request_state_key()
        {
            // Replicas must verify each other's rounds: a retry may reach any of them.
            config.request_state_keys = crate::mrtr::state::StateKeys::new(key, Vec::new());
        }
        #[cfg(feature = "http")]
        if let Some(path) = &config.http.catalogue
            && let Some(problem) =
                crate::transport::http::catalogue_path_problem(path, &config.http.path)
        {
            return Err(Error::InvalidConfig {
                setting: "catalogue",
                reason: format!("{problem} (given {path:?})"),
            });
        }
        let registry = Registry::freeze(
            bindings,
            &self.states,
            config.page_size,
            config.rate_limit_algorithm,
            &*store.rate_limits(),
        )?;
        #[cfg(feature = "http")]
        let initialize_limiter = config.initialize_rate_limit.map(|limit| {
            store
                .rate_limits()
                .limiter("initialize", limit, config.rate_limit_algorithm)
        });
        let unguarded = registry.unguarded_tools();
        if config.require_permissions && !unguarded.is_empty() {
            return Err(Error::InvalidBinding {
                name: unguarded.join(", "),
                reason: "this server requires a permission on every tool \
                         (`require_permissions`); add `permission = ...` to the tool"
                    .into(),
            });
        }
        let capabilities = capabilities(&registry);
        let mut stateless_capabilities = capabilities.clone();
        if let Some(resources) = stateless_capabilities
            .get_mut("resources")
            .and_then(Value::as_object_mut)
        {
            resources.remove("subscribe");
        }
        if registry.has_task_tools() {
            stateless_capabilities["extensions"] = json!({ crate::tasks::EXTENSION: {} });
        }
        // Strings and JSON values only: encoding cannot fail.
        let server_info_json =
            serde_json::value::to_raw_value(&self.info).expect("server info encodes as JSON");
        let inner = Arc::new_cyclic(|server: &std::sync::Weak<Shared>| {
            let bus = store.bus();
            let server = server.clone();
            bus.attach(Arc::new(move |payload: &[u8]| {
                if let Some(server) = server.upgrade() {
                    server.receive(payload);
                }
            }));
            Shared {
                info: self.info,
                instructions: self.instructions,
                registry,
                states: Arc::new(self.states),
                config,
                capabilities,
                stateless_capabilities,
                server_info_json,
                sessions: store.sessions(),
                events: store.events(),
                bus,
                task_store: store.tasks(),
                live: Default::default(),
                running_tasks: Default::default(),
                connections: Mutex::new(Vec::new()),
                listeners: Default::default(),
                in_flight: Default::default(),
                instance: random_u64(),
                maintenance: Default::default(),
                #[cfg(feature = "http")]
                initialize_limiter,
                stopping: tokio::sync::watch::Sender::new(false),
            }
        });
        Ok(McpServer { inner })
    }
}

/// What `initialize` advertises: only what the registry really serves.
fn capabilities(registry: &Registry) -> Value {
    let mut capabilities = json!({ "logging": {} });
    if registry.has_tools() {
        capabilities["tools"] = json!({ "listChanged": true });
    }
    if registry.has_resources() {
        capabilities["resources"] = json!({ "subscribe": true, "listChanged": true });
    }
    if registry.has_prompts() {
        capabilities["prompts"] = json!({ "listChanged": true });
    }
    if registry.has_completions() {
        capabilities["completions"] = json!({});
    }
    capabilities
}

/// A number from the operating system's CSPRNG.
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    u64::from_le_bytes(bytes)
}
