//! Extracts the text of a PDF report. Owns the choice of extractor: poppler's `pdftotext
//! -layout` when it is on PATH (it keeps table rows on one line), else the pure-Rust
//! `pdf-extract`, run on its own thread inside `catch_unwind` with a timeout, because it
//! panics on some CJK CMaps and must never take the daemon down. Must not parse the text.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::AnnualError;

/// How long either extractor may take on one PDF.
pub const PDF_TIMEOUT_S: u64 = 60;

/// The text of a PDF. An image-only PDF (no text layer) is [`AnnualError::NoText`].
pub fn pdf_text(bytes: &[u8]) -> Result<String, AnnualError> {
    let text = match pdftotext(bytes) {
        Some(Ok(t)) => t,
        // pdftotext is present but failed: try the other extractor before giving up.
        Some(Err(first)) => pdf_extract_guarded(bytes).map_err(|e| match e {
            AnnualError::Pdf(second) => AnnualError::Pdf(format!("{first}；{second}")),
            other => other,
        })?,
        None => pdf_extract_guarded(bytes)?,
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
fn pdftotext(bytes: &[u8]) -> Option<Result<String, String>> {
    let mut child = match Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => return None,
    };
    // Feed stdin from another thread so a large PDF cannot deadlock against a full stdout.
    let input = bytes.to_vec();
    let stdin = child.stdin.take();
    let feeder = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(&input);
        }
    });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let result = match rx.recv_timeout(Duration::from_secs(PDF_TIMEOUT_S)) {
        Ok(Ok(out)) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Ok(Ok(out)) => Err(format!(
            "pdftotext失败（{}）",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Ok(Err(e)) => Err(format!("pdftotext无法运行（{e}）")),
        Err(_) => Err(format!("pdftotext超过{PDF_TIMEOUT_S}秒未完成")),
    };
    let _ = feeder.join();
    Some(result)
}

/// `pdf-extract` on its own thread: a panic becomes an error, a hang becomes a timeout (the
/// stuck thread is left to finish on its own; it holds only its copy of the bytes).
pub(crate) fn pdf_extract_guarded(bytes: &[u8]) -> Result<String, AnnualError> {
    let input = bytes.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&input));
            let _ = tx.send(r);
        })
        .map_err(|e| AnnualError::Pdf(format!("无法启动提取线程（{e}）")))?;
    match rx.recv_timeout(Duration::from_secs(PDF_TIMEOUT_S)) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(e))) => Err(AnnualError::Pdf(format!("pdf-extract：{e}"))),
        Ok(Err(_)) => Err(AnnualError::Pdf(
            "pdf-extract在解析该文件时崩溃（常见于中文字体编码表），请安装poppler-utils（pdftotext）后重试".into(),
        )),
        Err(_) => Err(AnnualError::PdfTimeout(PDF_TIMEOUT_S)),
    }
}
