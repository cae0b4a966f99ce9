//! `initialize` and `logging/setLevel`.

use super::{Reply, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{LogLevel, ProtocolVersion, RpcError, decode_params};
use crate::session::ClientHello;
use crate::shared::Shared;
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

pub(super) fn set_level(params: Option<&RawValue>, env: &Arc<RequestEnv>) -> Reply {
    let SetLevelParams { level } = decode_params(params)?;
    env.session().set_log_level(Some(level));
    to_reply(&json!({}))
}
