//! The crawler: fetching with politeness, walls, and the site walker.
//!
//! - [`fetch`]: the one HTTP client of a run ([`fetch::Fetcher`]) and its outcomes;
//! - [`politeness`]: the named concurrency limits and per-host delays, as held permits;
//! - [`robots`]: robots.txt policy and its per-host cache;
//! - [`wall`]: recognition of anti-bot walls (加速乐, 瑞数, wzws);
//! - [`walker`]: one site's home page, columns and list pages → [`observe::SiteObservation`];
//! - [`observe`]: what a crawl saw, as plain data for the store;
//! - [`annual`]: each site's 政府信息公开工作年度报告, found and read after the column crawl.

pub mod annual;
pub mod fetch;
pub mod observe;
pub mod politeness;
pub mod robots;
pub mod walker;
pub mod wall;

pub use fetch::{
    Failure, FetchInitError, FetchOutcome, FetchStats, Fetcher, Page, Scope, SkipReason, Validators,
};
pub use wall::Wall;
pub mod cache;
pub mod discover;
