//! `govscore demo` and `govscore sim`: the embedded simulated district on loopback, and a
//! full assessment of it with no config and no network.

use crate::cli::{EXIT_CONFIG, EXIT_FAILURE, EXIT_OK};
use crate::pipeline::RunOptions;
use crate::sim::{District, MinimumRequests, SimConfig, SimServer, SiteBehavior};
use chrono::{NaiveDate, Utc};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

fn today_shanghai() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// The demo's database, relative to its folder.
pub const DEMO_DATABASE: &str = "govscore.db";
/// The demo's names table (`screening.names`), relative to its folder.
pub const DEMO_NAMES: &str = "sim-names.yaml";
/// The demo's reports folder, relative to its folder.
pub const DEMO_REPORTS: &str = "reports";

/// Runs the demo; returns the exit code.
pub async fn run(out: Option<PathBuf>, as_of: Option<NaiveDate>) -> i32 {
    let as_of = as_of.unwrap_or_else(today_shanghai);
    let out = out.unwrap_or_else(|| PathBuf::from("govscore-demo"));
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("错误：无法创建目录 {}：{e}", out.display());
        return EXIT_FAILURE;
    }
    let district = District::generate(&SimConfig::new(as_of));
    let loopback: SocketAddr = ([127, 0, 0, 1], 0).into();
    let server = match SimServer::start(district, loopback).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：无法在 127.0.0.1 上启动模拟区县：{e}");
            return EXIT_FAILURE;
        }
    };
    println!(
        "模拟区县已在 {} 启动（1个门户网站、{}个子站），开始检查……\n",
        server.base_url(),
        server.district().sites.len().saturating_sub(1)
    );
    // Three units are made unreadable so the demo shows how govscore reports them
    // (无法检测, never "not updated"): a 加速乐 wall, a 瑞数 wall and a site that times out.
    let pick = |role: crate::model::Role, nth: usize| {
        server
            .district()
            .sites
            .iter()
            .filter(|s| s.role == role)
            // Units given a walk shape stay readable, so the demo shows how they are walked.
            .filter(|s| {
                s.columns
                    .iter()
                    .all(|c| c.walk_shape == crate::sim::WalkShape::None)
            })
            .nth(nth)
            .map(|s| s.id.clone())
    };
    for (id, behaviour) in [
        (
            pick(crate::model::Role::Department, 7),
            SiteBehavior::Wall521,
        ),
        (pick(crate::model::Role::Town, 3), SiteBehavior::Wall412),
        (
            pick(crate::model::Role::Department, 12),
            SiteBehavior::Timeout,
        ),
    ] {
        if let Some(id) = id {
            server.set_behavior(&id, behaviour);
        }
    }
    // A countdown pager whose later pages fail (as on 丰城's site): the column is read in
    // part, and only the weeks its first page covers are judged.
    if let Some(site) = server.district().sites.iter().find(|s| {
        s.columns
            .iter()
            .any(|c| c.walk_shape == crate::sim::WalkShape::Countdown)
    }) {
        server.set_column_behavior(
            &site.id,
            crate::model::ColumnClass::News,
            crate::sim::ColumnBehavior::NotFoundFromPage2,
        );
    }
    // One 通知公告 list is drawn by a script: reported 无法读取 (人工核查), never 空白.
    if let Some(id) = pick(crate::model::Role::Department, 2) {
        server.set_column_behavior(
            &id,
            crate::model::ColumnClass::Notice,
            crate::sim::ColumnBehavior::ScriptRendered,
        );
    }
    // Three links of home pages lead nowhere (a removed 专题 page), answer only every second
    // time, or sit behind a wall: 链接不可用 only for the first, after two failing checks.
    server.set_dead_links(true);
    // The district's names table (leaders' titles by date), so a leader named with the
    // title he no longer held is found as 严重表述错误.
    let names_path = out.join(DEMO_NAMES);
    if let Err(e) = std::fs::write(&names_path, crate::sim::slips::names_yaml(as_of)) {
        eprintln!("错误：无法写入 {}：{e}", names_path.display());
        server.shutdown().await;
        return EXIT_FAILURE;
    }
    // Kept beside the database so the user can see (and reuse) what was assessed: it
    // names the database and the reports folder the demo used, relative to `out`.
    let yaml = server.config_yaml_storing_in(DEMO_DATABASE, DEMO_REPORTS)
        + &format!("screening:\n  names: {DEMO_NAMES}\n");
    let config_path = out.join("sim-config.yaml");
    if let Err(e) = std::fs::write(&config_path, &yaml) {
        eprintln!("错误：无法写入 {}：{e}", config_path.display());
        server.shutdown().await;
        return EXIT_FAILURE;
    }
    let mut settings = match crate::config::load_str(&yaml, "sim-config.yaml", &out) {
        Ok(s) => s,
        Err(diags) => {
            eprint!("{}", crate::config::render_diagnostics(&diags));
            server.shutdown().await;
            return EXIT_CONFIG;
        }
    };
    settings.config_path = Some(config_path);
    // Short timeouts keep the demo quick; the timing-out unit still shows as unreachable.
    settings.crawl.timeout_s = 2;
    settings.crawl.retries = 1;
    // Each demo run writes its own `reports/<YYYYMMDD-HHMMSS>-<run id>/` and points
    // `reports/latest` at it, like `govscore run`.
    // A link is 链接不可用 only when it failed on two checks: a first, quiet check of the
    // same day stores what the second one confirms (as a daemon's earlier run would have).
    println!("预检查：先静默检查一次（链接不可用须连续两次检查确认），再正式检查并生成报告……\n");
    let quiet = RunOptions {
        observed_on: Some(as_of),
        write_reports: false,
        ..RunOptions::new(as_of)
    };
    match crate::pipeline::run(&settings, quiet).await {
        // The checked run below finds most pages unchanged (304) and reuses this run's
        // screening, so its statistics alone would hide what reading the district took.
        Ok(quiet) => println!(
            "预检查完成：抓取请求 {} 次，新增信息 {} 条；内容筛查请求 {} 次，筛查文章 {} 篇、附件 {} 个；链接检查请求 {} 次。\n\
             正式检查：未变化的页面以条件请求确认（304 未变化），沿用预检查的筛查结果。\n",
            quiet.stats.requests,
            quiet.items_new,
            quiet.screening.requests,
            quiet.screening.pages_screened,
            quiet.screening.attachments_screened,
            quiet.links.requests
        ),
        Err(e) => {
            eprintln!("错误：预检查失败：{e}");
            server.shutdown().await;
            return EXIT_FAILURE;
        }
    }
    let opts = RunOptions {
        observed_on: Some(as_of),
        ..RunOptions::new(as_of)
    };
    let code = crate::cli::run_and_print(&settings, opts).await;
    server.shutdown().await;
    // The simulated district is expected to contain imperfect sites; the demo itself
    // succeeded when the reports were written.
    if code == EXIT_FAILURE {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// Serves the simulated district until Ctrl-C, printing a config.yaml that assesses it;
/// with `sites`, serves that many sites in several districts (the scale benchmark).
pub async fn serve_sim(listen: SocketAddr, as_of: Option<NaiveDate>, sites: Option<usize>) -> i32 {
    if !listen.ip().is_loopback() {
        eprintln!("错误：模拟区县只能监听本机回环地址（如 127.0.0.1:18080），不能监听 {listen}");
        return EXIT_CONFIG;
    }
    let as_of = as_of.unwrap_or_else(today_shanghai);
    if let Some(n) = sites {
        return serve_many(listen, as_of, n).await;
    }
    let district = District::generate(&SimConfig::new(as_of));
    let server = match SimServer::start(district, listen).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：无法监听 {listen}：{e}（地址已被占用？请用 --listen 换一个端口）");
            return EXIT_CONFIG;
        }
    };
    eprintln!(
        "模拟区县运行于 {}（内容以 {} 为监测时间点生成）；按 Ctrl-C 停止。以下配置可直接用于 govscore run：\n",
        server.base_url(),
        as_of
    );
    println!("{}", server.config_yaml());
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    EXIT_OK
}

/// Sites of one generated district: the portal and 44 subsites.
const DISTRICT_SITES: usize = 45;

/// `govscore sim --sites N`: ⌈N/45⌉ districts (seeds 2022, 2023, …), district k on the
/// loopback address `listen + k` (same port), so hosts are as distinct as real ones; prints
/// a config assessing all of them with politeness off, and the minimum of requests
/// (BENCHMARKS.md) on stderr; on Ctrl-C prints the requests served.
async fn serve_many(listen: SocketAddr, as_of: NaiveDate, n: usize) -> i32 {
    let SocketAddr::V4(v4) = listen else {
        eprintln!("错误：--sites 需要 IPv4 回环地址（如 127.0.0.1:18080），不能用 {listen}");
        return EXIT_CONFIG;
    };
    if n == 0 {
        eprintln!("错误：--sites 必须至少为 1");
        return EXIT_CONFIG;
    }
    let districts = n.div_ceil(DISTRICT_SITES);
    let first = u32::from(*v4.ip());
    let ips: Option<Vec<Ipv4Addr>> = (0..districts)
        .map(|k| {
            first
                .checked_add(u32::try_from(k).ok()?)
                .map(Ipv4Addr::from)
                .filter(|ip| ip.is_loopback())
        })
        .collect();
    let Some(ips) = ips else {
        eprintln!(
            "错误：{districts} 个模拟区县需要从 {} 起连续 {districts} 个回环地址，超出了 127.0.0.0/8",
            v4.ip()
        );
        return EXIT_CONFIG;
    };
    let mut servers = Vec::with_capacity(districts);
    for (k, ip) in ips.into_iter().enumerate() {
        let standard = SimConfig::new(as_of);
        let cfg = SimConfig {
            seed: standard.seed + k as u64,
            subsites: (n - k * DISTRICT_SITES).min(DISTRICT_SITES) - 1,
            ..standard
        };
        let at = SocketAddr::new(ip.into(), v4.port());
        match SimServer::start(District::generate(&cfg), at).await {
            Ok(s) => servers.push(s),
            Err(e) => {
                eprintln!("错误：无法监听 {at}：{e}（地址已被占用？请用 --listen 换一个端口）");
                shutdown_all(servers).await;
                return EXIT_CONFIG;
            }
        }
    }
    let mut yaml = format!(
        "# 规模测试：{districts} 个模拟区县共 {n} 个网站，由 govscore sim --sites 生成，仅用于本机测试。\n\
         district: 模拟{n}个网站\ntimezone: Asia/Shanghai\nsites:\n"
    );
    for (k, s) in servers.iter().enumerate() {
        yaml.push_str(&s.sites_yaml(&format!("d{k}-")));
    }
    yaml.push_str(
        "discover: false\ncrawl:\n  delay_ms: 0\n  per_host_concurrency: 4\n  global_concurrency: 64\n  \
         timeout_s: 5\n  contact: \"govscore sim --sites (loopback benchmark)\"\n",
    );
    let settings = match crate::config::load_str(&yaml, "sim-config.yaml", Path::new(".")) {
        Ok(s) => s,
        Err(diags) => {
            eprint!("{}", crate::config::render_diagnostics(&diags));
            shutdown_all(servers).await;
            return EXIT_CONFIG;
        }
    };
    let since = crate::pipeline::period_start(settings.rules.period, as_of);
    let mut min = MinimumRequests::default();
    for s in &servers {
        min.add(&s.district().minimum_requests(as_of, since));
    }
    eprintln!(
        "{districts} 个模拟区县共 {n} 个网站运行于 {} 起的回环地址（内容以 {as_of} 为监测时间点生成，检查期自 {since}）；按 Ctrl-C 停止。",
        v4.ip()
    );
    eprintln!(
        "最少请求数 {}：robots.txt {}，首页 {}，栏目列表页 {}，列表无日期的文章 {}，元数据抽样 {}，年报 {}",
        min.total(),
        min.robots,
        min.home_pages,
        min.list_pages,
        min.undated_articles,
        min.meta_sample,
        min.annual_reports
    );
    println!("{yaml}");
    let _ = tokio::signal::ctrl_c().await;
    let served: u64 = servers.iter().map(SimServer::request_count).sum();
    eprintln!("共响应请求 {served} 次");
    shutdown_all(servers).await;
    EXIT_OK
}

async fn shutdown_all(servers: Vec<SimServer>) {
    for s in servers {
        s.shutdown().await;
    }
}
