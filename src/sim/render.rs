//! HTML of the simulated district's pages, rendered on request from the model.
//!
//! Owns: what real 政府网站 serve (cms-patterns.md §1–§3, §9): home pages with latest items
//! and footer furniture; lists of every family the model has (TRS `ul/li` and legacy
//! tables with `createPageHTML`, Hanweb `<datastore>` + jpage config and the data proxy's
//! XML, Guangdong/`list.shtml`/query-string/next-link link pagers, `<option>` jump lists,
//! VSB downward pagers) with each column's date style; single-page columns; articles in the
//! TRS, Hanweb, Guangdong, 信息公开-block, VSB and Dede templates with their meta dialects
//! and the site's metadata flaws; attachments (`file_appendix`, `downfile.jsp`) and the
//! tiny files behind them; the portal's subsite navigation (across hosts); and the
//! 521/412/wzws wall bodies. Must not decide what is visible (callers pass `today` and the
//! items come from `SimColumn::listed_items`) nor encode bytes or set HTTP headers (that
//! is `server`).

use super::names::{self, GONGAN, ICP, SITE_DOMAIN, SITE_ID_CODE};
use super::rng::SplitMix64;
use super::{
    Cms, District, HomeStyle, ListDates, ListLayout, MetaFlaw, PAGE_SIZE, PagerQuirk, PubDateStyle,
    SimColumn, SimItem, SimSite, WalkShape, annual,
};
use crate::model::Role;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use url::Url;

/// What every page render needs.
pub struct Ctx<'a> {
    /// The model.
    pub district: &'a District,
    /// Where each host listens (`http://127.0.0.1:PORT/`; index 0 is the shared host),
    /// for absolute links.
    pub bases: &'a [Url],
    /// The host the page is served from.
    pub host: usize,
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
    if let Some(code) = site_code(site) {
        let _ = writeln!(out, "<meta name=\"SiteIDCode\" content=\"{code}\" />");
    }
    for (name, content) in metas {
        let _ = writeln!(out, "<meta name=\"{name}\" content=\"{}\" />", esc(content));
    }
    out.push_str("<style type=\"text/css\">body{margin:0;font:12px/1.8 \"Microsoft YaHei\",SimSun;}ul{list-style:none;margin:0;padding:0;}.list li span{float:right;color:#999;}.footer{background:#1f5fa8;color:#fff;text-align:center;}</style>\n");
    out.push_str("</head>\n<body>\n");
}

/// The 网站标识码 a site prints: the district's, a malformed one, or none.
fn site_code(site: &SimSite) -> Option<&'static str> {
    if site.has_flaw(MetaFlaw::MissingSiteIdCode) {
        None
    } else if site.has_flaw(MetaFlaw::MalformedSiteIdCode) {
        Some(MALFORMED_SITE_ID_CODE)
    } else {
        Some(SITE_ID_CODE)
    }
}

/// The malformed 网站标识码 of the site with [`MetaFlaw::MalformedSiteIdCode`].
pub const MALFORMED_SITE_ID_CODE: &str = "41032A";

impl Ctx<'_> {
    /// The URL of `path` on `host`.
    pub fn abs(&self, host: usize, path: &str) -> String {
        self.bases
            .get(host)
            .and_then(|b| b.join(path).ok())
            .map(|u| u.to_string())
            .unwrap_or_else(|| path.to_string())
    }

    /// How a page on this host links `path` of `site`: as is on the same host, absolute
    /// across hosts.
    fn link(&self, site: &SimSite, path: &str) -> String {
        if site.host == self.host {
            path.to_string()
        } else {
            self.abs(site.host, path)
        }
    }
}

fn top_bar(out: &mut String, ctx: &Ctx<'_>, site: &SimSite) {
    out.push_str("<div class=\"top\"><div class=\"w1200\">");
    if site.role == Role::Portal {
        out.push_str("<span>欢迎访问孟津区人民政府门户网站</span>");
    } else {
        let portal = ctx
            .district
            .portal()
            .map(|p| ctx.link(p, &p.path))
            .unwrap_or_else(|| "/".to_string());
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
    let code = site_code(site).unwrap_or("");
    let _ = writeln!(
        out,
        "<p>网站标识码：{code}　<a href=\"https://beian.miit.gov.cn/\" target=\"_blank\">{ICP}</a>　<a href=\"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41032202000123\" target=\"_blank\">{GONGAN}</a></p>"
    );
    out.push_str("<p><span id=\"_ideConac\"></span><script type=\"text/javascript\">document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/17/000/0000/60429971/CA170000000604299710001.js' type='text/javascript'%3E%3C/script%3E\"));</script>\n");
    let _ = writeln!(
        out,
        "<script id=\"_jiucuo_\" sitecode=\"{code}\" src=\"https://pucha.kaipuyun.cn/exposure/jiucuo.js\"></script></p>"
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

/// The title bar of a home page box (the column's name and its 更多 link).
fn box_head(out: &mut String, site: &SimSite, column: &SimColumn) {
    let _ = writeln!(
        out,
        "<div class=\"index-box\"><div class=\"box-tit\"><span>{}</span><a href=\"{}\" class=\"more\" target=\"_blank\">更多&gt;&gt;</a></div>",
        esc(&column.name),
        href(&site.path, &column.path)
    );
}

/// One `<li>` row of a home page box: the link (full title in `title=`) and its date.
fn box_row(site: &SimSite, item: &SimItem) -> String {
    format!(
        "<li><a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a><span class=\"date\">{}</span></li>",
        href(&site.path, &item.path),
        esc(&item.title),
        esc(&truncate(&item.title, 26)),
        item.date.format("%Y-%m-%d")
    )
}

/// A short list of latest items for a home page box.
fn home_box(out: &mut String, site: &SimSite, column: &SimColumn, today: NaiveDate, n: usize) {
    box_head(out, site, column);
    out.push_str("<ul class=\"box-list\">\n");
    let items = column.visible_items(today);
    if items.is_empty() {
        out.push_str("<li class=\"nodata\">暂无信息</li>\n");
    }
    for item in items.into_iter().take(n) {
        let _ = writeln!(out, "{}", box_row(site, item));
    }
    out.push_str("</ul></div>\n");
}

/// A legacy TRS home box: table rows dated `MM-DD` (嘉鱼-style), truncated titles.
fn home_box_month_day(
    out: &mut String,
    site: &SimSite,
    column: &SimColumn,
    today: NaiveDate,
    n: usize,
) {
    box_head(out, site, column);
    out.push_str("<table width=\"305\">");
    for item in column.visible_items(today).into_iter().take(n) {
        let _ = write!(
            out,
            "<tr>\n<td width=\"270\" align=\"left\"><a href='{}' target=_blank>{}</a></td>\n<td width=\"5\" align=\"center\">&nbsp;</td>\n<td width=\"30\" align=\"right\">{}</td>\n",
            href(&site.path, &item.path),
            esc(&truncate(&item.title, 20)),
            item.date.format("%m-%d")
        );
    }
    out.push_str("<tr></table></div>\n");
}

/// A Hanweb home box: the latest records in a `<datastore>` the page's script renders.
fn home_box_datastore(
    out: &mut String,
    ctx: &Ctx<'_>,
    site: &SimSite,
    column: &SimColumn,
    n: usize,
) {
    let unit = hanweb_unit_id(column) + 500;
    box_head(out, site, column);
    let _ = writeln!(
        out,
        "<div id=\"{unit}\"><script type=\"text/xml\">\n<datastore>\n<recordset>"
    );
    for item in column.visible_items(ctx.today).into_iter().take(n) {
        let _ = writeln!(
            out,
            "<record><![CDATA[\n{}\n]]></record>",
            box_row(site, item)
        );
    }
    out.push_str("</recordset>\n</datastore>\n</script></div></div>\n");
}

/// A navigation-only home page's body: the column entrances and a date line that belongs to
/// no item (a reader must not take it for an update).
fn home_navigation(out: &mut String, ctx: &Ctx<'_>, site: &SimSite) {
    let _ = writeln!(
        out,
        "<div class=\"today\">今天是{}</div>\n<div class=\"entrances clearfix\">",
        ctx.today.format("%Y年%-m月%-d日")
    );
    for c in &site.columns {
        let _ = writeln!(
            out,
            "<a class=\"entrance\" href=\"{}\"><img src=\"/images/rk_{}.png\" alt=\"{}\"><span>{}</span></a>",
            href(&site.path, &c.path),
            c.column_id,
            esc(&c.name),
            esc(&c.name)
        );
    }
    out.push_str("</div>\n");
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
    let n = if site.role == Role::Portal { 8 } else { 6 };
    match site.home_style() {
        HomeStyle::NavigationOnly => home_navigation(&mut out, ctx, site),
        HomeStyle::MonthDayBoxes => {
            for column in boxed {
                home_box_month_day(&mut out, site, column, ctx.today, n);
            }
        }
        HomeStyle::Datastore => {
            for column in boxed {
                home_box_datastore(&mut out, ctx, site, column, n);
            }
        }
        HomeStyle::Boxes => {
            for column in boxed {
                home_box(&mut out, site, column, ctx.today, n);
            }
        }
    }
    out.push_str("</div>\n");
    if site.role == Role::Portal {
        subsite_navigation(&mut out, ctx);
        related_links(&mut out);
    }
    if let Some(planted) = super::slips::home_html(ctx.district, site) {
        out.push_str(&planted);
    }
    footer(&mut out, site);
    out
}

/// The portal's 站群 navigation: a 部门网站 link list and a 乡镇街道 dropdown. Subsites on
/// hosts of their own are linked absolutely: a department by `<a href>`, the first such
/// town in the dropdown, any further one by `onclick="window.open('…')"`.
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
        // A vertically managed unit is linked by its full name (市局 + district branch).
        let name = match s.id.as_str() {
            "sthjj" => names::VERTICAL_ECOLOGY_NAME.to_string(),
            _ => name,
        };
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" target=\"_blank\">{}</a></li>",
            ctx.link(s, &s.path),
            esc(&name)
        );
    }
    let towns: Vec<&SimSite> = ctx
        .district
        .sites
        .iter()
        .filter(|s| s.role == Role::Town)
        .collect();
    let first_own = towns.iter().position(|s| s.host != 0);
    let popup = |k: usize, s: &SimSite| s.host != 0 && Some(k) != first_own;
    out.push_str("</ul>\n<div class=\"zq-select\">\n<select onchange=\"if(this.value!='乡镇街道网站')window.open(this.value)\">\n<option selected=\"selected\">乡镇街道网站</option>\n");
    for (k, s) in towns.iter().enumerate() {
        if popup(k, s) {
            continue;
        }
        let url = ctx.abs(s.host, &s.path);
        let _ = writeln!(out, "<option value=\"{url}\"> {} </option>", esc(&s.name));
    }
    out.push_str("</select>\n</div>\n");
    let popups: Vec<&&SimSite> = towns
        .iter()
        .enumerate()
        .filter(|(k, s)| popup(*k, s))
        .map(|(_, s)| s)
        .collect();
    if !popups.is_empty() {
        out.push_str("<div class=\"zq-more\">");
        for s in popups {
            let _ = write!(
                out,
                "<a href=\"javascript:void(0);\" onclick=\"window.open('{}')\">{}</a> ",
                ctx.abs(s.host, &s.path),
                esc(&s.name)
            );
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

/// The portal's 相关链接: the 国务院, the 省 and 市 governments and neighbouring 区/县 — sites
/// of other governments (other hosts, never served) that discovery must leave out.
fn related_links(out: &mut String) {
    out.push_str("<div class=\"yqlj w1200\"><h3>相关链接</h3>\n");
    for (url, name) in names::OTHER_GOVERNMENTS {
        let _ = writeln!(out, "<a href=\"{url}\" target=\"_blank\">{name}</a>");
    }
    out.push_str("</div>\n");
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

/// A list date as the column writes it.
fn list_date(style: ListDates, date: NaiveDate) -> Option<String> {
    Some(match style {
        ListDates::Iso => date.format("%Y-%m-%d").to_string(),
        ListDates::Bracketed => date.format("[%Y-%m-%d]").to_string(),
        ListDates::Slash => date.format("%Y/%m/%d").to_string(),
        ListDates::Dot => date.format("%Y.%m.%d").to_string(),
        ListDates::Chinese => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        ListDates::MonthDay => date.format("%m-%d").to_string(),
        ListDates::None => return None,
    })
}

/// The `<li>` of one item in a `ul` list.
fn list_row(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn, item: &SimItem) -> String {
    let link = match column.layout {
        // Guangdong lists link articles absolutely.
        ListLayout::Guangdong if !item.is_offsite() => ctx.abs(site.host, &item.path),
        _ => href(column.dir(), &item.path),
    };
    let date = if item.undated {
        None
    } else {
        list_date(column.list_dates, item.date)
    };
    let (li, span) = match column.layout {
        ListLayout::ShtmlList => ("<li>", "<span>"),
        ListLayout::Guangdong => ("<li class=\"clearfix\">", "<span class=\"time\">"),
        ListLayout::NextLink => ("<li>", "<span class=\"date\">"),
        ListLayout::VsbDown => ("<li class=\"clearfix\">", "<span class=\"time\">"),
        ListLayout::Hanweb { .. } => ("<li class=\"cf\">", "<span class=\"bt-data-time\">"),
        _ => ("<li class=\"clearfix\">", "<span>"),
    };
    let top = if item.pinned && column.walk_shape != WalkShape::UnmarkedPin {
        "<i class=\"zd\">置顶</i>"
    } else {
        ""
    };
    let date = date
        .map(|d| format!("{span}{d}</span>"))
        .unwrap_or_default();
    format!(
        "{li}{top}<a href=\"{link}\" target=\"_blank\" title=\"{}\">{}</a>{date}</li>",
        esc(&item.title),
        esc(&truncate(&item.title, 30)),
    )
}

/// Pages a pager declares for a column that really has `pages` pages.
fn declared_pages(column: &SimColumn, pages: usize) -> usize {
    match column.pager_quirk {
        PagerQuirk::None => pages,
        PagerQuirk::Overstates(extra) => pages + extra,
        PagerQuirk::RepeatsFirst(n) => n.max(pages),
    }
}

/// The file name of page `k` relative to the column's directory.
fn page_file(column: &SimColumn, k: usize, pages: usize) -> String {
    let path = column.page_path(k, pages);
    match path.strip_prefix(column.dir()) {
        Some("") => "index.html".to_string(),
        Some(rest) => rest.to_string(),
        None => path,
    }
}

/// A 首页/上一页/下一页/尾页 link bar for the `_2`, query and next-link families.
fn link_pager(out: &mut String, column: &SimColumn, page: usize, pages: usize, with_last: bool) {
    let declared = declared_pages(column, pages);
    let link = |k: usize| -> String {
        match column.layout {
            ListLayout::QueryPage { param } => format!("?{param}={}", k + 1),
            // Guangdong writes root-relative links.
            ListLayout::Guangdong => column.page_path(k, declared),
            _ => page_file(column, k, declared),
        }
    };
    let class = match column.layout {
        ListLayout::Guangdong => "pages",
        ListLayout::NextLink => "pagelist",
        _ => "page",
    };
    let _ = write!(out, "<div class=\"{class}\">");
    if with_last {
        let _ = write!(out, "<span>共{declared}页</span> ");
    }
    if page > 0 {
        let _ = write!(
            out,
            "<a href=\"{}\">首页</a> <a class=\"prev\" href=\"{}\">上一页</a> ",
            link(0),
            link(page - 1)
        );
    } else {
        out.push_str("<span>首页</span> <span>上一页</span> ");
    }
    if page + 1 < declared {
        let _ = write!(
            out,
            "<a class=\"next\" href=\"{}\">下一页</a> ",
            link(page + 1)
        );
        if with_last {
            let _ = write!(out, "<a href=\"{}\">尾页</a>", link(declared - 1));
        }
    } else {
        out.push_str("<span>下一页</span>");
        if with_last {
            out.push_str(" <span>尾页</span>");
        }
    }
    out.push_str("</div>\n");
}

/// A script pager as on 江西旅游网: a `<select>` of `k/N` pages and 下一页/尾页 links that
/// call `gotoCurrentPage(k)` (0-based here: page k is `index_{k}.html`, page 0 `index.html`).
fn goto_pager(out: &mut String, pages: usize, page: usize) {
    out.push_str("<div class=\"page\">第<select name='pageNo' onChange='javascript:gotoCurrentPage(this.value)'>");
    for k in 0..pages {
        let sel = if k == page {
            " selected='selected'"
        } else {
            ""
        };
        let _ = write!(out, "<option value='{k}'{sel}>{}/{pages}</option>", k + 1);
    }
    out.push_str("</select>页 ");
    if page > 0 {
        let _ = write!(
            out,
            "<A href=\"javascript:gotoCurrentPage('0')\">首页</A>&nbsp;<A href=\"javascript:gotoCurrentPage('{}')\">上一页</A>&nbsp;",
            page - 1
        );
    }
    if page + 1 < pages {
        let _ = write!(
            out,
            "<A href=\"javascript:gotoCurrentPage('{}')\">下一页</A>&nbsp;<A href=\"javascript:gotoCurrentPage('{}')\">尾页</A>",
            page + 1,
            pages - 1
        );
    }
    out.push_str("\n<script>\nfunction gotoCurrentPage(pageNo) {\nif(pageNo=='0')\nwindow.location=\"index.html\";\nelse\nwindow.location=\"index_\"+pageNo+\".html\";\n}\n</script></div>\n");
}

/// A countdown pager as on 丰城's site: the script writes the links from `purl` and
/// `maxPageNum`; the first page is number `maxPageNum`, 下页 goes to `index_{N-1}.html`.
fn countdown_pager(out: &mut String, pages: usize, page: usize) {
    let current = if page == 0 { 0 } else { pages - page };
    let _ = write!(
        out,
        "<div class=\"page\" id=\"pag_958\">\n<script>\n  var purl=\"./index\"\n function createUrl(pName){{\n  var uu= purl+\"_\"+pName+\".html\";\n  return uu;\n }}\n function writePaging(){{\n  var sss=\"\";\n  if (pageName==0) pageName=maxPageNum;\n  if (pageName>1){{ sss += \"<a href=\"+createUrl(pageName-1)+\">下页</a>&nbsp;\"; sss += \"<a href=\"+createUrl(1)+\">尾页</a>\"; }}\n  sss += \"&nbsp;总页数:\"+maxPageNum;\n  document.getElementById(\"pag_958\").innerHTML=sss;\n }}\n  var maxPageNum=0;\n    maxPageNum = {pages};\n    if (maxPageNum>1){{\n      pageName = {current};\n      writePaging();\n  }}\n</script>\n</div>\n"
    );
}

/// The VSB pager: `list.htm` → `list/{P-1}.htm` … `list/1.htm`, relative links.
fn vsb_pager(out: &mut String, page: usize, pages: usize) {
    // From list.htm the numbered pages are `list/N.htm`; from list/M.htm they are `N.htm`.
    let link = |k: usize| -> String {
        match (page, k) {
            (0, 0) => "list.htm".to_string(),
            (0, k) => format!("list/{}.htm", pages - k),
            (_, 0) => "../list.htm".to_string(),
            (_, k) => format!("{}.htm", pages - k),
        }
    };
    let _ = write!(
        out,
        "<div class=\"pb_sys_common pb_sys_normal pb_sys_style1\"><span class=\"p_t\">共{pages}页</span> <span class=\"p_pages\">{}/{pages}</span> ",
        page + 1
    );
    if page > 0 {
        let _ = write!(
            out,
            "<span class=\"p_first p_fun\"><a href=\"{}\">首页</a></span> <span class=\"p_prev p_fun\"><a href=\"{}\">上页</a></span> ",
            link(0),
            link(page - 1)
        );
    } else {
        out.push_str("<span class=\"p_first_d p_fun_d\">首页</span> <span class=\"p_prev_d p_fun_d\">上页</span> ");
    }
    if page + 1 < pages {
        let _ = write!(
            out,
            "<span class=\"p_next p_fun\"><a href=\"{}\">下页</a></span> <span class=\"p_last p_fun\"><a href=\"{}\">尾页</a></span>",
            link(page + 1),
            link(pages - 1)
        );
    } else {
        out.push_str("<span class=\"p_next_d p_fun_d\">下页</span> <span class=\"p_last_d p_fun_d\">尾页</span>");
    }
    out.push_str("</div>\n");
}

/// The Hanweb column id's unit id (the `div` holding the datastore, `param_{unitid}`).
pub fn hanweb_unit_id(column: &SimColumn) -> u64 {
    4_426_000 + column.column_id % 1000
}

/// Hanweb `<record>`s for items `from..to` (0-based, exclusive end) of a column.
fn hanweb_records(
    ctx: &Ctx<'_>,
    site: &SimSite,
    column: &SimColumn,
    from: usize,
    to: usize,
) -> String {
    let items = column.listed_items(ctx.today);
    let mut out = String::new();
    for item in items.iter().skip(from).take(to.saturating_sub(from)) {
        let _ = writeln!(
            out,
            "<record><![CDATA[\n{}\n]]></record>",
            list_row(ctx, site, column, item)
        );
    }
    out
}

/// The body of a Hanweb `dataproxy.jsp` answer: records `start..=end` (1-based, inclusive).
pub fn hanweb_proxy(
    ctx: &Ctx<'_>,
    site: &SimSite,
    column: &SimColumn,
    start: usize,
    end: usize,
    per_page: usize,
) -> String {
    let total = column.listed_items(ctx.today).len();
    let per_page = per_page.max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n");
    let _ = writeln!(out, "<totalrecord>{total}</totalrecord>");
    let _ = writeln!(out, "<totalpage>{}</totalpage>", total.div_ceil(per_page));
    out.push_str("<recordset>\n");
    if start >= 1 && end >= start {
        out.push_str(&hanweb_records(ctx, site, column, start - 1, end));
    }
    out.push_str("</recordset>\n</datastore>\n");
    out
}

fn hanweb_column(
    out: &mut String,
    ctx: &Ctx<'_>,
    site: &SimSite,
    column: &SimColumn,
    per_page: usize,
) {
    let unit = hanweb_unit_id(column);
    let webid = 3000 + column.column_id / 1000 % 1000;
    let total = column.listed_items(ctx.today).len();
    let _ = writeln!(
        out,
        "<div class=\"list-right\"><div class=\"list-title\">{}</div>\n<div id=\"{unit}\">\n<script type=\"text/xml\">\n<datastore>\n<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={webid}&path=/&columnid={}&unitid={unit}&webname={}&permissiontype=0\"></a>]]></nextgroup>\n<recordset>",
        esc(&column.name),
        column.column_id,
        esc(&site.name)
    );
    out.push_str(&hanweb_records(ctx, site, column, 0, 3 * per_page));
    out.push_str("</recordset>\n</datastore>\n</script>\n</div></div>\n");
    out.push_str("<script type=\"text/javascript\" src=\"/module/jslib/jquery/jquery.js\"></script>\n<script language=\"javascript\" src=\"/module/web/jpage/jpage.js\"></script>\n");
    let _ = writeln!(
        out,
        "<script>\nvar param_{unit} = {{col:1,appid:1,webid:{webid},path:'/',columnid:{},sourceContentType:1,unitid:'{unit}',webname:'{}',permissiontype:0}};\n$(function(){{\n  $('#{unit}').jpage({{\n    dataStore: null, proxyUrl: '/module/web/jpage/dataproxy.jsp',\n    perPage: {per_page}, totalRecord: {total}, groupSize: 3, barPosition: 'bottom',\n    showMode: 'full', ajaxParam: param_{unit}\n  }});\n}});\n</script>",
        column.column_id,
        esc(&site.name)
    );
}

/// A list page's head, top bar and breadcrumb.
fn list_head(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn) -> String {
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
    out
}

/// A column page whose list is drawn in the browser (`ColumnBehavior::ScriptRendered`): a
/// `v-for` template and the script that fetches the entries (`list.json`); the page source
/// holds none of them.
pub fn scripted_list_page(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn) -> String {
    let mut out = list_head(ctx, site, column);
    script_rendered(&mut out, column);
    footer(&mut out, site);
    out
}

/// One page (0-based) of a list column, or None when the page does not exist that day.
pub fn list_page(ctx: &Ctx<'_>, site: &SimSite, column: &SimColumn, page: usize) -> Option<String> {
    let items = column.listed_items(ctx.today);
    let pages = column.page_count(ctx.today);
    if page >= pages {
        return None;
    }
    let mut out = list_head(ctx, site, column);
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
                    href(column.dir(), &item.path),
                    esc(&item.title),
                    esc(&truncate(&item.title, 22)),
                    item.date.format("%m-%d")
                );
            }
            if !any {
                out.push_str("<tr><td colspan=\"3\" align=\"center\">暂无信息</td></tr>\n");
            }
            out.push_str("</table>\n<div class=\"page\">");
            legacy_pager(&mut out, declared_pages(column, pages), page);
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
                    href(column.dir(), &item.path),
                    esc(&item.title)
                );
            }
            out.push_str("</ul></div>\n");
        }
        ListLayout::Hanweb { per_page } => hanweb_column(&mut out, ctx, site, column, per_page),
        ListLayout::DlRows => dl_rows(&mut out, column, slice, declared_pages(column, pages), page),
        layout => {
            let ul = match layout {
                ListLayout::ShtmlList => "<ul class=\"news_list page_list\">",
                ListLayout::NextLink => "<ul class=\"e2\">",
                _ => "<ul class=\"list\">",
            };
            let _ = writeln!(
                out,
                "<div class=\"list-right\"><div class=\"list-title\">{}</div>\n{ul}",
                esc(&column.name)
            );
            let mut any = false;
            for item in slice {
                any = true;
                out.push_str(&list_row(ctx, site, column, item));
                out.push('\n');
            }
            out.push_str("</ul>\n");
            if !any {
                out.push_str("<div class=\"nodata\">暂无信息</div>\n");
            }
            match layout {
                ListLayout::Guangdong | ListLayout::ShtmlList | ListLayout::QueryPage { .. } => {
                    link_pager(&mut out, column, page, pages, true)
                }
                ListLayout::NextLink => link_pager(&mut out, column, page, pages, false),
                ListLayout::VsbDown => vsb_pager(&mut out, page, pages),
                ListLayout::JumpList => {
                    let declared = declared_pages(column, pages);
                    let _ = write!(
                        out,
                        "<div class=\"page\">共{declared}页 转到 <select onchange=\"window.location.href=this.value\">"
                    );
                    for k in 0..declared {
                        let sel = if k == page {
                            " selected=\"selected\""
                        } else {
                            ""
                        };
                        let _ = write!(
                            out,
                            "<option value=\"{}\"{sel}>第{}页</option>",
                            page_file(column, k, declared),
                            k + 1
                        );
                    }
                    out.push_str("</select></div>\n");
                }
                _ if column.walk_shape == WalkShape::GotoPager => {
                    goto_pager(&mut out, declared_pages(column, pages), page);
                }
                _ if column.walk_shape == WalkShape::Countdown => {
                    countdown_pager(&mut out, declared_pages(column, pages), page);
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "<div class=\"page\"><script type=\"text/javascript\">createPageHTML({}, {page}, \"index\", \"html\");</script></div>",
                        declared_pages(column, pages)
                    );
                }
            }
            out.push_str("</div>\n");
        }
    }
    footer(&mut out, site);
    Some(out)
}

/// The Fujian province 集约化 list (`../shared/realworld/pingtan`): a header `<dl>` of
/// `<dt>`s, then one `<dl>` per entry, title and date in sibling `<dd>` cells.
fn dl_rows<'a>(
    out: &mut String,
    column: &SimColumn,
    slice: impl Iterator<Item = &'a &'a SimItem>,
    declared: usize,
    page: usize,
) {
    let _ = writeln!(
        out,
        "<div class=\"list-right\"><div class=\"tabs_header\"><ul><li class=\"on\"><a class=\"cur_def\" href=\"javascript:;\">{}</a></li></ul></div>\n<div class=\"rules_tabs_01 none_sm\"><dl><dt class=\"trt-col-sm-24\">标题</dt><dt class=\"trt-col-4 text_align_left\">发布日期</dt></dl></div>\n<div class=\"rules_tabs_01 rules_tabs_no_bg\">",
        esc(&column.name)
    );
    let mut any = false;
    for item in slice {
        any = true;
        let date = list_date(column.list_dates, item.date).unwrap_or_default();
        let _ = writeln!(
            out,
            "  <dl>\n    <dd class=\"trt-col-sm-24 text_align_left\">\n      <a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a>\n    </dd>\n    <dd class=\"trt-col-4 text_align_left\">\n      {date}\n    </dd>\n  </dl>",
            href(column.dir(), &item.path),
            esc(&item.title),
            esc(&item.title)
        );
    }
    out.push_str("</div>\n");
    if !any {
        out.push_str("<div class=\"nodata\">暂无信息</div>\n");
    }
    let _ = writeln!(
        out,
        "<div class=\"page_base mar_t_base\"><script type=\"text/javascript\">createPageHTML({declared}, {page}, \"index\", \"html\");</script></div></div>"
    );
}

/// The body of [`scripted_list_page`].
fn script_rendered(out: &mut String, column: &SimColumn) {
    let _ = writeln!(
        out,
        "<div class=\"list-right\" id=\"app\"><div class=\"list-title\">{}</div>\n<ul class=\"list\"><li v-for=\"item in list\" :key=\"item.id\" class=\"clearfix\"><a :href=\"item.url\" target=\"_blank\" :title=\"item.title\">{{{{ item.title }}}}</a><span>{{{{ item.date }}}}</span></li></ul>\n<div class=\"page\" v-if=\"pages > 1\"><a v-for=\"p in pages\" href=\"javascript:;\" @click=\"go(p)\">{{{{ p }}}}</a></div></div>\n<script src=\"/module/jslib/vue/vue.min.js\"></script>\n<script>\nnew Vue({{ el: '#app', data: {{ list: [], pages: 1 }},\n  methods: {{ go: function (p) {{ var vm = this;\n    $.getJSON('list.json', {{ page: p }}, function (d) {{ vm.list = d.items; vm.pages = d.pages; }}); }} }},\n  mounted: function () {{ this.go(1); }} }});\n</script>",
        esc(&column.name)
    );
}

fn leader_titles(site: &SimSite) -> &'static [&'static str] {
    let town = site.role == Role::Town;
    names::leader_titles(town, town && site.name.contains("街道"))
}

/// The `PubDate` value in a site's style, or None when the site writes none.
fn pubdate_meta(site: &SimSite, item: &SimItem) -> Option<(&'static str, String)> {
    if item.undated || site.has_flaw(MetaFlaw::MissingPubDate) {
        return None;
    }
    let d = item.date.format("%Y-%m-%d");
    let t = item.time.format("%H:%M");
    Some(match site.pubdate_style {
        PubDateStyle::Minutes => ("PubDate", format!("{d} {t}")),
        PubDateStyle::Seconds => ("PubDate", format!("{d} {t}:00")),
        PubDateStyle::DateOnly => ("PubDate", d.to_string()),
        PubDateStyle::LowerCase => ("pubdate", format!("{d} {t}")),
        PubDateStyle::Absent => return None,
    })
}

/// The attachments of a notice article, when it has any: the `file_appendix` PDF's path
/// and the `downfile.jsp` file name. Only TRS-built sites' 通知公告 carry them.
pub fn attachments(site: &SimSite, column: &SimColumn, item: &SimItem) -> Option<(String, String)> {
    if site.cms != Cms::Trs
        || column.class != crate::model::ColumnClass::Notice
        || item.is_offsite()
        || item.undated
        || column.layout == ListLayout::SinglePage
        || !item.doc_id.is_multiple_of(3)
    {
        return None;
    }
    let dir = &item.path[..item.path.rfind('/')? + 1];
    Some((
        format!("{dir}P0{}{}.pdf", item.date.format("%Y%m%d"), item.doc_id),
        format!(
            "{}{:04}.xls",
            item.date.format("%y%m%d"),
            item.doc_id % 10_000
        ),
    ))
}

/// The path of a site's `downfile.jsp`.
pub fn downfile_path(site: &SimSite) -> String {
    format!("{}module/download/downfile.jsp", site.path)
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
    let mut metas: Vec<(&str, String)> = vec![
        ("ColumnName", column.name.clone()),
        ("ColumnType", column.name.clone()),
        ("ArticleTitle", item.title.clone()),
    ];
    if let Some(pd) = pubdate_meta(site, item) {
        metas.push(pd);
    }
    if !site.has_flaw(MetaFlaw::MissingContentSource) {
        metas.push(("ContentSource", source.to_string()));
    }
    metas.push(("Keywords", String::new()));
    metas.push(("Author", String::new()));
    if site.cms == Cms::Hanweb && !item.undated {
        metas.push((
            "Maketime",
            format!(
                "{} {}:12",
                item.date.format("%Y-%m-%d"),
                item.time.format("%H:%M")
            ),
        ));
    }
    if site.cms == Cms::Hanweb {
        metas.push(("i_columnid", column.column_id.to_string()));
        metas.push(("i_articleid", item.doc_id.to_string()));
    }
    let title = match site.cms {
        Cms::Hanweb => format!("{} {} {}", site.name, column.name, item.title),
        _ => format!("{}_{}", item.title, site.name),
    };
    head(&mut out, site, &title, &metas);
    top_bar(&mut out, ctx, site);
    location(&mut out, site, column, " &gt; 正文");
    let stamp = pubdate(item);
    let t = esc(&item.title);
    let src = esc(source);
    let mut body = body.to_string();
    if let Some((pdf, xls)) = attachments(site, column, item) {
        let pdf_name = pdf.rsplit('/').next().unwrap_or("");
        let _ = write!(
            body,
            "<p><a href=\"{}?classid=0&amp;filename={xls}\">附件：{}统计表.xls</a></p>\n<script>\nvar file_appendix='<a href=\"./{pdf_name}\">附件：{}.pdf</a>';\nif (file_appendix != \"\") {{ document.write('<div class=\"fj\">' + file_appendix + '</div>'); }}\n</script>\n",
            downfile_path(site),
            esc(&truncate(&item.title, 12)),
            esc(&truncate(&item.title, 16)),
        );
    }
    match site.cms {
        Cms::Hanweb => {
            let date = if item.undated {
                String::new()
            } else {
                format!(
                    "发布日期：<!--<$[发布日期]>begin-->{}<!--<$[发布日期]>end-->&nbsp;",
                    item.date.format("%Y-%m-%d")
                )
            };
            let _ = write!(
                out,
                "<div class=\"main-txt\">\n<h1><!--<$[标题名称]>begin-->{t}<!--<$[标题名称]>end--></h1>\n<div class=\"main-fl\">{date}信息来源：<!--<$[信息来源]>begin-->{src}<!--<$[信息来源]>end-->&nbsp;浏览次数：<script src=\"/module/visitcount/articlehits.jsp?colid={}&amp;artid={}\"></script></div>\n<div id=\"zoom\">\n<!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name=\"ContentStart\">\n{body}<meta name=\"ContentEnd\"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end-->\n</div>\n</div>\n",
                column.column_id, item.doc_id
            );
        }
        Cms::Guangdong => {
            let date = if item.undated {
                String::new()
            } else {
                format!(
                    "<span>发布时间：{} {}:00</span>",
                    item.date.format("%Y-%m-%d"),
                    item.time.format("%H:%M")
                )
            };
            let _ = write!(
                out,
                "<div class=\"xl_wrap\"><div class=\"title\">{t}</div>\n<div class=\"title_info\">{date}<span class=\"author\">来源：{src}</span></div></div>\n<div class=\"xl_main articleBox\">\n{body}</div>\n"
            );
        }
        Cms::UuidShtml => {
            let (issued, published) = if item.undated {
                (String::new(), String::new())
            } else {
                let issued = item
                    .date
                    .checked_sub_days(chrono::Days::new(2))
                    .unwrap_or(item.date);
                (
                    issued.format("%Y年%m月%d日").to_string(),
                    format!(
                        "{} {}",
                        item.date.format("%Y年%m月%d日"),
                        item.time.format("%H:%M")
                    ),
                )
            };
            let _ = write!(
                out,
                "<div class=\"xxgk_detail\">\n<table class=\"xxgk_table\">\n<tr><td class=\"td1\">索引号：</td><td>{}/{}-{:05}</td><td class=\"td1\">主题分类：</td><td>综合政务</td></tr>\n<tr><td class=\"td1\">发文机构：</td><td>{src}</td><td class=\"td1\">发文字号：</td><td></td></tr>\n<tr><td class=\"td1\">发文日期：</td><td>{issued}</td><td class=\"td1\">有效性：</td><td>有效</td></tr>\n<tr><td class=\"td1\">发布日期：</td><td>{published}</td><td class=\"td1\">标题：</td><td>{t}</td></tr>\n</table>\n<h1 class=\"detail_title\">{t}</h1>\n<div class=\"detail_content\" id=\"zoom\">\n{body}</div>\n</div>\n",
                SITE_ID_CODE,
                item.date.year(),
                item.doc_id % 100_000
            );
        }
        Cms::Vsb => {
            let date = if item.undated {
                String::new()
            } else {
                format!("发布时间：{}&nbsp;&nbsp;", item.date.format("%Y-%m-%d"))
            };
            let _ = write!(
                out,
                "<form name=\"_newscontent_fromname\"><div class=\"content-title\"><h1>{t}</h1><div class=\"info\">{date}来源：{src}&nbsp;&nbsp;点击数：<script>_showDynClicks(\"wbnews\", 1234567890, {})</script></div></div>\n<div class=\"v_news_content\">\n{body}</div></form>\n",
                item.doc_id
            );
        }
        Cms::Dede | Cms::Trs => {
            let date = if item.undated {
                String::new()
            } else {
                format!("<span>发布时间：{stamp}</span>&nbsp;&nbsp;")
            };
            let _ = write!(
                out,
                "<div class=\"article w1200\">\n<h1 class=\"article-title\">{t}</h1>\n<div class=\"article-info\">{date}<span>来源：{src}</span>&nbsp;&nbsp;<span>【字体：<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>】</span></div>\n<div class=\"TRS_Editor\" id=\"zoom\"><div class=\"Custom_UnionStyle\">\n{body}</div></div>\n</div>\n"
            );
        }
    }
    footer(&mut out, site);
    out
}

/// A tiny but well-formed one-page PDF whose page says `text` (ASCII).
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    let text: String = text
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '(' | ')' | '\\'))
        .collect();
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{o}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(out, "{off:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.into_bytes()
}

/// What `downfile.jsp` serves for an `.xls`: an HTML table saved as `.xls`, as many
/// government export buttons produce.
pub fn tiny_xls(title: &str) -> String {
    format!(
        "<html><head><meta charset=\"utf-8\"></head><body><table border=\"1\"><tr><th>序号</th><th>事项</th><th>备注</th></tr><tr><td>1</td><td>{}</td><td></td></tr></table></body></html>\n",
        esc(title)
    )
}

/// The wzws challenge page served at `/WZWS_CHALLENGE`.
pub fn wzws_challenge(token: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title></title></head><body><script type=\"text/javascript\">var wzwstemplate=\"{token:x}\";var wzwschallenge=\"{:016x}\";var wzwschallengex=\"WZWS_CONFIRM_PREFIX_LABEL{}\";function wzwsStart(){{var c=0;for(var i=0;i<wzwschallenge.length;i++){{c+=wzwschallenge.charCodeAt(i)*(i+1);}}document.cookie=\"wzws_cid=\"+wzwstemplate+c+\";path=/\";location.href=\"/WZWS_CONFIRM?wzwschallenge=\"+wzwschallenge;}}wzwsStart();</script></body></html>",
        token.rotate_left(17),
        token % 1000
    )
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
        let latest = year == ctx.district.as_of.year() - 1;
        annual::report_body_in(
            ctx.district.seed,
            &site.name,
            year,
            site.role == Role::Portal,
            site.annual_inconsistent && latest,
            annual::ReportLayout::of(year, site.annual_layout_deviates && latest),
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
    let body = match super::slips::slip_of(ctx.district, site, item) {
        Some(slip) => body + &super::slips::body_html(slip, site, item),
        None => body,
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
