//! Errors of building and serving a server (not of a single request: see `RpcError`).

use std::fmt;

/// Why a server could not be built or stopped serving.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Two bindings of one kind share a name.
    DuplicateBinding {
        /// `tool`, `resource` or `prompt`.
        kind: &'static str,
        /// The shared name.
        name: String,
        /// Where the first one is defined.
        first: String,
        /// Where the second one is defined.
        second: String,
    },
    /// A binding cannot be served as declared.
    InvalidBinding {
        /// The binding's name.
        name: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A setting cannot be used as given.
    InvalidConfig {
        /// The setting.
        setting: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// Reading or writing the transport failed.
    Io(std::io::Error),
    /// The shared store could not be reached, or failed.
    Store(crate::store::StoreError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::DuplicateBinding {
                kind,
                name,
                first,
                second,
            } => write!(
                f,
                "two {kind}s are named `{name}`: one at {first}, one at {second}; rename one (`name = \"...\"`) or filter one out"
            ),
            Error::InvalidBinding { name, reason } => write!(f, "binding `{name}`: {reason}"),
            Error::InvalidConfig { setting, reason } => write!(f, "{setting}: {reason}"),
            Error::Io(e) => write!(f, "transport I/O failed: {e}"),
            Error::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Store(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Self {
        Error::Store(e)
    }
}
