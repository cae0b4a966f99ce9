//! The Lua scripts that make each multi-step update atomic, loaded once and run by their
//! SHA1 (redis-rs loads a script again when a restarted Redis lost it).

use redis::Script;
use std::sync::LazyLock;

const PRELUDE: &str = include_str!("scripts/prelude.lua");
const TASK_PRELUDE: &str = include_str!("scripts/task_settle.lua");

fn script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}\n{body}"))
}

fn task_script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}\n{TASK_PRELUDE}\n{body}"))
}

/// Every script, by what it does.
pub(super) struct Scripts {
    pub session_create: Script,
    pub session_level: Script,
    pub session_subscribe: Script,
    pub session_unsubscribe: Script,
    pub session_claim: Script,
    pub session_release: Script,
    pub log_standalone: Script,
    pub log_open: Script,
    pub log_append: Script,
    pub log_close: Script,
    pub log_cut: Script,
    pub log_read: Script,
    pub task_admit: Script,
    pub task_create: Script,
    pub task_get: Script,
    pub task_input: Script,
    pub task_answer: Script,
    pub task_finish: Script,
    pub task_cancel: Script,
    pub task_renew: Script,
    pub tasks_renew_running: Script,
    pub limit_fixed_window: Script,
    pub limit_sliding_window: Script,
    pub limit_token_bucket: Script,
}

pub(super) static SCRIPTS: LazyLock<Scripts> = LazyLock::new(|| Scripts {
    session_create: script(include_str!("scripts/session_create.lua")),
    session_level: script(include_str!("scripts/session_level.lua")),
    session_subscribe: script(include_str!("scripts/session_subscribe.lua")),
    session_unsubscribe: script(include_str!("scripts/session_unsubscribe.lua")),
    session_claim: script(include_str!("scripts/session_claim.lua")),
    session_release: script(include_str!("scripts/session_release.lua")),
    log_standalone: script(include_str!("scripts/log_standalone.lua")),
    log_open: script(include_str!("scripts/log_open.lua")),
    log_append: script(include_str!("scripts/log_append.lua")),
    log_close: script(include_str!("scripts/log_close.lua")),
    log_cut: script(include_str!("scripts/log_cut.lua")),
    log_read: script(include_str!("scripts/log_read.lua")),
    task_admit: script(include_str!("scripts/task_admit.lua")),
    task_create: script(include_str!("scripts/task_create.lua")),
    task_get: task_script(include_str!("scripts/task_get.lua")),
    task_input: task_script(include_str!("scripts/task_input.lua")),
    task_answer: task_script(include_str!("scripts/task_answer.lua")),
    task_finish: task_script(include_str!("scripts/task_finish.lua")),
    task_cancel: task_script(include_str!("scripts/task_cancel.lua")),
    task_renew: task_script(include_str!("scripts/task_renew.lua")),
    tasks_renew_running: script(include_str!("scripts/tasks_renew_running.lua")),
    limit_fixed_window: script(include_str!("scripts/limit_fixed_window.lua")),
    limit_sliding_window: script(include_str!("scripts/limit_sliding_window.lua")),
    limit_token_bucket: script(include_str!("scripts/limit_token_bucket.lua")),
});
