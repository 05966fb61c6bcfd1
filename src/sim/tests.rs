//! Tests of the simulated district: the generator's ground truth and the served pages.

use super::generate::monday_of;
use super::*;
use crate::model::{ColumnClass, Role};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 2, 15).expect("valid date")
}

fn district() -> District {
    District::generate(&SimConfig::new(as_of()))
}

fn sub(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).expect("date in range")
}

#[test]
fn same_seed_gives_same_district_and_other_seed_differs() {
    let a = district();
    let b = district();
    assert_eq!(a, b);
    let mut cfg = SimConfig::new(as_of());
    cfg.seed = 7;
    let c = District::generate(&cfg);
    assert_ne!(a, c);
    // Names and ids do not depend on the seed; content does.
    let ids = |d: &District| d.sites.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&c));
}

#[test]
fn district_has_portal_thirty_departments_fourteen_towns() {
    let d = district();
    assert_eq!(d.name, "孟津区");
    assert_eq!(d.sites.len(), 45);
    assert_eq!(d.sites[0].role, Role::Portal);
    assert_eq!(d.sites[0].path, "/");
    assert_eq!(
        d.sites
            .iter()
            .filter(|s| s.role == Role::Department)
            .count(),
        30
    );
    assert_eq!(d.sites.iter().filter(|s| s.role == Role::Town).count(), 14);
    let mut ids: Vec<&str> = d.sites.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.iter().all(|id| {
        id.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    }));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 45, "site ids are unique");
    let jyj = d.site("jyj").expect("教育局 exists");
    assert_eq!(jyj.name, "孟津区教育局");
    assert_eq!(jyj.path, "/bm/jyj/");
    let classes: Vec<ColumnClass> = jyj.columns.iter().map(|c| c.class).collect();
    assert_eq!(
        classes,
        [
            ColumnClass::News,
            ColumnClass::Party,
            ColumnClass::Notice,
            ColumnClass::Org,
            ColumnClass::Leaders,
            ColumnClass::AnnualReport
        ]
    );
    assert_eq!(
        jyj.column(ColumnClass::News).map(|c| c.path.as_str()),
        Some("/bm/jyj/zxdt/")
    );
    let portal_classes: Vec<ColumnClass> = d.sites[0].columns.iter().map(|c| c.class).collect();
    assert_eq!(
        portal_classes,
        [
            ColumnClass::News,
            ColumnClass::Notice,
            ColumnClass::Policy,
            ColumnClass::AnnualReport
        ]
    );
    // Every column is found by name, but for the one deliberately unrecognisable 党务公开.
    let mut unrecognised = Vec::new();
    for s in &d.sites {
        for c in &s.columns {
            if !c.recognisable() {
                unrecognised.push((s.role, c.class, c.name.as_str()));
            }
        }
    }
    assert_eq!(
        unrecognised,
        vec![(
            Role::Department,
            ColumnClass::Party,
            crate::sim::UNRECOGNISED_PARTY_NAME
        )]
    );
}

#[test]
fn smaller_districts_keep_proportion_and_clamp() {
    let mut cfg = SimConfig::new(as_of());
    cfg.subsites = 5;
    let d = District::generate(&cfg);
    assert_eq!(d.sites.len(), 6);
    assert!(d.sites.iter().any(|s| s.role == Role::Town));
    cfg.subsites = 100;
    assert_eq!(District::generate(&cfg).sites.len(), 45);
}

#[test]
fn visible_items_are_pinned_first_then_newest_first_and_not_after_today() {
    let d = district();
    for site in &d.sites {
        for col in &site.columns {
            let items = col.visible_items(as_of());
            let first_unpinned = items.iter().position(|i| !i.pinned).unwrap_or(items.len());
            assert!(
                items[first_unpinned..].iter().all(|i| !i.pinned),
                "{} {}: pinned only at top",
                site.id,
                col.name
            );
            if col.walk_shape == super::WalkShape::Unsorted {
                continue; // deliberately out of date order (walk_shapes)
            }
            for w in items[first_unpinned..].windows(2) {
                assert!(
                    w[0].date >= w[1].date,
                    "{} {}: newest first",
                    site.id,
                    col.name
                );
            }
            assert!(
                items
                    .iter()
                    .all(|i| i.date <= as_of() && i.visible_from <= as_of())
            );
            for i in &col.items {
                if col.layout == ListLayout::SinglePage {
                    assert_eq!(i.path, col.path);
                } else if !i.is_offsite() {
                    let stamp = i.path.rsplit('/').next().unwrap_or_default();
                    let trs = matches!(
                        col.layout,
                        ListLayout::TrsList
                            | ListLayout::TrsTable
                            | ListLayout::JumpList
                            | ListLayout::QueryPage { .. }
                            | ListLayout::Cards
                    );
                    if trs {
                        assert!(
                            i.path.starts_with(&col.path)
                                && stamp.starts_with('t')
                                && stamp.ends_with(".html"),
                            "{}",
                            i.path
                        );
                    } else {
                        assert!(i.path.starts_with(&site.path), "{}", i.path);
                        assert!(
                            [".html", ".htm", ".shtml"]
                                .iter()
                                .any(|e| stamp.ends_with(e)),
                            "{}",
                            i.path
                        );
                    }
                }
            }
        }
    }
    let early = sub(as_of(), 60);
    let news = d.sites[0].column(ColumnClass::News).expect("portal news");
    assert!(news.visible_items(early).len() < news.visible_items(as_of()).len());
    assert!(news.visible_items(early).iter().all(|i| i.date <= early));
}

/// Counts of a column's items per ISO week (Monday).
fn weekly(col: &SimColumn) -> BTreeMap<NaiveDate, u32> {
    let mut m = BTreeMap::new();
    for i in &col.items {
        *m.entry(monday_of(i.date)).or_insert(0) += 1;
    }
    m
}

#[test]
fn cadence_is_two_to_four_a_week_except_the_recorded_short_weeks() {
    let d = district();
    let last_full = sub(monday_of(as_of()), 7);
    let first_full = monday_of(sub(as_of(), 200)) + Days::new(7);
    let mut lapsing_units = 0;
    for site in d.sites.iter().filter(|s| s.role != Role::Portal) {
        let mut lapsed = false;
        for class in [ColumnClass::News, ColumnClass::Party] {
            let col = site.column(class).expect("column exists");
            if col.items.is_empty() {
                continue;
            }
            let counts = weekly(col);
            let mut week = first_full;
            while week <= last_full {
                let n = counts.get(&week).copied().unwrap_or(0);
                if col.short_weeks.contains(&week) {
                    assert!(n <= 1, "{} {} short week {week} has {n}", site.id, col.name);
                    lapsed = true;
                } else {
                    assert!(
                        (2..=5).contains(&n),
                        "{} {} week {week} has {n}",
                        site.id,
                        col.name
                    );
                }
                week = week + Days::new(7);
            }
        }
        if lapsed {
            lapsing_units += 1;
        }
    }
    assert_eq!(lapsing_units, 6);
}

#[test]
fn exactly_one_blank_party_column_and_one_stale_notice_column() {
    let d = district();
    let blank: Vec<&str> = d
        .sites
        .iter()
        .filter(|s| {
            s.column(ColumnClass::Party)
                .is_some_and(|c| c.items.is_empty())
        })
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(blank.len(), 1, "{blank:?}");
    let limit = sub(as_of(), 200);
    let stale: Vec<&SimSite> = d
        .sites
        .iter()
        .filter(|s| s.role != Role::Portal)
        .filter(|s| {
            s.column(ColumnClass::Notice)
                .is_some_and(|c| c.items.iter().all(|i| i.date < limit))
        })
        .collect();
    assert_eq!(stale.len(), 1);
    let notices = stale[0].column(ColumnClass::Notice).expect("notice column");
    assert!(
        !notices.items.is_empty(),
        "the stale column still has old items"
    );
    assert!(
        notices.items.iter().all(|i| i.date < sub(as_of(), 183)),
        "newest is older than six months"
    );
}

#[test]
fn pinned_offsite_gbk_and_table_quirks_are_present() {
    let d = district();
    let pinned: Vec<&SimItem> = d
        .sites
        .iter()
        .flat_map(|s| &s.columns)
        // The pinned item without a 置顶 mark is a walk shape of its own (walk_shapes).
        .filter(|c| c.walk_shape != super::WalkShape::UnmarkedPin)
        .flat_map(|c| &c.items)
        .filter(|i| i.pinned)
        .collect();
    assert_eq!(pinned.len(), 4, "portal 通知公告 and three units' 最新动态");
    assert!(
        pinned.iter().all(|i| i.date <= sub(as_of(), 130)),
        "pinned items are old"
    );
    let offsite: Vec<&SimItem> = d
        .sites
        .iter()
        .flat_map(|s| &s.columns)
        .flat_map(|c| &c.items)
        .filter(|i| i.is_offsite())
        .collect();
    assert_eq!(offsite.len(), 2);
    assert!(
        offsite
            .iter()
            .all(|i| i.path.starts_with("https://mp.weixin.qq.com/s/"))
    );
    let gbk: Vec<&SimSite> = d.sites.iter().filter(|s| s.charset_gbk).collect();
    assert_eq!(gbk.len(), 5);
    assert!(gbk.iter().all(|s| s.role == Role::Town));
    assert!(gbk.iter().any(|s| s.gbk_in_header) && gbk.iter().any(|s| !s.gbk_in_header));
    let tables = d
        .sites
        .iter()
        .filter(|s| {
            s.column(ColumnClass::News)
                .is_some_and(|c| c.layout == ListLayout::TrsTable)
        })
        .count();
    assert_eq!(tables, 4, "a few legacy-table sites");
    let cards = d
        .sites
        .iter()
        .filter_map(|s| s.column(ColumnClass::Leaders))
        .filter(|c| c.layout == ListLayout::Cards)
        .count();
    assert_eq!(cards, 11);
    assert!(d.sites.iter().all(|s| s.behavior == SiteBehavior::Normal));
}

#[test]
fn annual_reports_name_their_unit_and_year_and_are_published_in_january_mostly() {
    let d = district();
    let mut latest_found = 0;
    let mut late = 0;
    for s in &d.sites {
        let col = s.column(ColumnClass::AnnualReport).expect("annual column");
        for i in col.items.iter().filter(|i| i.title.contains("年度报告")) {
            assert!(i.title.starts_with(&s.name), "{}", i.title);
            let year = i.date.year() - 1;
            assert!(i.title.contains(&format!("{year}年")), "{}", i.title);
            assert!(i.date.month() <= 2);
            if year == 2022 {
                latest_found += 1;
                if i.date.month() == 2 {
                    late += 1;
                }
            }
        }
    }
    assert_eq!(
        latest_found, 44,
        "one unit has not published its 2022 report"
    );
    assert_eq!(late, 1, "one unit published late");
}

#[test]
fn backdated_item_becomes_visible_only_after_lag() {
    let mut cfg = SimConfig::new(as_of());
    cfg.backdated.push(Backdate {
        site_id: "jyj".into(),
        class: ColumnClass::News,
        lag_days: 20,
    });
    let d = District::generate(&cfg);
    let col = d
        .site("jyj")
        .and_then(|s| s.column(ColumnClass::News))
        .expect("column");
    let item = col
        .items
        .iter()
        .find(|i| i.visible_from != i.date)
        .expect("one backdated item");
    assert_eq!((item.visible_from - item.date).num_days(), 20);
    assert!(item.visible_from <= as_of());
    let before = item.visible_from.pred_opt().expect("date");
    assert!(
        !col.visible_items(before)
            .iter()
            .any(|i| i.path == item.path)
    );
    assert!(
        col.visible_items(item.visible_from)
            .iter()
            .any(|i| i.path == item.path)
    );
    let mut d2 = district();
    assert!(d2.mark_backdated("nope", ColumnClass::News, 3).is_none());
}

// ---- server ------------------------------------------------------------------------

async fn serve() -> SimServer {
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().expect("addr");
    SimServer::start(district(), addr)
        .await
        .expect("server starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

async fn get(url: &url::Url) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = client().get(url.clone()).send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.expect("body").to_vec())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test]
async fn serves_home_pages_with_navigation_and_footer() {
    let srv = serve().await;
    let base = srv.base_url();
    assert_eq!(base.host_str(), Some("127.0.0.1"));
    let (status, _, body) = get(&base).await;
    assert_eq!(status, 200);
    let html = text(&body);
    assert!(html.contains("<meta name=\"SiteIDCode\" content=\"4103220001\""));
    assert!(html.contains("网站标识码：4103220001"));
    assert!(html.contains("ICP备"));
    assert!(html.contains("<a href=\"/bm/jyj/\" target=\"_blank\">区教育局</a>"));
    assert!(html.contains("window.open(this.value)"));
    assert!(html.contains(&format!(
        "<option value=\"{}xz/cgz/\"> 城关镇人民政府 </option>",
        base
    )));
    assert!(html.contains(">要闻动态</a>"));
    let site = srv.site_url("jyj").expect("jyj url");
    assert_eq!(site.path(), "/bm/jyj/");
    let (status, _, body) = get(&site).await;
    assert_eq!(status, 200);
    let html = text(&body);
    assert!(html.contains("孟津区教育局"));
    for name in [
        "最新动态",
        "党务公开",
        "通知公告",
        "机构概况",
        "单位领导",
        "政府信息公开年报",
    ] {
        assert!(html.contains(&format!(">{name}</a>")), "nav link {name}");
    }
    let newest = srv
        .district()
        .site("jyj")
        .and_then(|s| s.column(ColumnClass::News))
        .and_then(|c| c.visible_items(as_of()).first().map(|i| i.date));
    let newest = newest.expect("has news");
    assert!(
        html.contains(&newest.format("%Y-%m-%d").to_string()),
        "home shows latest dates"
    );
    let (status, _, _) = get(&base.join("/robots.txt").expect("url")).await;
    assert_eq!(status, 200);
    srv.shutdown().await;
}

#[tokio::test]
async fn list_pages_paginate_twenty_a_page_and_404_past_the_end() {
    let srv = serve().await;
    let base = srv.base_url();
    let col = srv.district().sites[0]
        .column(ColumnClass::News)
        .expect("portal news")
        .clone();
    let total = col.visible_items(as_of()).len();
    let pages = total.div_ceil(PAGE_SIZE);
    assert!(
        pages >= 5,
        "portal news spans several pages ({total} items)"
    );
    let mut seen = 0;
    for k in 0..pages {
        let name = if k == 0 {
            "index.html".to_string()
        } else {
            format!("index_{k}.html")
        };
        let url = base.join(&format!("{}{name}", col.path)).expect("url");
        let (status, headers, body) = get(&url).await;
        assert_eq!(status, 200, "{url}");
        assert!(headers.get("etag").is_some());
        let html = text(&body);
        assert!(
            html.contains(&format!(
                "createPageHTML({pages}, {k}, \"index\", \"html\")"
            )),
            "pager on page {k}"
        );
        assert!(html.contains("<meta name=\"ColumnName\" content=\"要闻动态\""));
        let rows = html.matches("<li class=\"clearfix\">").count();
        assert!(rows == PAGE_SIZE || (k == pages - 1 && rows == total - PAGE_SIZE * (pages - 1)));
        seen += rows;
    }
    assert_eq!(seen, total);
    let past = base
        .join(&format!("{}index_{pages}.html", col.path))
        .expect("url");
    assert_eq!(get(&past).await.0, 404);
    // The bare directory is page one too.
    let (status, _, _) = get(&base.join(&col.path).expect("url")).await;
    assert_eq!(status, 200);
    // An article of the list is served with its meta tags and visible 发布时间.
    let item = col
        .visible_items(as_of())
        .into_iter()
        .find(|i| !i.is_offsite())
        .expect("item")
        .clone();
    let (status, _, body) = get(&base.join(&item.path).expect("url")).await;
    assert_eq!(status, 200);
    let html = text(&body);
    let stamp = format!(
        "{} {}",
        item.date.format("%Y-%m-%d"),
        item.time.format("%H:%M")
    );
    assert!(html.contains(&format!("<meta name=\"PubDate\" content=\"{stamp}\"")));
    assert!(html.contains(&format!("发布时间：{stamp}")));
    assert!(html.contains("<meta name=\"ArticleTitle\""));
    srv.shutdown().await;
}

#[tokio::test]
async fn gbk_town_pages_decode_with_gbk_to_the_unit_name() {
    let srv = serve().await;
    let towns: Vec<SimSite> = srv
        .district()
        .sites
        .iter()
        .filter(|s| s.charset_gbk)
        .cloned()
        .collect();
    assert_eq!(towns.len(), 5);
    for town in towns {
        let url = srv.site_url(&town.id).expect("url");
        let (status, headers, body) = get(&url).await;
        assert_eq!(status, 200);
        assert!(
            std::str::from_utf8(&body).is_err(),
            "{} is not UTF-8",
            town.id
        );
        let (decoded, _, errors) = encoding_rs::GBK.decode(&body);
        assert!(!errors);
        assert!(decoded.contains(&town.name));
        assert!(decoded.contains("<meta charset=\"gb2312\">"));
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(ct.contains("gb2312"), town.gbk_in_header, "{ct}");
        let list = url.join("zxdt/").expect("url");
        let (_, _, body) = get(&list).await;
        let list_text = encoding_rs::GBK.decode(&body).0.into_owned();
        assert!(list_text.contains("最新动态"));
        let article = town
            .column(ColumnClass::AnnualReport)
            .and_then(|c| c.items.first())
            .expect("a report");
        let (status, _, body) = get(&srv.base_url().join(&article.path).expect("url")).await;
        assert_eq!(status, 200);
        let article_text = encoding_rs::GBK.decode(&body).0.into_owned();
        assert!(article_text.contains(&article.title));
        // Every character was representable: no numeric character references leaked in.
        assert!(!list_text.contains("&#") && !article_text.contains("&#"));
    }
    srv.shutdown().await;
}

#[tokio::test]
async fn set_today_hides_items_published_later() {
    let srv = serve().await;
    let base = srv.base_url();
    let col = srv
        .district()
        .sites
        .iter()
        .filter(|s| s.role == Role::Department)
        .filter_map(|s| s.column(ColumnClass::News))
        .find(|c| c.layout == ListLayout::TrsList)
        .expect("a modern list")
        .clone();
    let newest = col
        .visible_items(as_of())
        .into_iter()
        .find(|i| !i.pinned && !i.is_offsite())
        .expect("item")
        .clone();
    let url = base.join(&newest.path).expect("url");
    assert_eq!(get(&url).await.0, 200);
    let day = sub(as_of(), 45);
    srv.set_today(day);
    assert_eq!(srv.today(), day);
    assert_eq!(get(&url).await.0, 404, "a later article is not online yet");
    let (_, _, body) = get(&base.join(&col.path).expect("url")).await;
    let html = text(&body);
    assert!(
        !html.contains(
            &newest
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        )
    );
    let pages = col.page_count(day);
    assert!(html.contains(&format!("createPageHTML({pages}, 0, \"index\", \"html\")")));
    let first_shown = col
        .visible_items(day)
        .into_iter()
        .find(|i| !i.pinned)
        .expect("older item")
        .clone();
    assert!(first_shown.date <= day);
    assert!(html.contains(&first_shown.date.format("%Y-%m-%d").to_string()));
    let before = srv.request_count();
    assert!(before >= 3);
    get(&base).await;
    assert_eq!(srv.request_count(), before + 1);
    srv.shutdown().await;
}

#[tokio::test]
async fn list_pages_answer_304_to_a_matching_etag() {
    let srv = serve().await;
    let url = srv
        .site_url("jyj")
        .and_then(|u| u.join("dwgk/").ok())
        .expect("url");
    let (_, headers, _) = get(&url).await;
    let etag = headers.get("etag").expect("etag").clone();
    let r = client()
        .get(url.clone())
        .header("If-None-Match", etag.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 304);
    let r = client()
        .get(url)
        .header("If-None-Match", "\"other\"")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    srv.shutdown().await;
}

#[tokio::test]
async fn walls_and_timeouts_can_be_switched_on_per_site() {
    let srv = serve().await;
    srv.set_behavior("jyj", SiteBehavior::Wall521);
    srv.set_behavior("czj", SiteBehavior::Wall412);
    srv.set_behavior("mzj", SiteBehavior::Timeout);
    let (status, headers, body) = get(&srv.site_url("jyj").expect("url")).await;
    assert_eq!(status, 521);
    let cookie = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.starts_with("__jsluid_h="));
    assert!(text(&body).contains("document.cookie"));
    let (status, _, body) = get(&srv.site_url("czj").expect("url")).await;
    assert_eq!(status, 412);
    assert!(text(&body).contains("$_ts=window['$_ts']"));
    let quick = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .expect("client");
    let err = quick
        .get(srv.site_url("mzj").expect("url"))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    // Other sites are unaffected.
    assert_eq!(get(&srv.site_url("tjj").expect("url")).await.0, 200);
    srv.set_behavior("jyj", SiteBehavior::Normal);
    assert_eq!(get(&srv.site_url("jyj").expect("url")).await.0, 200);
    srv.shutdown().await;
}

#[tokio::test]
async fn single_page_columns_and_annual_reports_are_served() {
    let srv = serve().await;
    let site = srv.district().site("tjj").expect("统计局").clone();
    let org = srv
        .site_url("tjj")
        .and_then(|u| u.join("jggk/").ok())
        .expect("url");
    let (status, _, body) = get(&org).await;
    assert_eq!(status, 200);
    let html = text(&body);
    assert!(html.contains("主要职责") && html.contains("发布时间："));
    assert_eq!(get(&org.join("index_1.html").expect("url")).await.0, 404);
    let annual = site
        .column(ColumnClass::AnnualReport)
        .expect("annual")
        .items
        .first()
        .expect("a report")
        .clone();
    let (status, _, body) = get(&srv.base_url().join(&annual.path).expect("url")).await;
    assert_eq!(status, 200);
    let html = text(&body);
    for s in annual::SECTIONS {
        assert!(html.contains(s), "section {s}");
    }
    assert!(html.contains("本年新收政府信息公开申请数量"));
    srv.shutdown().await;
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct YamlSite {
    id: String,
    name: String,
    role: String,
    url: String,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct YamlConfig {
    district: String,
    sites: Vec<YamlSite>,
    crawl: BTreeMap<String, serde_json::Value>,
    storage: BTreeMap<String, String>,
    reports: BTreeMap<String, String>,
}

#[tokio::test]
async fn config_yaml_parses_and_lists_every_site() {
    let srv = serve().await;
    let yaml = srv.config_yaml();
    let cfg: YamlConfig = serde_saphyr::from_str(&yaml).expect("valid YAML");
    assert_eq!(cfg.district, "孟津区");
    assert_eq!(cfg.sites.len(), 45);
    assert_eq!(cfg.sites[0].id, "portal");
    assert_eq!(cfg.sites[0].url, srv.base_url().to_string());
    assert!(cfg.sites.iter().all(|s| Role::parse(&s.role).is_some()));
    assert_eq!(
        cfg.storage.get("database").map(String::as_str),
        Some("data/govscore.db")
    );
    assert_eq!(cfg.crawl.get("delay_ms"), Some(&serde_json::json!(0)));
    assert!(!yaml.contains("rules:"));
    srv.shutdown().await;
}

#[test]
fn weekly_counts_and_last_update_follow_visible_items() {
    let d = district();
    let col = d
        .site("jyj")
        .and_then(|s| s.column(ColumnClass::News))
        .expect("column");
    let counts = col.weekly_counts(as_of());
    assert_eq!(
        counts.values().sum::<usize>(),
        col.visible_items(as_of()).len()
    );
    assert_eq!(
        col.last_update(as_of()),
        col.items.iter().map(|i| i.date).max()
    );
    let day = sub(as_of(), 30);
    assert!(col.last_update(day).is_some_and(|d| d <= day));
    let blank = d
        .sites
        .iter()
        .filter_map(|s| s.column(ColumnClass::Party))
        .find(|c| c.items.is_empty())
        .expect("blank column");
    assert_eq!(blank.last_update(as_of()), None);
    assert!(blank.weekly_counts(as_of()).is_empty());
}

#[test]
fn no_article_title_looks_like_a_column_link() {
    // Home pages list article titles; none may contain a built-in column name, or a
    // crawler following CONTRACT §2 name matching would take an article for a column.
    let d = district();
    for s in &d.sites {
        for c in s
            .columns
            .iter()
            .filter(|c| c.class != ColumnClass::AnnualReport)
        {
            for i in &c.items {
                for class in ColumnClass::ALL {
                    for name in class.builtin_names() {
                        let is_single = c.layout == ListLayout::SinglePage && i.title == c.name;
                        assert!(
                            is_single || !i.title.contains(name),
                            "{} contains {name}",
                            i.title
                        );
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn shutdown_releases_hanging_requests_and_drop_stops_serving() {
    let srv = serve().await;
    srv.set_behavior("mzj", SiteBehavior::Timeout);
    let url = srv.site_url("mzj").expect("url");
    let hanging =
        tokio::spawn(async move { client().get(url).send().await.map(|r| r.status().as_u16()) });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let started = std::time::Instant::now();
    srv.shutdown().await;
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), hanging)
        .await
        .expect("the hanging request ends with the server");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Either the 504 got out before the connection closed, or the connection was closed.
    if let Ok(Ok(status)) = outcome {
        assert_eq!(status, 504);
    }

    let srv = serve().await;
    let base = srv.base_url();
    assert_eq!(get(&base).await.0, 200);
    drop(srv);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let fresh = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    assert!(
        fresh.get(base).send().await.is_err(),
        "nothing listens after drop"
    );
}
