//! Attachments: document links found in lists and in articles (including those that exist
//! only inside `var file_appendix='…'`) are recorded with the page they belong to.

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use govscore::pipeline;

// Hand-written in the style of cms-patterns.md §1.1 (TRS list, file_appendix) and §1.2
// (Hanweb downfile.jsp).
const HOME: &str = r#"<html><head><meta name="SiteName" content="云溪区统计局"></head><body>
<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a></div>
<ul><li><a href="/tzgg/202301/t20230105_1.html">关于开展2023年统计执法检查的通知</a><span>2023-01-05</span></li></ul>
</body></html>"#;

const LIST: &str = r#"<html><head><meta name="ColumnName" content="通知公告"></head><body>
<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a></div>
<ul class="list">
<li><a href="./202301/t20230105_1.html" title="关于开展2023年统计执法检查的通知">关于开展2023年统计执法检查的通知</a></li>
<li><a href="/module/download/downfile.jsp?classid=0&amp;filename=2301031020.xls" title="2023年统计调查项目目录（表格）">2023年统计调查项目目录（表格）</a></li>
</ul></body></html>"#;

const ARTICLE: &str = r#"<html><head>
<meta name="ArticleTitle" content="关于开展2023年统计执法检查的通知">
<meta name="PubDate" content="2023-01-05 09:30">
</head><body><div class="article"><h1>关于开展2023年统计执法检查的通知</h1>
<div id="zoom"><p>各有关单位：现将检查安排通知如下。</p></div>
<script>
var file_appendix='<a href="./P020230105123456.pdf">附件：检查对象名单.pdf</a>';
if (file_appendix != "") { document.write('<div class="fj">' + file_appendix + '</div>'); }
</script></div></body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_in_lists_and_file_appendix_scripts_are_recorded_with_their_page() {
    let app = Router::new()
        .route("/", get(|| async { Html(HOME) }))
        .route("/tzgg/", get(|| async { Html(LIST) }))
        .route(
            "/tzgg/202301/t20230105_1.html",
            get(|| async { Html(ARTICLE) }),
        );
    let addr = crate::support::serve(app).await;
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        "district: 云溪区\nsites:\n  - id: tjj\n    name: 云溪区统计局\n    role: department\n    url: http://{addr}/\ncrawl:\n  delay_ms: 0\n  respect_robots: false\n"
    );
    let settings = govscore::config::load_str(&yaml, "c.yaml", tmp.path()).unwrap();
    let as_of = crate::support::d("2023-01-10");
    let outcome = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r", "db", as_of),
    )
    .await
    .unwrap();
    let store = govscore::store::Store::open(&tmp.path().join("db")).unwrap();
    let found = store.attachments(outcome.run_id, "tjj").unwrap();
    let got: Vec<(String, String, String)> = found
        .iter()
        .map(|a| (a.article_url.clone(), a.url.clone(), a.kind.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                format!("http://{addr}/tzgg/"),
                format!(
                    "http://{addr}/module/download/downfile.jsp?classid=0&filename=2301031020.xls"
                ),
                "xls".to_string()
            ),
            (
                format!("http://{addr}/tzgg/202301/t20230105_1.html"),
                format!("http://{addr}/tzgg/202301/P020230105123456.pdf"),
                "pdf".to_string()
            ),
        ]
    );
    // The undated list entry was dated from its article page's PubDate.
    let site = &outcome.report.sites[0];
    assert_eq!(site.columns[0].last_update.as_deref(), Some("2023-01-05"));
}
