//! 暗链: links a visitor cannot see, pointing where a government page should not.
//!
//! A link is hidden when it or an ancestor is hidden by an inline `style` (display:none,
//! visibility:hidden, opacity:0, position absolute/fixed with an offset of -500px or more
//! off-screen, text-indent of ±500px or more, font-size 0, zero width and height, or zero
//! width or height with overflow hidden), by the `hidden` attribute, or by a simple rule of a
//! `<style>` block of the page (`.x { … }`, `#x { … }`; other selectors and external style
//! sheets are not read). A hidden link is 暗链 when its text or URL matches a built-in spam
//! list, or when it points off government hosts: not `*.gov.cn`, not the page's own host, not
//! a `screening.friendly_hosts` entry, not `*.edu.cn`/`*.mil.cn`, not one of the central news
//! sites, embedded-service hosts or 政务新媒体 platforms below (the media part of the 友情链接
//! menus every portal has and the 微博/微信 pop-ups, often hidden until hovered). Links without an http(s) target (anchors, javascript:,
//! mailto:) are never 暗链.

use std::collections::HashSet;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::{CONTEXT_CHARS, Hit, HitKind, Screener};

/// Second-level domains registered only by vetted institutions: government bodies, and the
/// schools and military units 友情链接 menus list beside them.
pub const INSTITUTIONAL: &[&str] = &["gov.cn", "edu.cn", "mil.cn"];

/// Central news sites (中央重点新闻网站) that 友情链接 menus link to; a host covers its
/// subdomains.
pub const MEDIA_HOSTS: &[&str] = &[
    "people.com.cn",
    "xinhuanet.com",
    "news.cn",
    "cctv.com",
    "cntv.cn",
    "cnr.cn",
    "cri.cn",
    "china.com.cn",
    "chinadaily.com.cn",
    "gmw.cn",
    "ce.cn",
    "youth.cn",
    "chinanews.com.cn",
    "chinanews.com",
    "qstheory.cn",
    "81.cn",
];

/// Hosts of the services government CMSs embed, often as hidden links: the 党政机关网站
/// 标识 (conac.cn), the national 政府网站找错 widget (121.43.68.40 /exposure/jiucuo.html),
/// the site-monitoring service (kaipuyun.cn) and the CMS vendors' "Produced By" credits
/// (大汉 hanweb.com, 拓尔思 trs.com.cn). Seen on the real pages in ../shared/realworld.
pub const SERVICE_HOSTS: &[&str] = &[
    "conac.cn",
    "121.43.68.40",
    "kaipuyun.cn",
    "hanweb.com",
    "trs.com.cn",
];

/// Platforms of the 政务新媒体 accounts portals link to, often from a hover pop-up hidden
/// until then (国办发〔2018〕123号《关于推进政务新媒体健康有序发展的意见》): 微博, 微信公众号,
/// 抖音, 快手, 今日头条.
pub const NEW_MEDIA_HOSTS: &[&str] = &[
    "weibo.com",
    "weibo.cn",
    "mp.weixin.qq.com",
    "douyin.com",
    "kuaishou.com",
    "toutiao.com",
];

/// Why a style declaration list hides its element, if it does.
fn hides(style: &str) -> Option<&'static str> {
    let decls: Vec<(String, String)> = style
        .split(';')
        .filter_map(|d| {
            let (k, v) = d.split_once(':')?;
            let v = v.to_ascii_lowercase().replace("!important", "");
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let get = |k: &str| {
        decls
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let zero = |k: &str| get(k).is_some_and(is_zero);
    if get("display") == Some("none") {
        return Some("display:none");
    }
    if get("visibility") == Some("hidden") {
        return Some("visibility:hidden");
    }
    if get("opacity").is_some_and(is_zero) {
        return Some("opacity:0");
    }
    if matches!(get("position"), Some("absolute" | "fixed"))
        && [
            "left",
            "top",
            "right",
            "bottom",
            "margin-left",
            "margin-top",
        ]
        .iter()
        .any(|k| get(k).and_then(px).is_some_and(|n| n <= -500.0))
    {
        return Some("定位到页面可见区域之外");
    }
    if get("text-indent")
        .and_then(px)
        .is_some_and(|n| n.abs() >= 500.0)
    {
        return Some("text-indent 移出可见区域");
    }
    if zero("font-size") {
        return Some("font-size:0");
    }
    let overflow_hidden = get("overflow") == Some("hidden");
    if (zero("width") && zero("height")) || ((zero("width") || zero("height")) && overflow_hidden) {
        return Some("宽或高为0");
    }
    None
}

fn is_zero(v: &str) -> bool {
    px(v) == Some(0.0)
}

/// A CSS length in pixels (em and rem as 16 px); None when not a plain length.
fn px(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, factor) = if let Some(n) = v.strip_suffix("px") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix("rem").or_else(|| v.strip_suffix("em")) {
        (n, 16.0)
    } else if let Some(n) = v.strip_suffix("pt") {
        (n, 4.0 / 3.0)
    } else if let Some(n) = v.strip_suffix('%') {
        // Only 0% and large negative percentages matter.
        (n, 10.0)
    } else {
        (v, 1.0)
    };
    num.trim().parse::<f64>().ok().map(|n| n * factor)
}

static STYLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("style").expect("static selector"));
static LINK: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));

/// A class or id name and why a `<style>` rule hides it.
type Rule = (String, &'static str);

/// Classes and ids hidden by simple rules of the page's `<style>` blocks, with the reason.
fn hidden_selectors(doc: &Html) -> (Vec<Rule>, Vec<Rule>) {
    let (mut classes, mut ids) = (Vec::new(), Vec::new());
    for style in doc.select(&STYLE) {
        let css = strip_comments(&style.text().collect::<String>());
        for rule in css.split('}') {
            let Some((selectors, body)) = rule.split_once('{') else {
                continue;
            };
            let Some(why) = hides(body) else {
                continue;
            };
            for s in selectors.split(',').map(str::trim) {
                let simple = |name: &str| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                };
                if let Some(c) = s.strip_prefix('.').filter(|c| simple(c)) {
                    classes.push((c.to_string(), why));
                } else if let Some(i) = s.strip_prefix('#').filter(|i| simple(i)) {
                    ids.push((i.to_string(), why));
                }
            }
        }
    }
    (classes, ids)
}

fn strip_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(a) = rest.find("/*") {
        out.push_str(&rest[..a]);
        rest = rest[a + 2..]
            .find("*/")
            .map_or("", |b| &rest[a + 2 + b + 2..]);
    }
    out.push_str(rest);
    out
}

/// Why `e` is hidden, looking at it and its ancestors.
fn hidden_why(e: ElementRef, classes: &[Rule], ids: &[Rule]) -> Option<String> {
    std::iter::once(e)
        .chain(e.ancestors().filter_map(ElementRef::wrap))
        .find_map(|el| {
            let v = el.value();
            if v.attr("hidden").is_some() {
                return Some("hidden 属性".to_string());
            }
            if let Some(why) = v.attr("style").and_then(hides) {
                return Some(format!("行内样式 {why}"));
            }
            if let Some((c, why)) = classes.iter().find(|(c, _)| v.classes().any(|k| k == c)) {
                return Some(format!("样式表 .{c} {why}"));
            }
            v.id()
                .and_then(|id| ids.iter().find(|(i, _)| i == id))
                .map(|(i, why)| format!("样式表 #{i} {why}"))
        })
}

fn covers(host: &str, entry: &str) -> bool {
    host == entry
        || host
            .strip_suffix(entry)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Whether a link to `host` from a page on `page_host` is a government or trusted link.
fn trusted_host(host: &str, page_host: &str, friendly: &[String]) -> bool {
    host == page_host
        || INSTITUTIONAL.iter().any(|d| covers(host, d))
        || friendly.iter().any(|f| covers(host, f))
        || MEDIA_HOSTS
            .iter()
            .chain(SERVICE_HOSTS)
            .chain(NEW_MEDIA_HOSTS)
            .any(|m| covers(host, m))
}

/// Line and column (1-based, in characters) of byte offset `b` of `src`.
fn line_col(src: &str, b: usize) -> (usize, usize) {
    let before = &src[..b];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

pub(crate) fn hidden_links(
    screener: &Screener,
    parsed: &crate::extract::Parsed<'_>,
    page: &Url,
) -> Vec<Hit> {
    let (html, doc) = (parsed.html, &parsed.doc);
    let (classes, ids) = hidden_selectors(doc);
    // Most pages hide no link: the search for each link's place in the source (for a hit's
    // line and column) is made only on a page that does.
    if !doc
        .select(&LINK)
        .any(|a| hidden_why(a, &classes, &ids).is_some())
    {
        return Vec::new();
    }
    let page_host = page.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut out = Vec::new();
    let mut cursor = 0;
    let mut seen = HashSet::new();
    for a in doc.select(&LINK) {
        let href = a.value().attr("href").unwrap_or_default().trim();
        // Where the link is in the source, searched in document order (as written, with
        // `&amp;`, or its first characters).
        let amp = href.replace('&', "&amp;");
        let head: String = href.chars().take(24).collect();
        let raw_at = [href, amp.as_str(), head.as_str()].iter().find_map(|h| {
            html[cursor..]
                .find(h)
                .map(|i| cursor + i)
                .or_else(|| html.find(h))
        });
        if let Some(at) = raw_at {
            cursor = at;
        }
        let Ok(url) = page.join(href) else { continue };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let Some(why) = hidden_why(a, &classes, &ids) else {
            continue;
        };
        let text: String = a.text().collect::<String>().split_whitespace().collect();
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let spam = screener
            .sensitive
            .spam_category(&text)
            .or_else(|| screener.sensitive.spam_category(url.as_str()));
        if spam.is_none() && trusted_host(&host, &page_host, &screener.friendly_hosts) {
            continue;
        }
        if !seen.insert((url.to_string(), text.clone())) {
            continue;
        }
        let (line, column) = raw_at.map_or((0, 0), |b| line_col(html, b));
        let shown: String = text.chars().take(2 * CONTEXT_CHARS).collect();
        let suggestion = match spam {
            Some(cat) => format!(
                "隐藏的链接（{why}）含“{cat}”类垃圾信息，疑为暗链：请删除并排查网页是否被篡改"
            ),
            None => format!(
                "隐藏的链接（{why}）指向非政府网站 {host}，疑为暗链：请删除并排查网页是否被篡改；确属友情链接的，把主机加入 screening.friendly_hosts"
            ),
        };
        out.push(Hit {
            kind: HitKind::HiddenLink,
            line,
            column,
            found: url.to_string(),
            context: if shown.is_empty() {
                "（无链接文字）".to_string()
            } else {
                shown
            },
            suggestion,
            serious: true,
            source: format!("暗链：隐藏方式 {why}"),
            category: spam.map(str::to_string),
        });
    }
    out
}
