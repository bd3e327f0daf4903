//! The integration tests: one binary, one module per subject. The tests that must be alone
//! in a process are binaries of their own: `allocations` (a counting global allocator),
//! `soak` (process-wide heap), `metrics` and `redis_dedup` (each installs the one global
//! metrics recorder and reads it between requests).

#[path = "../common/mod.rs"]
mod common;

mod catalogue;
mod defaults;
mod duplicates;
mod early_rejection;
mod fail_safe;
mod hostile_input;
mod log_redaction;
mod manifest;
mod memory_store;
mod middleware;
mod msg_body;
mod production;
mod properties;
#[cfg(feature = "redis")]
mod redis_store;
mod replies;
mod routing;
mod send_msg_exception;
mod versions;
mod versions_group_info;
mod versions_group_msg;
mod versions_misc;
