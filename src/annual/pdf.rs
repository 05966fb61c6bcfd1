//! Extracts the text of a PDF report. Owns the choice of extractor: poppler's `pdftotext
//! -layout` when it is on PATH (it keeps table rows on one line), else the pure-Rust
//! `pdf-extract`, run on its own thread inside `catch_unwind` with a deadline, because it
//! panics on some CJK CMaps and must never take the daemon down. Must not parse the text.
//!
//! Deadlines are hard: the pdftotext child is killed and reaped when its time is up, no
//! reader thread is waited for past it, and a `pdf-extract` run that overruns is abandoned
//! (a thread cannot be stopped); while [`MAX_ABANDONED`] such runs linger, the fallback is
//! refused instead of piling up stuck threads.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use super::AnnualError;

/// How long either extractor may take on one PDF.
pub const PDF_TIMEOUT_S: u64 = 60;

/// Most `pdf-extract` runs left running past their deadline at one time (runs within their
/// deadline are not limited here).
pub const MAX_ABANDONED: usize = 2;

/// `pdf-extract` runs abandoned at their deadline and still executing.
static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// The state of one `pdf-extract` run, shared by the caller and the run's thread.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunState {
    Running,
    Abandoned,
    Done,
}

/// Which extractor reads a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfReader {
    /// `pdftotext -layout` when installed, else the built-in one.
    Auto,
    /// Only `pdftotext -layout` (an error when it is not installed).
    PdfToText,
    /// Only the built-in `pdf-extract`.
    BuiltIn,
}

/// The text of a PDF, by `pdftotext` when installed, else the built-in extractor. An
/// image-only PDF (no text layer) is [`AnnualError::NoText`].
pub fn pdf_text(bytes: &[u8]) -> Result<String, AnnualError> {
    pdf_text_using(bytes, PdfReader::Auto)
}

/// The text of a PDF by the chosen extractor.
pub fn pdf_text_using(bytes: &[u8], reader: PdfReader) -> Result<String, AnnualError> {
    let deadline = Duration::from_secs(PDF_TIMEOUT_S);
    let text = match reader {
        PdfReader::BuiltIn => pdf_extract_guarded(bytes)?,
        PdfReader::PdfToText => match pdftotext(bytes, deadline) {
            Some(r) => r?,
            None => return Err(AnnualError::Pdf("未安装pdftotext（poppler-utils）".into())),
        },
        PdfReader::Auto => match pdftotext(bytes, deadline) {
            Some(Ok(t)) => t,
            // pdftotext is present but failed: try the other extractor before giving up.
            Some(Err(first)) => pdf_extract_guarded(bytes).map_err(|e| match e {
                AnnualError::Pdf(second) => AnnualError::Pdf(format!("{first}；{second}")),
                other => other,
            })?,
            None => pdf_extract_guarded(bytes)?,
        },
    };
    let meaningful = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .count();
    if meaningful < 10 {
        return Err(AnnualError::NoText);
    }
    Ok(text)
}

/// Runs `pdftotext -layout -enc UTF-8 - -`; None when it is not installed.
fn pdftotext(bytes: &[u8], deadline: Duration) -> Option<Result<String, AnnualError>> {
    let args = ["-layout", "-enc", "UTF-8", "-", "-"];
    match run_with_deadline("pdftotext", &args, bytes, deadline) {
        Err(Run::NotFound) => None,
        Err(Run::Failed(e)) => Some(Err(AnnualError::Pdf(format!("pdftotext{e}")))),
        Err(Run::TimedOut) => Some(Err(AnnualError::PdfTimeout(deadline.as_secs()))),
        Ok(out) => Some(Ok(String::from_utf8_lossy(&out).into_owned())),
    }
}

/// Why a child run gave no output.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Run {
    /// The program is not installed.
    NotFound,
    /// It ran and failed (the reason, Chinese).
    Failed(String),
    /// It was killed at its deadline.
    TimedOut,
}

/// Runs `program args` with `input` on stdin and returns its stdout. At the deadline the
/// child is killed and reaped; the threads that feed and drain its pipes end when the
/// pipes close, and are never waited for past the deadline.
pub(crate) fn run_with_deadline(
    program: &str,
    args: &[&str],
    input: &[u8],
    deadline: Duration,
) -> Result<Vec<u8>, Run> {
    let started = Instant::now();
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Run::NotFound),
        Err(e) => return Err(Run::Failed(format!("无法运行（{e}）"))),
    };
    // Feed stdin from another thread so a large PDF cannot deadlock against a full stdout;
    // when the child dies, the write fails and the thread ends.
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = mpsc::channel();
        if let Some(mut p) = pipe {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = p.read_to_end(&mut buf);
                let _ = tx.send(buf);
            });
        }
        rx
    };
    let out_rx = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err_rx = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Run::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Run::Failed(format!("无法等待（{e}）")));
            }
        }
    };
    // The child has exited; its pipes close unless it left a descendant holding them, so
    // the readers are waited for only until the deadline.
    let left = deadline
        .saturating_sub(started.elapsed())
        .max(Duration::from_millis(200));
    let out = out_rx.recv_timeout(left).map_err(|_| Run::TimedOut)?;
    if status.success() {
        Ok(out)
    } else {
        let err = err_rx
            .recv_timeout(Duration::from_millis(200))
            .unwrap_or_default();
        Err(Run::Failed(format!(
            "失败（{}）",
            String::from_utf8_lossy(&err).trim()
        )))
    }
}

/// `pdf-extract` on its own thread: a panic becomes an error, an overrun becomes a timeout
/// (the stuck thread is abandoned; it holds only its copy of the bytes). While
/// [`MAX_ABANDONED`] abandoned runs are still going, no new one is started.
pub(crate) fn pdf_extract_guarded(bytes: &[u8]) -> Result<String, AnnualError> {
    pdf_extract_within(bytes, Duration::from_secs(PDF_TIMEOUT_S))
}

fn pdf_extract_within(bytes: &[u8], deadline: Duration) -> Result<String, AnnualError> {
    if ABANDONED.load(Ordering::SeqCst) >= MAX_ABANDONED {
        return Err(AnnualError::Pdf(
            "内置PDF提取器仍有超时未结束的任务，暂不再启动；请安装poppler-utils（pdftotext）后重试"
                .into(),
        ));
    }
    let state = Arc::new(Mutex::new(RunState::Running));
    let input = bytes.to_vec();
    let (tx, rx) = mpsc::channel();
    let thread_state = Arc::clone(&state);
    std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&input));
            let mut st = thread_state.lock().unwrap_or_else(|p| p.into_inner());
            if *st == RunState::Abandoned {
                ABANDONED.fetch_sub(1, Ordering::SeqCst);
            }
            *st = RunState::Done;
            drop(st);
            let _ = tx.send(r);
        })
        .map_err(|e| AnnualError::Pdf(format!("无法启动提取线程（{e}）")))?;
    match rx.recv_timeout(deadline) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(e))) => Err(AnnualError::Pdf(format!("pdf-extract：{e}"))),
        Ok(Err(_)) => Err(AnnualError::Pdf(
            "pdf-extract在解析该文件时崩溃（常见于中文字体编码表），请安装poppler-utils（pdftotext）后重试".into(),
        )),
        Err(_) => {
            let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
            if *st == RunState::Running {
                *st = RunState::Abandoned;
                ABANDONED.fetch_add(1, Ordering::SeqCst);
            }
            Err(AnnualError::PdfTimeout(deadline.as_secs()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_past_its_deadline_is_killed_and_reaped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pidfile = dir.path().join("pid");
        let script = format!("echo $$ > {}; exec sleep 30", pidfile.display());
        let r = run_with_deadline("sh", &["-c", &script], b"", Duration::from_millis(300));
        assert_eq!(r, Err(Run::TimedOut));
        let pid = std::fs::read_to_string(&pidfile).expect("pid written");
        let pid = pid.trim();
        // Reaped: no process (not even a zombie) with that pid is left.
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "child {pid} still exists after its deadline"
        );
    }

    #[test]
    fn a_child_that_exits_gives_its_output_and_a_missing_program_is_not_found() {
        let out = run_with_deadline("cat", &[], b"abc", Duration::from_secs(10)).expect("cat");
        assert_eq!(out, b"abc");
        assert_eq!(
            run_with_deadline("no-such-program-govscore", &[], b"", Duration::from_secs(1)),
            Err(Run::NotFound)
        );
        assert!(matches!(
            run_with_deadline("sh", &["-c", "echo bad >&2; exit 3"], b"", Duration::from_secs(10)),
            Err(Run::Failed(m)) if m.contains("bad")
        ));
    }

    #[test]
    fn a_fallback_past_its_deadline_returns_a_timeout() {
        // A zero deadline: whatever the extractor does, the caller gets its answer now.
        let bytes = b"%PDF-1.4\n%%EOF\n";
        match pdf_extract_within(bytes, Duration::ZERO) {
            Err(AnnualError::PdfTimeout(_)) | Err(AnnualError::Pdf(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
