//! `initialize` and `logging/setLevel`.

use super::{Reply, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{LogLevel, ProtocolVersion, RpcError, decode_params};
use crate::session::ClientHello;
use crate::shared::Shared;
use crate::store::{Patched, SessionPatch};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InitializeParams {
    protocol_version: String,
    #[serde(default)]
    capabilities: Value,
}

pub(crate) fn initialize(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: InitializeParams = decode_params(params)?;
    let version = ProtocolVersion::negotiate(&params.protocol_version);
    let hello = ClientHello {
        protocol_version: version,
        capabilities: params.capabilities,
    };
    if env.session().initialize(hello).is_err() {
        return Err(RpcError::invalid_request(
            "invalid request: this session is already initialized",
        ));
    }
    let mut result = json!({
        "protocolVersion": version,
        "capabilities": server.capabilities,
        "serverInfo": server.info,
    });
    if let Some(instructions) = &server.instructions {
        result["instructions"] = json!(instructions);
    }
    to_reply(&result)
}

#[derive(Deserialize)]
struct SetLevelParams {
    level: LogLevel,
}

pub(super) async fn set_level(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let SetLevelParams { level } = decode_params(params)?;
    let session = env.session();
    if let Some(id) = session.id() {
        // Kept in the store: every replica serving the session logs at this level.
        let patch = SessionPatch::LogLevel(Some(level));
        patched(server.sessions.patch(id, patch).await?)?;
    }
    session.set_log_level(Some(level));
    to_reply(&json!({}))
}

/// Whether a patch to the request's session was applied; an error when the session ended
/// meanwhile.
pub(super) fn patched(patched: Patched) -> Result<bool, RpcError> {
    match patched {
        Patched::Applied => Ok(true),
        Patched::Refused => Ok(false),
        _ => Err(RpcError::invalid_request(
            "invalid request: the session ended; initialize a new session",
        )),
    }
}
