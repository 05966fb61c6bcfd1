//! report.json: the canonical rendering (CONTRACT §3).

use super::model::Report;
use std::io;
use std::path::Path;

/// Writes `report.json` (pretty, UTF-8) into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    super::write_atomic_with(&dir.join("report.json"), |out| {
        serde_json::to_writer_pretty(out, report).map_err(io::Error::other)
    })
}
