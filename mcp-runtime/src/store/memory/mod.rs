//! The default store: everything in this process's memory, no configuration, no new
//! dependency. One replica only: it shares nothing with other processes.

mod limits;

pub(crate) use limits::MemoryLimits;
