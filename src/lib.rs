//! govscore assesses a district's government websites the way a 政务公开办 must: it crawls
//! the 区人民政府门户网站 and its 部门/乡镇 subsites, measures how often each column is
//! updated, checks the 政府信息公开工作年度报告, scores every site under YAML rules and
//! writes reports for supervisors.
//!
//! Pipeline (see `docs/` and each module's docs):
//! `config` → `crawl` (the only concurrent stage, uses `extract`) → `store` →
//! `checks` (measure) → `rules` (judge) → `score` → `report`.
//! `sim` is the simulated district used by `demo`, the tests and the benchmarks.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod annual;
pub mod checks;
pub mod cli;
pub mod config;
pub mod crawl;
pub mod daemon;
pub mod demo;
pub mod extract;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod score;
pub mod screen;
pub mod serve;
pub mod sim;
pub mod store;
pub mod textwidth;
