//! Tests of the cms-patterns.md §9 shapes the simulator serves: CMS families, pagers,
//! date styles, metadata flaws, undated items, other hosts, walls and attachments.

use super::*;
use crate::model::ColumnClass;
use chrono::{Datelike, NaiveDate};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 15).expect("valid date")
}

fn district() -> District {
    District::generate(&SimConfig::new(as_of()))
}

fn list_columns(d: &District) -> impl Iterator<Item = (&SimSite, &SimColumn)> {
    d.sites
        .iter()
        .flat_map(|s| s.columns.iter().map(move |c| (s, c)))
}

fn column_with(d: &District, f: impl Fn(&SimColumn) -> bool) -> (SimSite, SimColumn) {
    let (s, c) = list_columns(d)
        .filter(|(_, c)| c.class == ColumnClass::News)
        .find(|(_, c)| f(c))
        .expect("a news column of that shape");
    (s.clone(), c.clone())
}

async fn serve() -> SimServer {
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().expect("addr");
    SimServer::start(district(), addr)
        .await
        .expect("server starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn get(url: &url::Url) -> (u16, reqwest::header::HeaderMap, String) {
    let r = client().get(url.clone()).send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.bytes().await.expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn url(srv: &SimServer, site: &SimSite, path: &str) -> url::Url {
    srv.url_for(&site.id, path).expect("url")
}

/// Hrefs of the item links of a page, resolved against `page`.
fn item_links(
    page: &url::Url,
    html: &str,
    column: &SimColumn,
    srv: &SimServer,
    site: &SimSite,
) -> Vec<String> {
    let wanted: std::collections::HashSet<String> = column
        .items
        .iter()
        .map(|i| {
            if i.is_offsite() {
                i.path.clone()
            } else {
                url(srv, site, &i.path).to_string()
            }
        })
        .collect();
    // Text search, not a DOM walk: Hanweb records sit inside a `<script>`.
    let mut out: Vec<String> = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end].replace("&amp;", "&");
        if let Ok(u) = page.join(&href) {
            let u = u.to_string();
            if wanted.contains(&u) && !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

#[test]
fn every_section_nine_shape_is_present_in_the_standard_district() {
    let d = district();
    let layouts: Vec<ListLayout> = list_columns(&d).map(|(_, c)| c.layout).collect();
    for want in [
        ListLayout::Hanweb { per_page: 5 },
        ListLayout::Hanweb { per_page: 15 },
        ListLayout::Guangdong,
        ListLayout::ShtmlList,
        ListLayout::QueryPage { param: "page" },
        ListLayout::QueryPage { param: "cur_page" },
        ListLayout::JumpList,
        ListLayout::NextLink,
        ListLayout::VsbDown,
        ListLayout::TrsList,
        ListLayout::TrsTable,
    ] {
        assert!(layouts.contains(&want), "{want:?} missing");
    }
    let styles: Vec<ListDates> = list_columns(&d).map(|(_, c)| c.list_dates).collect();
    for want in [
        ListDates::Iso,
        ListDates::Bracketed,
        ListDates::Slash,
        ListDates::Dot,
        ListDates::Chinese,
        ListDates::MonthDay,
        ListDates::None,
    ] {
        assert!(styles.contains(&want), "{want:?} missing");
    }
    let cms: Vec<Cms> = d.sites.iter().map(|s| s.cms).collect();
    for want in [
        Cms::Trs,
        Cms::Hanweb,
        Cms::Guangdong,
        Cms::UuidShtml,
        Cms::Vsb,
        Cms::Dede,
    ] {
        assert!(cms.contains(&want), "{want:?} missing");
    }
    let pub_styles: Vec<PubDateStyle> = d.sites.iter().map(|s| s.pubdate_style).collect();
    for want in [
        PubDateStyle::Minutes,
        PubDateStyle::Seconds,
        PubDateStyle::DateOnly,
        PubDateStyle::LowerCase,
        PubDateStyle::Absent,
    ] {
        assert!(pub_styles.contains(&want), "{want:?} missing");
    }
    // The unit mix and defaults are unchanged.
    assert_eq!(d.sites.len(), 45);
    assert!(d.sites.iter().all(|s| s.behavior == SiteBehavior::Normal));
    let quirks: Vec<PagerQuirk> = list_columns(&d).map(|(_, c)| c.pager_quirk).collect();
    assert_eq!(
        quirks
            .iter()
            .filter(|q| matches!(q, PagerQuirk::Overstates(_)))
            .count(),
        1
    );
    assert_eq!(
        quirks
            .iter()
            .filter(|q| matches!(q, PagerQuirk::RepeatsFirst(_)))
            .count(),
        1
    );
}

#[test]
fn undated_items_are_listed_but_not_counted() {
    let d = district();
    let undated: Vec<(&SimSite, &SimColumn)> = list_columns(&d)
        .filter(|(_, c)| c.items.iter().any(|i| i.undated))
        .collect();
    assert_eq!(undated.len(), 1, "one column holds the undated items");
    let (site, col) = undated[0];
    assert_eq!(col.items.iter().filter(|i| i.undated).count(), 2);
    assert_eq!(col.list_dates, ListDates::None);
    for i in col.items.iter().filter(|i| i.undated) {
        assert!(
            crate::extract::dates::date_from_url(&i.path).is_none(),
            "{}",
            i.path
        );
    }
    let listed = col.listed_items(as_of()).len();
    let visible = col.visible_items(as_of()).len();
    assert_eq!(listed, visible + 2);
    assert_eq!(
        col.weekly_counts(as_of()).values().sum::<usize>(),
        visible,
        "{}",
        site.id
    );
    let newest_dated = col
        .items
        .iter()
        .filter(|i| !i.undated)
        .map(|i| i.date)
        .max();
    assert_eq!(col.last_update(as_of()), newest_dated);
}

#[test]
fn year_crossing_table_item_is_listed_in_december_under_a_january_url() {
    let d = district();
    let y = as_of().year();
    let item = list_columns(&d)
        .filter(|(_, c)| c.layout == ListLayout::TrsTable)
        .flat_map(|(_, c)| &c.items)
        .find(|i| i.path.contains(&format!("/t{y}0103_")) && i.date.month() == 12)
        .expect("a December item with a January t-URL");
    assert_eq!(
        item.date,
        NaiveDate::from_ymd_opt(y - 1, 12, 30).expect("date")
    );
}

#[tokio::test]
async fn year_crossing_item_shows_twelve_thirty_in_its_table_list() {
    let srv = serve().await;
    let d = srv.district().clone();
    let y = as_of().year();
    let (site, col) = list_columns(&d)
        .filter(|(_, c)| c.layout == ListLayout::TrsTable)
        .find(|(_, c)| {
            c.items
                .iter()
                .any(|i| i.path.contains(&format!("/t{y}0103_")) && i.date.month() == 12)
        })
        .map(|(s, c)| (s.clone(), c.clone()))
        .expect("table column");
    let listed = col.listed_items(as_of());
    let pos = listed
        .iter()
        .position(|i| i.date.month() == 12 && i.path.contains(&format!("/t{y}0103_")))
        .expect("listed");
    let pages = col.page_count(as_of());
    let page = pos / PAGE_SIZE;
    let (_, _, html) = get(&url(&srv, &site, &col.page_path(page, pages))).await;
    let file = listed[pos]
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let row = html
        .lines()
        .find(|l| l.contains(&file))
        .expect("row")
        .to_string();
    assert!(row.contains(">12-30<"), "{row}");
    srv.shutdown().await;
}

#[tokio::test]
async fn hanweb_column_embeds_three_pages_and_the_data_proxy_serves_later_records() {
    let srv = serve().await;
    let d = srv.district().clone();
    let (site, col) = column_with(&d, |c| c.layout == ListLayout::Hanweb { per_page: 5 });
    let period_start = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    let listed = col.listed_items(as_of());
    let in_quarter = listed.iter().filter(|i| i.date >= period_start).count();
    assert!(
        in_quarter > 15,
        "the proxy is needed within the quarter ({in_quarter})"
    );
    assert!(
        col.path
            .ends_with(&format!("/col/col{}/index.html", col.column_id))
    );

    let page = url(&srv, &site, &col.path);
    let (status, _, html) = get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("<script type=\"text/xml\">"));
    assert!(html.contains("<datastore>"));
    assert_eq!(html.matches("<record><![CDATA[").count(), 15);
    assert!(html.contains("proxyUrl: '/module/web/jpage/dataproxy.jsp'"));
    assert!(html.contains("perPage: 5"));
    assert!(html.contains(&format!("totalRecord: {}", listed.len())));
    assert!(html.contains("groupSize: 3"));
    assert!(html.contains(&format!(
        "var param_{} = {{col:1",
        4_426_000 + col.column_id % 1000
    )));
    let embedded = item_links(&page, &html, &col, &srv, &site);
    let want: Vec<String> = listed[..15]
        .iter()
        .map(|i| url(&srv, &site, &i.path).to_string())
        .collect();
    assert_eq!(embedded, want);

    // Records 16..=30, 1-based and inclusive, POSTed with the param_ fields.
    let proxy = srv
        .base_url()
        .join("/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=5")
        .expect("url");
    let r = client()
        .post(proxy.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "col=1&appid=1&columnid={}&unitid={}&permissiontype=0",
            col.column_id,
            4_426_000 + col.column_id % 1000
        ))
        .send()
        .await
        .expect("proxy answers");
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/xml"))
    );
    let xml = r.text().await.expect("body");
    assert!(xml.contains(&format!("<totalrecord>{}</totalrecord>", listed.len())));
    let got = item_links(&proxy, &xml, &col, &srv, &site);
    let end = listed.len().min(30);
    let want: Vec<String> = listed[15..end]
        .iter()
        .map(|i| url(&srv, &site, &i.path).to_string())
        .collect();
    assert_eq!(got, want);
    // The GET style with a page number answers that jpage page.
    let get_style = srv
        .base_url()
        .join(&format!(
            "/module/web/jpage/dataproxy.jsp?page=4&appid=1&columnid={}&perpage=5",
            col.column_id
        ))
        .expect("url");
    let (status, _, xml) = get(&get_style).await;
    assert_eq!(status, 200);
    let got = item_links(&get_style, &xml, &col, &srv, &site);
    let want: Vec<String> = listed[15..listed.len().min(20)]
        .iter()
        .map(|i| url(&srv, &site, &i.path).to_string())
        .collect();
    assert_eq!(got, want);
    // Without the param_ fields the proxy has nothing to say.
    let empty = client().post(proxy).send().await.expect("answers");
    assert!(!empty.text().await.expect("body").contains("<record>"));

    // A Hanweb article: /art/YYYY/M/D/art_{col}_{id}.html with Hanweb metas.
    let item = listed[0];
    let want_path = format!(
        "{}art/{}/{}/{}/art_{}_{}.html",
        site.path,
        item.date.year(),
        item.date.month(),
        item.date.day(),
        col.column_id,
        item.doc_id
    );
    assert_eq!(item.path, want_path);
    let (status, _, art) = get(&url(&srv, &site, &item.path)).await;
    assert_eq!(status, 200);
    assert!(art.contains(&format!(
        "<meta name=\"i_columnid\" content=\"{}\"",
        col.column_id
    )));
    assert!(art.contains("<meta name=\"Maketime\""));
    assert!(art.contains("<!--<$[发布日期]>begin-->"));
    srv.shutdown().await;
}

#[tokio::test]
async fn every_paged_family_serves_all_its_items_once_and_404s_past_the_end() {
    let srv = serve().await;
    let d = srv.district().clone();
    let mut families = std::collections::HashSet::new();
    for (site, col) in list_columns(&d) {
        if matches!(
            col.layout,
            ListLayout::SinglePage | ListLayout::Cards | ListLayout::Hanweb { .. }
        ) || col.pager_quirk != PagerQuirk::None
            || col.class == ColumnClass::AnnualReport
        {
            continue;
        }
        let pages = col.page_count(as_of());
        if pages < 2 || !families.insert(col.layout) {
            continue;
        }
        let mut seen = Vec::new();
        for k in 0..pages {
            let page = url(&srv, site, &col.page_path(k, pages));
            let (status, _, html) = get(&page).await;
            assert_eq!(status, 200, "{page}");
            if k == 0 {
                let dir = col.dir();
                let shape = match col.layout {
                    ListLayout::Guangdong => {
                        format!("<a class=\"next\" href=\"{dir}index_2.html\">下一页</a>")
                    }
                    ListLayout::ShtmlList => "href=\"list_2.shtml\">下一页</a>".to_string(),
                    ListLayout::QueryPage { param } => {
                        format!("href=\"?{param}=2\">下一页</a>")
                    }
                    ListLayout::JumpList => {
                        "<option value=\"index_1.html\">第2页</option>".to_string()
                    }
                    ListLayout::NextLink => {
                        format!("href=\"list_{}_2.html\">下一页</a>", col.column_id)
                    }
                    ListLayout::VsbDown => format!("<a href=\"list/{}.htm\">下页</a>", pages - 1),
                    ListLayout::TrsTable => {
                        format!("createPageHTML({pages}, 0, \"index\", \"html\")")
                    }
                    _ => format!("createPageHTML({pages}, 0, \"index\", \"html\")"),
                };
                assert!(html.contains(&shape), "{:?}: {shape}", col.layout);
                if col.layout == ListLayout::NextLink {
                    assert!(
                        !html.contains("尾页"),
                        "the next-link family shows no total"
                    );
                }
            }
            seen.extend(item_links(&page, &html, col, &srv, site));
        }
        let want: Vec<String> = col
            .listed_items(as_of())
            .iter()
            .map(|i| {
                if i.is_offsite() {
                    i.path.clone()
                } else {
                    url(&srv, site, &i.path).to_string()
                }
            })
            .collect();
        assert_eq!(seen, want, "{} {:?}", site.id, col.layout);
        // One past the last page does not exist (VSB has no page number for it).
        if col.layout != ListLayout::VsbDown {
            let past = url(&srv, site, &col.page_path(pages, pages + 1));
            assert_eq!(get(&past).await.0, 404, "{past}");
        }
    }
    for want in [
        ListLayout::Guangdong,
        ListLayout::ShtmlList,
        ListLayout::QueryPage { param: "page" },
        ListLayout::QueryPage { param: "cur_page" },
        ListLayout::JumpList,
        ListLayout::NextLink,
        ListLayout::VsbDown,
        ListLayout::TrsList,
        ListLayout::TrsTable,
    ] {
        assert!(families.contains(&want), "{want:?} was not paged");
    }
    srv.shutdown().await;
}

#[tokio::test]
async fn lists_write_dates_in_their_column_style() {
    let srv = serve().await;
    let d = srv.district().clone();
    for style in [
        ListDates::Iso,
        ListDates::Bracketed,
        ListDates::Slash,
        ListDates::Dot,
        ListDates::Chinese,
        ListDates::MonthDay,
    ] {
        let (site, col) = column_with(&d, |c| c.list_dates == style);
        let item = col
            .listed_items(as_of())
            .into_iter()
            .find(|i| !i.pinned && !i.undated)
            .expect("item")
            .clone();
        let dt = item.date;
        let shown = match style {
            ListDates::Iso => dt.format(">%Y-%m-%d<").to_string(),
            ListDates::Bracketed => dt.format(">[%Y-%m-%d]<").to_string(),
            ListDates::Slash => dt.format(">%Y/%m/%d<").to_string(),
            ListDates::Dot => dt.format(">%Y.%m.%d<").to_string(),
            ListDates::Chinese => format!(">{}年{}月{}日<", dt.year(), dt.month(), dt.day()),
            _ => dt.format(">%m-%d<").to_string(),
        };
        let (_, _, html) = get(&url(&srv, &site, &col.path)).await;
        assert!(html.contains(&shown), "{style:?}: {shown} on {}", col.path);
    }
    // The dateless list shows no date at all; its articles carry the date.
    let (site, col) = column_with(&d, |c| c.list_dates == ListDates::None);
    let (_, _, html) = get(&url(&srv, &site, &col.path)).await;
    let body = &html[html.find("<ul class=\"e2\">").expect("list")..];
    let list = &body[..body.find("</ul>").expect("end")];
    assert!(crate::extract::dates::find_date(list).is_none(), "{list}");
    let item = col
        .listed_items(as_of())
        .into_iter()
        .find(|i| !i.undated)
        .expect("item")
        .clone();
    let (_, _, art) = get(&url(&srv, &site, &item.path)).await;
    assert!(art.contains(&format!(
        "<meta name=\"PubDate\" content=\"{}\"",
        item.date.format("%Y-%m-%d")
    )));
    assert!(art.contains(&format!("发布时间：{}", item.date.format("%Y-%m-%d"))));
    // An undated article has no date anywhere a crawler would look.
    let undated = col
        .items
        .iter()
        .find(|i| i.undated)
        .expect("undated")
        .clone();
    let (status, _, art) = get(&url(&srv, &site, &undated.path)).await;
    assert_eq!(status, 200);
    assert!(!art.to_lowercase().contains("name=\"pubdate\""));
    assert!(!art.contains("发布时间"));
    assert!(!art.contains(&undated.date.format("%Y-%m-%d").to_string()));
    srv.shutdown().await;
}

#[tokio::test]
async fn articles_follow_their_cms_and_metadata_flaws() {
    let srv = serve().await;
    let d = srv.district().clone();
    let first_article = |site: &SimSite| -> SimItem {
        site.column(ColumnClass::News)
            .and_then(|c| {
                c.listed_items(as_of())
                    .into_iter()
                    .find(|i| !i.is_offsite() && !i.undated)
                    .cloned()
            })
            .expect("article")
    };
    for site in &d.sites {
        let item = first_article(site);
        let (status, _, art) = get(&url(&srv, site, &item.path)).await;
        assert_eq!(status, 200, "{}", item.path);
        let d_ = item.date.format("%Y-%m-%d");
        let t = item.time.format("%H:%M");
        if site.has_flaw(MetaFlaw::MissingPubDate) {
            assert!(
                !art.to_lowercase().contains("name=\"pubdate\""),
                "{}",
                site.id
            );
            assert!(art.contains(&format!("发布时间：{d_} {t}")));
        } else {
            let want = match site.pubdate_style {
                PubDateStyle::Minutes => format!("<meta name=\"PubDate\" content=\"{d_} {t}\""),
                PubDateStyle::Seconds => format!("<meta name=\"PubDate\" content=\"{d_} {t}:00\""),
                PubDateStyle::DateOnly => format!("<meta name=\"PubDate\" content=\"{d_}\""),
                PubDateStyle::LowerCase => format!("<meta name=\"pubdate\" content=\"{d_} {t}\""),
                PubDateStyle::Absent => String::new(),
            };
            assert!(art.contains(&want), "{}: {want}", site.id);
        }
        let code = art.contains("name=\"SiteIDCode\"");
        assert_eq!(
            code,
            !site.has_flaw(MetaFlaw::MissingSiteIdCode),
            "{}",
            site.id
        );
        assert_eq!(
            art.contains("name=\"ContentSource\""),
            !site.has_flaw(MetaFlaw::MissingContentSource),
            "{}",
            site.id
        );
        assert_eq!(
            art.contains("content=\"41032A\""),
            site.has_flaw(MetaFlaw::MalformedSiteIdCode),
            "{}",
            site.id
        );
        match site.cms {
            Cms::Guangdong => {
                assert!(item.path.contains("/content/post_"));
                assert!(art.contains(&format!("<span>发布时间：{d_} {t}:00</span>")));
            }
            Cms::UuidShtml => {
                let file = item.path.rsplit('/').next().unwrap_or_default();
                assert_eq!(file.len(), 32 + ".shtml".len(), "{file}");
                assert!(art.contains(&format!(
                    "发布日期：</td><td>{} {t}",
                    item.date.format("%Y年%m月%d日")
                )));
            }
            Cms::Vsb => {
                assert!(item.path.contains("/info/") && item.path.ends_with(".htm"));
                assert!(art.contains("v_news_content"));
            }
            _ => {}
        }
    }
    let flawed: Vec<&SimSite> = d
        .sites
        .iter()
        .filter(|s| !s.meta_flaws.is_empty())
        .collect();
    assert_eq!(flawed.len(), 3);
    srv.shutdown().await;
}

#[tokio::test]
async fn subsites_on_other_hosts_are_linked_three_ways_and_listed_in_config() {
    let srv = serve().await;
    let d = srv.district().clone();
    let own: Vec<&SimSite> = d.sites.iter().filter(|s| s.host > 0).collect();
    assert_eq!(own.len(), 3);
    let base = srv.base_url();
    let (_, _, home) = get(&base).await;
    let mut ways = Vec::new();
    for s in &own {
        assert_eq!(s.path, "/");
        let u = srv.site_url(&s.id).expect("url");
        assert_eq!(u.host_str(), base.host_str());
        assert_ne!(u.port(), base.port(), "{} has its own port", s.id);
        let (status, _, html) = get(&u).await;
        assert_eq!(status, 200);
        assert!(html.contains(&s.name));
        // Its columns and articles are served on its own host, not on the shared one.
        let col = s.column(ColumnClass::News).expect("news");
        assert_eq!(
            get(&srv.url_for(&s.id, &col.path).expect("url")).await.0,
            200
        );
        if home.contains(&format!("<a href=\"{u}\" target=\"_blank\">")) {
            ways.push("a");
        }
        if home.contains(&format!("<option value=\"{u}\">")) {
            ways.push("select");
        }
        if home.contains(&format!("onclick=\"window.open('{u}')\"")) {
            ways.push("onclick");
        }
    }
    ways.sort();
    assert_eq!(ways, ["a", "onclick", "select"]);
    let yaml = srv.config_yaml();
    for s in &own {
        let u = srv.site_url(&s.id).expect("url");
        assert!(yaml.contains(&format!("url: {u}")), "{}", s.id);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = crate::config::load_str(&yaml, "sim.yaml", dir.path())
        .unwrap_or_else(|e| panic!("{}", crate::config::render_diagnostics(&e)));
    assert_eq!(settings.sites.len(), 45);
    srv.shutdown().await;
}

#[tokio::test]
async fn wzws_throttle_and_column_behaviours() {
    let srv = serve().await;
    let d = srv.district().clone();
    srv.set_behavior("jyj", SiteBehavior::Wzws);
    let (status, headers, _) = get(&srv.site_url("jyj").expect("url")).await;
    assert_eq!(status, 302);
    let loc = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(loc.starts_with("/WZWS_CHALLENGE?wzwschallenge="), "{loc}");
    let cookie = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.starts_with("wzws_cid="));
    let (status, _, body) = get(&srv.base_url().join(&loc).expect("url")).await;
    assert_eq!(status, 200);
    assert!(body.contains("wzwschallenge"));

    srv.set_behavior("jyj", SiteBehavior::Throttle503);
    for _ in 0..2 {
        let (status, headers, _) = get(&srv.site_url("jyj").expect("url")).await;
        assert_eq!(status, 503);
        assert_eq!(
            headers.get("retry-after").and_then(|v| v.to_str().ok()),
            Some("120")
        );
    }
    srv.set_behavior("jyj", SiteBehavior::Normal);

    let site = d.site("jyj").expect("jyj").clone();
    let news = site.column(ColumnClass::News).expect("news").clone();
    let party = site.column(ColumnClass::Party).expect("party").clone();
    srv.set_column_behavior("jyj", ColumnClass::News, ColumnBehavior::Wall412);
    srv.set_column_behavior("jyj", ColumnClass::Party, ColumnBehavior::NotFound);
    assert_eq!(get(&srv.site_url("jyj").expect("url")).await.0, 200);
    assert_eq!(get(&url(&srv, &site, &news.path)).await.0, 412);
    assert_eq!(get(&url(&srv, &site, &party.path)).await.0, 404);
    // Articles of the column still answer: only the list fails.
    let item = news.visible_items(as_of())[0].clone();
    assert_eq!(get(&url(&srv, &site, &item.path)).await.0, 200);

    srv.set_column_behavior("jyj", ColumnClass::News, ColumnBehavior::TimeoutOnPage2);
    assert_eq!(get(&url(&srv, &site, &news.path)).await.0, 200);
    let quick = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .expect("client");
    let pages = news.page_count(as_of());
    assert!(pages >= 2);
    let err = quick
        .get(url(&srv, &site, &news.page_path(1, pages)))
        .send()
        .await
        .expect_err("page two hangs");
    assert!(err.is_timeout());
    srv.set_column_behavior("jyj", ColumnClass::News, ColumnBehavior::Normal);
    assert_eq!(
        get(&url(&srv, &site, &news.page_path(1, pages))).await.0,
        200
    );
    srv.shutdown().await;
}

#[tokio::test]
async fn lying_pager_404s_past_the_real_end_and_repeating_pager_serves_page_one() {
    let srv = serve().await;
    let d = srv.district().clone();
    let (site, col) = list_columns(&d)
        .find(|(_, c)| matches!(c.pager_quirk, PagerQuirk::Overstates(_)))
        .map(|(s, c)| (s.clone(), c.clone()))
        .expect("lying column");
    let pages = col.page_count(as_of());
    assert!(pages >= 2, "the lie comes after real pages");
    let (_, _, html) = get(&url(&srv, &site, &col.path)).await;
    assert!(html.contains(&format!(
        "createPageHTML({}, 0, \"index\", \"html\")",
        pages + 2
    )));
    assert_eq!(
        get(&url(&srv, &site, &col.page_path(pages - 1, pages)))
            .await
            .0,
        200
    );
    assert_eq!(
        get(&url(&srv, &site, &col.page_path(pages, pages))).await.0,
        404
    );
    assert_eq!(
        get(&url(&srv, &site, &col.page_path(pages + 1, pages)))
            .await
            .0,
        404
    );

    let (site, col) = list_columns(&d)
        .find(|(_, c)| matches!(c.pager_quirk, PagerQuirk::RepeatsFirst(_)))
        .map(|(s, c)| (s.clone(), c.clone()))
        .expect("repeating column");
    assert_eq!(col.page_count(as_of()), 1);
    let (_, _, first) = get(&url(&srv, &site, &col.path)).await;
    assert!(first.contains("createPageHTML(3, 0, \"index\", \"html\")"));
    for k in 1..4 {
        let (status, _, again) = get(&url(&srv, &site, &col.page_path(k, 3))).await;
        assert_eq!(status, 200);
        assert_eq!(again, first, "page {k} repeats page one");
    }
    srv.shutdown().await;
}

#[tokio::test]
async fn notice_attachments_are_in_file_appendix_and_downfile_and_are_served() {
    let srv = serve().await;
    let d = srv.district().clone();
    let mut found = 0;
    for site in d
        .sites
        .iter()
        .filter(|s| s.cms == Cms::Trs && !s.charset_gbk)
    {
        let Some(col) = site.column(ColumnClass::Notice) else {
            continue;
        };
        let Some(item) = col
            .visible_items(as_of())
            .into_iter()
            .find(|i| i.doc_id.is_multiple_of(3) && !i.is_offsite())
            .cloned()
        else {
            continue;
        };
        let page = url(&srv, site, &item.path);
        let (_, _, art) = get(&page).await;
        let pdf_name = format!("P0{}{}.pdf", item.date.format("%Y%m%d"), item.doc_id);
        assert!(art.contains(&format!(
            "var file_appendix='<a href=\"./{pdf_name}\">附件："
        )));
        let r = client()
            .get(page.join(&pdf_name).expect("url"))
            .send()
            .await
            .expect("pdf");
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.bytes().await.expect("bytes").starts_with(b"%PDF-1.4"));
        let start = art
            .find("downfile.jsp?classid=0&amp;filename=")
            .expect("downfile link");
        let rest = &art[start..];
        let href = rest[..rest.find('"').expect("end")].replace("&amp;", "&");
        let (status, headers, xls) = get(&page
            .join(&format!("{}module/download/{href}", site.path))
            .expect("url"))
        .await;
        assert_eq!(status, 200, "{href}");
        assert_eq!(
            headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/vnd.ms-excel")
        );
        assert!(xls.contains("<table"));
        found += 1;
        if found >= 3 {
            break;
        }
    }
    assert!(found >= 3, "several notice articles carry attachments");
    srv.shutdown().await;
}

#[tokio::test]
async fn the_crawlers_extractors_read_every_served_article_dialect() {
    // Not a test of the extractors (they have their own): a check that every article
    // dialect served here carries what a reader needs, seen through the real reader.
    use crate::extract::article::extract_article;
    let srv = serve().await;
    let d = srv.district().clone();
    for site in &d.sites {
        let col = site.column(ColumnClass::News).expect("news");
        for item in col
            .listed_items(as_of())
            .into_iter()
            .filter(|i| !i.is_offsite())
            .take(3)
        {
            let page = url(&srv, site, &item.path);
            let r = client().get(page.clone()).send().await.expect("article");
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = r.bytes().await.expect("bytes");
            let text = crate::extract::charset::decode(&bytes, ct.as_deref()).text;
            let a = extract_article(&text, &page);
            if item.undated {
                assert_eq!(a.date, None, "{}: {page} has no date", site.id);
            } else {
                assert_eq!(a.date, Some(item.date), "{}: {page}", site.id);
            }
            assert_eq!(a.meta.article_title.as_deref(), Some(item.title.as_str()));
            let code = a.meta.site_id_code.as_deref();
            if site.has_flaw(MetaFlaw::MissingSiteIdCode) {
                assert_eq!(code, None);
            } else if site.has_flaw(MetaFlaw::MalformedSiteIdCode) {
                assert_eq!(code, Some(MALFORMED_SITE_ID_CODE));
            } else {
                assert_eq!(code, Some(names::SITE_ID_CODE));
            }
            assert_eq!(
                a.meta.content_source.is_none(),
                site.has_flaw(MetaFlaw::MissingContentSource),
                "{}",
                site.id
            );
            let meta_date = !item.undated && !site.has_flaw(MetaFlaw::MissingPubDate);
            assert_eq!(
                a.meta.pub_date,
                meta_date.then_some(item.date),
                "{}: {page}",
                site.id
            );
        }
    }
    srv.shutdown().await;
}

/// The column given `shape` by `walk_shapes`, with its site.
fn shaped(d: &District, shape: WalkShape) -> (SimSite, SimColumn) {
    let (s, c) = list_columns(d)
        .find(|(_, c)| c.walk_shape == shape)
        .unwrap_or_else(|| panic!("a column shaped {shape:?}"));
    (s.clone(), c.clone())
}

/// The file name of an item's article (how its link ends in a list).
fn file_of(item: &SimItem) -> &str {
    item.path.rsplit('/').next().unwrap_or("")
}

#[test]
fn each_walk_shape_is_given_to_a_department_of_its_own_and_keeps_the_ground_truth() {
    let late = NaiveDate::from_ymd_opt(2023, 11, 20).expect("valid date");
    let d = District::generate(&SimConfig::new(late));
    let mut sites = std::collections::HashSet::new();
    for shape in [
        WalkShape::UnmarkedPin,
        WalkShape::Unsorted,
        WalkShape::GotoPager,
        WalkShape::Countdown,
        WalkShape::ReportOnPage2,
    ] {
        let (s, _) = shaped(&d, shape);
        assert_eq!(s.role, crate::model::Role::Department, "{shape:?}");
        assert!(sites.insert(s.id.clone()), "{shape:?} shares {}", s.id);
    }
    let old = late - chrono::Days::new(100);
    // An item from months ago on top, pinned (it counts like any other item).
    let (_, pin) = shaped(&d, WalkShape::UnmarkedPin);
    let items = pin.visible_items(late);
    assert!(items[0].pinned && items[0].date <= old);
    assert!(items[1..].iter().all(|i| !i.pinned));
    // An item from months ago in the middle of page one.
    let (_, unsorted) = shaped(&d, WalkShape::Unsorted);
    let page_one: Vec<&SimItem> = unsorted
        .listed_items(late)
        .into_iter()
        .take(PAGE_SIZE)
        .collect();
    assert!(page_one[0].date > old);
    assert!(page_one.iter().any(|i| i.date <= old));
    // The latest report sits on page two, below documents published after it.
    let (_, reports) = shaped(&d, WalkShape::ReportOnPage2);
    let listed = reports.listed_items(late);
    let at = listed
        .iter()
        .position(|i| i.title.contains("2022年政府信息公开工作年度报告"))
        .expect("the 2022 report is listed");
    assert!(at >= PAGE_SIZE, "report at {at}");
    assert!(listed[..at].iter().all(|i| i.date < old));
    // Early in the year there is no room for the documents: the report stays on page one.
    assert!(list_columns(&district()).all(|(_, c)| c.walk_shape != WalkShape::ReportOnPage2));
}

#[tokio::test]
async fn walk_shapes_are_served_with_their_marks_order_and_script_pagers() {
    let srv = serve().await;
    let d = srv.district().clone();

    // No 置顶 mark on the pinned old item.
    let (site, pin) = shaped(&d, WalkShape::UnmarkedPin);
    let (status, _, page) = get(&url(&srv, &site, &pin.path)).await;
    assert_eq!(status, 200);
    let top = pin.visible_items(as_of())[0].clone();
    assert!(top.pinned && page.contains(file_of(&top)));
    assert!(!page.contains("置顶"));

    // gotoCurrentPage pager: 0-based page numbers, page k is index_{k}.html.
    let (site, goto) = shaped(&d, WalkShape::GotoPager);
    let pages = goto.page_count(as_of());
    let (_, _, page) = get(&url(&srv, &site, &goto.path)).await;
    assert!(page.contains("javascript:gotoCurrentPage('1')"));
    assert!(page.contains(&format!(
        "javascript:gotoCurrentPage('{}')\">尾页",
        pages - 1
    )));
    assert!(!page.contains("createPageHTML("));
    let second = goto.listed_items(as_of())[PAGE_SIZE].clone();
    let (status, _, page) = get(&url(&srv, &site, &format!("{}index_1.html", goto.dir()))).await;
    assert_eq!(status, 200);
    assert!(page.contains(file_of(&second)));

    // Countdown pager: page two is index_{N-1}.html, the last page index_1.html.
    let (site, down) = shaped(&d, WalkShape::Countdown);
    let pages = down.page_count(as_of());
    let listed = down.listed_items(as_of());
    let (_, _, page) = get(&url(&srv, &site, &down.path)).await;
    assert!(page.contains(&format!("maxPageNum = {pages};")));
    let at = |n: usize| url(&srv, &site, &format!("{}index_{n}.html", down.dir()));
    let (status, _, page) = get(&at(pages - 1)).await;
    assert_eq!(status, 200);
    assert!(page.contains(file_of(listed[PAGE_SIZE])));
    let (_, _, page) = get(&at(1)).await;
    assert!(page.contains(file_of(listed[(pages - 1) * PAGE_SIZE])));
    assert_eq!(get(&at(pages)).await.0, 404);
    // …and its later pages can be made to fail while page one works.
    srv.set_column_behavior(
        &site.id,
        ColumnClass::News,
        ColumnBehavior::NotFoundFromPage2,
    );
    assert_eq!(get(&url(&srv, &site, &down.path)).await.0, 200);
    assert_eq!(get(&at(pages - 1)).await.0, 404);
    srv.shutdown().await;
}
