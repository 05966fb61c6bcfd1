//! Column list extraction: the items (title, URL, date, pinned) of a column's list page.
//!
//! Finds the page's main list generically — the repeated `li`/`tr`/`dd` (or Fujian
//! `<dl>`-per-entry, or record) blocks that each hold one `<a href>` and usually a date —
//! rather than by CMS class names, and also reads the lists CMSs hide in scripts: Hanweb
//! `<datastore>` XML records (column pages and `dataproxy.jsp` responses) and old Hanweb
//! `var InitData… = ['<a…>']` arrays. Navigation menus, footers, breadcrumbs, "更多" and
//! pager links (下一页, 下5页, page numbers) never become items; a dated block of another
//! column's links (a header ticker) does not displace the column's own. `MM-DD` dates take
//! their year from the item URL, else from the day the page was fetched.
//!
//! A page without entries is either empty (暂无信息, an empty list) or unreadable (a
//! script-drawn list, an iframe, an unknown template): [`read_list`] says which, so an
//! unreadable column is "无法读取", never 空白.
//!
//! Pure: no I/O, no fetching of article pages (dates missing here are found later from the
//! article). Work is bounded by [`MAX_ANCHORS`] and [`MAX_RECORDS`]; runaway nesting is
//! flattened, not cut (`super::flattened`), and nothing recurses on the input's depth.

use super::dates::{
    date_from_url, find_date, find_month_day, infer_month_day_year, parse_date, parse_month_day,
    resolve_month_day,
};
use super::text::{collapse_ws, element_text, element_text_skipping};
use crate::model::{DateSource, ListItem};
use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// The most anchors of one page that are considered as list items.
pub const MAX_ANCHORS: usize = 5_000;
/// The most script records (Hanweb `<record>`s or `InitData` entries) read from one page.
pub const MAX_RECORDS: usize = 2_000;
/// How far up the tree an anchor's row or an excluded region is looked for.
const MAX_ANCESTORS: usize = 48;
/// How many levels above an anchor its `li`/`tr` row may be.
const MAX_ROW_DEPTH: usize = 8;
/// Longest element text that is still tried as a date (`2022年05月23日 16:40:11`).
const MAX_DATE_TEXT: usize = 48;

static A_HREF: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));
static IMG: LazyLock<Selector> = LazyLock::new(|| Selector::parse("img").expect("static selector"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("h1, h2, h3, h4, h5, h6, [class*=title], [class*=tit]")
        .expect("static selector")
});
static BODY: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("body").expect("static selector"));

static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>").expect("static regex")
});
static INIT_DATA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"var\s+\w*InitData\w*\s*=\s*\[").expect("static regex"));
static TRAILING_BRACKET_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[\[【(（]\s*((?:\d{4}\s*[-/.]\s*)?\d{1,2}\s*[-/.]\s*\d{1,2})\s*[\]】)）]\s*$")
        .expect("static regex")
});
static DAY_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}$").expect("static regex"));
static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})月?$").expect("static regex"));
static PAGER_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第?\s*\d+\s*页?|\[\s*\d+\s*\]|[上下前后]\s*\d+\s*页|首页|上一页|下一页|上页|下页|前页|后页|尾页|末页|最后一页|跳转|GO|go|Go|<<?|>>?|«|»|‹|›|next|prev|last|first|Next|Prev|Last|First)$")
        .expect("static regex")
});
static MORE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[+＋>»]*\s*)?(?:查看)?(?:更多|more)(?:信息|内容|\s*\+|\s*>+|\s*»)?\s*[+＋>»]*$",
    )
    .expect("static regex")
});

/// Class or id fragments of page furniture that never holds the column list.
const FURNITURE_MARKERS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "foot",
    "bread",
    "crumb",
    "location",
    "weizhi",
    "pager",
    "pagination",
    "pagenav",
    "paging",
    "fenye",
    "page_bar",
    "pagebar",
    "header",
    "topbar",
];
/// Class tokens that mark a pinned row.
const PIN_CLASSES: &[&str] = &[
    "top", "istop", "is-top", "settop", "zhiding", "zd", "stick", "sticky", "pinned",
];
/// Row elements, innermost first.
const ROW_TAGS: &[&str] = &["li", "tr", "dd"];

/// How a list page was read: what [`read_list`] can say besides its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListReading {
    /// Entries were read.
    Read,
    /// The list was read and is truly empty: an empty list element or a 暂无信息 line.
    Empty,
    /// No entry could be read and the page does not say it is empty: the list is drawn by a
    /// script, sits in an iframe, or follows a template the reader does not know. Nothing
    /// can be said about the column (not blank, not stale); the reason is Chinese.
    Unreadable(String),
}

/// A list page's entries and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// The entries, in page order, each URL once.
    pub items: Vec<ListItem>,
    /// [`ListReading::Read`] whenever `items` is not empty.
    pub reading: ListReading,
}

/// The items of a list page (or a Hanweb `dataproxy.jsp` XML response), in page order,
/// each URL once. `page_url` resolves relative links. See [`read_list`].
pub fn extract_items(html: &str, page_url: &Url) -> Vec<ListItem> {
    read_list(html, page_url, None).items
}

/// Reads a list page: its entries, and when there are none, whether the page says the list
/// is empty or could not be read. `fetched_on` (the day the page was fetched) gives `MM-DD`
/// dates a year when the item URL has none.
pub fn read_list(html: &str, page_url: &Url, fetched_on: Option<NaiveDate>) -> ListPage {
    let html = super::flattened(html);
    read_flattened(&html, None, page_url, fetched_on)
}

/// [`read_list`] and the page's links ([`super::nav::nav_links`]) from one parse, when the
/// two readers take the same input: the page is not cut or flattened for either (runaway
/// nesting is flattened for the list and cut for the links, and then it is parsed twice).
pub fn read_list_and_links(
    html: &str,
    page_url: &Url,
    fetched_on: Option<NaiveDate>,
) -> (ListPage, Vec<super::nav::NavLink>) {
    let flat = super::flattened(html);
    let same_input =
        matches!(flat, std::borrow::Cow::Borrowed(_)) && super::bounded(html).len() == flat.len();
    if !same_input {
        return (
            read_flattened(&flat, None, page_url, fetched_on),
            super::nav::nav_links(html, page_url),
        );
    }
    let parsed = super::Parsed {
        html: &flat,
        doc: Html::parse_document(&flat),
    };
    let links = super::nav::links_of(&parsed, page_url);
    (
        read_flattened(&flat, Some(&parsed.doc), page_url, fetched_on),
        links,
    )
}

/// [`read_list`] of a flattened page, `doc` its tree if already parsed.
fn read_flattened(
    html: &str,
    doc: Option<&Html>,
    page_url: &Url,
    fetched_on: Option<NaiveDate>,
) -> ListPage {
    let records = script_records(html);
    if !records.is_empty() {
        let rows: Vec<Row> = records
            .iter()
            .filter_map(|r| fragment_item(r, page_url))
            .collect();
        if !rows.is_empty() {
            return ListPage {
                items: dedupe(give_years(rows, fetched_on)),
                reading: ListReading::Read,
            };
        }
    }
    let parsed;
    let doc = match doc {
        Some(doc) => doc,
        None => {
            parsed = Html::parse_document(html);
            &parsed
        }
    };
    let items = dedupe(give_years(dom_items(doc, page_url), fetched_on));
    let reading = if items.is_empty() {
        empty_reading(doc, html)
    } else {
        ListReading::Read
    };
    ListPage { items, reading }
}

/// Texts that say a list is empty.
static EMPTY_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|资料|公开信息)|没有(?:找到)?(?:相关)?(?:信息|数据|内容|记录)|无相关(?:信息|数据|内容|记录)|共\s*0\s*条")
        .expect("static regex")
});
/// Client-side templates: the list is drawn in the browser from data the page lacks.
static TEMPLATE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\s(?:ms-repeat|ms-for|v-for|ng-repeat|x-for|:key)\s*=|\{\{\s*[\w.$\[\]]+\s*\}\}|<template[\s>]|type\s*=\s*["']text/(?:html|x-template|template)["']|art-template|laytpl|layui\.laypage"#)
        .expect("static regex")
});
/// Scripts that load content after the page.
static AJAX_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\$\.(?:ajax|get|post|getjson|load)\s*\(|\.load\s*\(\s*['\x22]|\bfetch\s*\(|xmlhttprequest|axios\.|dataproxy\.jsp|jsonp")
        .expect("static regex")
});
static IFRAME: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("iframe[src]").expect("static selector"));
static LIST_CONTAINER: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("ul, ol, tbody, dl").expect("static selector"));

/// Why a page without entries has none: it says so (or shows an empty list), or it could
/// not be read.
fn empty_reading(doc: &Html, html: &str) -> ListReading {
    if TEMPLATE_MARKER.is_match(html) {
        return ListReading::Unreadable(
            "列表由页面脚本模板生成，页面源码中没有条目（需人工核查）".into(),
        );
    }
    let body = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());
    // A 暂无数据 in a header widget or the footer says nothing about the list.
    if EMPTY_MARKER.is_match(&element_text_skipping(body, is_furniture)) {
        return ListReading::Empty;
    }
    let empty_list = doc.select(&LIST_CONTAINER).take(MAX_ANCHORS).any(|l| {
        let v = l.value();
        let named = [v.attr("class"), v.attr("id")]
            .into_iter()
            .flatten()
            .any(|a| a.to_ascii_lowercase().contains("list"));
        named && !in_furniture(l) && l.child_elements().next().is_none()
    });
    if empty_list {
        return ListReading::Empty;
    }
    if let Some(frame) = doc.select(&IFRAME).find(|f| !in_furniture(*f)) {
        let src = frame.value().attr("src").unwrap_or_default();
        return ListReading::Unreadable(format!(
            "列表在内嵌框架(iframe)中：{}（需人工核查）",
            super::truncate_str(src.trim(), 200)
        ));
    }
    if AJAX_MARKER.is_match(html) {
        return ListReading::Unreadable("列表由脚本加载，页面源码中没有条目（需人工核查）".into());
    }
    ListReading::Unreadable("未能识别列表格式，页面中没有可读的条目（需人工核查）".into())
}

/// One row as read, before a `MM-DD` date without URL year gets its year.
struct Row {
    item: ListItem,
    /// Whether the row showed a date.
    dated: bool,
    /// A `MM-DD` date still waiting for its year.
    month_day: Option<(u32, u32)>,
}

/// Gives the rows' yearless `MM-DD` dates a year from the fetch day, in page order.
fn give_years(rows: Vec<Row>, fetched_on: Option<NaiveDate>) -> Vec<ListItem> {
    let mut previous: Option<NaiveDate> = None;
    rows.into_iter()
        .map(|r| {
            let mut item = r.item;
            if let (Some((m, d)), Some(on)) = (r.month_day, fetched_on)
                && let Some(date) = infer_month_day_year(m, d, on, previous)
            {
                item.date = Some(date);
                item.date_source = DateSource::ListWithFetchYear;
            }
            if !item.pinned && item.date.is_some() {
                previous = item.date;
            }
            item
        })
        .collect()
}

/// The HTML fragments a CMS keeps in scripts: Hanweb `<record><![CDATA[…]]></record>`
/// entries, or else the string entries of old Hanweb `var InitData… = [ … ]` arrays.
fn script_records(html: &str) -> Vec<String> {
    let records: Vec<String> = RECORD
        .captures_iter(html)
        .take(MAX_RECORDS)
        .map(|c| c[1].to_string())
        .collect();
    if !records.is_empty() {
        return records;
    }
    let mut out = Vec::new();
    for m in INIT_DATA.find_iter(html) {
        out.extend(js_string_array(&html[m.end()..]));
        if out.len() >= MAX_RECORDS {
            out.truncate(MAX_RECORDS);
            break;
        }
    }
    out
}

/// Reads JS string literals from just after an array's `[` until its closing `]`.
fn js_string_array(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    loop {
        let Some(c) = chars.next() else { return out };
        match c {
            ']' => return out,
            '\'' | '"' => {
                let quote = c;
                let mut lit = String::new();
                loop {
                    match chars.next() {
                        None => return out,
                        Some('\\') => match chars.next() {
                            Some('n') => lit.push('\n'),
                            Some('t') => lit.push('\t'),
                            Some(other) => lit.push(other),
                            None => return out,
                        },
                        Some(ch) if ch == quote => break,
                        Some(ch) => lit.push(ch),
                    }
                }
                out.push(lit);
                if out.len() >= MAX_RECORDS {
                    return out;
                }
            }
            _ => {}
        }
    }
}

/// One record fragment (`<li>…</li>`, `<tr>…</tr>`, `<a>…</a>`) as one row.
fn fragment_item(fragment: &str, page_url: &Url) -> Option<Row> {
    let trimmed = fragment.trim_start();
    let starts = |p: &str| {
        trimmed
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    // A bare <tr> outside a table is dropped by the HTML parser: give it its table back.
    let wrapped = if starts("<tr") {
        format!("<table>{fragment}</table>")
    } else if starts("<td") {
        format!("<table><tr>{fragment}</tr></table>")
    } else {
        fragment.to_string()
    };
    let doc = Html::parse_document(&wrapped);
    let body = doc.select(&BODY).next()?;
    row_item(body, page_url)
}

/// A group of rows sharing one container (`ul`, `tbody`…).
struct Group<'a> {
    container: ElementRef<'a>,
    rows: Vec<ElementRef<'a>>,
}

fn dom_items(doc: &Html, page_url: &Url) -> Vec<Row> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut group_index = HashMap::new();
    let mut seen_rows = HashSet::new();
    for a in doc.select(&A_HREF).take(MAX_ANCHORS) {
        if item_link(a, page_url).is_none() || in_furniture(a) {
            continue;
        }
        let Some((row, container)) = row_of(a) else {
            continue;
        };
        if !seen_rows.insert(row.id()) {
            continue;
        }
        let gi = *group_index.entry(container.id()).or_insert_with(|| {
            groups.push(Group {
                container,
                rows: Vec::new(),
            });
            groups.len() - 1
        });
        groups[gi].rows.push(row);
    }

    // Rows of every group, with the number of rows that showed a date.
    let evaluated: Vec<(Vec<Row>, usize)> = groups
        .iter()
        .map(|g| {
            let rows: Vec<Row> = g
                .rows
                .iter()
                .filter_map(|r| row_item(*r, page_url))
                .collect();
            let dated = rows.iter().filter(|r| r.dated).count();
            (rows, dated)
        })
        .collect();

    // A column's own entries live under its folder on most CMSs (TRS `./202205/t…`): when
    // some dated group links there, a dated block linking only elsewhere is another
    // column's (a header ticker of older notices, a 热点 box), however long it is.
    let page_dir = match page_url.path().rfind('/') {
        Some(i) => &page_url.path()[..=i],
        None => "/",
    };
    let local = |rows: &[Row]| {
        rows.iter().any(|r| {
            Url::parse(&r.item.url).is_ok_and(|u| {
                u.host_str() == page_url.host_str()
                    && u.path().starts_with(page_dir)
                    && u.path() != page_url.path()
            })
        })
    };
    let any_local = evaluated
        .iter()
        .any(|(rows, dated)| *dated > 0 && local(rows));
    let best = evaluated
        .iter()
        .enumerate()
        .filter(|(_, (items, dated))| *dated > 0 && !items.is_empty())
        .filter(|(_, (items, _))| !any_local || local(items))
        .max_by(|(ia, (a_items, a)), (ib, (b_items, b))| {
            a.cmp(b)
                .then(a_items.len().cmp(&b_items.len()))
                .then(ib.cmp(ia))
        })
        .map(|(i, _)| i);

    match best {
        Some(b) => {
            // Lists split into several sibling `ul`s (every N items) are one list.
            let parent = groups[b].container.parent().map(|p| p.id());
            let tag = groups[b].container.value().name();
            let mut out = Vec::new();
            for (i, g) in groups.iter().enumerate() {
                let sibling = i == b
                    || (evaluated[i].1 > 0
                        && g.container.value().name() == tag
                        && g.container.parent().map(|p| p.id()) == parent);
                if sibling {
                    out.push(i);
                }
            }
            let mut evaluated = evaluated;
            out.into_iter()
                .flat_map(|i| std::mem::take(&mut evaluated[i].0))
                .collect()
        }
        None => {
            // Undated lists: the group with the most title text, if it looks like titles
            // (navigation labels are short) or every entry links to a dated article URL
            // (leader cards: short names, `./202208/t20220809_….html`; menus never do).
            // A list of one undated entry (a 年报 column with its single report) counts
            // when its title reads like one and it links to another page of the same host.
            let title_chars =
                |rows: &[Row]| -> usize { rows.iter().map(|r| r.item.title.chars().count()).sum() };
            evaluated
                .into_iter()
                .filter(|(rows, _)| {
                    let chars = title_chars(rows);
                    match rows.len() {
                        0 => false,
                        1 => chars >= 8 && single_entry_link(&rows[0].item, page_url),
                        n => chars >= 8 * n || rows.iter().all(|r| r.item.url_date.is_some()),
                    }
                })
                .max_by_key(|(rows, _)| title_chars(rows))
                .map(|(rows, _)| rows)
                .unwrap_or_default()
        }
    }
}

/// Whether a lone undated entry links to another page of the list's own host (not the
/// list page itself, not an outside site such as the ICP record).
fn single_entry_link(item: &ListItem, page_url: &Url) -> bool {
    Url::parse(&item.url).is_ok_and(|u| {
        u.host_str() == page_url.host_str()
            && u.path() != page_url.path()
            && crate::crawl::page_key(&u) != crate::crawl::page_key(page_url)
    })
}

/// The row (`li`/`tr`/`dd`, or a whole `<dl>` entry) holding an anchor and the row's
/// container. Anchors outside any row form a row of their own parent when that parent holds
/// no other link (so a breadcrumb or a footer line of links is not a row).
fn row_of(a: ElementRef<'_>) -> Option<(ElementRef<'_>, ElementRef<'_>)> {
    let mut node = a;
    for _ in 0..MAX_ROW_DEPTH {
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            break;
        };
        let tag = parent.value().name();
        if matches!(tag, "dd" | "dt")
            && let Some(dl) = parent.parent().and_then(ElementRef::wrap)
            && dl.value().name() == "dl"
            && dl.select(&A_HREF).take(2).count() == 1
        {
            // Fujian 集约化 `<dl><dd><a>title</a></dd><dd>date</dd></dl>`: one entry per
            // `<dl>`, its date in a sibling cell.
            let container = dl.parent().and_then(ElementRef::wrap)?;
            return Some((dl, container));
        }
        if ROW_TAGS.contains(&tag) {
            let container = parent.parent().and_then(ElementRef::wrap)?;
            return Some((parent, container));
        }
        node = parent;
    }
    let parent = a.parent().and_then(ElementRef::wrap)?;
    if matches!(parent.value().name(), "body" | "html") {
        return None;
    }
    if parent.select(&A_HREF).take(2).count() > 1 {
        return None;
    }
    let container = parent.parent().and_then(ElementRef::wrap)?;
    Some((parent, container))
}

/// Whether an element sits inside page furniture (nav, header, footer, breadcrumb, pager).
fn in_furniture(el: ElementRef<'_>) -> bool {
    let mut cur = Some(el);
    for _ in 0..MAX_ANCESTORS {
        let Some(e) = cur else { return false };
        if is_furniture(e) {
            return true;
        }
        cur = e.parent().and_then(ElementRef::wrap);
    }
    false
}

/// Whether an element itself is page furniture (nav, header, footer, breadcrumb, pager).
fn is_furniture(e: ElementRef<'_>) -> bool {
    let v = e.value();
    matches!(v.name(), "nav" | "header" | "footer")
        || [v.attr("class"), v.attr("id")]
            .into_iter()
            .flatten()
            .any(|attr| {
                let lower = attr.to_ascii_lowercase();
                FURNITURE_MARKERS.iter().any(|m| lower.contains(m))
            })
}

/// The absolute URL of an anchor that can be a list item: http(s), not `javascript:`,
/// `mailto:` or a bare `#`, and not a "更多" or pager link.
fn item_link(a: ElementRef<'_>, page_url: &Url) -> Option<Url> {
    let href = a.value().attr("href")?.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("mailto:") || lower.starts_with("tel:")
    {
        return None;
    }
    let mut url = page_url.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let text = collapse_ws(&element_text(a));
    let bare = text.trim_matches(|c: char| "<>«»‹›".contains(c) || c.is_whitespace());
    if !text.is_empty()
        && (PAGER_TEXT.is_match(&text) || PAGER_TEXT.is_match(bare) || MORE_TEXT.is_match(&text))
    {
        return None;
    }
    Some(url)
}

/// The label an anchor offers as a title: its `title=` or its text.
fn anchor_label_len(a: ElementRef<'_>) -> usize {
    let title = a
        .value()
        .attr("title")
        .map(|t| t.trim().chars().count())
        .unwrap_or(0);
    title.max(element_text(a).chars().count())
}

/// The short text of an element, or `None` when it is longer than `max` bytes.
fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        if s.len() > max * 4 {
            return None;
        }
    }
    let s = collapse_ws(&s);
    (s.len() <= max).then_some(s)
}

/// Whether an element's whole text is a date (full, `MM-DD`, or a card's split date).
fn is_date_element(el: ElementRef<'_>) -> bool {
    short_text(el, MAX_DATE_TEXT).is_some_and(|t| {
        parse_date(&t).is_some() || parse_month_day(&t).is_some() || split_date(el).is_some()
    })
}

/// A date split over two child elements, as card layouts draw it:
/// `<span class="day">23</span><span class="ym">2022-05</span>` (either order).
fn split_date(el: ElementRef<'_>) -> Option<chrono::NaiveDate> {
    let mut kids = el.child_elements();
    let (a, b) = (kids.next()?, kids.next()?);
    if kids.next().is_some() {
        return None;
    }
    let (ta, tb) = (short_text(a, 12)?, short_text(b, 12)?);
    let (day, ym) = if DAY_ONLY.is_match(&ta) {
        (ta, tb)
    } else {
        (tb, ta)
    };
    if !DAY_ONLY.is_match(&day) {
        return None;
    }
    let c = YEAR_MONTH.captures(&ym)?;
    parse_date(&format!("{}-{}-{}", &c[1], &c[2], day))
}

/// Whether an element is a 置顶 marker (`<span>置顶</span>`, `<em>[置顶]</em>`).
fn is_pin_marker(el: ElementRef<'_>) -> bool {
    short_text(el, 16).is_some_and(|t| {
        let t = t.trim_matches(|c: char| "[]【】()（）".contains(c)).trim();
        t == "置顶"
    })
}

fn strip_pin_marker(title: &str) -> String {
    let mut t = title.trim().to_string();
    for marker in ["[置顶]", "【置顶】", "(置顶)", "（置顶）", "置顶"] {
        if let Some(rest) = t.strip_prefix(marker) {
            t = rest.trim().to_string();
        }
        if let Some(rest) = t.strip_suffix(marker) {
            t = rest.trim().to_string();
        }
    }
    t
}

fn is_truncated(text: &str) -> bool {
    text.ends_with("...") || text.ends_with('…') || text.ends_with("。。。")
}

/// A date found in a row, before the URL gives `MM-DD` a year.
enum RowDate {
    Full(chrono::NaiveDate),
    MonthDay(u32, u32),
}

/// One row as an item, whether the row showed a date, and its yearless `MM-DD` date when
/// the URL gave it no year. `None` when the row has no usable link or no title.
fn row_item(row: ElementRef<'_>, page_url: &Url) -> Option<Row> {
    // The row's item link: the candidate anchor with the longest label.
    let mut best: Option<(ElementRef<'_>, Url, usize)> = None;
    for a in row.select(&A_HREF).take(32) {
        let Some(url) = item_link(a, page_url) else {
            continue;
        };
        let len = anchor_label_len(a);
        if len > 0 && best.as_ref().is_none_or(|(_, _, l)| len > *l) {
            best = Some((a, url, len));
        }
    }
    let (anchor, url, _) = best?;

    // Title: visible text without date and 置顶 parts; `title=` when that is truncated.
    // Card links hold a heading plus a summary: the heading is the title.
    let heading = anchor
        .select(&HEADING)
        .map(|h| element_text_skipping(h, |e| is_date_element(e) || is_pin_marker(e)))
        .find(|t| !t.is_empty());
    let raw_text = heading.unwrap_or_else(|| {
        element_text_skipping(anchor, |e| is_date_element(e) || is_pin_marker(e))
    });
    let bracket_date = TRAILING_BRACKET_DATE
        .captures(&raw_text)
        .map(|c| c[1].to_string());
    let text = strip_pin_marker(&TRAILING_BRACKET_DATE.replace(&raw_text, ""));
    let title_attr = anchor
        .value()
        .attr("title")
        .map(collapse_ws)
        .unwrap_or_default();
    let title_attr = strip_pin_marker(&title_attr);
    let stem = text.trim_end_matches(['.', '…', '。']).trim_end();
    let title = if !title_attr.is_empty()
        && (text.is_empty()
            || is_truncated(&text)
            || (title_attr.chars().count() > text.chars().count() && title_attr.starts_with(stem)))
    {
        title_attr
    } else {
        text
    };
    if title.is_empty() {
        return None;
    }

    let row_date = find_row_date(row, anchor, bracket_date.as_deref());
    let url_date = date_from_url(url.as_str());
    let mut month_day = None;
    let (date, date_source) = match row_date {
        Some(RowDate::Full(d)) => (Some(d), DateSource::List),
        Some(RowDate::MonthDay(m, d)) => match resolve_month_day(m, d, url_date) {
            Some(d) => (Some(d), DateSource::ListWithUrlYear),
            None => {
                month_day = Some((m, d));
                (None, DateSource::None)
            }
        },
        None => (None, DateSource::None),
    };
    let item = ListItem {
        title,
        url: url.to_string(),
        date,
        date_source,
        url_date,
        pinned: is_pinned(row),
    };
    Some(Row {
        item,
        dated: row_date.is_some(),
        month_day,
    })
}

/// The row's displayed date: an element whose whole text is a date, else a date in the
/// row's text outside the title link, else a bracketed date glued to the title.
fn find_row_date(
    row: ElementRef<'_>,
    anchor: ElementRef<'_>,
    bracket: Option<&str>,
) -> Option<RowDate> {
    let mut month_day = None;
    for el in row.descendent_elements().skip(1).take(256) {
        let Some(t) = short_text(el, MAX_DATE_TEXT) else {
            continue;
        };
        if let Some(d) = parse_date(&t).or_else(|| split_date(el)) {
            return Some(RowDate::Full(d));
        }
        if month_day.is_none() {
            month_day = parse_month_day(&t).map(|(m, d)| RowDate::MonthDay(m, d));
        }
    }
    if month_day.is_some() {
        return month_day;
    }
    let outside = element_text_skipping(row, |e| e == anchor);
    if let Some(d) = find_date(&outside) {
        return Some(RowDate::Full(d));
    }
    if let Some((m, d)) = find_month_day(&outside) {
        return Some(RowDate::MonthDay(m, d));
    }
    let b = bracket?;
    parse_date(b)
        .map(RowDate::Full)
        .or_else(|| parse_month_day(b).map(|(m, d)| RowDate::MonthDay(m, d)))
}

/// A row is pinned when it shows 置顶, carries a pin class, or a pin icon.
fn is_pinned(row: ElementRef<'_>) -> bool {
    let classes_pin = |e: ElementRef<'_>| {
        e.value()
            .classes()
            .any(|c| PIN_CLASSES.iter().any(|p| c.eq_ignore_ascii_case(p)))
    };
    if classes_pin(row) || row.descendent_elements().take(256).any(classes_pin) {
        return true;
    }
    if element_text(row).contains("置顶") {
        return true;
    }
    row.select(&IMG).take(16).any(|img| {
        let v = img.value();
        let words = [v.attr("alt"), v.attr("title")];
        if words.iter().flatten().any(|w| w.contains("置顶")) {
            return true;
        }
        let file = v
            .attr("src")
            .and_then(|s| s.rsplit('/').next())
            .unwrap_or("")
            .to_ascii_lowercase();
        file.contains("zhiding")
            || file.starts_with("top")
            || file.starts_with("zd.")
            || file.starts_with("zd_")
    })
}

fn dedupe(items: Vec<ListItem>) -> Vec<ListItem> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.url.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn item(
        title: &str,
        url: &str,
        date: Option<NaiveDate>,
        date_source: DateSource,
        url_date: Option<NaiveDate>,
        pinned: bool,
    ) -> ListItem {
        ListItem {
            title: title.into(),
            url: url.into(),
            date,
            date_source,
            url_date,
            pinned,
        }
    }

    #[test]
    fn trs_modern_list_yields_exact_items_without_nav_breadcrumb_more_or_duplicates() {
        let html = include_str!("../../tests/fixtures/extract/trs_list_modern.html");
        let page = url("https://www.yunxiqu.gov.cn/zwgk/gzdt/index.html");
        let base = "https://www.yunxiqu.gov.cn/zwgk/gzdt/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "云溪区政务公开工作指引",
                    &format!("{base}202101/t20210105_3000001.html"),
                    day(2021, 1, 5),
                    DateSource::List,
                    day(2021, 1, 5),
                    true,
                ),
                item(
                    "云溪区召开2022年安全生产工作推进会",
                    &format!("{base}202205/t20220523_4401127.html"),
                    day(2022, 5, 23),
                    DateSource::List,
                    day(2022, 5, 23),
                    false,
                ),
                item(
                    "区领导调研乡村振兴重点项目建设情况并现场办公协调解决有关问题",
                    &format!("{base}202205/t20220521_4400836.html"),
                    day(2022, 5, 20),
                    DateSource::List,
                    day(2022, 5, 21),
                    false,
                ),
                item(
                    "图解：云溪区2022年一季度经济运行情况",
                    "https://mp.weixin.qq.com/s/AbCdEf123",
                    day(2022, 5, 18),
                    DateSource::List,
                    None,
                    false,
                ),
            ]
        );
    }

    #[test]
    fn leader_cards_with_short_names_are_items_because_they_link_dated_articles() {
        let html = include_str!("../../tests/fixtures/extract/leader_cards.html");
        let page = url("https://www.yunxiqu.gov.cn/jyj/ldxx/");
        let base = "https://www.yunxiqu.gov.cn/jyj/ldxx/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "张三",
                    &format!("{base}202301/t20230105_5100001.html"),
                    None,
                    DateSource::None,
                    day(2023, 1, 5),
                    false,
                ),
                item(
                    "李四",
                    &format!("{base}202301/t20230105_5100002.html"),
                    None,
                    DateSource::None,
                    day(2023, 1, 5),
                    false,
                ),
                item(
                    "王五",
                    &format!("{base}202206/t20220610_4900003.html"),
                    None,
                    DateSource::None,
                    day(2022, 6, 10),
                    false,
                ),
            ]
        );
    }

    #[test]
    fn anchor_wrapping_p_and_span_gives_title_without_date_and_pin_icon() {
        let html = include_str!("../../tests/fixtures/extract/trs_list_p_in_a.html");
        let page = url("http://jxw.yunxiqu.gov.cn/dwgk/");
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "区经信委召开党史学习教育专题组织生活会",
                    "http://jxw.yunxiqu.gov.cn/dwgk/202205/t20220520_1000201.html",
                    day(2022, 5, 20),
                    DateSource::List,
                    day(2022, 5, 20),
                    false,
                ),
                item(
                    "区经信委开展“五一”节前廉政教育",
                    "http://jxw.yunxiqu.gov.cn/dwgk/202205/t20220512_1000188.html",
                    day(2022, 4, 29),
                    DateSource::List,
                    day(2022, 5, 12),
                    false,
                ),
                item(
                    "区经信委2022年党建工作要点",
                    "http://jxw.yunxiqu.gov.cn/dwgk/202204/t20220408_1000150.html",
                    day(2022, 4, 8),
                    DateSource::List,
                    day(2022, 4, 8),
                    true,
                ),
            ]
        );
    }

    #[test]
    fn legacy_table_month_day_dates_take_year_from_url_across_new_year() {
        let html = include_str!("../../tests/fixtures/extract/trs_list_legacy_table.html");
        let page = url("http://www.yunxiqu.gov.cn/zwgk/tzgg/index.html");
        let base = "http://www.yunxiqu.gov.cn/zwgk/tzgg/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "云溪区举行医药产业招商推介会",
                    &format!("{base}201710/t20171019_398276.html"),
                    day(2017, 10, 19),
                    DateSource::ListWithUrlYear,
                    day(2017, 10, 19),
                    false,
                ),
                item(
                    "云溪区关于做好2018年元旦春节期间安全生产工作的通知",
                    &format!("{base}201801/t20180103_401002.html"),
                    day(2017, 12, 29),
                    DateSource::ListWithUrlYear,
                    day(2018, 1, 3),
                    false,
                ),
                item(
                    "云溪区2018年第一季度征兵公告",
                    &format!("{base}201712/t20171229_400990.html"),
                    day(2018, 1, 2),
                    DateSource::ListWithUrlYear,
                    day(2017, 12, 29),
                    false,
                ),
                // MM-DD without any URL date: no year, so no date.
                item(
                    "信息公开申请须知",
                    "http://www.yunxiqu.gov.cn/xxgk/notice.html",
                    None,
                    DateSource::None,
                    None,
                    false,
                ),
            ]
        );
    }

    #[test]
    fn annual_report_table_list_keeps_every_row_including_unrelated_items() {
        let html = include_str!("../../tests/fixtures/extract/annual_report_table.html");
        let page = url("http://www.yunxiqu.gov.cn/zwgk/zfxxgknb/");
        let items = extract_items(html, &page);
        let got: Vec<(&str, Option<NaiveDate>)> =
            items.iter().map(|i| (i.title.as_str(), i.date)).collect();
        assert_eq!(
            got,
            vec![
                (
                    "云溪区人民政府2022年政府信息公开工作年度报告",
                    day(2023, 1, 30)
                ),
                (
                    "云溪区统计局2022年政府信息公开工作年度报告",
                    day(2023, 1, 18)
                ),
                (
                    "云溪区召开2022年度工作会暨党风廉政建设会议",
                    day(2022, 5, 6)
                ),
            ]
        );
        assert!(items.iter().all(|i| i.date_source == DateSource::List));
    }

    #[test]
    fn hanweb_column_page_reads_datastore_records_not_the_dom() {
        let html = include_str!("../../tests/fixtures/extract/hanweb_column.html");
        let page = url("http://www.yunxiqu.gov.cn/col/col1229687456/index.html");
        let base = "http://www.yunxiqu.gov.cn/art/2022/5/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "云溪区召开2022年安全生产工作推进会",
                    &format!("{base}23/art_1229687456_59012345.html"),
                    day(2022, 5, 23),
                    DateSource::List,
                    day(2022, 5, 23),
                    false,
                ),
                item(
                    "区领导调研乡村振兴重点项目",
                    &format!("{base}20/art_1229687456_59012001.html"),
                    day(2022, 5, 20),
                    DateSource::List,
                    day(2022, 5, 20),
                    false,
                ),
                item(
                    "云溪区2022年第一次全体会议召开",
                    &format!("{base}19/art_1229687456_59011900.html"),
                    day(2022, 5, 19),
                    DateSource::List,
                    day(2022, 5, 19),
                    false,
                ),
            ]
        );
    }

    #[test]
    fn hanweb_dataproxy_response_reads_records_and_dedupes_lookahead_record() {
        let xml = include_str!("../../tests/fixtures/extract/hanweb_dataproxy.xml");
        let page = url(
            "http://www.yunxiqu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15",
        );
        let base = "http://www.yunxiqu.gov.cn/art/2022/";
        assert_eq!(
            extract_items(xml, &page),
            vec![
                item(
                    "云溪区部署春季森林防火工作",
                    &format!("{base}3/1/art_1229687456_58800001.html"),
                    day(2022, 3, 1),
                    DateSource::List,
                    day(2022, 3, 1),
                    false,
                ),
                item(
                    "区政府召开第5次常务会议",
                    &format!("{base}2/28/art_1229687456_58799950.html"),
                    day(2022, 2, 28),
                    DateSource::List,
                    day(2022, 2, 28),
                    false,
                ),
                item(
                    "云溪区表彰2021年度先进集体",
                    &format!("{base}2/25/art_1229687456_58799901.html"),
                    day(2022, 2, 25),
                    DateSource::List,
                    day(2022, 2, 25),
                    false,
                ),
            ]
        );
    }

    #[test]
    fn old_hanweb_initdata_array_yields_items_with_glued_dates() {
        let html = include_str!("../../tests/fixtures/extract/hanweb_initdata.html");
        let page = url("http://zfcg.yunxiqu.gov.cn/col/col30067/index.html");
        let base = "http://zfcg.yunxiqu.gov.cn/art/2014/5/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "某项目招标公告[NTZC…",
                    &format!("{base}20/art_30067_1.html"),
                    day(2014, 5, 20),
                    DateSource::List,
                    day(2014, 5, 20),
                    false,
                ),
                item(
                    "云溪区第一中学教学设备采购项目中标公告",
                    &format!("{base}19/art_30067_2.html"),
                    day(2014, 5, 19),
                    DateSource::ListWithUrlYear,
                    day(2014, 5, 19),
                    false,
                ),
                item(
                    "云溪区'安居工程'监理服务招标公告",
                    &format!("{base}16/art_30067_3.html"),
                    day(2014, 5, 16),
                    DateSource::List,
                    day(2014, 5, 16),
                    false,
                ),
            ]
        );
    }

    #[test]
    fn guangdong_list_reads_slash_and_chinese_dates_and_absolute_links() {
        let html = include_str!("../../tests/fixtures/extract/gd_list.html");
        let page = url("https://www.yunxiqu.gov.cn/zwgk/tzgg/");
        let base = "https://www.yunxiqu.gov.cn/zwgk/tzgg/content/";
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "关于开展2022年防汛演练的通告",
                    &format!("{base}post_1665156.html"),
                    day(2022, 5, 23),
                    DateSource::List,
                    None,
                    false,
                ),
                item(
                    "云溪区2022年5月空气质量通报",
                    &format!("{base}post_1665010.html"),
                    day(2022, 5, 20),
                    DateSource::List,
                    None,
                    false,
                ),
                item(
                    "关于公布区级行政许可事项清单的公告",
                    &format!("{base}post_1664871.html"),
                    day(2022, 5, 18),
                    DateSource::List,
                    None,
                    false,
                ),
            ]
        );
    }

    #[test]
    fn undated_list_keeps_items_with_url_dates_and_skips_menu_and_javascript_links() {
        let html = include_str!("../../tests/fixtures/extract/undated_list.html");
        let page = url("http://hqz.yunxiqu.gov.cn/zwgk/zcdt/");
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "红旗镇开展人居环境整治百日攻坚行动",
                    "http://hqz.yunxiqu.gov.cn/zwgk/zcdt/content_16189.html",
                    None,
                    DateSource::None,
                    None,
                    false,
                ),
                item(
                    "红旗镇召开2022年防汛工作部署会议",
                    "http://hqz.yunxiqu.gov.cn/zwgk/zcdt/202205/t20220516_16180.html",
                    None,
                    DateSource::None,
                    day(2022, 5, 16),
                    false,
                ),
                item(
                    "红旗镇组织开展春季植树造林活动",
                    "http://hqz.yunxiqu.gov.cn/zwgk/zcdt/content_16170.html",
                    None,
                    DateSource::None,
                    None,
                    false,
                ),
            ]
        );
    }

    #[test]
    fn card_layout_with_split_dates_reads_day_and_year_month() {
        let html = include_str!("../../tests/fixtures/extract/card_split_date.html");
        let page = url("https://www.yunxiqu.gov.cn/xwzx/zwyw/");
        assert_eq!(
            extract_items(html, &page),
            vec![
                item(
                    "云溪区召开第5次区长办公会议",
                    "https://www.yunxiqu.gov.cn/xwzx/zwyw/content/post_2001.html",
                    day(2022, 5, 23),
                    DateSource::List,
                    None,
                    false,
                ),
                item(
                    "区政府与市交投集团签署战略合作协议",
                    "https://www.yunxiqu.gov.cn/xwzx/zwyw/content/post_1998.html",
                    day(2022, 4, 9),
                    DateSource::List,
                    None,
                    false,
                ),
            ]
        );
    }

    #[test]
    fn more_and_pager_rows_inside_the_list_are_not_items() {
        let html = r#"<ul>
            <li><a href="./202205/t20220523_1.html">云溪区召开防汛工作会议</a><span>2022-05-23</span></li>
            <li><a href="./">更多&gt;&gt;</a></li>
            <li><a href="index_1.html">下一页&gt;&gt;</a> <a href="index_1.html">2</a></li>
            <li><a href="../more/">MORE+</a></li></ul>"#;
        let items = extract_items(html, &url("http://x.gov.cn/gzdt/index.html"));
        let urls: Vec<&str> = items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(urls, vec!["http://x.gov.cn/gzdt/202205/t20220523_1.html"]);
    }

    #[test]
    fn pages_with_only_navigation_yield_no_items() {
        let html = r#"<html><body><div class="nav"><ul><li><a href="/">首页</a></li>
            <li><a href="/zwgk/">政务公开</a></li></ul></div>
            <ul><li><a href="/a/">机构</a></li><li><a href="/b/">领导</a></li></ul>
            <div class="location"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
            <p><a href="/more/">更多&gt;&gt;</a></p>
            <ul class="pg"><li><a href="index_1.html">下一页&gt;&gt;</a></li><li><a href="index_1.html">2</a></li>
            <li><a href="/more2/">MORE+</a></li></ul></body></html>"#;
        assert_eq!(extract_items(html, &url("http://x.gov.cn/")), vec![]);
    }

    #[test]
    fn hostile_input_never_panics_and_yields_nothing() {
        let page = url("http://x.gov.cn/list/");
        assert!(extract_items("", &page).is_empty());
        let garbage: String = (0u32..20_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0xD7FF))
            .collect();
        let _ = extract_items(&garbage, &page);
        let deep = format!(
            "{}<a href=\"/a.html\">深层标题</a>{}",
            "<div><li>".repeat(10_000),
            "</li></div>".repeat(10_000)
        );
        let _ = extract_items(&deep, &page);
        assert!(extract_items("<record><![CDATA[<li><a href='", &page).is_empty());
        assert!(extract_items("var InitData1 = ['<a href=\"/x.html\">未闭合", &page).is_empty());
    }

    #[test]
    fn fujian_dl_dd_rows_are_one_entry_each_with_the_date_of_the_sibling_cell() {
        let html = r#"<div class="rules_tabs_01"><dl><dt>标题</dt><dt>发布日期</dt></dl></div>
            <div class="rules_tabs_01">
            <dl><dd class="trt-col-sm-24"><a href="./202302/t20230220_80629.htm" title="平潭综合实验区2022年度政府信息公开工作年度报告">平潭综合实验区2022年度政府信息公开工作年度报告</a></dd>
                <dd class="trt-col-4">2023-02-20</dd></dl>
            <dl><dd class="trt-col-sm-24"><a href="./202202/t20220208_80613.htm">平潭综合实验区2021年度政府信息公开工作年度报告</a></dd>
                <dd class="trt-col-4">
                    2022-02-08
                </dd></dl></div>"#;
        let page = url("http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html");
        let got: Vec<(String, Option<NaiveDate>)> = extract_items(html, &page)
            .into_iter()
            .map(|i| (i.url, i.date))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm"
                        .to_string(),
                    day(2023, 2, 20)
                ),
                (
                    "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm"
                        .to_string(),
                    day(2022, 2, 8)
                ),
            ]
        );
    }

    #[test]
    fn trs_group_pager_links_and_a_fenye_row_are_never_items() {
        let html = r#"<ul><li><a href="./202001/t20200109_1.html">2019年12月份居民消费价格同比上涨4.5%</a><font>2020-01-09</font></li>
            <li><dl class="fenye">共25页 <a href="index_1.html">2</a><a href="index_1.html">下一页</a>
            <a href="index_9.html">下5页</a><a href="index_24.html">尾页</a>
            <font>更多信息请用<a href="http://www.stats.gov.cn/was5/web/adv.jsp">检索</a>查询</font></dl></li></ul>
            <p><a href="index_4.html">上5页</a> <a href="index_2.html">[3]</a></p>"#;
        let items = extract_items(html, &url("http://www.stats.gov.cn/tjsj/zxfb/index.html"));
        let urls: Vec<&str> = items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["http://www.stats.gov.cn/tjsj/zxfb/202001/t20200109_1.html"]
        );
    }

    #[test]
    fn a_longer_header_ticker_of_another_column_does_not_displace_the_columns_own_rows() {
        // 樟树-style: a ticker of older `MM-DD` notices of another column in the header, and
        // the last page of the column with only two rows.
        let ticker: String = (1..=8)
            .map(|n| {
                format!(
                    "<tr><td><a href=\"../../wsfw/tzgg/201705/t2017051{n}_{n}.html\" title=\"停电通知{n}\">停电通知第{n}号樟树这些地方...</a></td><td>05-1{n}</td></tr>"
                )
            })
            .collect();
        let html = format!(
            r#"<table><tr><td><div id="mq"><table>{ticker}</table></div></td></tr></table>
            <table class="list">
            <tr><td><a href="./201601/t20160105_1.html">樟树市召开2016年全市经济工作会议</a></td><td>01-05</td></tr>
            <tr><td><a href="./201512/t20151230_2.html">樟树市2015年度民生工程顺利完成</a></td><td>12-30</td></tr>
            </table>"#
        );
        let page = url("http://www.zhangshu.gov.cn/zwgk/zhxx/index_20.html");
        let got: Vec<(String, Option<NaiveDate>)> = extract_items(&html, &page)
            .into_iter()
            .map(|i| (i.url, i.date))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "http://www.zhangshu.gov.cn/zwgk/zhxx/201601/t20160105_1.html".to_string(),
                    day(2016, 1, 5)
                ),
                (
                    "http://www.zhangshu.gov.cn/zwgk/zhxx/201512/t20151230_2.html".to_string(),
                    day(2015, 12, 30)
                ),
            ]
        );
    }

    #[test]
    fn a_list_of_one_undated_entry_yields_that_entry_but_a_lone_outside_link_does_not() {
        let html = r#"<html><body><div class="nav"><a href="/">首页</a></div>
            <ul class="list"><li><a href="/zwgk/ndbg/content_3301.html">孟津区2022年政府信息公开工作年度报告</a></li></ul>
            <div class="footer"><a href="https://beian.miit.gov.cn/">豫ICP备12345678号-1</a></div></body></html>"#;
        let page = url("http://mj.gov.cn/zwgk/ndbg/");
        let list = read_list(html, &page, None);
        assert_eq!(list.reading, ListReading::Read);
        assert_eq!(
            list.items,
            vec![item(
                "孟津区2022年政府信息公开工作年度报告",
                "http://mj.gov.cn/zwgk/ndbg/content_3301.html",
                None,
                DateSource::None,
                None,
                false,
            )]
        );
        // A lone link to another site (a record number, a partner site) is no entry.
        let outside = r#"<ul class="list"><li><a href="https://beian.miit.gov.cn/">豫ICP备12345678号-1号网站备案</a></li></ul>"#;
        assert!(extract_items(outside, &page).is_empty());
    }

    #[test]
    fn month_day_rows_without_url_dates_take_their_year_from_the_fetch_day() {
        let html = r#"<ul class="list">
            <li><a href="/Item/3.aspx">县政府召开第一次常务会议</a><span>01-03</span></li>
            <li><a href="/Item/2.aspx">全县年终工作总结大会召开</a><span>12-28</span></li>
            <li><a href="/Item/1.aspx">县领导调研重点项目建设情况</a><span>12-30</span></li></ul>"#;
        let page = url("http://www.jingan.gov.cn/Category_133/Index.aspx");
        let on = day(2023, 1, 9).unwrap();
        let got: Vec<(Option<NaiveDate>, DateSource)> = read_list(html, &page, Some(on))
            .items
            .into_iter()
            .map(|i| (i.date, i.date_source))
            .collect();
        assert_eq!(
            got,
            vec![
                (day(2023, 1, 3), DateSource::ListWithFetchYear),
                (day(2022, 12, 28), DateSource::ListWithFetchYear),
                (day(2022, 12, 30), DateSource::ListWithFetchYear),
            ]
        );
        // Without a fetch day there is no year, and so no date.
        assert!(extract_items(html, &page).iter().all(|i| i.date.is_none()));
    }

    #[test]
    fn an_empty_list_is_empty_and_a_list_the_reader_cannot_see_is_unreadable() {
        let page = url("http://x.gov.cn/dwgk/");
        let reading = |html: &str| read_list(html, &page, None).reading;
        let shell = |inner: &str| {
            format!(
                "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div>{inner}</body></html>"
            )
        };
        assert_eq!(
            reading(&shell(
                "<ul class=\"list\"><li class=\"nodata\">暂无信息</li></ul>"
            )),
            ListReading::Empty
        );
        assert_eq!(
            reading(&shell(
                "<div class=\"main\"><ul class=\"news-list\"></ul></div>"
            )),
            ListReading::Empty
        );
        let unreadable = |html: &str| matches!(reading(html), ListReading::Unreadable(_));
        // Drawn in the browser from data the page does not hold.
        assert!(unreadable(&shell(
            "<ul class=\"list\"><li v-for=\"x in list\"><a :href=\"x.url\">{{ x.title }}</a></li></ul>"
        )));
        // A template that also says 暂无数据 is still a script's list, not an empty one.
        assert!(unreadable(&shell(
            "<dl ms-repeat=\"list\"><dd><a ms-attr-href=\"el.url\"></a></dd></dl><div ms-if=\"list.length==0\">暂无数据</div>"
        )));
        assert!(unreadable(&shell(
            "<div id=\"list\"></div><script>$.ajax({url:'/api/list',success:function(d){}})</script>"
        )));
        match reading(&shell("<iframe src=\"/cms/list.jsp?col=12\"></iframe>")) {
            ListReading::Unreadable(why) => assert!(why.contains("/cms/list.jsp?col=12"), "{why}"),
            other => panic!("iframe list read as {other:?}"),
        }
        // Nothing the reader knows: unreadable, never blank — even when a footer widget
        // says 暂无数据.
        assert!(unreadable(&shell(
            "<div class=\"main\"><p>本栏目</p></div>"
        )));
        assert!(unreadable(&shell(
            "<div class=\"main\"><p>本栏目</p></div><div class=\"footer\"><p>友情链接 暂无数据</p></div>"
        )));
        // Entries read: Read.
        assert_eq!(
            reading(
                "<ul><li><a href=\"/a/1.html\">云溪区召开防汛工作会议</a><span>2022-05-23</span></li></ul>"
            ),
            ListReading::Read
        );
    }

    #[test]
    fn a_list_read_with_its_links_is_read_as_both_apart() {
        let page = url("http://x.gov.cn/gzdt/index.html");
        let on = day(2023, 1, 9);
        let rows = "<li><a href=\"./202301/t20230105_1.html\">云溪区工作动态信息标题</a><span>2023-01-05</span></li>";
        let deep = |n| {
            format!(
                "<a href=\"/top.html\">首页</a>{}<ul class=\"list\">{rows}</ul>{}",
                "<div>".repeat(n),
                "</div>".repeat(n)
            )
        };
        // Real CMS lists: one parse serves both readers.
        let lists = [
            include_str!("../../tests/fixtures/extract/trs_list_modern.html"),
            include_str!("../../tests/fixtures/extract/gd_list.html"),
            include_str!("../../tests/fixtures/extract/vsb_list.html"),
            include_str!("../../tests/fixtures/extract/hanweb_column.html"),
            include_str!("../../tests/fixtures/extract/hanweb_initdata.html"),
            include_str!("../../tests/fixtures/extract/undated_list.html"),
        ];
        // Deeper than the list reader keeps (flattened for it, whole for the links), and
        // deeper than the link reader keeps (cut for it): parsed twice.
        let (deeper, deepest) = (deep(300), deep(3_000));
        for html in lists.into_iter().chain([deeper.as_str(), deepest.as_str()]) {
            let one_parse = matches!(super::super::flattened(html), std::borrow::Cow::Borrowed(_))
                && super::super::bounded(html) == html;
            assert_eq!(one_parse, lists.contains(&html));
            let (list, links) = read_list_and_links(html, &page, on);
            assert_eq!(list, read_list(html, &page, on));
            assert_eq!(links, crate::extract::nav::nav_links(html, &page));
            assert!(!links.is_empty());
        }
        assert_eq!(read_list_and_links(&deeper, &page, on).1.len(), 2);
        // The links end where the cut is: the entry, below it, is not among them.
        let (list, links) = read_list_and_links(&deepest, &page, on);
        assert_eq!(list.items.len(), 1);
        assert_eq!(links.len(), 1, "{links:?}");
    }

    #[test]
    fn a_list_nested_two_thousand_elements_deep_is_read_completely() {
        let rows: String = (1..=3)
            .map(|n| {
                format!(
                    "<li><a href=\"./202301/t2023010{n}_{n}.html\">云溪区第{n}条工作动态信息标题</a><span>2023-01-0{n}</span></li>"
                )
            })
            .collect();
        for wrapper in ["<div>", "<div class=\"box\"><span>"] {
            let close = if wrapper.contains("span") {
                "</span></div>"
            } else {
                "</div>"
            };
            let html = format!(
                "<html><body>{}<ul class=\"list\">{rows}</ul>{}</body></html>",
                wrapper.repeat(2_000),
                close.repeat(2_000)
            );
            let items = extract_items(&html, &url("http://x.gov.cn/gzdt/"));
            let got: Vec<(&str, Option<NaiveDate>)> =
                items.iter().map(|i| (i.title.as_str(), i.date)).collect();
            assert_eq!(
                got,
                vec![
                    ("云溪区第1条工作动态信息标题", day(2023, 1, 1)),
                    ("云溪区第2条工作动态信息标题", day(2023, 1, 2)),
                    ("云溪区第3条工作动态信息标题", day(2023, 1, 3)),
                ],
                "{wrapper}"
            );
        }
        // 30 000 levels: the same entries, in bounded work.
        let html = format!(
            "{}<ul class=\"list\">{rows}</ul>{}",
            "<div>".repeat(30_000),
            "</div>".repeat(30_000)
        );
        assert_eq!(extract_items(&html, &url("http://x.gov.cn/gzdt/")).len(), 3);
        // Lists nested in lists, 2 000 deep, with the entries at the bottom.
        let html = format!(
            "{}{rows}{}",
            "<ul><li>".repeat(2_000),
            "</li></ul>".repeat(2_000)
        );
        assert_eq!(extract_items(&html, &url("http://x.gov.cn/gzdt/")).len(), 3);
    }

    #[test]
    fn one_megabyte_list_is_read_completely() {
        let mut html = String::from("<html><body><ul class=\"list\">");
        let mut n = 0;
        while html.len() < 1_100_000 {
            n += 1;
            html.push_str(&format!(
                "<li><a href=\"./202205/t20220523_{n}.html\" title=\"云溪区第{n}条工作动态信息标题\">云溪区第{n}条工作动态信息标题</a><span>2022-05-23</span></li>"
            ));
        }
        html.push_str("</ul></body></html>");
        let items = extract_items(&html, &url("http://x.gov.cn/gzdt/"));
        assert_eq!(items.len(), n.min(MAX_ANCHORS));
        assert_eq!(items[0].title, "云溪区第1条工作动态信息标题");
    }
}
