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
    // `report.json.tmp`, not `report.tmp`: the formats are written at the same time, and
    // report.json, report.html, report.xlsx and report.md share a stem.
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
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
/// The formats are written at the same time, one thread each (at thousands of sites each
/// takes a second or more); the first error in [`FILES`] order is returned.
pub fn write_all(report: &model::Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let writers: [fn(&model::Report, &Path) -> io::Result<()>; 6] = [
        json::write,
        html::write,
        xlsx::write,
        csv::write,
        md::write,
        tongbao::write,
    ];
    std::thread::scope(|s| {
        let running: Vec<_> = writers
            .iter()
            .map(|write| s.spawn(move || write(report, dir)))
            .collect();
        for thread in running {
            // A panic in a renderer is a bug: it is resumed here, as it would have been
            // without the thread.
            thread
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        }
        Ok::<(), io::Error>(())
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_has_its_own_temporary_file() {
        // The formats are written at the same time: report.json and report.html must not
        // share a temporary (`report.tmp`), or one rename would publish the other's bytes.
        let dir = tempfile::tempdir().unwrap();
        let (json, html) = (
            dir.path().join("report.json"),
            dir.path().join("report.html"),
        );
        write_atomic_with(&json, |w| {
            write_atomic(&html, b"<html>")?;
            assert!(dir.path().join("report.json.tmp").exists());
            w.write_all(b"{}")
        })
        .unwrap();
        assert_eq!(std::fs::read(&json).unwrap(), b"{}");
        assert_eq!(std::fs::read(&html).unwrap(), b"<html>");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
