//! HTML of the simulated district's pages, rendered on request from the model.
//!
//! Owns: what a real TRS-built 政府网站 serves (cms-patterns.md §1.1, §2, §3.1): home pages
//! with latest items and footer furniture, `ul/li` and legacy-table lists with the
//! `createPageHTML` pager, single-page columns, articles with meta tags and a 发布时间
//! line, the portal's subsite navigation, and the 521/412 wall bodies. Must not decide
//! what is visible (callers pass `today` and the items come from `SimColumn::visible_items`)
//! nor encode bytes or set HTTP headers (that is `server`).

use super::names::{self, GONGAN, ICP, SITE_DOMAIN, SITE_ID_CODE};
use super::rng::SplitMix64;
use super::{District, ListLayout, PAGE_SIZE, SimColumn, SimItem, SimSite, annual};
use crate::model::Role;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use url::Url;

/// What every page render needs.
pub struct Ctx<'a> {
    /// The model.
    pub district: &'a District,
    /// Where the server listens (`http://127.0.0.1:PORT/`), for absolute links.
    pub base: &'a Url,
    /// The day the district is shown as of.
    pub today: NaiveDate,
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A display title cut to `max` characters with `...`, as list templates do.
fn truncate(title: &str, max: usize) -> String {
    if title.chars().count() <= max {
        title.to_string()
    } else {
        let cut: String = title.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}...")
    }
}

/// The href of `path` as written on a page in directory `dir`: relative (`./202205/t….html`)
/// below it, root-relative elsewhere, unchanged when off-site.
fn href(dir: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_string();
    }
    match path.strip_prefix(dir) {
        Some(rest) => format!("./{rest}"),
        None => path.to_string(),
    }
}

fn pubdate(item: &SimItem) -> String {
    format!(
        "{} {}",
        item.date.format("%Y-%m-%d"),
        item.time.format("%H:%M")
    )
}

fn head(out: &mut String, site: &SimSite, title: &str, metas: &[(&str, String)]) {
    out.push_str("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n");
    out.push_str("<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n");
    if site.charset_gbk {
        out.push_str("<meta charset=\"gb2312\">\n");
    } else {
        out.push_str("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n");
    }
    out.push_str("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\" />\n");
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    let _ = writeln!(
        out,
        "<meta name=\"SiteName\" content=\"{}\" />",
        esc(&site.name)
    );
    let _ = writeln!(
        out,
        "<meta name=\"SiteDomain\" content=\"{SITE_DOMAIN}\" />"
    );
    let _ = writeln!(
        out,
        "<meta name=\"SiteIDCode\" content=\"{SITE_ID_CODE}\" />"
    );
    for (name, content) in metas {
        let _ = writeln!(out, "<meta name=\"{name}\" content=\"{}\" />", esc(content));
    }
    out.push_str("<style type=\"text/css\">body{margin:0;font:12px/1.8 \"Microsoft YaHei\",SimSun;}ul{list-style:none;margin:0;padding:0;}.list li span{float:right;color:#999;}.footer{background:#1f5fa8;color:#fff;text-align:center;}</style>\n");
    out.push_str("</head>\n<body>\n");
}

fn top_bar(out: &mut String, ctx: &Ctx<'_>, site: &SimSite) {
    out.push_str("<div class=\"top\"><div class=\"w1200\">");
    if site.role == Role::Portal {
        out.push_str("<span>欢迎访问孟津区人民政府门户网站</span>");
    } else {
        let portal = ctx
            .district
            .portal()
            .map(|p| p.path.as_str())
            .unwrap_or("/");
        let _ = write!(
            out,
            "<a href=\"{portal}\" target=\"_blank\">孟津区人民政府门户网站</a>"
        );
    }
    out.push_str(" <a href=\"javascript:void(0);\" onclick=\"SetHome(this,window.location)\">设为首页</a> <a href=\"javascript:void(0);\" onclick=\"AddFavorite(window.location,document.title)\">加入收藏</a> <a href=\"javascript:;\" class=\"wza\">无障碍浏览</a></div></div>\n");
    let _ = write!(
        out,
        "<div class=\"header\"><div class=\"logo\"><a href=\"{}\"><span class=\"logo-txt\">{}</span></a></div>",
        site.path,
        esc(&site.name)
    );
    out.push_str("<div class=\"search\"><form action=\"javascript:;\" method=\"get\"><input type=\"text\" name=\"searchword\" placeholder=\"请输入关键字\" /><input type=\"submit\" value=\"搜索\" /></form></div></div>\n");
    out.push_str("<div class=\"nav\"><ul class=\"clearfix\">");
    let _ = write!(
        out,
        "<li class=\"on\"><a href=\"{}\">首页</a></li>",
        site.path
    );
    for c in &site.columns {
        let _ = write!(out, "<li><a href=\"{}\">{}</a></li>", c.path, esc(&c.name));
    }
    out.push_str("</ul></div>\n");
}

fn footer(out: &mut String, site: &SimSite) {
    out.push_str("<div class=\"footer\"><div class=\"w1200\">\n");
    out.push_str("<p><a href=\"javascript:;\">网站地图</a> | <a href=\"javascript:;\">联系我们</a> | <a href=\"javascript:;\">使用帮助</a></p>\n");
    let _ = writeln!(
        out,
        "<p>主办单位：{}　承办单位：孟津区人民政府办公室　联系电话：0379-67912345</p>",
        esc(&site.name)
    );
    let _ = writeln!(
        out,
        "<p>网站标识码：{SITE_ID_CODE}　<a href=\"https://beian.miit.gov.cn/\" target=\"_blank\">{ICP}</a>　<a href=\"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41032202000123\" target=\"_blank\">{GONGAN}</a></p>"
    );
    out.push_str("<p><span id=\"_ideConac\"></span><script type=\"text/javascript\">document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/17/000/0000/60429971/CA170000000604299710001.js' type='text/javascript'%3E%3C/script%3E\"));</script>\n");
    let _ = writeln!(
        out,
        "<script id=\"_jiucuo_\" sitecode=\"{SITE_ID_CODE}\" src=\"https://pucha.kaipuyun.cn/exposure/jiucuo.js\"></script></p>"
    );
    out.push_str("</div></div>\n</body>\n</html>\n");
}

fn location(out: &mut String, site: &SimSite, column: &SimColumn, tail: &str) {
    let _ = writeln!(
        out,
        "<div class=\"location\">当前位置：<a href=\"{}\" class=\"CurrChnlCls\">首页</a> &gt; <a href=\"{}\" class=\"CurrChnlCls\">{}</a>{tail}</div>",
        site.path,
        column.path,
        esc(&column.name)
    );
}

/// A short list of latest items for a home page box.
fn home_box(out: &mut String, site: &SimSite, column: &SimColumn, today: NaiveDate, n: usize) {
    let _ = write!(
        out,
        "<div class=\"index-box\"><div class=\"box-tit\"><span>{}</span><a href=\"{}\" class=\"more\" target=\"_blank\">更多&gt;&gt;</a></div>\n<ul class=\"box-list\">\n",
        esc(&column.name),
        href(&site.path, &column.path)
    );
    let items = column.visible_items(today);
    if items.is_empty() {
        out.push_str("<li class=\"nodata\">暂无信息</li>\n");
    }
    for item in items.into_iter().take(n) {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a><span class=\"date\">{}</span></li>",
            href(&site.path, &item.path),
            esc(&item.title),
            esc(&truncate(&item.title, 26)),
            item.date.format("%Y-%m-%d")
        );
    }
    out.push_str("</ul></div>\n");
}

/// A site's home page.
pub fn home(ctx: &Ctx<'_>, site: &SimSite) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let kind = if site.role == Role::Portal {
        "首页"
    } else {
        "网站首页"
    };
    head(
        &mut out,
        site,
        &format!("{}{kind}", site.name),
        &[
            ("ColumnName", "首页".to_string()),
            ("ColumnType", "首页".to_string()),
        ],
    );
    top_bar(&mut out, ctx, site);
    out.push_str("<div class=\"main w1200 clearfix\">\n");
    let boxed = site
        .columns
        .iter()
        .filter(|c| !matches!(c.layout, ListLayout::SinglePage | ListLayout::Cards))
        // Annual reports are reached through the column link, as on most portals.
        .filter(|c| c.class != crate::model::ColumnClass::AnnualReport);
    for column in boxed {
        let n = if site.role == Role::Portal { 8 } else { 6 };
        home_box(&mut out, site, column, ctx.today, n);
    }
    out.push_str("</div>\n");
    if site.role == Role::Portal {
        subsite_navigation(&mut out, ctx);
    }
    footer(&mut out, site);
    out
}

/// The portal's 站群 navigation: a 部门网站 link list and a 乡镇街道 dropdown.
fn subsite_navigation(out: &mut String, ctx: &Ctx<'_>) {
    out.push_str("<div class=\"zqlink w1200\">\n<div class=\"zq-tab\"><span class=\"on\">部门网站</span><span>乡镇街道</span></div>\n<ul class=\"zq-list clearfix\">\n");
    for s in ctx
        .district
        .sites
        .iter()
        .filter(|s| s.role == Role::Department)
    {
        let name = s
            .name
            .strip_prefix(names::DISTRICT)
            .map(|n| format!("区{n}"))
            .unwrap_or_else(|| s.name.clone());
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" target=\"_blank\">{}</a></li>",
            s.path,
            esc(&name)
        );
    }
    out.push_str("</ul>\n<div class=\"zq-select\">\n<select onchange=\"if(this.value!='乡镇街道网站')window.open(this.value)\">\n<option selected=\"selected\">乡镇街道网站</option>\n");
    for s in ctx.district.sites.iter().filter(|s| s.role == Role::Town) {
        let url = ctx
            .base
            .join(&s.path)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| s.path.clone());
        let _ = writeln!(out, "<option value=\"{url}\"> {} </option>", esc(&s.name));
    }
    out.push_str("</select>\n</div>\n</div>\n");
}

/// The legacy TRS template's own pager code (樟树-style), kept on table-layout sites.
fn legacy_pager(out: &mut String, pages: usize, current: usize) {
    let _ = write!(
        out,
        "<script language=\"JavaScript\">\nvar currentPage = {current};//所在页从0开始\nvar prevPage = currentPage-1//上一页\nvar nextPage = currentPage+1//下一页\nvar countPage = {pages}//共多少页\n\
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){{\n\
  if(_nPageCount == null || _nPageCount<=1){{ return; }}\n\
  var nCurrIndex = _nCurrIndex || 0;\n\
  if(nCurrIndex == 0) document.write(\"首页&nbsp;上一页&nbsp;\");\n\
  else {{ document.write(\"<a href=\\\"\"+_sPageName+\".\"+_sPageExt+\"\\\">首页</a>&nbsp;\");\n\
    if(nCurrIndex == 1) document.write(\"<a href=\\\"\"+_sPageName+\".\"+_sPageExt+\"\\\">上一页</a>&nbsp;\");\n\
    else document.write(\"<a href=\\\"\"+_sPageName+\"_\" + (nCurrIndex-1) + \".\"+_sPageExt+\"\\\">上一页</a>&nbsp;\"); }}\n\
  if(nCurrIndex == (_nPageCount-1)) document.write(\"下一页&nbsp;尾页\");\n\
  else document.write(\"<a href=\\\"\"+_sPageName+\"_\" + (nCurrIndex+1) + \".\"+_sPageExt+\"\\\">下一页</a>&nbsp;<a href=\\\"\"+_sPageName+\"_\" + (_nPageCount-1) + \".\"+_sPageExt+\"\\\">尾页</a>\");\n\
}}\ncreatePageHTML({pages}, {current}, \"index\", \"html\");\n</script>\n"
    );
}

/// One page (0-based) of a list column, or None when the page does not exist that day.
pub fn list_page(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn, page: usize) -> Option<String> {
    let items = column.visible_items(ctx.today);
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    if page >= pages {
        return None;
    }
    let mut out = String::with_capacity(24 * 1024);
    head(
        &mut out,
        site,
        &format!("{}_{}", column.name, site.name),
        &[
            ("ColumnName", column.name.clone()),
            (
                "ColumnDescription",
                format!("发布{}{}信息", site.name, column.name),
            ),
            ("ColumnKeywords", format!("{}，政务公开", column.name)),
            ("ColumnType", column.name.clone()),
        ],
    );
    top_bar(&mut out, ctx, site);
    location(&mut out, site, column, "");
    let slice = items.iter().skip(page * PAGE_SIZE).take(PAGE_SIZE);
    match column.layout {
        ListLayout::TrsTable => {
            let _ = writeln!(
                out,
                "<div class=\"gl_right\"><div class=\"gl_tit\">{}</div>",
                esc(&column.name)
            );
            out.push_str("<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" class=\"gl_list\">\n");
            let mut any = false;
            for item in slice {
                any = true;
                let top = if item.pinned {
                    "<font color=\"red\">[置顶]</font>"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<tr><td width=\"20\" class=\"dot\">&middot;</td><td align=\"left\">{top}<a href=\"{}\" target=\"_blank\" title=\"{}\"><span>{}</span></a></td><td width=\"60\" align=\"right\" class=\"date\">{}</td></tr>",
                    href(&column.path, &item.path),
                    esc(&item.title),
                    esc(&truncate(&item.title, 22)),
                    item.date.format("%m-%d")
                );
            }
            if !any {
                out.push_str("<tr><td colspan=\"3\" align=\"center\">暂无信息</td></tr>\n");
            }
            out.push_str("</table>\n<div class=\"page\">");
            legacy_pager(&mut out, pages, page);
            out.push_str("</div></div>\n");
        }
        ListLayout::Cards => {
            let _ = writeln!(
                out,
                "<div class=\"list-right\"><div class=\"list-title\">{}</div>\n<ul class=\"ld-list clearfix\">",
                esc(&column.name)
            );
            let titles = leader_titles(site);
            for (k, item) in slice.enumerate() {
                let role = titles.get(k).copied().unwrap_or("党组成员");
                let _ = writeln!(
                    out,
                    "<li><div class=\"ld-pic\"></div><a href=\"{}\" target=\"_blank\">{}</a><span>{role}</span></li>",
                    href(&column.path, &item.path),
                    esc(&item.title)
                );
            }
            out.push_str("</ul></div>\n");
        }
        ListLayout::TrsList | ListLayout::SinglePage => {
            let _ = writeln!(
                out,
                "<div class=\"list-right\"><div class=\"list-title\">{}</div>\n<ul class=\"list\">",
                esc(&column.name)
            );
            let mut any = false;
            for item in slice {
                any = true;
                let top = if item.pinned {
                    "<i class=\"zd\">置顶</i>"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<li class=\"clearfix\">{top}<a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a><span>{}</span></li>",
                    href(&column.path, &item.path),
                    esc(&item.title),
                    esc(&truncate(&item.title, 30)),
                    item.date.format("%Y-%m-%d")
                );
            }
            out.push_str("</ul>\n");
            if !any {
                out.push_str("<div class=\"nodata\">暂无信息</div>\n");
            }
            let _ = writeln!(
                out,
                "<div class=\"page\"><script type=\"text/javascript\">createPageHTML({pages}, {page}, \"index\", \"html\");</script></div>\n</div>"
            );
        }
    }
    footer(&mut out, site);
    Some(out)
}

fn leader_titles(site: &SimSite) -> &'static [&'static str] {
    let town = site.role == Role::Town;
    names::leader_titles(town, town && site.name.contains("街道"))
}

fn article_shell(
    ctx: &Ctx<'_>,
    site: &SimSite,
    column: &SimColumn,
    item: &SimItem,
    source: &str,
    body: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + 12 * 1024);
    head(
        &mut out,
        site,
        &format!("{}_{}", item.title, site.name),
        &[
            ("ColumnName", column.name.clone()),
            ("ColumnType", column.name.clone()),
            ("ArticleTitle", item.title.clone()),
            ("PubDate", pubdate(item)),
            ("ContentSource", source.to_string()),
            ("Keywords", String::new()),
            ("Author", String::new()),
        ],
    );
    top_bar(&mut out, ctx, site);
    location(&mut out, site, column, " &gt; 正文");
    let _ = write!(
        out,
        "<div class=\"article w1200\">\n<h1 class=\"article-title\">{}</h1>\n<div class=\"article-info\"><span>发布时间：{}</span>&nbsp;&nbsp;<span>来源：{}</span>&nbsp;&nbsp;<span>【字体：<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>】</span></div>\n<div class=\"TRS_Editor\" id=\"zoom\"><div class=\"Custom_UnionStyle\">\n{body}</div></div>\n</div>\n",
        esc(&item.title),
        pubdate(item),
        esc(source)
    );
    footer(&mut out, site);
    out
}

fn paragraphs(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let _ = writeln!(out, "<p style=\"text-indent:2em;\">{}</p>", esc(l));
    }
    out
}

/// The year an annual report's title names (`…2022年政府信息公开…` → 2022).
fn report_year(title: &str) -> Option<i32> {
    let at = title.find("年")?;
    let digits: String = title[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// An article page.
pub fn article(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn, index: usize) -> Option<String> {
    let item = column.items.get(index)?;
    if item.visible_from > ctx.today || item.is_offsite() {
        return None;
    }
    let mut rng = SplitMix64::derive(ctx.district.seed, &item.path);
    let source =
        if site.role == Role::Portal && column.class != crate::model::ColumnClass::AnnualReport {
            "本网".to_string()
        } else {
            site.name.clone()
        };
    let body = if item.title.contains("政府信息公开工作年度报告") {
        let year = report_year(&item.title).unwrap_or(ctx.district.as_of.year() - 1);
        annual::report_body(
            ctx.district.seed,
            &site.name,
            year,
            site.role == Role::Portal,
        )
    } else if column.layout == ListLayout::Cards {
        let role = leader_titles(site)
            .get(index)
            .copied()
            .unwrap_or("党组成员");
        paragraphs(&[
            format!("{}，{}。", item.title, role),
            format!(
                "负责{}全面工作（或分管工作），联系{}。",
                site.name,
                names::offices(site.role == Role::Town).join("、")
            ),
        ])
    } else {
        paragraphs(&names::body_paragraphs(&mut rng, &item.title))
    };
    Some(article_shell(ctx, site, column, item, &source, &body))
}

/// A single-page column (机构概况, 单位领导): the column page is the article.
pub fn single_page(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn) -> String {
    let visible = column.visible_items(ctx.today);
    let Some(item) = visible.first() else {
        let mut out = String::new();
        head(
            &mut out,
            site,
            &format!("{}_{}", column.name, site.name),
            &[
                ("ColumnName", column.name.clone()),
                ("ColumnType", column.name.clone()),
            ],
        );
        top_bar(&mut out, ctx, site);
        location(&mut out, site, column, "");
        out.push_str("<div class=\"nodata\">暂无信息</div>\n");
        footer(&mut out, site);
        return out;
    };
    let is_town = site.role == Role::Town;
    let body = match column.class {
        crate::model::ColumnClass::Leaders => {
            let mut rng = SplitMix64::derive(ctx.district.seed, &format!("{}/leaders", site.id));
            let mut lines = Vec::new();
            for role in leader_titles(site) {
                let name = names::person(&mut rng);
                lines.push(format!("{name}　{role}"));
                lines.push(format!(
                    "负责{}有关工作，分管{}。",
                    site.name,
                    rng.pick(names::offices(is_town))
                ));
            }
            paragraphs(&lines)
        }
        _ => {
            let mut lines = vec![
                format!(
                    "{}是区委、区政府的组成单位（派出机构），依据有关规定设置。",
                    site.name
                ),
                "一、主要职责".to_string(),
            ];
            lines.extend(names::duties(&site.name));
            lines.push("二、内设机构".to_string());
            lines.push(names::offices(is_town).join("、"));
            lines.push("三、联系方式".to_string());
            lines.push(format!("办公地址：洛阳市{}办公楼　办公时间：周一至周五 8:00—12:00，14:30—17:30（夏季15:00—18:00）", site.name));
            paragraphs(&lines)
        }
    };
    article_shell(ctx, site, column, item, &site.name, &body)
}

/// The 404 page.
pub fn not_found() -> String {
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 页面不存在</title></head><body><div class=\"err\"><h2>抱歉，您访问的页面不存在或已被删除！</h2><p><a href=\"/\">返回首页</a></p></div></body></html>\n".to_string()
}

/// A 加速乐-style 521 challenge body (the first JS round that sets `__jsl_clearance_s`).
pub fn wall_521(token: u64) -> String {
    format!(
        "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('_')+('s')+('=')+((+true)+'')+(~~[]+'')+'{:x}'+('|-1|1|')+'{:016x}'+';max-age=3600;path=/';location.href=location.pathname+location.search</script>",
        token >> 32,
        token
    )
}

/// A 瑞数-style 412 challenge body (`$_ts` bootstrap plus an obfuscated external script).
pub fn wall_412(token: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><meta http-equiv=\"Content-Language\" content=\"zh-CN\"><meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"{token:016x}XuUqAE0bm2vB1{token:x}\" r='m'><!--[if lt IE 9]><script r='m'>document.createElement(\"section\")</script><![endif]--><script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd={};$_ts.cd=\"qo9pqqAlEqGbcGAlDaDRcGAlqa0wrGq{token:x}Gql0rqWcrqLk1Gq.{token:016x}\";</script><script type=\"text/javascript\" charset=\"utf-8\" src=\"/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js\" r='m'></script></head><body></body></html>",
        token % 100_000
    )
}
