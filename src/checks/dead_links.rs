//! Dead links: the links of a site's pages read in the run that failed on two runs in a row
//! (19号 功能设计 "可用性 (首页 and 链接)"; 2015 普查 链接可用性 "首页及其他页面不能正常访问的
//! 链接数量").
//!
//! Measures only, from the snapshot: the dead links with their evidence (the page each is
//! on, its title and link text, the dead URL, status, the first day it failed), and the
//! counts of suspect (failed once) and unknown (walled, throttled) links, which cost nothing.
//! Must not fetch (the check stage in `crawl::links` did) nor decide what a dead link costs.

use crate::crawl::links::LinkState;
use crate::report::model::Evidence;
use crate::store::{LinkProblem, SiteSnap};

/// What the run's link checks show for one site.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLinks<'s> {
    /// Links that failed on two runs in a row, by URL.
    pub dead: Vec<&'s LinkProblem>,
    /// Links that failed on this run only (reported dead if they fail on the next).
    pub suspect: usize,
    /// Links that could not be judged (walls, throttling, robots.txt).
    pub unknown: usize,
}

/// Measures one site.
pub fn measure(site: &SiteSnap) -> DeadLinks<'_> {
    let count = |state| site.links.iter().filter(|l| l.state == state).count();
    DeadLinks {
        dead: site
            .links
            .iter()
            .filter(|l| l.state == LinkState::Dead)
            .collect(),
        suspect: count(LinkState::Suspect),
        unknown: count(LinkState::Unknown),
    }
}

/// What failed, for messages: `HTTP 404 错误` or the failure without a status.
fn failure(link: &LinkProblem) -> String {
    if link.reason.is_empty() {
        link.status
            .map_or_else(|| "无法访问".to_string(), |s| format!("HTTP {s}"))
    } else {
        link.reason.clone()
    }
}

/// The message of one dead link's finding.
pub fn message(link: &LinkProblem) -> String {
    let since = link
        .first_failed
        .map(|d| format!("，自{}起连续两次以上检查均无法访问", d.format("%Y-%m-%d")))
        .unwrap_or_default();
    let more = if link.pages > 1 {
        format!("(共{}个页面有此链接)", link.pages)
    } else {
        String::new()
    };
    format!(
        "链接不可用：“{}”{}（{}）{since}",
        link.text,
        more,
        failure(link)
    )
}

/// The evidence of one dead link: the page it is on (title, URL) and the dead URL with its
/// status and the first day it failed.
pub fn evidence(link: &LinkProblem) -> Vec<Evidence> {
    let first = link.first_failed.map(|d| d.format("%Y-%m-%d").to_string());
    vec![
        Evidence {
            url: link.page_url.clone(),
            title: link
                .page_title
                .clone()
                .unwrap_or_else(|| link.page_url.clone()),
            date: None,
            excerpt: Some(format!("所在页面，链接文字“{}”", link.text)),
        },
        Evidence {
            url: link.url.clone(),
            title: link.text.clone(),
            date: first,
            excerpt: Some(format!("失效链接：{}，日期为首次检查失败日", failure(link))),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::site;

    fn problem(url: &str, state: LinkState) -> LinkProblem {
        LinkProblem {
            url: url.into(),
            state,
            status: Some(404),
            reason: "HTTP 404 错误(共尝试1次)".into(),
            first_failed: Some("2023-01-02".parse().unwrap()),
            page_url: "http://a.gov.cn/".into(),
            page_title: Some("孟津区人民政府".into()),
            text: "旧版通知".into(),
            pages: 3,
        }
    }

    #[test]
    fn only_dead_links_are_listed_suspect_and_unknown_are_counted() {
        let mut s = site(Vec::new(), Some("2023-01-09"));
        s.links = vec![
            problem("http://a.gov.cn/dead.html", LinkState::Dead),
            problem("http://a.gov.cn/once.html", LinkState::Suspect),
            problem("http://a.gov.cn/wall.html", LinkState::Unknown),
        ];
        let m = measure(&s);
        assert_eq!(m.dead.len(), 1);
        assert_eq!(m.dead[0].url, "http://a.gov.cn/dead.html");
        assert_eq!((m.suspect, m.unknown), (1, 1));
    }

    #[test]
    fn the_evidence_names_the_page_the_link_the_status_and_the_first_failure() {
        let p = problem("http://a.gov.cn/dead.html", LinkState::Dead);
        assert_eq!(
            message(&p),
            "链接不可用：“旧版通知”(共3个页面有此链接)（HTTP 404 错误(共尝试1次)），自2023-01-02起连续两次以上检查均无法访问"
        );
        let e = evidence(&p);
        assert_eq!(e[0].url, "http://a.gov.cn/");
        assert_eq!(e[0].title, "孟津区人民政府");
        assert_eq!(e[1].url, "http://a.gov.cn/dead.html");
        assert_eq!(e[1].title, "旧版通知");
        assert_eq!(e[1].date.as_deref(), Some("2023-01-02"));
    }
}
