//! Reports: the canonical JSON model and its renderings (one file per format). Every
//! string that came from a crawled site is escaped by the renderer that outputs it.
//!
//! report.json is the single source: every other file (report.html, report.xlsx,
//! findings.csv, report.md, tongbao.md) renders from the same [`model::Report`] and adds
//! no fact of its own. Renderers never compute scores or judge findings.

pub mod charts;
pub mod common;
pub mod csv;
pub mod html;
pub mod json;
pub mod md;
pub mod model;
pub mod tongbao;
pub mod xlsx;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes a file via a temporary sibling and a rename, so a reader never sees half a report.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], the content written by `write` through a buffer as it is made
/// (a district's report is never held whole as text).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut out = io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// The files [`write_all`] writes, in order (report.json first: it is the canonical one).
pub const FILES: [&str; 6] = [
    "report.json",
    "report.html",
    "report.xlsx",
    "findings.csv",
    "report.md",
    "tongbao.md",
];

/// Writes every report format into `dir` (created if missing) and returns the files written.
pub fn write_all(report: &model::Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    json::write(report, dir)?;
    html::write(report, dir)?;
    xlsx::write(report, dir)?;
    csv::write(report, dir)?;
    md::write(report, dir)?;
    tongbao::write(report, dir)?;
    Ok(FILES.iter().map(|f| dir.join(f)).collect())
}

/// Points `<reports>/latest` at `run_dir` (a relative symlink, replaced atomically).
pub fn refresh_latest(reports_dir: &Path, run_dir: &Path) -> io::Result<()> {
    let latest = reports_dir.join("latest");
    let target = run_dir
        .strip_prefix(reports_dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| run_dir.to_path_buf());
    let tmp = reports_dir.join(".latest.tmp");
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(&target, &tmp)?;
    std::fs::rename(&tmp, &latest)
}
