//! Integration tests: one binary, one module per area. Every server binds 127.0.0.1:0 and
//! every URL is derived from the bound address; nothing needs the internet.

mod annual;
mod attachments;
mod backdating;
mod cli;
mod daemon;
mod discover;
mod e2e;
mod faults;
mod fetch;
mod fuzz;
mod incremental;
mod links;
mod realworld;
mod reports;
mod rules;
mod screen;
mod screening;
mod support;
mod verdicts;
mod walk;
mod walls;
