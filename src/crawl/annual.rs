//! Reads each site's 政府信息公开工作年度报告 after the column crawl.
//!
//! Owns: choosing, among the items a run saw on a site, the report for the year before
//! `as_of` (and last year's, for R5) — first in the site's 年报 columns, else by title among
//! all its items; fetching the report article with the run's [`Fetcher`], following the
//! attachment of an attachment-only article (a title plus a PDF/DOCX link); parsing it with
//! [`crate::annual`] and turning the result into an [`AnnualObservation`] for the store.
//!
//! Must not: decide whether the report is on time or what a problem costs (that is
//! `checks::annual_report` and `rules`), or fetch anything outside the run's scope (the
//! `Fetcher` refuses). A report counts for a site only when its title names that unit or no
//! other unit (CONTRACT §3); a portal's 年报 column also lists its departments' reports, which
//! do not count for the portal.

use super::fetch::{FetchOutcome, Fetcher, Page};
use crate::annual::{self, AnnualReport, ProblemSeverity, TitleInfo, parse_title};
use crate::model::{ColumnClass, Role};
use crate::store::{ItemSnap, SiteSnap};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use url::Url;

/// Most candidate articles fetched per site and year before giving up on a readable body
/// (several versions of one report: 图片版, 超链版, 修订版…).
pub const MAX_CANDIDATES_PER_YEAR: usize = 3;

/// Most attachments of one article tried.
pub const MAX_ATTACHMENTS: usize = 3;

/// Most truncated list titles (`…政府信息公...`) whose article is read to learn the full title.
pub const MAX_TITLE_PROBES: usize = 4;

/// Start of the reason stored when a report article could not be fetched.
const ARTICLE_UNREAD: &str = "年报页面无法读取";
/// Start of the reason stored when a report attachment could not be fetched.
const ATTACHMENT_UNREAD: &str = "年报附件无法读取";

/// The last check of a site's annual report, as stored: what it was made from and what it
/// found. A later run whose candidates are the same ([`AnnualCheck::inputs`]) within
/// [`crate::crawl::cache::MAX_REUSE_DAYS`] of the check reuses it without a request.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualCheck {
    /// The reported year looked for.
    pub year: i32,
    /// Fingerprint of the candidates (URLs, titles, dates) of that year and the year before,
    /// and of the truncated titles looked up.
    pub inputs: String,
    /// The observation day of the run that read the report.
    pub checked_on: NaiveDate,
    /// What it found.
    pub observation: AnnualObservation,
}

/// What the annual-report reader made of one site in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualRead {
    /// The site.
    pub site_id: String,
    /// What was found (read now, or reused from the check).
    pub observation: AnnualObservation,
    /// The check to remember for later runs; `None` when a fetch failed (the next run
    /// tries again).
    pub check: Option<AnnualCheck>,
}

/// One problem of a report as stored (the parser's `Problem`, made storable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemRecord {
    /// R1 R2 R3 R4 R5 SECTIONS CELL TYPO.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: String,
    /// 表二 / 表三 / 表四, when in a table.
    pub table: Option<String>,
    /// The row label, when one row is concerned.
    pub row: Option<String>,
    /// The column label, when one column is concerned.
    pub column: Option<String>,
    /// The message for supervisors.
    pub message: String,
}

impl From<&annual::Problem> for ProblemRecord {
    fn from(p: &annual::Problem) -> Self {
        ProblemRecord {
            rule: p.rule.clone(),
            severity: match p.severity {
                ProblemSeverity::Error => "error",
                ProblemSeverity::Warning => "warning",
            }
            .to_string(),
            table: p.table.clone(),
            row: p.row.clone(),
            column: p.column.clone(),
            message: p.message.clone(),
        }
    }
}

/// The report a site published for the year, as found and read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundReport {
    /// The report article (as listed).
    pub url: String,
    /// Its full title.
    pub title: String,
    /// The publish date shown for it (the earliest among several versions of the report).
    pub published: Option<NaiveDate>,
    /// The column it was listed in.
    pub column: Option<String>,
    /// The attachment read instead of the article, for attachment-only articles.
    pub attachment: Option<String>,
    /// html | pdf | docx | text, when the body was read.
    pub format: Option<String>,
    /// The national form the body was checked against: "2019" | "2021" (CONTRACT §3).
    #[serde(default)]
    pub form: Option<String>,
    /// Why the body could not be checked automatically (图片版, unreadable file, fetch
    /// failure); `None` when it was parsed.
    pub manual_review: Option<String>,
    /// Required section headings not found (labels as the format prints them).
    pub sections_missing: Vec<String>,
    /// Every problem the parser found (errors and warnings), plus R5 against last year.
    pub problems: Vec<ProblemRecord>,
    /// Last year's report, when listed (used for R5).
    pub last_year_url: Option<String>,
}

/// What one run found of one site's annual report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualObservation {
    /// The reported year looked for (as_of's year − 1).
    pub year: i32,
    /// The report, when one was found.
    pub report: Option<FoundReport>,
}

/// A list item that may be a site's report for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Item URL.
    pub url: String,
    /// Item title (full, from the list or the article).
    pub title: String,
    /// Publish date.
    pub published: Option<NaiveDate>,
    /// Column name.
    pub column: String,
    /// Whether it was listed in a 年报 (annual_report) column.
    pub in_annual_column: bool,
}

/// Whether a parsed title belongs to the site: it names the site's unit or no unit; for the
/// portal the district name (孟津区) also names it.
pub fn title_fits_site(info: &TitleInfo, site_name: &str, role: Role, district: &str) -> bool {
    if info.matches_unit(site_name) {
        return true;
    }
    role == Role::Portal && !district.is_empty() && {
        let unit: String = info.unit.chars().filter(|c| !c.is_whitespace()).collect();
        unit == district || unit == format!("{district}人民政府")
    }
}

fn fits(item: &ItemSnap, year: i32, site: &SiteSnap, district: &str) -> bool {
    parse_title(&item.title)
        .is_some_and(|t| t.year == year && title_fits_site(&t, &site.name, site.role, district))
}

/// The site's candidates for `year`'s report, best first: items of its 年报 columns whose
/// title names the year and the site's unit (or no unit); when there is none, such items of
/// any column. Items published after `as_of` are invisible (CONTRACT §3). Within a group the
/// earliest publication comes first; the same URL counts once.
pub fn candidates(site: &SiteSnap, year: i32, as_of: NaiveDate, district: &str) -> Vec<Candidate> {
    let pick = |annual: bool| -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        for col in site
            .columns
            .iter()
            .filter(|c| (c.class == ColumnClass::AnnualReport) == annual)
        {
            for item in &col.items {
                if item.published.is_some_and(|d| d > as_of) || !fits(item, year, site, district) {
                    continue;
                }
                if out.iter().any(|c| c.url == item.url) {
                    continue;
                }
                out.push(Candidate {
                    url: item.url.clone(),
                    title: item.title.clone(),
                    published: item.published,
                    column: col.name.clone(),
                    in_annual_column: annual,
                });
            }
        }
        // Undated last: a dated version decides timeliness.
        out.sort_by_key(|c| (c.published.is_none(), c.published));
        out
    };
    let in_columns = pick(true);
    if !in_columns.is_empty() {
        return in_columns;
    }
    pick(false)
}

/// Items of the site's 年报 columns whose list title was cut short (`…信息公...`), so the
/// title cannot tell which report they are: their articles are read for the full title.
fn truncated_items(site: &SiteSnap, as_of: NaiveDate) -> Vec<(String, &ItemSnap)> {
    site.columns
        .iter()
        .filter(|c| c.class == ColumnClass::AnnualReport)
        .flat_map(|c| c.items.iter().map(move |i| (c.name.clone(), i)))
        .filter(|(_, i)| i.published.is_none_or(|d| d <= as_of))
        .filter(|(_, i)| {
            let t = i.title.trim_end();
            (t.ends_with("...") || t.ends_with('…')) && parse_title(&i.title).is_none()
        })
        .take(MAX_TITLE_PROBES)
        .collect()
}

/// A body read from a report article or its attachment.
struct ReadBody {
    report: Result<AnnualReport, String>,
    format: Option<String>,
    attachment: Option<String>,
}

fn format_of(bytes: &[u8], is_html: bool) -> &'static str {
    if bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        "pdf"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "docx"
    } else if is_html {
        "html"
    } else {
        "text"
    }
}

fn is_html(page: &Page) -> bool {
    let ct = page
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    (ct.contains("html") || ct.is_empty())
        && !page.text.is_empty()
        && !page.bytes.starts_with(b"%PDF")
        && !page.bytes.starts_with(b"PK\x03\x04")
}

/// File endings of report attachments.
const ATTACHMENT_ENDINGS: [&str; 6] = [".pdf", ".docx", ".doc", ".wps", ".ofd", ".txt"];

/// Links of an article page that look like report attachments (PDF/DOCX…, TRS
/// `file_appendix`, Hanweb `downfile.jsp`), in page order.
pub fn attachment_links(html: &str, base: &Url) -> Vec<Url> {
    let doc = scraper::Html::parse_document(html);
    let Ok(sel) = scraper::Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut out: Vec<Url> = Vec::new();
    for a in doc.select(&sel) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = base.join(href.trim()) else {
            continue;
        };
        let path = url.path().to_ascii_lowercase();
        let text: String = a.text().collect::<String>().to_ascii_lowercase();
        let looks = ATTACHMENT_ENDINGS
            .iter()
            .any(|e| path.ends_with(e) || text.trim_end().ends_with(e))
            || path.contains("file_appendix")
            || path.contains("downfile");
        if looks && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

async fn parse_blocking(
    bytes: Vec<u8>,
    hint: String,
    html: Option<String>,
) -> Result<AnnualReport, String> {
    let joined = tokio::task::spawn_blocking(move || match html {
        Some(text) => Ok(annual::parse_html(&text)),
        None => annual::parse_bytes(&bytes, &hint).map_err(|e| e.to_string()),
    })
    .await;
    match joined {
        Ok(r) => r,
        Err(e) => Err(format!("解析年报时出错：{e}")),
    }
}

/// Whether a parsed report holds anything checkable: a section heading or a table row.
fn has_content(r: &AnnualReport) -> bool {
    !r.sections_found.is_empty() || r.table3.rows.iter().any(|row| row.found)
}

/// Fetches one attachment and parses it.
async fn read_attachment(fetcher: &Fetcher, link: &Url) -> ReadBody {
    let att = match fetcher.get(link, None).await {
        FetchOutcome::Fetched(p) => p,
        other => {
            return ReadBody {
                report: Err(format!("{ATTACHMENT_UNREAD}：{}", other.reason_zh())),
                format: None,
                attachment: Some(link.to_string()),
            };
        }
    };
    let att_html = is_html(&att);
    let format = format_of(&att.bytes, att_html).to_string();
    let hint = att
        .content_type
        .clone()
        .unwrap_or_else(|| att.url.to_string());
    let report = parse_blocking(att.bytes, hint, att_html.then_some(att.text)).await;
    ReadBody {
        report,
        format: Some(format),
        attachment: Some(link.to_string()),
    }
}

/// Fetches an article and reads the report in it, following an attachment when the article
/// itself holds no report text.
async fn read_article(fetcher: &Fetcher, url: &Url) -> ReadBody {
    let page = match fetcher.get_kept(url, None).await {
        FetchOutcome::Fetched(p) => p,
        other => {
            return ReadBody {
                report: Err(format!("{ARTICLE_UNREAD}：{}", other.reason_zh())),
                format: None,
                attachment: None,
            };
        }
    };
    let html = is_html(&page);
    let hint = page
        .content_type
        .clone()
        .unwrap_or_else(|| page.url.to_string());
    let format = format_of(&page.bytes, html).to_string();
    let parsed = parse_blocking(
        if html { Vec::new() } else { page.bytes.clone() },
        hint,
        html.then(|| page.text.clone()),
    )
    .await;
    let needs_attachment = html && parsed.as_ref().map_or(true, |r| !has_content(r));
    if needs_attachment {
        // Several attachments (a PDF and a DOCX of one report, or an unrelated form): the
        // first that reads as a report wins; otherwise the first failure is kept.
        let mut first_failure: Option<ReadBody> = None;
        for link in attachment_links(&page.text, &page.url)
            .into_iter()
            .take(MAX_ATTACHMENTS)
        {
            let body = read_attachment(fetcher, &link).await;
            if body.report.as_ref().is_ok_and(has_content) {
                return body;
            }
            first_failure.get_or_insert(body);
        }
        if let Some(body) = first_failure {
            return body;
        }
    }
    ReadBody {
        report: parsed,
        format: Some(format),
        attachment: None,
    }
}

/// Reads the site's report for `year` from `cands`: the first candidate decides url, title
/// and (earliest) publish date; the body is taken from the first candidate that reads.
async fn read_year(
    fetcher: &Fetcher,
    cands: &[Candidate],
) -> Option<(FoundReport, Option<AnnualReport>)> {
    let first = cands.first()?;
    let mut found = FoundReport {
        url: first.url.clone(),
        title: first.title.clone(),
        published: cands.iter().filter_map(|c| c.published).min(),
        column: Some(first.column.clone()),
        attachment: None,
        format: None,
        form: None,
        manual_review: None,
        sections_missing: Vec::new(),
        problems: Vec::new(),
        last_year_url: None,
    };
    let mut first_failure: Option<(String, Option<String>, Option<String>)> = None;
    for cand in cands.iter().take(MAX_CANDIDATES_PER_YEAR) {
        let Ok(url) = Url::parse(&cand.url) else {
            continue;
        };
        let body = read_article(fetcher, &url).await;
        match body.report {
            Ok(r) if has_content(&r) => {
                found.url = cand.url.clone();
                found.title = cand.title.clone();
                found.column = Some(cand.column.clone());
                found.attachment = body.attachment;
                found.format = body.format;
                found.form = Some(r.form.as_str().to_string());
                // Tables that cannot be read reliably: 人工核查, nothing claimed.
                found.manual_review = r.manual_review.clone();
                found.sections_missing = r
                    .sections_missing
                    .iter()
                    .map(|s| s.label_zh().to_string())
                    .collect();
                found.problems = r.problems.iter().map(ProblemRecord::from).collect();
                return Some((found, Some(r)));
            }
            Ok(_) => {
                first_failure.get_or_insert((
                    "正文中未识别出年报章节或表格（可能为图片版），需人工核查".to_string(),
                    body.format,
                    body.attachment,
                ));
            }
            Err(e) => {
                first_failure.get_or_insert((e, body.format, body.attachment));
            }
        }
    }
    if let Some((reason, format, attachment)) = first_failure {
        found.manual_review = Some(reason);
        found.format = format;
        found.attachment = attachment;
    } else {
        found.manual_review = Some("年报链接无法解析，需人工核查".to_string());
    }
    Some((found, None))
}

/// Fingerprint of what a site's check for `year` is made from: the candidates of the year
/// and the year before (URL, title, date, column) and the truncated titles to look up.
fn check_inputs(site: &SiteSnap, year: i32, as_of: NaiveDate, district: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    year.hash(&mut h);
    for y in [year, year - 1] {
        for c in candidates(site, y, as_of, district) {
            (c.url, c.title, c.published, c.column, c.in_annual_column).hash(&mut h);
        }
        0xFFu8.hash(&mut h);
    }
    if candidates(site, year, as_of, district).is_empty() {
        for (column, item) in truncated_items(site, as_of) {
            (column, &item.url, &item.title, item.published).hash(&mut h);
        }
    }
    format!("{:016x}", h.finish())
}

/// Whether a stored observation records a fetch that failed (so it is not reused).
fn fetch_failed(obs: &AnnualObservation) -> bool {
    obs.report
        .as_ref()
        .and_then(|r| r.manual_review.as_deref())
        .is_some_and(|m| m.starts_with(ARTICLE_UNREAD) || m.starts_with(ATTACHMENT_UNREAD))
}

/// Finds and reads one site's report for the year before `as_of` (and last year's, for
/// R5), unless `previous` (the site's last check) was made from the same candidates within
/// the reuse age of `observed_on`: then its result is reused without a request. Sites
/// blocked or unreachable are not searched (the pipeline passes assessable sites only).
pub async fn read_site_checked(
    fetcher: &Fetcher,
    site: &SiteSnap,
    as_of: NaiveDate,
    observed_on: NaiveDate,
    district: &str,
    previous: Option<&AnnualCheck>,
) -> AnnualRead {
    let year = as_of.year() - 1;
    let inputs = check_inputs(site, year, as_of, district);
    let age = |c: &AnnualCheck| (observed_on - c.checked_on).num_days();
    if let Some(prev) = previous.filter(|c| {
        c.year == year
            && c.inputs == inputs
            && (0..=super::cache::MAX_REUSE_DAYS).contains(&age(c))
            && !fetch_failed(&c.observation)
    }) {
        return AnnualRead {
            site_id: site.id.clone(),
            observation: prev.observation.clone(),
            check: Some(prev.clone()),
        };
    }
    let (observation, complete) = read_site_once(fetcher, site, as_of, district).await;
    let check = (complete && !fetch_failed(&observation)).then(|| AnnualCheck {
        year,
        inputs,
        checked_on: observed_on,
        observation: observation.clone(),
    });
    AnnualRead {
        site_id: site.id.clone(),
        observation,
        check,
    }
}

/// Reads the report; the flag is false when a truncated title could not be looked up.
async fn read_site_once(
    fetcher: &Fetcher,
    site: &SiteSnap,
    as_of: NaiveDate,
    district: &str,
) -> (AnnualObservation, bool) {
    let year = as_of.year() - 1;
    let mut complete = true;
    let mut cands = candidates(site, year, as_of, district);
    if cands.is_empty() {
        // Titles cut short in the list: the article tells the full title.
        for (column, item) in truncated_items(site, as_of) {
            let Ok(url) = Url::parse(&item.url) else {
                continue;
            };
            // Kept: when the title fits, the report is read from this very page.
            let FetchOutcome::Fetched(page) = fetcher.get_and_keep(&url).await else {
                complete = false;
                continue;
            };
            let article = crate::extract::article::extract_article(&page.text, &page.url);
            let Some(title) = article.title else { continue };
            if parse_title(&title).is_some_and(|t| {
                t.year == year && title_fits_site(&t, &site.name, site.role, district)
            }) {
                cands.push(Candidate {
                    url: item.url.clone(),
                    title,
                    published: item.published.or(article.date),
                    column,
                    in_annual_column: true,
                });
            }
        }
    }
    let Some((mut found, parsed)) = read_year(fetcher, &cands).await else {
        return (AnnualObservation { year, report: None }, complete);
    };
    let last = candidates(site, year - 1, as_of, district);
    if let Some(prev) = last.first() {
        found.last_year_url = Some(prev.url.clone());
        if let Some(this) = &parsed
            && let Some((_, Some(before))) = read_year(fetcher, &last).await
            && let Some(p) = annual::check_r5(this, &before)
        {
            found.problems.push(ProblemRecord::from(&p));
        }
    }
    (
        AnnualObservation {
            year,
            report: Some(found),
        },
        complete,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSource, SiteStatus};
    use crate::store::ColumnSnap;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(title: &str, url: &str, date: &str) -> ItemSnap {
        ItemSnap {
            title: title.into(),
            url: url.into(),
            published: Some(d(date)),
            date_source: DateSource::List,
            url_date: None,
            pinned: false,
            first_seen_run: 1,
            first_seen_on: d(date),
        }
    }

    fn column(name: &str, class: ColumnClass, items: Vec<ItemSnap>) -> ColumnSnap {
        ColumnSnap {
            id: 1,
            name: name.into(),
            class,
            url: format!("http://x/{name}/"),
            assessable: true,
            reason: None,
            seen_back_to: None,
            items,
            history: Vec::new(),
        }
    }

    pub(crate) fn site(name: &str, role: Role, columns: Vec<ColumnSnap>) -> SiteSnap {
        SiteSnap {
            id: "s".into(),
            name: name.into(),
            role,
            url: "http://x/".into(),
            status: SiteStatus::Ok,
            status_reason: None,
            home: Default::default(),
            columns,
            pages: Vec::new(),
            annual: None,
            probes: Vec::new(),
            content: Default::default(),
            links: Vec::new(),
        }
    }

    #[test]
    fn portal_column_listing_department_reports_counts_only_the_portals_own() {
        let s = site(
            "孟津区人民政府",
            Role::Portal,
            vec![column(
                "政府信息公开年报",
                ColumnClass::AnnualReport,
                vec![
                    item(
                        "孟津区统计局2022年政府信息公开工作年度报告",
                        "http://x/a",
                        "2023-01-18",
                    ),
                    item(
                        "孟津区人民政府2022年政府信息公开工作年度报告",
                        "http://x/b",
                        "2023-03-20",
                    ),
                    item(
                        "孟津区人民政府2021年政府信息公开工作年度报告",
                        "http://x/c",
                        "2022-03-20",
                    ),
                    item(
                        "孟津区2022年政府网站工作年度报表",
                        "http://x/d",
                        "2023-01-10",
                    ),
                ],
            )],
        );
        let c = candidates(&s, 2022, d("2023-04-15"), "孟津区");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].url, "http://x/b");
        let last = candidates(&s, 2021, d("2023-04-15"), "孟津区");
        assert_eq!(
            last.iter().map(|c| c.url.as_str()).collect::<Vec<_>>(),
            ["http://x/c"]
        );
    }

    #[test]
    fn the_government_offices_report_does_not_count_for_the_government() {
        let office = item(
            "孟津区人民政府办公室2022年政府信息公开工作年度报告",
            "http://x/office",
            "2023-01-20",
        );
        let portal = site(
            "孟津区人民政府",
            Role::Portal,
            vec![column(
                "年报",
                ColumnClass::AnnualReport,
                vec![office.clone()],
            )],
        );
        assert!(candidates(&portal, 2022, d("2023-04-15"), "孟津区").is_empty());
        let dept = site(
            "孟津区人民政府办公室",
            Role::Department,
            vec![column("年报", ColumnClass::AnnualReport, vec![office])],
        );
        let c = candidates(&dept, 2022, d("2023-04-15"), "孟津区");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].url, "http://x/office");
    }

    #[test]
    fn a_portal_report_titled_with_the_district_name_counts_for_the_portal() {
        let s = site(
            "孟津区人民政府",
            Role::Portal,
            vec![column(
                "年报",
                ColumnClass::AnnualReport,
                vec![item(
                    "2022年孟津区政府信息公开工作年度报告",
                    "http://x/b",
                    "2023-03-20",
                )],
            )],
        );
        assert_eq!(candidates(&s, 2022, d("2023-04-15"), "孟津区").len(), 1);
    }

    #[test]
    fn report_found_by_title_outside_the_annual_column_and_untitled_unit_counts() {
        let s = site(
            "孟津区教育局",
            Role::Department,
            vec![
                column("年报", ColumnClass::AnnualReport, vec![]),
                column(
                    "通知公告",
                    ColumnClass::Notice,
                    vec![
                        item("关于开展2023年春季招生的通知", "http://x/n", "2023-01-05"),
                        item("2022年政府信息公开工作年度报告", "http://x/r", "2023-01-20"),
                        item(
                            "孟津区财政局2022年政府信息公开工作年度报告",
                            "http://x/f",
                            "2023-01-21",
                        ),
                    ],
                ),
            ],
        );
        let c = candidates(&s, 2022, d("2023-02-15"), "孟津区");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].url, "http://x/r");
        assert!(!c[0].in_annual_column);
    }

    #[test]
    fn reports_published_after_as_of_are_not_candidates_and_earliest_version_comes_first() {
        let s = site(
            "孟津区教育局",
            Role::Department,
            vec![column(
                "年报",
                ColumnClass::AnnualReport,
                vec![
                    item(
                        "孟津区教育局2022年政府信息公开工作年度报告（修订版）",
                        "http://x/v2",
                        "2023-01-25",
                    ),
                    item(
                        "孟津区教育局2022年政府信息公开工作年度报告（图片版）",
                        "http://x/v1",
                        "2023-01-20",
                    ),
                    item(
                        "孟津区教育局2022年政府信息公开工作年度报告（超链版）",
                        "http://x/v3",
                        "2023-03-01",
                    ),
                ],
            )],
        );
        let c = candidates(&s, 2022, d("2023-02-15"), "孟津区");
        assert_eq!(
            c.iter().map(|c| c.url.as_str()).collect::<Vec<_>>(),
            ["http://x/v1", "http://x/v2"]
        );
    }

    #[test]
    fn attachment_links_find_pdf_docx_and_trs_appendix_links_only() {
        let base = Url::parse("http://x/zfxxgknb/202301/t20230120_1.html").unwrap();
        let html = r#"<div><p>附件：<a href="./P020230120.pdf">孟津区2022年年报.pdf</a></p>
            <a href="/index.html">首页</a><a href="file_appendix/1.docx">下载</a>
            <a href="./P020230120.pdf">again</a></div>"#;
        let links: Vec<String> = attachment_links(html, &base)
            .into_iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            links,
            [
                "http://x/zfxxgknb/202301/P020230120.pdf",
                "http://x/zfxxgknb/202301/file_appendix/1.docx"
            ]
        );
    }
}
