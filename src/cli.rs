//! Command-line interface: clap commands mapped to library calls and CONTRACT exit codes
//! (0 success, 1 unexpected failure only, 2 some site not ok / the document has an error,
//! 3 invalid input of any kind: config, rules, arguments, dates, names, addresses).

use crate::config::{self, Settings};
use crate::pipeline::{self, RunOptions};
use crate::textwidth::display_width;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: unexpected failure (a bug, a full disk, a database that cannot be written).
pub const EXIT_FAILURE: i32 = 1;
/// Exit code: the run finished but some site is not ok (or the document has an error).
pub const EXIT_NOT_OK: i32 = 2;
/// Exit code: invalid input of any kind — config, rules, arguments, dates, names.
pub const EXIT_CONFIG: i32 = 3;

/// The exit codes as `--help` shows them.
const EXIT_CODES_HELP: &str = "退出码：
  0  成功
  1  意外故障（程序错误、磁盘已满、数据库无法写入等）
  2  检查已完成，但有网站状态不是 ok（报告照常写出）；annual-report：年报有错误或需人工核查
  3  输入无效：配置、规则、命令行参数、日期（如 --since 晚于 --as-of）、名称（不存在的规则或检查次数）、
     serve 拒绝监听的地址";

#[derive(Parser, Debug)]
#[command(
    name = "govscore",
    version,
    about = "政府网站检查：栏目更新频率、首页更新、年度报告、计分与中文报告",
    after_help = EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct ConfigArg {
    /// 配置文件（默认：当前目录下的 config.yaml）。
    #[arg(long, env = "GOVSCORE_CONFIG")]
    config: Option<PathBuf>,
}

impl ConfigArg {
    fn path(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG))
    }
}

/// The config file used when `--config` is not given.
const DEFAULT_CONFIG: &str = "config.yaml";

#[derive(clap::Args, Debug, Clone)]
struct RunArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// 监测时间点（YYYY-MM-DD），默认为配置时区的今天。
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// 考核期第一天（默认：规则中包含 --as-of 的考核期的第一天）。
    #[arg(long, value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// 报告写入的目录（原样使用）。
    #[arg(long)]
    out: Option<PathBuf>,
    /// SQLite 数据库（默认：配置中的 storage.database）。
    #[arg(long)]
    db: Option<PathBuf>,
    /// The day the crawl is taken to look at the sites (default today); for replaying
    /// simulated days.
    #[arg(long, value_parser = parse_date, hide = true)]
    observed_on: Option<NaiveDate>,
}

#[derive(clap::Args, Debug, Clone)]
struct DbArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// SQLite 数据库；给出后无需配置文件（没有 config.yaml 时使用内置规则）。
    #[arg(long)]
    db: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 校验配置文件和全部规则文件，逐条列出问题（文件:行:列）。
    Check {
        #[command(flatten)]
        config: ConfigArg,
        /// 同时抓取门户首页，列出子网站发现将纳入和排除的网站及原因（需要访问网络）。
        #[arg(long)]
        discover: bool,
    },
    /// 立即进行一次完整检查：抓取、检查、计分，写出全部格式的报告。
    Run(RunArgs),
    /// 只抓取并入库（并计分），不写报告文件；之后可用 score 和 report 从数据库生成。
    Crawl(RunArgs),
    /// 列出生效的规则，或显示一条规则的说明。
    Rules {
        #[command(subcommand)]
        cmd: RulesCmd,
    },
    /// 仅凭数据库重新计算某次检查的得分并打印排名。
    Score {
        #[command(flatten)]
        db: DbArgs,
        /// 检查次数编号（默认：最近一次完成的检查）。
        #[arg(long)]
        run: Option<i64>,
        /// 使用被中断或未完成的检查（其数据不完整；输出会注明）。
        #[arg(long)]
        allow_partial: bool,
    },
    /// 从数据库重新生成某次检查的全部报告。
    Report {
        #[command(flatten)]
        db: DbArgs,
        /// 检查次数编号（默认：最近一次完成的检查）。
        #[arg(long)]
        run: Option<i64>,
        /// 报告写入的目录。
        #[arg(long)]
        out: PathBuf,
        /// 使用被中断或未完成的检查（其数据不完整；每份报告都会注明）。
        #[arg(long)]
        allow_partial: bool,
    },
    /// 在本机回环地址启动内置的模拟区县，检查它并写出报告（无需配置和网络）。
    Demo {
        /// 演示目录：数据库、sim-config.yaml 和每次演示各自的报告目录（默认 govscore-demo）。
        #[arg(long)]
        out: Option<PathBuf>,
        /// 演示的监测时间点（默认今天）。
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// 检查一份政府信息公开工作年度报告（HTML、PDF、DOCX 或文本）：打印解析出的表格和全部问题；
    /// 无错误退出码 0，有错误或需人工核查退出码 2。
    AnnualReport {
        /// 文件路径或 http(s) 网址。
        input: String,
        /// 输出 JSON 而非文本。
        #[arg(long)]
        json: bool,
    },
    /// 后台服务：按 schedule.assess 定时检查、可用性探测、通知；支持 systemd（notify、watchdog、SIGHUP 重载）。
    Daemon(ConfigArg),
    /// 只读网页控制台（默认监听 127.0.0.1:8080）。
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// 监听地址；非本机地址需要在配置中设置 serve.token。
        #[arg(long, default_value = crate::serve::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
    },
    /// 单独运行模拟区县，并打印一份检查它的 config.yaml（按 Ctrl-C 停止）。
    Sim {
        /// 监听地址（仅限本机回环地址）。
        #[arg(long, default_value = "127.0.0.1:18080")]
        listen: std::net::SocketAddr,
        /// 模拟内容所依据的日期（默认今天）。
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// 网站总数（规模测试用）：按需生成多个模拟区县（每个最多45个网站，种子各不相同），
        /// 第 k 个区县监听 --listen 地址加 k 的回环地址（127.0.0.1、127.0.0.2……），
        /// 打印检查全部网站的配置（不限速）和最少请求数。
        #[arg(long)]
        sites: Option<usize>,
    },
    /// 筛查一份文档（DOCX、PDF、HTML、文本或网址）中的错别字、格式差错、严重表述错误、敏感词、暗链和个人信息；发现严重问题时退出码为 2。
    ///
    /// 使用配置文件 screening 中本区的名称表和敏感词词库（没有配置文件时只用内置词库）。
    Screen {
        /// 文件路径或 http(s) 网址。
        input: String,
        /// 输出 JSON 而不是文本。
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        config: ConfigArg,
        /// 文档的发布日期（YYYY-MM-DD），按当日的领导职务判断；默认今天。
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCmd {
    /// 列出生效的规则。
    List(ConfigArg),
    /// 显示一条规则的说明。
    Explain {
        /// 规则编号。
        id: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("日期应为 YYYY-MM-DD 格式（如 2023-02-15），而不是 {s:?}"))
}

fn init_logging() {
    // An unset, empty or unreadable RUST_LOG means warnings and errors only.
    let (filter, directives) = std::env::var("RUST_LOG")
        .ok()
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| Some((tracing_subscriber::EnvFilter::try_new(&d).ok()?, d)))
        .unwrap_or_else(|| (tracing_subscriber::EnvFilter::new("warn"), "warn".into()));
    // Colours only on a terminal: journald and log files get plain text.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .finish();
    if tracing::subscriber::set_global_default(subscriber).is_ok() {
        let _ = tracing_log::LogTracer::builder()
            .with_max_level(log_max_level(&directives))
            .init();
    }
}

/// The most verbose level at which a `log` record (html5ever, reqwest, rusqlite_migration
/// and the like; govscore itself logs only through `tracing`) can pass the `RUST_LOG`
/// directives. The `log` crate skips every record above it at the cost of one comparison;
/// a record below it goes through the filter, string matching included. Left at the
/// filter's own maximum, one `govscore::request=trace` (the scale benchmark's request log)
/// sent every trace record of the HTML tokenizer through the filter: a quarter of a run's
/// CPU for nothing, as no directive could let those records pass.
fn log_max_level(directives: &str) -> tracing_log::log::LevelFilter {
    use tracing_log::log::LevelFilter;
    let level = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
        "off" | "0" => Some(LevelFilter::Off),
        "error" | "1" => Some(LevelFilter::Error),
        "warn" | "2" => Some(LevelFilter::Warn),
        "info" | "3" => Some(LevelFilter::Info),
        "debug" | "4" => Some(LevelFilter::Debug),
        "trace" | "5" => Some(LevelFilter::Trace),
        _ => None,
    };
    directives
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter_map(|d| {
            // `target[span{field=value}]=level`, `target` (everything from it) or `level`.
            let (selector, lvl) = match d.rsplit_once('=') {
                Some((sel, l)) if level(l).is_some() => (sel, level(l)),
                _ => match level(d) {
                    Some(l) => ("", Some(l)),
                    None => (d, Some(LevelFilter::Trace)),
                },
            };
            let target = selector.split('[').next().unwrap_or("");
            let ours = target == "govscore" || target.starts_with("govscore::");
            if ours { None } else { lvl }
        })
        .max()
        .unwrap_or(LevelFilter::Off)
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // `--help` and `--version` are answers, not errors; every usage error is
            // invalid input (exit 3), never "some site not ok".
            return if e.use_stderr() { EXIT_CONFIG } else { EXIT_OK };
        }
    };
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动异步运行时：{e}");
            return EXIT_FAILURE;
        }
    };
    runtime.block_on(dispatch(cli.command))
}

/// Loads settings, printing diagnostics; None means exit 3.
fn load_settings(path: &Path) -> Option<Settings> {
    match config::load(path) {
        Ok(s) => Some(s),
        Err(diags) => {
            eprint!("{}", config::render_diagnostics(&diags));
            eprintln!("未执行任何操作。");
            None
        }
    }
}

/// The screener of `screen`: the config's dictionaries when `--config` is given or
/// config.yaml exists, else the built-in ones. `Err` is the exit code.
fn screener_for(c: &ConfigArg) -> Result<crate::screen::Screener, i32> {
    let path = c.path();
    if c.config.is_none() && !path.exists() {
        return Ok(crate::screen::Screener::builtin());
    }
    let settings = load_settings(&path).ok_or(EXIT_CONFIG)?;
    crate::screen::Screener::from_settings(&settings.screening).map_err(|e| {
        eprintln!("{e}\n未执行任何操作。");
        EXIT_CONFIG
    })
}

/// The settings of a command that needs only the database: the config when `--config` is
/// given or config.yaml exists; with `--db` and no config file, the built-in rules. `Err`
/// is the exit code.
fn settings_for_db(args: &DbArgs) -> Result<Settings, i32> {
    let path = args.config.path();
    match (&args.db, &args.config.config) {
        (Some(db), None) if !path.exists() => Ok(config::database_only(
            db.clone(),
            if db.is_file() {
                stored_district(db)
            } else {
                String::new()
            },
        )),
        _ => load_settings(&path).ok_or(EXIT_CONFIG),
    }
}

/// The database of a command that reads it: `--db`, else the config's; it must exist (a
/// read-only open never creates it). `Err` is the exit code.
fn existing_db(args: &DbArgs, settings: &Settings) -> Result<PathBuf, i32> {
    let db = args.db.clone().unwrap_or_else(|| settings.database.clone());
    if db.is_file() {
        Ok(db)
    } else {
        eprintln!(
            "错误：数据库 {} 不存在；请先运行 `govscore run`（或启动 daemon），或用 --db 指定已有的数据库",
            db.display()
        );
        Err(EXIT_CONFIG)
    }
}

/// The district name of the newest run that wrote a report.json, for commands run on a
/// database alone (the database does not keep the config's `district`).
fn stored_district(db: &Path) -> String {
    let from_reports = || -> Option<String> {
        let store = crate::store::Store::open_read_only(db).ok()?;
        store.runs(50).ok()?.into_iter().find_map(|run| {
            let bases = [crate::serve::folder_of(db)];
            let dir = crate::serve::resolve_report_dir(&run.report_dir?, &bases);
            let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
            let v: serde_json::Value = serde_json::from_str(&text).ok()?;
            v.get("district")?.as_str().map(str::to_string)
        })
    };
    from_reports().unwrap_or_else(|| "（未配置地区名称）".to_string())
}

async fn dispatch(cmd: Command) -> i32 {
    match cmd {
        Command::Check {
            config: c,
            discover,
        } => match load_settings(&c.path()) {
            Some(s) => {
                if let Err(e) = crate::screen::Screener::from_settings(&s.screening) {
                    eprintln!("{e}");
                    return EXIT_CONFIG;
                }
                println!(
                    "{}：有效——{} 个网站，{} 条规则",
                    c.path().display(),
                    s.sites.len(),
                    s.rules.rules.len()
                );
                if let Some(w) =
                    crate::rules::holidays::horizon_warning(&s.rules, pipeline::today(&s))
                {
                    eprintln!("警告：{w}");
                }
                if discover {
                    return check_discover(&s).await;
                }
                EXIT_OK
            }
            None => EXIT_CONFIG,
        },
        Command::Run(args) => run_cmd(args, true).await,
        Command::Crawl(args) => run_cmd(args, false).await,
        Command::Rules { cmd } => rules_cmd(cmd),
        Command::Score {
            db,
            run,
            allow_partial,
        } => match stored_report(&db, run, allow_partial) {
            Ok(report) => {
                print_ranking(&report);
                EXIT_OK
            }
            Err(code) => code,
        },
        Command::Report {
            db,
            run,
            out,
            allow_partial,
        } => match stored_report(&db, run, allow_partial) {
            Ok(report) => match crate::report::write_all(&report, &out) {
                Ok(_) => {
                    println!("报告已写入 {}", out.display());
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("错误：无法把报告写入 {}：{e}", out.display());
                    EXIT_FAILURE
                }
            },
            Err(code) => code,
        },
        Command::AnnualReport { input, json } => {
            let is_url = input.starts_with("http://") || input.starts_with("https://");
            if !is_url && !Path::new(&input).exists() {
                eprintln!(
                    "错误：找不到文件 {input}（请检查路径；网址须以 http:// 或 https:// 开头）"
                );
                return EXIT_CONFIG;
            }
            crate::annual::cli(&input, json)
        }
        Command::Demo { out, as_of } => crate::demo::run(out, as_of).await,
        Command::Screen {
            input,
            json,
            config: c,
            date,
        } => match screener_for(&c) {
            Ok(screener) => crate::screen::cli(&input, json, &screener, date),
            Err(code) => code,
        },
        Command::Sim {
            listen,
            as_of,
            sites,
        } => crate::demo::serve_sim(listen, as_of, sites).await,
        Command::Daemon(c) => crate::daemon::run(&c.path()).await,
        Command::Serve { db, listen } => {
            let settings = match settings_for_db(&db) {
                Ok(v) => v,
                Err(code) => return code,
            };
            // The address is refused before anything else is looked at.
            if let Err(e) = crate::serve::check_bind(listen, settings.serve.token.as_deref()) {
                eprintln!("错误：{e}");
                return e.exit_code();
            }
            let db = match existing_db(&db, &settings) {
                Ok(v) => v,
                Err(code) => return code,
            };
            match crate::serve::serve(&settings, &db, listen).await {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("错误：{e}");
                    e.exit_code()
                }
            }
        }
    }
}

async fn run_cmd(args: RunArgs, write_reports: bool) -> i32 {
    let Some(settings) = load_settings(&args.config.path()) else {
        return EXIT_CONFIG;
    };
    let as_of = args.as_of.unwrap_or_else(|| pipeline::today(&settings));
    if let Some(since) = args.since
        && since > as_of
    {
        eprintln!(
            "错误：--since {since} 晚于监测时间点 {as_of}（--as-of）；考核期的第一天不能在监测时间点之后"
        );
        return EXIT_CONFIG;
    }
    let cancel = tokio_util::sync::CancellationToken::new();
    let stop = cancel.clone();
    let signals = tokio::spawn(async move {
        let signal = stop_signal().await;
        eprintln!("收到 {signal}：正在停止，本次检查记为已中断");
        stop.cancel();
    });
    let opts = RunOptions {
        since: args.since,
        out: args.out,
        db: args.db,
        observed_on: args.observed_on,
        write_reports,
        cancel: Some(cancel),
        ..RunOptions::new(as_of)
    };
    let code = run_and_print(&settings, opts).await;
    signals.abort();
    code
}

/// Waits for SIGTERM or SIGINT (Ctrl-C) and names it. Without signal handlers (which
/// cannot really fail on Unix) it never returns, so the run is not cancelled.
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        },
        _ => std::future::pending().await,
    }
}

/// Why `score`/`report` produced nothing.
#[derive(Debug, thiserror::Error)]
enum StoredReportError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(
        "第 {run_id} 次检查未完成（{why}）：其数据不完整，会按碰巧抓到的内容给单位排名。如仍要使用，请加 --allow-partial（所有输出都会注明），或选择一次已完成的检查"
    )]
    Incomplete { run_id: i64, why: String },
}

/// The report of a stored run of `score` and `report`, recomputed from the database;
/// `Err` is the exit code after the message was printed (3 for a run that does not
/// exist).
fn stored_report(
    args: &DbArgs,
    run: Option<i64>,
    allow_partial: bool,
) -> Result<crate::report::model::Report, i32> {
    let settings = &settings_for_db(args)?;
    let db = &existing_db(args, settings)?;
    let build = || -> Result<_, StoredReportError> {
        let store = crate::store::Store::open_read_only(db)?;
        let run_id = match run {
            Some(r) => r,
            None => store
                .latest_run()?
                .ok_or(crate::store::StoreError::NoSuchRun(0))?,
        };
        let incomplete = store.run_incomplete(run_id)?;
        if let Some(why) = &incomplete
            && !allow_partial
        {
            return Err(StoredReportError::Incomplete {
                run_id,
                why: why.clone(),
            });
        }
        let snapshot = store.snapshot(run_id)?;
        let mut report = pipeline::build_report(settings, &snapshot, run_id);
        pipeline::add_history(&store, settings, &mut report)?;
        report.partial_run = incomplete.map(|why| {
            format!(
                "本报告依据未完成的第 {run_id} 次检查生成（{why}），数据不完整，排名和得分仅供参考"
            )
        });
        if let Some(note) = &report.partial_run {
            eprintln!("警告：{note}");
        }
        Ok(report)
    };
    build().map_err(|e| match e {
        StoredReportError::Store(crate::store::StoreError::NoSuchRun(0)) => {
            eprintln!("错误：数据库 {} 中还没有完成的检查", db.display());
            EXIT_CONFIG
        }
        StoredReportError::Store(crate::store::StoreError::NoSuchRun(id)) => {
            eprintln!(
                "错误：数据库 {} 中没有第 {id} 次检查（--run）；控制台 `govscore serve` 列出历次检查",
                db.display()
            );
            EXIT_CONFIG
        }
        e @ StoredReportError::Incomplete { .. } => {
            eprintln!("错误：{e}");
            EXIT_CONFIG
        }
        e => {
            eprintln!("错误：{e}");
            EXIT_FAILURE
        }
    })
}

/// `check --discover`: what discovery would include and leave out on the portals.
async fn check_discover(settings: &Settings) -> i32 {
    let scope = crate::crawl::fetch::Scope::new(settings.sites.iter().map(|s| &s.url));
    let fetcher = match crate::crawl::fetch::Fetcher::new(&settings.crawl, scope) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return EXIT_FAILURE;
        }
    };
    let found = pipeline::discover_subsites(&fetcher, settings).await;
    print!(
        "{}",
        crate::crawl::discover::render_decisions(&found.decisions)
    );
    EXIT_OK
}

/// Runs an assessment and prints the summary; returns the CONTRACT exit code.
pub async fn run_and_print(settings: &Settings, opts: RunOptions) -> i32 {
    let since = opts
        .since
        .unwrap_or_else(|| pipeline::period_start(settings.rules.period, opts.as_of));
    if let Some(w) = crate::rules::holidays::coverage_warning(&settings.rules, since, opts.as_of) {
        eprintln!("警告：{w}");
    }
    match pipeline::run(settings, opts).await {
        Ok(outcome) => {
            print_ranking(&outcome.report);
            if !outcome.discovery.is_empty() {
                print!(
                    "\n{}",
                    crate::crawl::discover::render_decisions(&outcome.discovery)
                );
            }
            let s = &outcome.stats;
            // The page past a pager's real last page is the list's end, not a failure.
            let list_ends = if s.list_ends > 0 {
                format!("，分页超出末页 {} 次", s.list_ends)
            } else {
                String::new()
            };
            println!(
                "\n抓取统计：请求 {} 次（304 未变化 {} 次，重试 {} 次，拦截 {} 次，失败 {} 次{list_ends}），解析页面 {} 个，新增信息 {} 条，已知信息 {} 条",
                s.requests,
                s.not_modified,
                s.retries,
                s.blocked,
                s.failed,
                outcome.pages_parsed,
                outcome.items_new,
                outcome.items_known
            );
            let c = &outcome.screening;
            if c.requests + c.pages_screened + c.pages_reused + c.titles_only > 0 {
                println!(
                    "内容筛查：请求 {} 次（未计入抓取统计），新筛查文章 {} 篇、附件 {} 个，沿用此前筛查结果 {} 篇，仅筛查标题 {} 条，未筛查文件 {} 个，新发现问题 {} 处",
                    c.requests,
                    c.pages_screened,
                    c.attachments_screened,
                    c.pages_reused,
                    c.titles_only,
                    c.not_screened,
                    c.hits
                );
            }
            let l = &outcome.links;
            if l.enabled {
                println!(
                    "链接检查：链接 {} 个，本次请求 {} 次（另有 {} 个为本次抓取已读页面、{} 个7天内已确认正常），不可用 {} 个，疑似 {} 个，无法检测 {} 个，站外未检查 {} 个",
                    l.links,
                    l.requests,
                    l.read_by_crawl,
                    l.cached,
                    l.dead,
                    l.suspect,
                    l.unknown,
                    l.not_checked
                );
            }
            match &outcome.report_dir {
                Some(dir) => println!("报告目录：{}", dir.display()),
                None => println!(
                    "运行编号 {}：已抓取并入库；用 `govscore report --run {} --out DIR` 生成报告",
                    outcome.run_id, outcome.run_id
                ),
            }
            outcome.exit_code()
        }
        Err(e) => {
            eprintln!("错误：{e}");
            EXIT_FAILURE
        }
    }
}

/// Pads `s` with spaces to `width` terminal columns (left-aligned).
fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Pads `s` on the left to `width` terminal columns (right-aligned).
fn lpad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

/// Prints the ranked summary table.
pub fn print_ranking(report: &crate::report::model::Report) {
    use crate::report::common::{TIE_NOTE, by_role, unjudged_text};
    println!(
        "{} 政府网站检查  监测时间点 {}  期间 {} 至 {}",
        report.district, report.as_of, report.period.start, report.period.end
    );
    let name_w = report
        .sites
        .iter()
        .map(|s| display_width(&s.name))
        .max()
        .unwrap_or(4)
        .max(4);
    // One table per role: the portal apart, then 部门, then 乡镇/街道.
    for (label, sites) in by_role(report) {
        println!("\n【{label}】");
        println!(
            "{}  {}  {}  {}  {}  {}  状态",
            lpad("本类", 4),
            lpad("总排名", 6),
            pad("单位", name_w),
            lpad("得分", 6),
            pad("等级", 6),
            lpad("否决", 4)
        );
        for s in sites {
            let status = if s.grade.is_none() {
                unjudged_text(s)
            } else {
                match &s.status_reason {
                    Some(r) => format!("{}（{}）", crate::report::common::status_zh(&s.status), r),
                    None => crate::report::common::status_zh(&s.status).to_string(),
                }
            };
            println!(
                "{}  {}  {}  {}  {}  {}  {}",
                lpad(&s.rank_in_role.map_or("—".into(), |r| r.to_string()), 4),
                lpad(&s.rank.map_or("—".into(), |r| r.to_string()), 6),
                pad(&s.name, name_w),
                lpad(&s.score.map_or("—".into(), |v| format!("{v:.1}")), 6),
                pad(s.grade.as_deref().unwrap_or("—"), 6),
                lpad(&s.vetoes.len().to_string(), 4),
                status
            );
        }
    }
    println!("\n{TIE_NOTE}");
}

fn rules_cmd(cmd: RulesCmd) -> i32 {
    let (config, id) = match &cmd {
        RulesCmd::List(c) => (c, None),
        RulesCmd::Explain { id, config } => (config, Some(id.clone())),
    };
    let config_path = config.path();
    // Without a config file the built-in rules are shown; a named one must exist.
    let rules = if config_path.exists() || config.config.is_some() {
        match load_settings(&config_path) {
            Some(s) => s.rules,
            None => return EXIT_CONFIG,
        }
    } else {
        config::builtin_rules()
    };
    match id {
        None => {
            for r in &rules.rules {
                let pts = match r.severity {
                    crate::config::Severity::Deduct if r.weight.is_some() => {
                        format!("权重{}分/考核期", r.weight.unwrap_or_default())
                    }
                    crate::config::Severity::Deduct | crate::config::Severity::Bonus => {
                        format!("{}分/次", r.points)
                    }
                    _ => String::new(),
                };
                println!(
                    "{} {} {} {} {}",
                    pad(&r.id, 28),
                    pad(r.severity.label_zh(), 8),
                    pad(r.check.name(), 18),
                    r.title,
                    pts
                );
            }
            EXIT_OK
        }
        Some(id) => match rules.rules.iter().find(|r| r.id == id) {
            Some(r) => {
                println!("{} — {}", r.id, r.title);
                println!("检查项：{}", r.check.name());
                println!("结果：{}", r.severity.label_zh());
                if let Some(w) = r.weight {
                    println!("分值：整个考核期权重{w}分，每缺一期扣 {w} ÷ 考核期内参加考核的期数");
                } else if r.points > 0.0 {
                    println!("分值：每次{}分", r.points);
                }
                if let Some(c) = r.cap_per_column {
                    println!("单栏目上限：{c}分");
                }
                if let Some(c) = r.cap {
                    println!("单站上限：{c}分");
                }
                if !r.roles.is_empty() {
                    let roles: Vec<&str> = r.roles.iter().map(|x| x.label_zh()).collect();
                    println!("适用网站：{}", roles.join("、"));
                }
                if !r.classes.is_empty() {
                    let classes: Vec<&str> = r.classes.iter().map(|x| x.label_zh()).collect();
                    println!("适用栏目：{}", classes.join("、"));
                }
                if !r.source.is_empty() {
                    println!("依据：{}", r.source);
                }
                println!("定义位置：{}:{}", r.origin.file, r.origin.line);
                if !r.doc.is_empty() {
                    println!("\n{}", r.doc.trim_end());
                }
                EXIT_OK
            }
            None => {
                let ids = rules.rules.iter().map(|r| r.id.as_str());
                let hint = match config::suggest(&id, ids) {
                    Some(c) => format!("，是否想查看 `{c}`？"),
                    None => String::new(),
                };
                eprintln!("错误：没有规则 `{id}`{hint}（`govscore rules list` 列出生效的规则）");
                EXIT_CONFIG
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::log_max_level;
    use tracing_log::log::LevelFilter;

    #[test]
    fn log_records_pass_only_where_a_directive_could_let_them() {
        // govscore's own directives cannot let a `log` record of another crate pass.
        assert_eq!(
            log_max_level("warn,govscore::request=trace"),
            LevelFilter::Warn
        );
        assert_eq!(log_max_level("govscore=debug"), LevelFilter::Off);
        assert_eq!(
            log_max_level("govscore[run]=trace,error"),
            LevelFilter::Error
        );
        // A default level, another crate's target, or a bare target (everything).
        assert_eq!(log_max_level("info"), LevelFilter::Info);
        assert_eq!(log_max_level("WARN, html5ever=trace"), LevelFilter::Trace);
        assert_eq!(log_max_level("reqwest"), LevelFilter::Trace);
        assert_eq!(log_max_level("govscorex=debug"), LevelFilter::Debug);
        // A span filter without a target applies to every target.
        assert_eq!(log_max_level("[fetch{host=a}]=debug"), LevelFilter::Debug);
        assert_eq!(log_max_level("off"), LevelFilter::Off);
    }
}
