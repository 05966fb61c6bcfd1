//! The home-page and naming shapes of issue 10 (首页不更新 cases, required columns,
//! discovery scope): the simulator serves them as described in the module docs, and a
//! careful reader of each home page sees what the ground truth says.

use super::*;
use crate::extract::home::{HomeLayout, read_home};
use crate::model::ColumnClass;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 15).expect("date")
}

async fn home_page(srv: &SimServer, site: &SimSite) -> (url::Url, String) {
    let url = srv.site_url(&site.id).expect("site url");
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
        .get(url.clone())
        .send()
        .await
        .expect("request");
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = r.bytes().await.expect("body");
    let text = crate::extract::charset::decode(&body, ct.as_deref()).text;
    (url, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_pages_show_dated_boxes_datastores_month_days_or_navigation_only() {
    let srv = SimServer::start(
        District::generate(&SimConfig::new(as_of())),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .expect("server starts");
    let d = srv.district().clone();
    let mut seen = std::collections::BTreeMap::new();
    for site in &d.sites {
        let style = site.home_style();
        *seen.entry(format!("{style:?}")).or_insert(0) += 1;
        let (url, html) = home_page(&srv, site).await;
        let read = read_home(&html, &url, as_of());
        // The newest item any box shows: the newest item of the boxed columns.
        let truth = site
            .columns
            .iter()
            .filter(|c| !matches!(c.layout, ListLayout::SinglePage | ListLayout::Cards))
            .filter(|c| c.class != ColumnClass::AnnualReport)
            .filter_map(|c| c.last_update(as_of()))
            .max();
        match style {
            HomeStyle::NavigationOnly => {
                assert!(html.contains("今天是2023年3月15日"), "{}", site.id);
                assert_eq!(
                    read.layout,
                    HomeLayout::Navigation,
                    "{}: {:?}",
                    site.id,
                    read.items
                );
                assert!(read.items.is_empty(), "{}: {:?}", site.id, read.items);
            }
            _ => {
                assert_eq!(read.layout, HomeLayout::Dated, "{}", site.id);
                let newest = read.items.iter().map(|i| i.date).max();
                assert_eq!(newest, truth, "{} ({style:?})", site.id);
                // Every date read is the item's own publish date.
                for item in &read.items {
                    let path = url::Url::parse(&item.url).expect("item url");
                    let own = site
                        .columns
                        .iter()
                        .flat_map(|c| c.items.iter())
                        .find(|i| srv.url_for(&site.id, &i.path).as_ref() == Some(&path))
                        .unwrap_or_else(|| panic!("{}: {} is no item", site.id, item.url));
                    assert_eq!(item.date, own.date, "{} {}", site.id, item.title);
                }
            }
        }
        if style == HomeStyle::MonthDayBoxes {
            assert!(
                html.contains("align=\"right\">0"),
                "{}: MM-DD cells",
                site.id
            );
        }
        if site.role == Role::Portal {
            // Other governments (other hosts) and a vertically managed unit's full name.
            for (_, name) in names::OTHER_GOVERNMENTS {
                assert!(html.contains(name), "{name}");
            }
            assert!(html.contains(names::VERTICAL_ECOLOGY_NAME));
        }
        if style == HomeStyle::Datastore {
            assert!(html.contains("<datastore>"), "{}", site.id);
        }
    }
    for style in ["NavigationOnly", "Datastore", "MonthDayBoxes", "Boxes"] {
        assert!(seen.contains_key(style), "no {style} home page: {seen:?}");
    }
    srv.shutdown().await;
}

#[test]
fn one_department_links_its_party_column_under_an_unrecognisable_name() {
    let d = District::generate(&SimConfig::new(as_of()));
    let odd: Vec<(&SimSite, &SimColumn)> = d
        .sites
        .iter()
        .flat_map(|s| s.columns.iter().map(move |c| (s, c)))
        .filter(|(_, c)| !c.recognisable())
        .collect();
    assert_eq!(odd.len(), 1);
    let (site, col) = odd[0];
    assert_eq!(site.role, Role::Department);
    assert_eq!(col.class, ColumnClass::Party);
    assert_eq!(col.name, UNRECOGNISED_PARTY_NAME);
    assert!(!col.items.is_empty() && col.short_weeks.is_empty());
    // No other column of the site is a party column.
    assert_eq!(
        site.columns
            .iter()
            .filter(|c| c.class == ColumnClass::Party)
            .count(),
        1
    );
}
