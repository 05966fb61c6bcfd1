//! Pagination detection: which further pages of a column list exist, from one list page.
//!
//! Families (see `cms-patterns.md` §0): Hanweb jpage (POST `dataproxy.jsp` with the
//! `param_` fields), TRS `createPageHTML(N, cur, "index", "html")` / `createPage(...)` /
//! `var countPage = N` (page k = `index_{k-1}`), `_2` families with a 尾页 link
//! (`index_2.html`, `list_2.shtml`, Chengdu `column-index-2.shtml`), query strings (`?page=`,
//! `cur_page=`, `pageNum=`, `Paging=`, `pageIndex=`), `<option>` jump lists, VSB downward
//! `list/23.htm`, and plain 下一页 links.
//!
//! Pure: it computes requests, it never fetches them. The current page is never returned;
//! requests are deduplicated. Page counts are capped by [`MAX_PAGES`]. ASP.NET
//! `__doPostBack` grids are not handled.

use super::text::{collapse_ws, element_text};
use regex::Regex;
use scraper::{Html, Selector};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

/// The most further pages one list page can announce (a runaway `countPage` must not
/// flood the crawler).
pub const MAX_PAGES: usize = 2_000;

/// One page to fetch: a GET of `url`, or a form POST to `url` when `form` is `Some`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The page URL (for POST, including its query string).
    pub url: Url,
    /// The form fields to POST, in order; `None` for a GET.
    pub form: Option<Vec<(String, String)>>,
}

impl PageRequest {
    /// A GET request.
    pub fn get(url: Url) -> PageRequest {
        PageRequest { url, form: None }
    }
}

/// What a list page says about the pages after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pager {
    /// No further page.
    None,
    /// All further pages are known, in order.
    Pages(Vec<PageRequest>),
    /// Only the next page is known (fetch it and detect again).
    Next(PageRequest),
    /// The page announces further pages, but their URL cannot be derived (a script pager
    /// of unknown form): the column can be read only in part. The reason is Chinese.
    Unknown(String),
}

static CREATE_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"createPage(?:HTML)?\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']"#)
        .expect("static regex")
});
static COUNT_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bcountPage\s*=\s*(\d+)").expect("static regex"));
static CURRENT_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bcurrentPage\s*=\s*(\d+)").expect("static regex"));
static PROXY_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"proxyUrl\s*:\s*['"]([^'"]+)['"]"#).expect("static regex"));
static PER_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"perPage\s*:\s*['\x22]?(\d+)").expect("static regex"));
static TOTAL_RECORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"totalRecord\s*:\s*['\x22]?(\d+)").expect("static regex"));
static GROUP_SIZE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"groupSize\s*:\s*['\x22]?(\d+)").expect("static regex"));
static AJAX_PARAM_VAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ajaxParam\s*:\s*([A-Za-z_$][\w$]*)").expect("static regex"));
static AJAX_PARAM_INLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ajaxParam\s*:\s*\{([^{}]*)\}").expect("static regex"));
static PARAM_VAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"var\s+(param_\w+)\s*=\s*\{([^{}]*)\}").expect("static regex"));
static JS_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_$][\w$]*)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}]*))"#)
        .expect("static regex")
});
/// `name_3.ext` / `name-3.ext`: a numbered sibling of `name.ext`.
static NUMBERED_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)([_-])(\d+)\.([A-Za-z]+)$").expect("static regex"));
static PLAIN_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+)\.([A-Za-z]+)$").expect("static regex"));
static NUMBER_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.([A-Za-z]+)$").expect("static regex"));

/// Countdown pagers (component CMSs, 丰城): `var purl="../../n3/n13/index_958"` and
/// `maxPageNum = 199`; the first page is number 199, 下页 is `index_958_198.html`.
static PURL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bpurl\s*=\s*["']([^"']+)["']"#).expect("static regex"));
static MAX_PAGE_NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bmaxPageNum\s*=\s*(\d+)").expect("static regex"));
static PURL_EXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"purl\s*\+\s*["']_["']\s*\+\s*[A-Za-z_$][\w$]*\s*\+\s*["']\.(\w+)["']"#)
        .expect("static regex")
});
/// `javascript:gotoCurrentPage('2')`: a pager link calling a page function.
static JS_PAGE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^javascript:\s*([A-Za-z_$][\w$]*)\s*\(\s*['"]?(\d+)['"]?\s*\)"#)
        .expect("static regex")
});
/// `function gotoCurrentPage(pageNo) {` — the page function's head.
static JS_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{")
        .expect("static regex")
});
/// `window.location="Column.shtml?p5=28&p7="+pageNo(+".html")` inside a page function.
static JS_LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"location(?:\.href)?\s*=\s*["']([^"']*)["']\s*\+\s*([A-Za-z_$][\w$]*)(?:\s*\+\s*["']([^"']*)["'])?"#)
        .expect("static regex")
});
/// `1/1367` in a jump list's option text.
static OF_PAGES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d+\s*/\s*(\d+)").expect("static regex"));
/// A page count the list states in words: `共25页`, `1/30页`, `页次：1/39`.
static STATED_PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"共\s*(\d+)\s*页|(?:页次\s*[:：]\s*)?(\d+)\s*/\s*(\d+)\s*页|页次\s*[:：]\s*(\d+)\s*/\s*(\d+)")
        .expect("static regex")
});

static A_HREF: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));
static OPTION: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("option[value]").expect("static selector"));

/// Query parameters that number pages.
const PAGE_PARAMS: &[&str] = &[
    "page",
    "cur_page",
    "pagenum",
    "paging",
    "pageindex",
    "pageno",
    "curpage",
];
const NEXT_TEXTS: &[&str] = &[
    "下一页",
    "下页",
    "后一页",
    "后页",
    "next",
    ">",
    ">>",
    "»",
    "›",
];
const LAST_TEXTS: &[&str] = &["尾页", "末页", "最后一页", "last"];

/// Detects the further pages of a list page. `page_url` is the URL the page was fetched
/// from; it resolves relative links and tells which page this is.
pub fn detect(html: &str, page_url: &Url) -> Pager {
    let html = super::bounded(html);
    let pager = hanweb(html, page_url)
        .or_else(|| trs(html, page_url))
        .or_else(|| countdown(html, page_url))
        .unwrap_or_else(|| from_links(html, page_url));
    clean(pager, page_url)
}

/// Drops the current page and duplicates; an empty list becomes `Pager::None`.
fn clean(pager: Pager, page_url: &Url) -> Pager {
    let current = without_fragment(page_url);
    match pager {
        Pager::Pages(reqs) => {
            let mut seen = HashSet::new();
            let reqs: Vec<PageRequest> = reqs
                .into_iter()
                .map(|mut r| {
                    r.url.set_fragment(None);
                    r
                })
                .filter(|r| !(r.form.is_none() && r.url == current))
                .filter(|r| seen.insert((r.url.to_string(), r.form.clone())))
                .take(MAX_PAGES)
                .collect();
            if reqs.is_empty() {
                Pager::None
            } else {
                Pager::Pages(reqs)
            }
        }
        Pager::Next(mut r) => {
            r.url.set_fragment(None);
            if r.form.is_none() && r.url == current {
                Pager::None
            } else {
                Pager::Next(r)
            }
        }
        other @ (Pager::None | Pager::Unknown(_)) => other,
    }
}

fn without_fragment(url: &Url) -> Url {
    let mut u = url.clone();
    u.set_fragment(None);
    u
}

/// Hanweb jpage: records past the first `perPage * groupSize` come from the data proxy,
/// POSTed with the column's `param_` fields.
fn hanweb(html: &str, page_url: &Url) -> Option<Pager> {
    let proxy = PROXY_URL.captures(html)?;
    let num = |re: &Regex| re.captures(html).and_then(|c| c[1].parse::<usize>().ok());
    let per_page = num(&PER_PAGE)?.max(1);
    let total = num(&TOTAL_RECORD)?;
    let group = num(&GROUP_SIZE).unwrap_or(3).max(1);
    let fields = AJAX_PARAM_VAR
        .captures(html)
        .and_then(|c| {
            let name = c[1].to_string();
            PARAM_VAR
                .captures_iter(html)
                .find(|p| p[1] == name)
                .map(|p| p[2].to_string())
        })
        .or_else(|| PARAM_VAR.captures(html).map(|p| p[2].to_string()))
        .or_else(|| AJAX_PARAM_INLINE.captures(html).map(|c| c[1].to_string()))
        .unwrap_or_default();
    let form: Vec<(String, String)> = JS_PAIR
        .captures_iter(&fields)
        .map(|c| {
            let v = c
                .get(2)
                .or_else(|| c.get(3))
                .or_else(|| c.get(4))
                .map_or("", |m| m.as_str());
            (c[1].to_string(), v.trim().to_string())
        })
        .collect();
    let base = page_url.join(proxy[1].trim()).ok()?;
    let step = per_page.saturating_mul(group);
    let mut reqs = Vec::new();
    let mut start = step + 1;
    while start <= total && reqs.len() < MAX_PAGES {
        let end = (start + step - 1).min(total);
        let mut url = base.clone();
        url.set_query(Some(&format!(
            "startrecord={start}&endrecord={end}&perpage={per_page}"
        )));
        reqs.push(PageRequest {
            url,
            form: Some(form.clone()),
        });
        start += step;
    }
    Some(Pager::Pages(reqs))
}

/// The parts of the current page's file name: `index_3.html` → (`index`, Some(3), `html`);
/// `index.html` → (`index`, None, `html`); a directory URL → None.
fn current_file(page_url: &Url) -> Option<(String, Option<usize>, String)> {
    let last = page_url.path_segments()?.next_back()?;
    if let Some(c) = NUMBERED_FILE.captures(last) {
        return Some((c[1].to_string(), c[3].parse().ok(), c[4].to_string()));
    }
    let c = PLAIN_FILE.captures(last)?;
    Some((c[1].to_string(), None, c[2].to_string()))
}

/// TRS: the pager is written by JavaScript from `createPageHTML(count, current, name, ext)`
/// or `var countPage = N`; page k (0-based) is `name_k.ext`, page 0 is `name.ext`.
fn trs(html: &str, page_url: &Url) -> Option<Pager> {
    let (count, call_cur, name, ext) = if let Some(c) = CREATE_PAGE.captures(html) {
        let count: usize = c[1].parse().ok()?;
        (
            count,
            c[2].parse::<usize>().ok(),
            c[3].to_string(),
            c[4].to_string(),
        )
    } else {
        let count: usize = COUNT_PAGE.captures(html)?[1].parse().ok()?;
        let cur = CURRENT_PAGE.captures(html).and_then(|c| c[1].parse().ok());
        let (name, ext) = match current_file(page_url) {
            Some((stem, _, ext)) => (stem, ext),
            None => ("index".to_string(), "html".to_string()),
        };
        (count, cur, name, ext)
    };
    let count = count.min(MAX_PAGES + 1);
    // The URL tells which page this is; the call's argument is the fallback.
    let cur = match current_file(page_url) {
        Some((stem, Some(k), e)) if stem == name && e == ext => k,
        Some((stem, None, e)) if stem == name && e == ext => 0,
        _ => call_cur.unwrap_or(0),
    };
    let reqs = ((cur + 1)..count)
        .filter_map(|k| page_url.join(&format!("{name}_{k}.{ext}")).ok())
        .map(PageRequest::get)
        .collect();
    Some(Pager::Pages(reqs))
}

/// Countdown pagers: `purl` + `maxPageNum`; the first page is number `maxPageNum`, each
/// further page one less (`index_958_198.html` … `index_958_1.html`).
fn countdown(html: &str, page_url: &Url) -> Option<Pager> {
    let purl = PURL.captures(html)?[1].trim().to_string();
    let max = MAX_PAGE_NUM
        .captures_iter(html)
        .filter_map(|c| c[1].parse::<usize>().ok())
        .max()?;
    let ext = PURL_EXT
        .captures(html)
        .map_or_else(|| "html".to_string(), |c| c[1].to_string());
    let base = page_url.join(&purl).ok()?;
    let stem = base.path_segments()?.next_back()?.to_string();
    let cur = match current_file(page_url) {
        Some((s, Some(k), e)) if s == stem && e == ext => k,
        _ => max,
    };
    let reqs = (1..cur)
        .rev()
        .take(MAX_PAGES)
        .filter_map(|k| base.join(&format!("{stem}_{k}.{ext}")).ok())
        .map(PageRequest::get)
        .collect();
    Some(Pager::Pages(reqs))
}

/// A link the pager offers, with its visible text.
struct PagerLink {
    text: String,
    url: Url,
}

/// A pager link that calls a script function with a page number.
struct ScriptLink {
    text: String,
    function: String,
    page: usize,
}

fn from_links(html: &str, page_url: &Url) -> Pager {
    let doc = Html::parse_document(html);
    let mut links = Vec::new();
    let mut script_links = Vec::new();
    for a in doc.select(&A_HREF).take(20_000) {
        let Some(href) = a.value().attr("href").map(str::trim) else {
            continue;
        };
        let lower = href.to_ascii_lowercase();
        if href.is_empty() || href.starts_with('#') {
            continue;
        }
        let text = collapse_ws(&element_text(a))
            .trim_matches(|c: char| c == '[' || c == ']' || c == '【' || c == '】')
            .trim()
            .to_string();
        let title = a.value().attr("title").unwrap_or("").trim().to_string();
        let text = if text.is_empty() { title } else { text };
        if lower.starts_with("javascript:") {
            if let Some(c) = JS_PAGE_CALL.captures(href)
                && let Ok(page) = c[2].parse()
            {
                script_links.push(ScriptLink {
                    text,
                    function: c[1].to_string(),
                    page,
                });
            } else if !lower.contains("void") && !lower.contains("volid") {
                script_links.push(ScriptLink {
                    text,
                    function: String::new(),
                    page: 0,
                });
            }
            continue;
        }
        let Ok(url) = page_url.join(href) else {
            continue;
        };
        links.push(PagerLink { text, url });
    }
    let is = |l: &PagerLink, set: &[&str]| is_label(&l.text, set);
    let next = links
        .iter()
        .find(|l| is(l, NEXT_TEXTS))
        .map(|l| l.url.clone());
    let last = links
        .iter()
        .find(|l| is(l, LAST_TEXTS))
        .map(|l| l.url.clone());

    if let Some(last) = &last
        && let Some(pages) = range_to_last(page_url, next.as_ref(), last)
    {
        return Pager::Pages(pages);
    }
    if let Some(next) = &next
        && let Some(pages) = vsb_downward(page_url, next, last.as_ref())
    {
        return Pager::Pages(pages);
    }
    if next.is_none()
        && let Some(pager) = script_pager(html, &doc, page_url, &script_links)
    {
        return pager;
    }
    if let Some(pages) = jump_list(&doc, page_url) {
        return Pager::Pages(pages);
    }
    match next {
        Some(n) => Pager::Next(PageRequest::get(n)),
        None => stated_pages(html).map_or(Pager::None, |n| {
            Pager::Unknown(format!("列表显示共{n}页，无法推导下一页地址"))
        }),
    }
}

/// Whether a link text is one of `set`. "下一页>>", "« 上一页" and "尾页»" carry arrows; a
/// bare ">" is itself a label.
fn is_label(text: &str, set: &[&str]) -> bool {
    let bare = text.trim_matches(|c: char| "<>«»‹›".contains(c) || c.is_whitespace());
    set.iter()
        .any(|t| text.eq_ignore_ascii_case(t) || bare.eq_ignore_ascii_case(t))
}

/// Script pagers: 下一页 / 尾页 links such as `javascript:gotoCurrentPage('2')`. The URL of
/// page k is derived from the page function's `location = "prefix" + k (+ "suffix")`; the
/// last page from the 尾页 link or a `1/1367` jump list. `None` when the page has no script
/// pager link; `Unknown` when it has one whose URL cannot be derived.
fn script_pager(html: &str, doc: &Html, page_url: &Url, links: &[ScriptLink]) -> Option<Pager> {
    let next = links.iter().find(|l| is_label(&l.text, NEXT_TEXTS))?;
    if next.function.is_empty() {
        return Some(Pager::Unknown(format!(
            "翻页链接“{}”由脚本处理，无法推导下一页地址",
            next.text
        )));
    }
    let unknown = || {
        Pager::Unknown(format!(
            "翻页由脚本函数 {}() 生成，无法推导下一页地址",
            next.function
        ))
    };
    // The function's body: the text from its head to the next function (bounded).
    let Some((prefix, suffix)) = JS_FUNCTION
        .captures_iter(html)
        .filter(|c| c[1] == next.function)
        .find_map(|c| {
            let param = c[2].to_string();
            let start = c.get(0).map_or(0, |m| m.end());
            let body: String = html[start..].chars().take(600).collect();
            let body = body.split("function").next().unwrap_or("").to_string();
            JS_LOCATION
                .captures_iter(&body)
                .filter(|l| l[2] == param)
                .last()
                .map(|l| {
                    (
                        l[1].to_string(),
                        l.get(3).map_or(String::new(), |m| m.as_str().to_string()),
                    )
                })
        })
    else {
        return Some(unknown());
    };
    let page = |k: usize| page_url.join(&format!("{prefix}{k}{suffix}")).ok();
    let last = links
        .iter()
        .filter(|l| l.function == next.function && is_label(&l.text, LAST_TEXTS))
        .map(|l| l.page)
        .max()
        .or_else(|| {
            doc.select(&OPTION)
                .take(MAX_PAGES * 2)
                .filter_map(|o| {
                    OF_PAGES
                        .captures(&element_text(o))
                        .and_then(|c| c[1].parse::<usize>().ok())
                })
                .max()
        });
    let Some(first) = page(next.page) else {
        return Some(unknown());
    };
    Some(match last {
        Some(last) if last >= next.page => Pager::Pages(
            (next.page..=last.min(next.page + MAX_PAGES))
                .filter_map(page)
                .map(PageRequest::get)
                .collect(),
        ),
        _ => Pager::Next(PageRequest::get(first)),
    })
}

/// The page count a list states in words, when it says there are pages after the current
/// one (`共25页`, `1/30页`, `页次：1/39`).
fn stated_pages(html: &str) -> Option<usize> {
    STATED_PAGES.captures_iter(html).find_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<usize>().ok());
        match (num(1), num(2).or(num(4)), num(3).or(num(5))) {
            (Some(total), _, _) if total > 1 => Some(total),
            (None, Some(cur), Some(total)) if cur < total => Some(total),
            _ => None,
        }
    })
}

/// The page number a URL carries as a query parameter, with the parameter's name.
fn query_page(url: &Url) -> Option<(String, usize)> {
    url.query_pairs().find_map(|(k, v)| {
        let lower = k.to_ascii_lowercase();
        if PAGE_PARAMS.contains(&lower.as_str()) {
            v.trim().parse().ok().map(|n| (k.to_string(), n))
        } else {
            None
        }
    })
}

/// `url` with its query parameter `name` set to `value` (other parameters kept in order).
fn with_query_page(url: &Url, name: &str, value: usize) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            if k == name {
                (k.to_string(), value.to_string())
            } else {
                (k.to_string(), v.to_string())
            }
        })
        .collect();
    let mut u = url.clone();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u
}

fn same_dir(a: &Url, b: &Url) -> bool {
    let dir = |u: &Url| u.path().rsplit_once('/').map(|(d, _)| d.to_string());
    a.host_str() == b.host_str() && dir(a) == dir(b)
}

/// Every page from the one after the current to the 尾页 link, when the 尾页 link and the
/// current page belong to one numbering family (`_N` file suffix or a page parameter).
fn range_to_last(page_url: &Url, next: Option<&Url>, last: &Url) -> Option<Vec<PageRequest>> {
    // Query-string family.
    if let Some((param, last_n)) = query_page(last) {
        let cur = match query_page(page_url) {
            Some((_, n)) => n,
            // No parameter on the current page: it is the first page; a `page=1` next link
            // means numbering starts at 0.
            None => match next.and_then(query_page) {
                Some((_, 1)) => 0,
                _ => 1,
            },
        };
        let last_n = last_n.min(cur + MAX_PAGES);
        return Some(
            ((cur + 1)..=last_n)
                .map(|k| PageRequest::get(with_query_page(last, &param, k)))
                .collect(),
        );
    }
    // File-suffix family: index_2.html, list_2.shtml, column-index-2.shtml.
    if !same_dir(page_url, last) {
        return None;
    }
    let last_name = last.path_segments()?.next_back()?;
    let lc = NUMBERED_FILE.captures(last_name)?;
    let (stem, sep, ext) = (lc[1].to_string(), lc[2].to_string(), lc[4].to_string());
    let last_n: usize = lc[3].parse().ok()?;
    let start = match current_file(page_url) {
        Some((s, Some(k), e)) if s == stem && e == ext => k + 1,
        Some((s, None, e)) if s == stem && e == ext => {
            first_numbered(next, &stem, &ext).unwrap_or(2)
        }
        None => first_numbered(next, &stem, &ext).unwrap_or(2),
        _ => return None,
    };
    let last_n = last_n.min(start + MAX_PAGES);
    Some(
        (start..=last_n)
            .filter_map(|k| last.join(&format!("{stem}{sep}{k}.{ext}")).ok())
            .map(PageRequest::get)
            .collect(),
    )
}

/// The number of a next link in the `stem_N.ext` family (1 for TRS, 2 for `_2` families).
fn first_numbered(next: Option<&Url>, stem: &str, ext: &str) -> Option<usize> {
    let name = next?.path_segments()?.next_back()?;
    let c = NUMBERED_FILE.captures(name)?;
    (c[1] == *stem && c[4] == *ext)
        .then(|| c[3].parse().ok())
        .flatten()
}

/// VSB (博达): `list.htm` → `list/23.htm` → … → `list/1.htm`, numbers counting down.
fn vsb_downward(page_url: &Url, next: &Url, last: Option<&Url>) -> Option<Vec<PageRequest>> {
    let mut next_segs: Vec<&str> = next.path_segments()?.collect();
    let next_file = next_segs.pop()?;
    let nc = NUMBER_FILE.captures(next_file)?;
    let next_n: usize = nc[1].parse().ok()?;
    let ext = nc[2].to_string();
    let dir_name = next_segs.last().copied()?.to_string();
    let cur_segs: Vec<&str> = page_url.path_segments()?.collect();
    let cur_file = *cur_segs.last()?;
    // Either the bare list page (`list.htm` beside the `list/` folder) or a numbered page
    // in that folder.
    let cur_n = if cur_file == format!("{dir_name}.{ext}") {
        None
    } else if let Some(c) = NUMBER_FILE.captures(cur_file) {
        Some(c[1].parse::<usize>().ok()?)
    } else {
        return None;
    };
    let downward = match (
        cur_n,
        last.and_then(|l| l.path_segments()?.next_back().map(str::to_string)),
    ) {
        (Some(c), _) => next_n < c,
        (None, Some(l)) => NUMBER_FILE
            .captures(&l)
            .and_then(|c| c[1].parse::<usize>().ok())
            .is_none_or(|ln| ln < next_n),
        (None, None) => true,
    };
    if !downward {
        return None;
    }
    Some(
        (1..=next_n)
            .rev()
            .take(MAX_PAGES)
            .filter_map(|k| next.join(&format!("{k}.{ext}")).ok())
            .map(PageRequest::get)
            .collect(),
    )
}

/// `<select><option value="index_3.html">第4页</option>…</select>` jump lists: every
/// option page after the current one.
fn jump_list(doc: &Html, page_url: &Url) -> Option<Vec<PageRequest>> {
    let cur = current_file(page_url);
    let cur_query = query_page(page_url);
    let mut pages = Vec::new();
    for o in doc.select(&OPTION).take(MAX_PAGES * 2) {
        let Some(v) = o.value().attr("value").map(str::trim) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let Ok(url) = page_url.join(v) else { continue };
        let n = if let Some((_, n)) = query_page(&url) {
            if url.path() != page_url.path() {
                continue;
            }
            let cur_n = cur_query.as_ref().map_or(1, |(_, c)| *c);
            (n > cur_n).then_some(n)
        } else {
            if !same_dir(&url, page_url) {
                continue;
            }
            let Some(name) = url
                .path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
            else {
                continue;
            };
            let Some(c) = NUMBERED_FILE.captures(&name) else {
                continue;
            };
            let k: usize = c[3].parse().unwrap_or(0);
            let cur_k = match &cur {
                Some((s, Some(ck), e)) if *s == c[1] && *e == c[4] => *ck,
                Some((s, None, e)) if *s == c[1] && *e == c[4] => 0,
                None => 0,
                _ => continue,
            };
            (k > cur_k).then_some(k)
        };
        if let Some(n) = n {
            pages.push((n, url));
        }
    }
    if pages.is_empty() {
        return None;
    }
    pages.sort_by_key(|(n, _)| *n);
    Some(
        pages
            .into_iter()
            .map(|(_, u)| PageRequest::get(u))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    fn gets(urls: &[&str]) -> Pager {
        Pager::Pages(urls.iter().map(|u| PageRequest::get(url(u))).collect())
    }

    #[test]
    fn trs_create_page_html_lists_every_further_page_from_the_first() {
        let html = include_str!("../../tests/fixtures/extract/trs_list_modern.html");
        let page = url("https://www.yunxiqu.gov.cn/zwgk/gzdt/index.html");
        let want: Vec<String> = (1..21)
            .map(|k| format!("https://www.yunxiqu.gov.cn/zwgk/gzdt/index_{k}.html"))
            .collect();
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        assert_eq!(detect(html, &page), gets(&want));
    }

    #[test]
    fn trs_pager_on_a_later_page_lists_only_the_remaining_pages() {
        let html = r#"<script>createPageHTML(6, 3, "index", "shtml");</script>"#;
        let page = url("http://www.yunxiqu.gov.cn/zwgk/gzdt/index_3.shtml");
        assert_eq!(
            detect(html, &page),
            gets(&[
                "http://www.yunxiqu.gov.cn/zwgk/gzdt/index_4.shtml",
                "http://www.yunxiqu.gov.cn/zwgk/gzdt/index_5.shtml",
            ])
        );
        // The last page has nothing after it.
        let last = url("http://www.yunxiqu.gov.cn/zwgk/gzdt/index_5.shtml");
        assert_eq!(
            detect(
                r#"<script>createPageHTML(6, 5, "index", "shtml");</script>"#,
                &last
            ),
            Pager::None
        );
    }

    #[test]
    fn trs_create_page_and_count_page_variants_and_directory_urls() {
        let html = include_str!("../../tests/fixtures/extract/trs_list_p_in_a.html");
        let Pager::Pages(reqs) = detect(html, &url("http://jxw.yunxiqu.gov.cn/dwgk/")) else {
            panic!("createPage(34, …) must give pages");
        };
        assert_eq!(reqs.len(), 33);
        assert_eq!(
            reqs[0].url.as_str(),
            "http://jxw.yunxiqu.gov.cn/dwgk/index_1.html"
        );
        assert_eq!(
            reqs[32].url.as_str(),
            "http://jxw.yunxiqu.gov.cn/dwgk/index_33.html"
        );

        let inline = r#"<script>var currentPage = 0; var countPage = 4; for (var i=1;i<countPage;i++) {
            document.write('<a href="index'+'_'+i+'.htm">'+(i+1)+'</a>'); }</script>"#;
        assert_eq!(
            detect(inline, &url("http://www.yunxiqu.gov.cn/tzgg/index.htm")),
            gets(&[
                "http://www.yunxiqu.gov.cn/tzgg/index_1.htm",
                "http://www.yunxiqu.gov.cn/tzgg/index_2.htm",
                "http://www.yunxiqu.gov.cn/tzgg/index_3.htm",
            ])
        );
        assert_eq!(
            detect(
                r#"<script>createPageHTML(1, 0, "index", "html");</script>"#,
                &url("http://x.gov.cn/a/")
            ),
            Pager::None
        );
    }

    #[test]
    fn hanweb_jpage_posts_the_param_fields_for_records_past_the_first_group() {
        let html = include_str!("../../tests/fixtures/extract/hanweb_column.html");
        let page = url("http://www.yunxiqu.gov.cn/col/col1229687456/index.html");
        let form: Vec<(String, String)> = [
            ("col", "1"),
            ("appid", "1"),
            ("webid", "3215"),
            ("path", "/"),
            ("columnid", "1229687456"),
            ("sourceContentType", "1"),
            ("unitid", "4426148"),
            ("webname", "云溪区人民政府"),
            ("permissiontype", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let want: Vec<PageRequest> = [(46, 90), (91, 135), (136, 180), (181, 225), (226, 270), (271, 312)]
            .iter()
            .map(|(s, e)| PageRequest {
                url: url(&format!(
                    "http://www.yunxiqu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord={s}&endrecord={e}&perpage=15"
                )),
                form: Some(form.clone()),
            })
            .collect();
        assert_eq!(detect(html, &page), Pager::Pages(want));
    }

    #[test]
    fn old_hanweb_inline_ajax_param_is_used_as_form() {
        let html = include_str!("../../tests/fixtures/extract/hanweb_initdata.html");
        let Pager::Pages(reqs) = detect(
            html,
            &url("http://zfcg.yunxiqu.gov.cn/col/col30067/index.html"),
        ) else {
            panic!("jpage must give pages");
        };
        // 1418 records, 75 on the page, groups of 75.
        assert_eq!(reqs.len(), 18);
        assert_eq!(
            reqs[0].url.as_str(),
            "http://zfcg.yunxiqu.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=76&endrecord=150&perpage=25"
        );
        assert_eq!(
            reqs[17].url.as_str(),
            "http://zfcg.yunxiqu.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=1351&endrecord=1418&perpage=25"
        );
        let form = reqs[0].form.as_ref().expect("POST form");
        assert!(form.contains(&("columnid".to_string(), "30067".to_string())));
        assert!(form.contains(&("appid".to_string(), "1".to_string())));
        assert!(form.contains(&("webname".to_string(), "云溪区政府采购网".to_string())));
    }

    #[test]
    fn guangdong_index_2_family_runs_to_the_last_page_link() {
        let html = include_str!("../../tests/fixtures/extract/gd_list.html");
        let want = [
            "https://www.yunxiqu.gov.cn/zwgk/tzgg/index_2.html",
            "https://www.yunxiqu.gov.cn/zwgk/tzgg/index_3.html",
            "https://www.yunxiqu.gov.cn/zwgk/tzgg/index_4.html",
            "https://www.yunxiqu.gov.cn/zwgk/tzgg/index_5.html",
            "https://www.yunxiqu.gov.cn/zwgk/tzgg/index_6.html",
        ];
        assert_eq!(
            detect(html, &url("https://www.yunxiqu.gov.cn/zwgk/tzgg/")),
            gets(&want)
        );
        assert_eq!(
            detect(
                html,
                &url("https://www.yunxiqu.gov.cn/zwgk/tzgg/index.html")
            ),
            gets(&want)
        );
    }

    #[test]
    fn list_shtml_family_from_a_middle_page() {
        let html = include_str!("../../tests/fixtures/extract/list_shtml.html");
        let page = url("http://www.yunxiqu.gov.cn/yxq/c114875/list_2.shtml");
        assert_eq!(
            detect(html, &page),
            gets(&[
                "http://www.yunxiqu.gov.cn/yxq/c114875/list_3.shtml",
                "http://www.yunxiqu.gov.cn/yxq/c114875/list_4.shtml",
                "http://www.yunxiqu.gov.cn/yxq/c114875/list_5.shtml",
            ])
        );
    }

    #[test]
    fn query_string_pages_keep_other_parameters() {
        let html = include_str!("../../tests/fixtures/extract/query_pager.html");
        let page =
            url("http://ggzy.yunxiqu.gov.cn/info/iList.jsp?node_id=GKxx&cat_id=15971&cur_page=2");
        assert_eq!(
            detect(html, &page),
            gets(&[
                "http://ggzy.yunxiqu.gov.cn/info/iList.jsp?node_id=GKxx&cat_id=15971&cur_page=3",
                "http://ggzy.yunxiqu.gov.cn/info/iList.jsp?node_id=GKxx&cat_id=15971&cur_page=4",
                "http://ggzy.yunxiqu.gov.cn/info/iList.jsp?node_id=GKxx&cat_id=15971&cur_page=5",
            ])
        );
        let html = r#"<a href="?uid=380055&pageNum=2">下一页</a>"#;
        assert_eq!(
            detect(
                html,
                &url("http://www.yunxiqu.gov.cn/col/col42150/index.html?uid=380055&pageNum=1")
            ),
            Pager::Next(PageRequest::get(url(
                "http://www.yunxiqu.gov.cn/col/col42150/index.html?uid=380055&pageNum=2"
            )))
        );
        let html = r#"<a href="MoreInfo.aspx?CategoryNum=001001&Paging=2">下页</a> <a href="MoreInfo.aspx?CategoryNum=001001&Paging=3">末页</a>"#;
        assert_eq!(
            detect(
                html,
                &url("http://www.yunxiqu.gov.cn/xxgk/MoreInfo.aspx?CategoryNum=001001")
            ),
            gets(&[
                "http://www.yunxiqu.gov.cn/xxgk/MoreInfo.aspx?CategoryNum=001001&Paging=2",
                "http://www.yunxiqu.gov.cn/xxgk/MoreInfo.aspx?CategoryNum=001001&Paging=3",
            ])
        );
    }

    #[test]
    fn vsb_pages_count_down_to_one() {
        let html = include_str!("../../tests/fixtures/extract/vsb_list.html");
        assert_eq!(
            detect(html, &url("http://www.yxkfq.gov.cn/tzgg.htm")),
            gets(&[
                "http://www.yxkfq.gov.cn/tzgg/4.htm",
                "http://www.yxkfq.gov.cn/tzgg/3.htm",
                "http://www.yxkfq.gov.cn/tzgg/2.htm",
                "http://www.yxkfq.gov.cn/tzgg/1.htm",
            ])
        );
        let html = r#"<span class="p_next p_fun"><a href="2.htm">下页</a></span><span class="p_last p_fun"><a href="1.htm">尾页</a></span>"#;
        assert_eq!(
            detect(html, &url("http://www.yxkfq.gov.cn/tzgg/3.htm")),
            gets(&[
                "http://www.yxkfq.gov.cn/tzgg/2.htm",
                "http://www.yxkfq.gov.cn/tzgg/1.htm"
            ])
        );
    }

    #[test]
    fn chengdu_column_index_pages() {
        let html = include_str!("../../tests/fixtures/extract/chengdu_list.html");
        let Pager::Pages(reqs) = detect(
            html,
            &url("http://www.yunxiqu.gov.cn/yxq/c131209/column-index-1.shtml"),
        ) else {
            panic!("末页 link must give pages");
        };
        let got: Vec<&str> = reqs.iter().map(|r| r.url.as_str()).collect();
        let want: Vec<String> = (2..=8)
            .map(|k| format!("http://www.yunxiqu.gov.cn/yxq/c131209/column-index-{k}.shtml"))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn option_jump_list_gives_the_pages_after_the_current_one() {
        let html = include_str!("../../tests/fixtures/extract/option_jump.html");
        assert_eq!(
            detect(
                html,
                &url("http://www.yunxiqu.gov.cn/zwgk/ghjh/index_3.html")
            ),
            gets(&[
                "http://www.yunxiqu.gov.cn/zwgk/ghjh/index_4.html",
                "http://www.yunxiqu.gov.cn/zwgk/ghjh/index_5.html"
            ])
        );
    }

    #[test]
    fn pager_labels_with_arrows_are_recognised() {
        let html = r#"<a href="list_2.html">下一页&gt;&gt;</a><a href="list_4.html">尾页 »</a>"#;
        assert_eq!(
            detect(html, &url("http://x.gov.cn/xw/list.html")),
            gets(&[
                "http://x.gov.cn/xw/list_2.html",
                "http://x.gov.cn/xw/list_3.html",
                "http://x.gov.cn/xw/list_4.html"
            ])
        );
        let html = r#"<a href="list_2.html">&gt;</a>"#;
        assert_eq!(
            detect(html, &url("http://x.gov.cn/xw/list.html")),
            Pager::Next(PageRequest::get(url("http://x.gov.cn/xw/list_2.html")))
        );
    }

    #[test]
    fn plain_next_link_gives_only_the_next_page() {
        let html = include_str!("../../tests/fixtures/extract/plain_next.html");
        assert_eq!(
            detect(
                html,
                &url("http://hqz.yunxiqu.gov.cn/html/xzdt/list_12_2.html")
            ),
            Pager::Next(PageRequest::get(url(
                "http://hqz.yunxiqu.gov.cn/html/xzdt/list_12_3.html"
            )))
        );
    }

    #[test]
    fn no_pager_and_self_links_give_none() {
        let html = include_str!("../../tests/fixtures/extract/annual_report_table.html");
        // createPageHTML(2, 0, …) on the second page itself: nothing after it.
        assert_eq!(
            detect(html, &url("http://x.gov.cn/zfxxgknb/index_1.html")),
            Pager::None
        );
        let html = r#"<a href="index.html">下一页</a>"#;
        assert_eq!(
            detect(html, &url("http://x.gov.cn/a/index.html")),
            Pager::None
        );
        assert_eq!(
            detect(
                "<ul><li><a href='/x.html'>标题</a></li></ul>",
                &url("http://x.gov.cn/")
            ),
            Pager::None
        );
    }

    #[test]
    fn hostile_input_never_panics_and_is_bounded() {
        let page = url("http://x.gov.cn/a/index.html");
        assert_eq!(detect("", &page), Pager::None);
        let garbage: String = (0u32..20_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0xD7FF))
            .collect();
        let _ = detect(&garbage, &page);
        let Pager::Pages(reqs) =
            detect(r#"createPageHTML(99999999999, 0, "index", "html")"#, &page)
        else {
            panic!("huge counts are capped, not dropped");
        };
        assert_eq!(reqs.len(), MAX_PAGES);
        let Pager::Pages(reqs) = detect(
            "proxyUrl:'/dp.jsp', perPage: 0, totalRecord: 999999999",
            &page,
        ) else {
            panic!("jpage");
        };
        assert_eq!(reqs.len(), MAX_PAGES);
        let deep = format!(
            "{}<a href=\"index_2.html\">下一页</a>",
            "<div>".repeat(1_000)
        );
        assert_eq!(
            detect(&deep, &page),
            Pager::Next(PageRequest::get(url("http://x.gov.cn/a/index_2.html")))
        );
        // Past the nesting bound the page is cut: nothing there is read, and nothing hangs.
        let runaway = format!(
            "{}<a href=\"index_2.html\">下一页</a>",
            "<div>".repeat(50_000)
        );
        assert_eq!(detect(&runaway, &page), Pager::None);
    }

    /// A saved real page from `../shared/realworld/`, decoded; `None` (after saying so)
    /// when the folder is absent.
    fn realworld(rel: &str) -> Option<String> {
        let path = format!("{}/../shared/realworld/{rel}", env!("CARGO_MANIFEST_DIR"));
        match std::fs::read(&path) {
            Ok(bytes) => Some(crate::extract::charset::decode(&bytes, None).text),
            Err(_) => {
                println!("skipped: ../shared/realworld not found");
                None
            }
        }
    }

    /// The page-2 URL and the number of further pages a real page gives.
    fn first_and_count(pager: &Pager) -> (String, usize) {
        match pager {
            Pager::Pages(reqs) => (reqs[0].url.to_string(), reqs.len()),
            Pager::Next(r) => (r.url.to_string(), 1),
            other => panic!("expected pages, got {other:?}"),
        }
    }

    /// (saved file, its URL, the page-2 URL, further pages) for each case.
    fn assert_realworld_cases(cases: &[(&str, &str, &str, usize)]) {
        for (file, page, want_first, want_count) in cases {
            let Some(html) = realworld(file) else {
                return;
            };
            assert_eq!(
                first_and_count(&detect(&html, &url(page))),
                (want_first.to_string(), *want_count),
                "{file}"
            );
        }
    }

    // Expected values below are read by hand from each saved page's pager.

    #[test]
    fn realworld_jxta_goto_current_page_select_pager() {
        // 地市动态: `<select>` 1/1367, 下一页 = javascript:gotoCurrentPage('2'), 尾页 =
        // gotoCurrentPage('1367'); the function goes to "Column.shtml?p5=28&p7="+pageNo.
        let Some(html) = realworld("jxta/Column.shtml@p5=28") else {
            return;
        };
        let pager = detect(&html, &url("http://www.jxta.gov.cn/Column.shtml?p5=28"));
        assert_eq!(
            first_and_count(&pager),
            (
                "http://www.jxta.gov.cn/Column.shtml?p5=28&p7=2".to_string(),
                1366
            )
        );
        let Pager::Pages(reqs) = &pager else {
            unreachable!()
        };
        assert_eq!(
            reqs[1365].url.as_str(),
            "http://www.jxta.gov.cn/Column.shtml?p5=28&p7=1367"
        );
        // 旅游快报: 1/192.
        let Some(html) = realworld("jxta/Column.shtml@p5=26") else {
            return;
        };
        assert_eq!(
            first_and_count(&detect(
                &html,
                &url("http://www.jxta.gov.cn/Column.shtml?p5=26")
            )),
            (
                "http://www.jxta.gov.cn/Column.shtml?p5=26&p7=2".to_string(),
                191
            )
        );
    }

    #[test]
    fn realworld_trs_create_page_html_and_count_page() {
        // 袁州 政务要闻: createPageHTML(120, 0, "index", "html") → index_1 … index_119.
        let cases = [
            (
                "yuanzhou/zwgk/zwdt/zwyw/index.html",
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index.html",
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index_1.html",
                119,
            ),
            // 樟树 综合信息: createPageHTML(21, 0, "index", "html"), served as a folder.
            (
                "zhangshu/zwgk/zhxx/index.html",
                "http://www.zhangshu.gov.cn/zwgk/zhxx/",
                "http://www.zhangshu.gov.cn/zwgk/zhxx/index_1.html",
                20,
            ),
            // 恩格贝 信息公开年报: var countPage = 2 (currentPage = 0).
            (
                "ordos/xxgk/xxgknb/index.html",
                "http://www.ordos.gov.cn/xxgk/xxgknb/index.html",
                "http://www.ordos.gov.cn/xxgk/xxgknb/index_1.html",
                1,
            ),
        ];
        assert_realworld_cases(&cases);
    }

    #[test]
    fn realworld_fengcheng_countdown_pager() {
        // maxPageNum = 199; page 1 is number 199, 下页 = index_958_198.html, 尾页 = _1.
        let Some(html) = realworld("fengcheng/n3/n13/index.html") else {
            return;
        };
        let pager = detect(&html, &url("http://www.jxfc.gov.cn/n3/n13/index.html"));
        assert_eq!(
            first_and_count(&pager),
            (
                "http://www.jxfc.gov.cn/n3/n13/index_958_198.html".to_string(),
                198
            )
        );
        let Pager::Pages(reqs) = &pager else {
            unreachable!()
        };
        assert_eq!(
            reqs[197].url.as_str(),
            "http://www.jxfc.gov.cn/n3/n13/index_958_1.html"
        );
        // From page 3 (index_958_197.html) the rest count down from 196.
        let Pager::Pages(rest) = detect(
            &html,
            &url("http://www.jxfc.gov.cn/n3/n13/index_958_197.html"),
        ) else {
            panic!("countdown pages");
        };
        assert_eq!(
            (rest[0].url.as_str(), rest.len()),
            ("http://www.jxfc.gov.cn/n3/n13/index_958_196.html", 196)
        );
    }

    #[test]
    fn realworld_numbered_file_pagers() {
        let cases = [
            // 靖安 PowerEasy: 下一页 Index_2.aspx, 尾页 Index_120.aspx.
            (
                "jingan/Category_133/Index.aspx",
                "http://www.jingan.gov.cn/Category_133/Index.aspx",
                "http://www.jingan.gov.cn/Category_133/Index_2.aspx",
                119,
            ),
            // 万载 维网: 1/30页, 下一页 -2, 末页 -30 (首页 is `-1`, the page itself).
            (
                "wanzai/news-list-wanzaiyaowen.html",
                "http://www.wanzai.gov.cn/news-list-wanzaiyaowen.html",
                "http://www.wanzai.gov.cn/news-list-wanzaiyaowen-2.html",
                29,
            ),
            // 嘉鱼 EmpireCMS (GB2312): 页次：1/39, 下一页 index_2.html, 尾页 index_39.html.
            (
                "jiayu/jiayuzhengwu/zhengwudongtai/index.html",
                "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index.html",
                "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index_2.html",
                38,
            ),
        ];
        assert_realworld_cases(&cases);
    }

    #[test]
    fn script_pager_without_a_derivable_url_is_unknown() {
        // A 下一页 link into a script whose page function does not build a URL.
        let html = r#"<a href="javascript:turnPage(2)">下一页</a>
            <script>function turnPage(p) { $('#list').load('/api/list', {page: p}); }</script>"#;
        let Pager::Unknown(reason) = detect(html, &url("http://x.gov.cn/xw/")) else {
            panic!("an underivable script pager is unknown, not the end of the list");
        };
        assert!(reason.contains("turnPage"), "{reason}");
        // A stated count with no link at all.
        assert!(matches!(
            detect("<div>共12页 当前第1页</div>", &url("http://x.gov.cn/xw/")),
            Pager::Unknown(_)
        ));
        // The last page of a numbered list states its count but has nothing after it.
        assert_eq!(
            detect(
                "<div>页次：39/39</div>",
                &url("http://x.gov.cn/xw/index_39.html")
            ),
            Pager::None
        );
        // A derivable one on a page saying 1/3.
        let html = r#"<select onchange="gotoPage(this.value)"><option value="1" selected>1/3</option>
            <option value="2">2/3</option><option value="3">3/3</option></select>
            <a href="javascript:gotoPage('2')">下一页</a>
            <script>function gotoPage(n) { if (n == 1) location.href = "list.htm"; else location.href = "list_" + n + ".htm"; }</script>"#;
        assert_eq!(
            detect(html, &url("http://x.gov.cn/xw/list.htm")),
            gets(&[
                "http://x.gov.cn/xw/list_2.htm",
                "http://x.gov.cn/xw/list_3.htm"
            ])
        );
    }
}
