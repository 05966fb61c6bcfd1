//! The body of `govscore annual-report FILE_OR_URL [--json]`: read a file or GET a URL, parse,
//! print, and choose the exit code (0 no error; 2 an error, or the document needs 人工核查 —
//! its tables cannot be read reliably or it is not an annual report; 1 the input could not be
//! read).
//! Must not be called from inside an async task that blocks on it: it runs the crawl's
//! fetcher on a private thread and runtime.

use serde::Serialize;

use super::{AnnualReport, has_errors, parse_bytes, render_text};

/// Timeout of the one GET for a URL input.
pub const FETCH_TIMEOUT_S: u64 = 30;

/// The largest document a URL input may be: far above the crawl's default page cap (8 MiB),
/// because a scanned annual report can be large and this is one document the operator
/// asked for, yet bounded.
pub const MAX_DOWNLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The `--json` document.
#[derive(Serialize)]
struct JsonOut<'a> {
    schema: &'static str,
    source: &'a str,
    has_errors: bool,
    /// Why the document needs 人工核查 (then the exit code is 2 although no error is claimed).
    manual_review: Option<&'a str>,
    report: &'a AnnualReport,
}

/// Runs the command; returns the process exit code.
pub fn cli(input: &str, json: bool) -> i32 {
    let (bytes, hint) = match read_input(input) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return 1;
        }
    };
    let report = match parse_bytes(&bytes, &hint) {
        Ok(r) => r,
        Err(e) => {
            // The document was read but cannot be checked (图片版, a broken or unsupported
            // file): a person must look at it.
            eprintln!("无法自动检查 {input}（需人工核查）：{e}");
            return 2;
        }
    };
    if json {
        let doc = JsonOut {
            schema: "govscore.annual-report/1",
            source: input,
            has_errors: has_errors(&report),
            manual_review: report.manual_review.as_deref(),
            report: &report,
        };
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("无法输出JSON：{e}");
                return 1;
            }
        }
    } else {
        println!("文件：{input}");
        print!("{}", render_text(&report));
    }
    if report.manual_review.is_some() {
        eprintln!(
            "{input} 需人工核查：{}",
            report.manual_review.as_deref().unwrap_or_default()
        );
        return 2;
    }
    if has_errors(&report) { 2 } else { 0 }
}

/// Bytes and a format hint (file name or Content-Type) of a path or http(s) URL.
pub(crate) fn read_input(input: &str) -> Result<(Vec<u8>, String), String> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = input.to_string();
        let handle = std::thread::spawn(move || fetch(&url));
        return handle
            .join()
            .map_err(|_| format!("下载 {input} 时内部错误"))?
            .map_err(|e| {
                format!(
                    "无法下载 {input}：{e}。请检查网址是否可在浏览器中打开，或先下载后传入文件路径"
                )
            });
    }
    std::fs::read(input)
        .map(|b| (b, input.to_string()))
        .map_err(|e| format!("无法读取文件 {input}：{e}。请检查路径是否正确、文件是否可读"))
}

/// GETs one URL with the crawl's fetcher and its default politeness: the honest
/// User-Agent, robots.txt, retries with Retry-After, anti-bot walls recognised, the old-TLS
/// fallback, redirects kept on the URL's host, and a cap on the body
/// ([`MAX_DOWNLOAD_BYTES`]), so a hostile or broken server can neither exhaust memory nor
/// pass a challenge page off as the document.
fn fetch(url: &str) -> Result<(Vec<u8>, String), String> {
    use crate::crawl::{FetchOutcome, Fetcher, Scope};
    let parsed = url::Url::parse(url).map_err(|e| format!("网址无效（{e}）"))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let settings = crate::config::CrawlSettings {
            timeout_s: FETCH_TIMEOUT_S,
            max_body_bytes: MAX_DOWNLOAD_BYTES,
            ..crate::config::CrawlSettings::default()
        };
        let fetcher = Fetcher::new(&settings, Scope::new([&parsed])).map_err(|e| e.to_string())?;
        match fetcher.get(&parsed, None).await {
            FetchOutcome::Fetched(page) => {
                let ctype = page.content_type.unwrap_or_default();
                Ok((page.bytes, format!("{ctype} {}", page.url)))
            }
            other => Err(other.reason_zh()),
        }
    })
}
