//! report.json: the canonical rendering (CONTRACT §3).

use super::model::Report;
use std::io;
use std::path::Path;

/// Writes `report.json` (pretty, UTF-8) into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    let body = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
    super::write_atomic(&dir.join("report.json"), body.as_bytes())
}
