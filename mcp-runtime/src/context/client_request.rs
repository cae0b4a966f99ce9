//! Requests from a binding to the client: sampling, elicitation, roots. Each checks the
//! client declared the capability, waits with a timeout, and gives up when the call is
//! cancelled.

use super::Context;
use crate::protocol::{Content, Role, RpcError, notification};
use crate::service_error::{ServiceError, ToolError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::fmt;

/// Why a request to the client produced no answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClientRequestError {
    /// The client did not declare the capability (`sampling`, `elicitation`, `roots`...).
    Unsupported {
        /// The capability that is missing.
        capability: &'static str,
    },
    /// The client did not answer in time.
    TimedOut,
    /// The call was cancelled while waiting.
    Cancelled,
    /// Too many requests to this client are already waiting for answers.
    Busy,
    /// The client answered with an error.
    Rejected(RpcError),
    /// The client's answer did not have the expected shape.
    Malformed(String),
}

impl fmt::Display for ClientRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported { capability } => {
                write!(f, "the client does not support `{capability}`")
            }
            Self::TimedOut => f.write_str("the client did not answer in time"),
            Self::Cancelled => {
                f.write_str("the request was cancelled while waiting for the client")
            }
            Self::Busy => f.write_str("too many requests to the client are waiting for answers"),
            Self::Rejected(e) => write!(f, "the client refused: {}", e.message),
            Self::Malformed(why) => write!(f, "the client's answer was malformed: {why}"),
        }
    }
}

impl std::error::Error for ClientRequestError {}

impl From<ClientRequestError> for ServiceError {
    fn from(e: ClientRequestError) -> Self {
        ServiceError::new(e.to_string())
    }
}

impl From<ClientRequestError> for ToolError {
    fn from(e: ClientRequestError) -> Self {
        ToolError::Service(e.into())
    }
}

/// One message of a sampling conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplingMessage {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: Content,
}

/// A `sampling/createMessage` request: ask the client's model for a completion.
///
/// ```
/// use mcp_runtime::context::SamplingRequest;
/// let request = SamplingRequest::new(200).user("Summarise this in one line: ...").system_prompt("Be brief.");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingRequest {
    messages: Vec<SamplingMessage>,
    max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_preferences: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stop_sequences: Vec<String>,
}

impl SamplingRequest {
    /// A request allowing at most `max_tokens` in the answer.
    pub fn new(max_tokens: u32) -> Self {
        SamplingRequest {
            messages: Vec::new(),
            max_tokens,
            system_prompt: None,
            temperature: None,
            model_preferences: None,
            stop_sequences: Vec::new(),
        }
    }

    /// Adds a user message with text.
    pub fn user(mut self, text: impl Into<String>) -> Self {
        self.messages.push(SamplingMessage {
            role: Role::User,
            content: Content::text(text),
        });
        self
    }

    /// Adds a message.
    pub fn message(mut self, message: SamplingMessage) -> Self {
        self.messages.push(message);
        self
    }

    /// Sets the system prompt.
    pub fn system_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.system_prompt = Some(prompt.into());
        self
    }

    /// Sets the temperature.
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets `modelPreferences` (hints, cost/speed/intelligence priorities) as JSON.
    pub fn model_preferences(mut self, preferences: Value) -> Self {
        self.model_preferences = Some(preferences);
        self
    }

    /// Adds a stop sequence.
    pub fn stop_sequence(mut self, stop: impl Into<String>) -> Self {
        self.stop_sequences.push(stop.into());
        self
    }
}

/// The client's answer to a sampling request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingResult {
    /// Who the message is from (normally the assistant).
    pub role: Role,
    /// What the model said.
    pub content: Content,
    /// The model that answered.
    pub model: String,
    /// Why generation stopped.
    #[serde(default)]
    pub stop_reason: Option<String>,
}

/// What the user did with an elicitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// The user submitted the form (`content` holds the answers).
    Accept,
    /// The user declined.
    Decline,
    /// The user dismissed the request.
    Cancel,
}

/// The client's answer to an elicitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitResult {
    /// Accept, decline or cancel.
    pub action: ElicitAction,
    /// The submitted values, when accepted (form mode).
    #[serde(default)]
    pub content: Option<Map<String, Value>>,
}

/// A root the client exposes (a directory or project the server may work in).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Root {
    /// A `file://` URI.
    pub uri: String,
    /// A human-readable name.
    #[serde(default)]
    pub name: Option<String>,
}

impl Context {
    /// Asks the client's model for a completion (`sampling/createMessage`).
    pub async fn sample(
        &self,
        request: SamplingRequest,
    ) -> Result<SamplingResult, ClientRequestError> {
        self.require_client_capability("sampling")?;
        let params = serde_json::to_value(request)
            .map_err(|e| ClientRequestError::Malformed(e.to_string()))?;
        self.request_client_as("sampling/createMessage", params)
            .await
    }

    /// Asks the user to fill a form (`elicitation/create`, form mode). `schema` is a flat
    /// object schema of primitive properties; `default` values and every enum form
    /// (`enum`, `oneOf` with `const`/`title`, arrays of `anyOf`) pass through unchanged.
    pub async fn elicit(
        &self,
        message: &str,
        schema: Value,
    ) -> Result<ElicitResult, ClientRequestError> {
        self.require_client_capability("elicitation")?;
        let params = json!({ "mode": "form", "message": message, "requestedSchema": schema });
        self.request_client_as("elicitation/create", params).await
    }

    /// Sends the user to a URL (`elicitation/create`, URL mode), for flows that must not
    /// pass through the client (payments, OAuth). `elicitation_id` ties later
    /// notifications to this request.
    pub async fn elicit_url(
        &self,
        message: &str,
        url: &str,
        elicitation_id: &str,
    ) -> Result<ElicitResult, ClientRequestError> {
        self.require_capability_mode("elicitation", Some("url"))?;
        let params = json!({ "mode": "url", "message": message, "url": url, "elicitationId": elicitation_id });
        self.request_client_as("elicitation/create", params).await
    }

    /// Tells the client a URL-mode elicitation finished (`notifications/elicitation/complete`).
    pub async fn complete_url_elicitation(&self, elicitation_id: &str) {
        let message = notification(
            "notifications/elicitation/complete",
            json!({ "elicitationId": elicitation_id }),
        );
        self.env().outbound().send(message).await;
    }

    /// The client's roots (`roots/list`).
    pub async fn roots(&self) -> Result<Vec<Root>, ClientRequestError> {
        self.require_client_capability("roots")?;
        #[derive(Deserialize)]
        struct Roots {
            roots: Vec<Root>,
        }
        let roots: Roots = self.request_client_as("roots/list", json!({})).await?;
        Ok(roots.roots)
    }

    /// Sends any request to the client and waits for its `result`.
    pub async fn request_client(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Value, ClientRequestError> {
        if let Some(round) = &self.input_round {
            // The stateless era: the answer came with the request, or the call stops here
            // and is answered `input_required`.
            return Ok(round
                .ask(self.round_key(round, method), method, params)
                .await);
        }
        let env = self.env();
        if env.protocol_version().is_stateless() {
            return Err(ClientRequestError::Malformed(format!(
                "`{method}` cannot be asked in this request"
            )));
        }
        let waiter = env
            .session()
            .pending
            .register()
            .ok_or(ClientRequestError::Busy)?;
        let mut waiter = waiter;
        let message =
            json!({ "jsonrpc": "2.0", "id": waiter.id, "method": method, "params": params });
        env.outbound().send(message.to_string()).await;
        let reply = tokio::select! {
            reply = &mut waiter.reply => reply.map_err(|_| ClientRequestError::Cancelled)?,
            () = env.cancellation.cancelled() => return Err(ClientRequestError::Cancelled),
            () = tokio::time::sleep(env.client_request_timeout()) => return Err(ClientRequestError::TimedOut),
        };
        let raw = reply.map_err(ClientRequestError::Rejected)?;
        serde_json::from_str(raw.get()).map_err(|e| ClientRequestError::Malformed(e.to_string()))
    }

    async fn request_client_as<T: for<'de> Deserialize<'de>>(
        &self,
        method: &str,
        params: Value,
    ) -> Result<T, ClientRequestError> {
        if let Some(round) = &self.input_round {
            let key = self.round_key(round, method);
            let answer = round.ask(key.clone(), method, params).await;
            return serde_json::from_value(answer).map_err(|e| {
                round.reject_answer(&key, &e.to_string());
                ClientRequestError::Malformed(e.to_string())
            });
        }
        let result = self.request_client(method, params).await?;
        serde_json::from_value(result).map_err(|e| ClientRequestError::Malformed(e.to_string()))
    }

    /// The key of this request for input: the one set with `input_key`, else the next default.
    fn round_key(&self, round: &crate::mrtr::InputRound, method: &str) -> String {
        self.input_key
            .as_deref()
            .map_or_else(|| round.next_key(method), str::to_owned)
    }

    /// Whether the client declared `capability` (`"sampling"`, `"elicitation"`, `"roots"`),
    /// for bindings that adapt to what the client can do.
    pub fn client_supports(&self, capability: &str) -> bool {
        self.env().client_capabilities()[capability].is_object()
    }

    /// Fails unless the client declared `capability` (`"sampling"`, `"elicitation"`,
    /// `"roots"`...). In the stateless era a missing one fails the whole request with
    /// `-32021` and `data.requiredCapabilities`, however the binding handles the error.
    pub fn require_client_capability(
        &self,
        capability: &'static str,
    ) -> Result<(), ClientRequestError> {
        self.require_capability_mode(capability, None)
    }

    fn require_capability_mode(
        &self,
        capability: &'static str,
        mode: Option<&'static str>,
    ) -> Result<(), ClientRequestError> {
        let declared = &self.env().client_capabilities()[capability];
        let supported = match mode {
            None => declared.is_object(),
            Some(mode) => declared.get(mode).is_some(),
        };
        if supported {
            return Ok(());
        }
        if self.env().protocol_version().is_stateless() {
            // Not a tool error in this era: the request itself lacked a declaration (the
            // first one missing is the one reported).
            let _ = self.env().missing_capability.set(capability);
        }
        Err(ClientRequestError::Unsupported {
            capability: mode.map_or(capability, |_| "elicitation.url"),
        })
    }
}
