//! Loading and validating `config.yaml` and the rule files into resolved `Settings`.
mod types;
pub use types::*;
