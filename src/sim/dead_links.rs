//! Dead links of the simulated district (issue 14 item 7), switched on at run time with
//! [`SimServer::set_dead_links`](super::SimServer::set_dead_links) (off by default, so the
//! standard district's requests and verdicts stay as they were).
//!
//! When on, a 相关专题 block above the footer of two home pages links what real portals
//! leave behind after a redesign:
//! - the portal: a removed 2019 专题 page ([`GONE_PORTAL`], 404), a 办事指南 download that
//!   answers 500 on every second request ([`FLAKY_PATH`]: the first request of a run fails,
//!   the fetcher's retry succeeds — never dead), and a 数据开放 page behind a 瑞数 wall
//!   ([`WALLED_PATH`], 412: unknown, never dead);
//! - the first plain TRS department on the shared host: a removed 专题 page (404).
//!
//! The link texts name no column (a 专题 is not one), so column discovery never follows them.

use super::{District, HomeStyle, Role, SimSite, WalkShape};

/// The portal's removed page (404).
pub const GONE_PORTAL: &str = "/ztzl/2019/wmcs/index.html";
/// The department's removed page, under its home path (404).
pub const GONE_DEPARTMENT: &str = "ztzl/tpgj/index.html";
/// A page that answers 500 on every odd-numbered request (the first, third, …) and 200 on
/// the others.
pub const FLAKY_PATH: &str = "/sim/bszn/download.html";
/// A page behind a 瑞数 (412) wall.
pub const WALLED_PATH: &str = "/sim/sjkf/index.html";

/// What a deliberate link leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadLinkKind {
    /// 404 on every request.
    NotFound,
    /// 500 on every second request.
    Flaky,
    /// A 412 wall.
    Walled,
}

/// One deliberate link: the site whose home page carries it, its text, its path on the
/// site's host and what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimDeadLink {
    /// The site whose home page links it.
    pub site_id: String,
    /// The link text.
    pub text: &'static str,
    /// Absolute path on the site's host.
    pub path: String,
    /// What it answers.
    pub kind: DeadLinkKind,
}

/// The department given a removed page: the first department on the shared host with the
/// plain TRS home page and no walk shape.
fn department(district: &District) -> Option<&SimSite> {
    district.sites.iter().find(|s| {
        s.role == Role::Department
            && s.host == 0
            && s.home_style() == HomeStyle::Boxes
            && s.columns.iter().all(|c| c.walk_shape == WalkShape::None)
    })
}

/// Every deliberate link of the district.
pub fn links(district: &District) -> Vec<SimDeadLink> {
    let mut out = Vec::new();
    if let Some(portal) = district.sites.iter().find(|s| s.role == Role::Portal) {
        for (text, path, kind) in [
            (
                "创建全国文明城市专题（旧版）",
                GONE_PORTAL,
                DeadLinkKind::NotFound,
            ),
            ("办事指南表格下载", FLAKY_PATH, DeadLinkKind::Flaky),
            ("公共数据开放平台", WALLED_PATH, DeadLinkKind::Walled),
        ] {
            out.push(SimDeadLink {
                site_id: portal.id.clone(),
                text,
                path: path.to_string(),
                kind,
            });
        }
    }
    if let Some(dept) = department(district) {
        out.push(SimDeadLink {
            site_id: dept.id.clone(),
            text: "脱贫攻坚专题（旧版）",
            path: format!("{}{GONE_DEPARTMENT}", dept.path),
            kind: DeadLinkKind::NotFound,
        });
    }
    out
}

/// The 相关专题 block of `site`'s home page, when it carries deliberate links.
pub fn block(district: &District, site: &SimSite) -> Option<String> {
    let mine: Vec<SimDeadLink> = links(district)
        .into_iter()
        .filter(|l| l.site_id == site.id)
        .collect();
    if mine.is_empty() {
        return None;
    }
    let mut out = String::from("<div class=\"ztzl w1200\"><h3>相关专题</h3><ul>\n");
    for l in mine {
        out.push_str(&format!(
            "<li><a href=\"{}\" target=\"_blank\">{}</a></li>\n",
            l.path, l.text
        ));
    }
    out.push_str("</ul></div>\n");
    Some(out)
}

/// `page` with `block` inserted before its footer (or at its end).
pub fn insert_before_footer(page: String, block: &str) -> String {
    match page.find("<div class=\"footer\">") {
        Some(at) => format!("{}{block}{}", &page[..at], &page[at..]),
        None => page + block,
    }
}
