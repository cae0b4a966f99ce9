use serde::{Deserialize, Serialize};
use std::fmt;

/// An MCP protocol revision this server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProtocolVersion {
    /// `2024-11-05`, the first published revision.
    #[serde(rename = "2024-11-05")]
    V2024_11_05,
    /// `2025-03-26`: Streamable HTTP, tool annotations, audio content.
    #[serde(rename = "2025-03-26")]
    V2025_03_26,
    /// `2025-06-18`: structured tool output, elicitation, titles.
    #[serde(rename = "2025-06-18")]
    V2025_06_18,
    /// `2025-11-25`: icons, URL elicitation, tasks.
    #[serde(rename = "2025-11-25")]
    V2025_11_25,
    /// `2026-07-28`: stateless requests, `server/discover`, multi-round requests.
    #[serde(rename = "2026-07-28")]
    V2026_07_28,
}

impl ProtocolVersion {
    /// Every revision of the 2025 era, oldest first.
    pub const SESSION_ERA: [ProtocolVersion; 4] = [
        ProtocolVersion::V2024_11_05,
        ProtocolVersion::V2025_03_26,
        ProtocolVersion::V2025_06_18,
        ProtocolVersion::V2025_11_25,
    ];

    /// The newest revision of the 2025 era.
    pub const LATEST_SESSION_ERA: ProtocolVersion = ProtocolVersion::V2025_11_25;

    /// Every revision this server speaks, newest first (what `server/discover` and the
    /// unsupported-version error list).
    pub const SUPPORTED: [ProtocolVersion; 5] = [
        ProtocolVersion::V2026_07_28,
        ProtocolVersion::V2025_11_25,
        ProtocolVersion::V2025_06_18,
        ProtocolVersion::V2025_03_26,
        ProtocolVersion::V2024_11_05,
    ];

    /// Whether the revision belongs to the stateless era (2026-07-28 on), where each request
    /// carries its own version and capabilities and there is no `initialize`.
    pub fn is_stateless(self) -> bool {
        self >= ProtocolVersion::V2026_07_28
    }

    /// Parses any revision this server speaks, of either era.
    pub fn parse_any(text: &str) -> Option<ProtocolVersion> {
        Self::SUPPORTED.into_iter().find(|v| v.as_str() == text)
    }

    /// The revision as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::V2024_11_05 => "2024-11-05",
            ProtocolVersion::V2025_03_26 => "2025-03-26",
            ProtocolVersion::V2025_06_18 => "2025-06-18",
            ProtocolVersion::V2025_11_25 => "2025-11-25",
            ProtocolVersion::V2026_07_28 => "2026-07-28",
        }
    }

    /// Parses a revision of the 2025 era (what `initialize` negotiates); `None` otherwise.
    pub fn parse(text: &str) -> Option<ProtocolVersion> {
        Self::SESSION_ERA.into_iter().find(|v| v.as_str() == text)
    }

    /// What `initialize` answers when a client asks for `requested`: the same revision when
    /// it is supported, otherwise the newest one (the client then decides whether to go on).
    pub fn negotiate(requested: &str) -> ProtocolVersion {
        Self::parse(requested).unwrap_or(Self::LATEST_SESSION_ERA)
    }

    /// Whether results of this revision may carry `structuredContent` and `outputSchema`.
    pub(crate) fn has_structured_output(self) -> bool {
        self >= ProtocolVersion::V2025_06_18
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_keeps_a_supported_revision_and_falls_back_to_the_newest() {
        assert_eq!(
            ProtocolVersion::negotiate("2025-03-26"),
            ProtocolVersion::V2025_03_26
        );
        assert_eq!(
            ProtocolVersion::negotiate("2024-11-05"),
            ProtocolVersion::V2024_11_05
        );
        assert_eq!(
            ProtocolVersion::negotiate("1999-01-01"),
            ProtocolVersion::V2025_11_25
        );
    }

    #[test]
    fn wire_form_round_trips() {
        for v in ProtocolVersion::SESSION_ERA {
            let text = serde_json::to_string(&v).unwrap();
            assert_eq!(text, format!("\"{}\"", v.as_str()));
            assert_eq!(ProtocolVersion::parse(v.as_str()), Some(v));
        }
    }
}
