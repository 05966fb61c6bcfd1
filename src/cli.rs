//! Command-line interface: clap commands mapped to library calls and CONTRACT exit codes
//! (0 success, 1 unexpected failure, 2 some site not ok / report has errors, 3 invalid
//! config or rules).

use crate::config::{self, Settings};
use crate::pipeline::{self, RunOptions};
use crate::textwidth::display_width;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: unexpected failure.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code: the run finished but some site is not ok.
pub const EXIT_NOT_OK: i32 = 2;
/// Exit code: invalid config or rules.
pub const EXIT_CONFIG: i32 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "govscore",
    version,
    about = "Assess a district's government websites: update cadence, annual reports, scores and reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct ConfigArg {
    /// The config file.
    #[arg(long, env = "GOVSCORE_CONFIG", default_value = "config.yaml")]
    config: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
struct RunArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// The 监测时间点 (YYYY-MM-DD), default today in the configured time zone.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// First day of the assessment period (default: the rules' period containing --as-of).
    #[arg(long, value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// The exact folder to write the reports to.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The SQLite database (default: the config's storage.database).
    #[arg(long)]
    db: Option<PathBuf>,
    /// The day the crawl is taken to look at the sites (default today); for replaying
    /// simulated days.
    #[arg(long, value_parser = parse_date, hide = true)]
    observed_on: Option<NaiveDate>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate config.yaml and every rule file; print every problem with file:line:column.
    Check(ConfigArg),
    /// One full assessment now: crawl, check, score, write all report formats.
    Run(RunArgs),
    /// Crawl and store (and score) without writing report files; `score` and `report`
    /// then work from the database.
    Crawl(RunArgs),
    /// The rules in force, or one rule's documentation.
    Rules {
        #[command(subcommand)]
        cmd: RulesCmd,
    },
    /// Recompute the scores of a stored run from the database alone and print them.
    Score {
        #[command(flatten)]
        config: ConfigArg,
        /// The run id (default the latest finished run).
        #[arg(long)]
        run: Option<i64>,
        /// The SQLite database (default: the config's storage.database).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Write the reports of a stored run again (recomputed from the database).
    Report {
        #[command(flatten)]
        config: ConfigArg,
        /// The run id (default the latest finished run).
        #[arg(long)]
        run: Option<i64>,
        /// The SQLite database.
        #[arg(long)]
        db: Option<PathBuf>,
        /// The folder to write to.
        #[arg(long)]
        out: PathBuf,
    },
    /// Start the embedded simulated district on loopback, assess it, write the reports.
    Demo {
        /// Where to write the reports (and the demo database).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The 监测时间点 of the demo (default today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// Check one 政府信息公开工作年度报告 (HTML, PDF, DOCX or text): print the parsed tables and
    /// every problem; exit 0 when it has no error, 2 when it has one.
    AnnualReport {
        /// A file path or an http(s) URL.
        input: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The background service: assessments on schedule.assess, availability probes,
    /// notifications; systemd-aware (notify, watchdog, SIGHUP reload).
    Daemon(ConfigArg),
    /// Read-only web dashboard over the database (binds 127.0.0.1:8080 by default).
    Serve {
        #[command(flatten)]
        config: ConfigArg,
        /// Address to listen on; a non-loopback address needs serve.token in the config.
        #[arg(long, default_value = crate::serve::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
    },
    /// Serve the simulated district alone and print a config.yaml that assesses it.
    Sim {
        /// Address to listen on (loopback).
        #[arg(long, default_value = "127.0.0.1:18080")]
        listen: std::net::SocketAddr,
        /// The day the simulated content is dated relative to (default today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// 筛查一份文档（DOCX、PDF、HTML、文本或网址；发布前的稿件或已发布的网页）中的
    /// 错别字、格式差错和个人信息；发现严重问题时退出码为 2。
    Screen {
        /// 文件路径或 http(s) 网址。
        input: String,
        /// 输出 JSON 而不是文本。
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCmd {
    /// List the rules in force.
    List(ConfigArg),
    /// Print one rule's documentation.
    Explain {
        /// Rule id.
        id: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("expected YYYY-MM-DD, got {s:?}"))
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
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
            eprintln!("{} problem(s) found; nothing was run.", diags.len());
            None
        }
    }
}

async fn dispatch(cmd: Command) -> i32 {
    match cmd {
        Command::Check(c) => match load_settings(&c.config) {
            Some(s) => {
                println!(
                    "{}: valid — {} site(s), {} rule(s)",
                    c.config.display(),
                    s.sites.len(),
                    s.rules.rules.len()
                );
                EXIT_OK
            }
            None => EXIT_CONFIG,
        },
        Command::Run(args) => run_cmd(args, true).await,
        Command::Crawl(args) => run_cmd(args, false).await,
        Command::Rules { cmd } => rules_cmd(cmd),
        Command::Score { config, run, db } => {
            let Some(settings) = load_settings(&config.config) else {
                return EXIT_CONFIG;
            };
            match stored_report(&settings, run, db) {
                Ok(report) => {
                    print_ranking(&report);
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_FAILURE
                }
            }
        }
        Command::Report {
            config,
            run,
            db,
            out,
        } => {
            let Some(settings) = load_settings(&config.config) else {
                return EXIT_CONFIG;
            };
            match stored_report(&settings, run, db) {
                Ok(report) => match crate::report::write_all(&report, &out) {
                    Ok(_) => {
                        println!("报告已写入 {}", out.display());
                        EXIT_OK
                    }
                    Err(e) => {
                        eprintln!("error: cannot write reports to {}: {e}", out.display());
                        EXIT_FAILURE
                    }
                },
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_FAILURE
                }
            }
        }
        Command::AnnualReport { input, json } => crate::annual::cli(&input, json),
        Command::Demo { out, as_of } => crate::demo::run(out, as_of).await,
        Command::Screen { input, json } => crate::screen::cli(&input, json),
        Command::Sim { listen, as_of } => crate::demo::serve_sim(listen, as_of).await,
        Command::Daemon(c) => crate::daemon::run(&c.config).await,
        Command::Serve { config, listen } => {
            let Some(settings) = load_settings(&config.config) else {
                return EXIT_CONFIG;
            };
            if !crate::serve::database_exists(&settings.database) {
                eprintln!(
                    "error: database {} does not exist yet; run `govscore run` or start the daemon first",
                    settings.database.display()
                );
                return EXIT_FAILURE;
            }
            match crate::serve::serve(&settings, listen).await {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_FAILURE
                }
            }
        }
    }
}

async fn run_cmd(args: RunArgs, write_reports: bool) -> i32 {
    let Some(settings) = load_settings(&args.config.config) else {
        return EXIT_CONFIG;
    };
    let opts = RunOptions {
        since: args.since,
        out: args.out,
        db: args.db,
        observed_on: args.observed_on,
        write_reports,
        ..RunOptions::new(args.as_of.unwrap_or_else(|| pipeline::today(&settings)))
    };
    run_and_print(&settings, opts).await
}

fn stored_report(
    settings: &Settings,
    run: Option<i64>,
    db: Option<PathBuf>,
) -> Result<crate::report::model::Report, crate::store::StoreError> {
    let db = db.unwrap_or_else(|| settings.database.clone());
    let store = crate::store::Store::open_read_only(&db)?;
    let run_id = match run {
        Some(r) => r,
        None => store
            .latest_run()?
            .ok_or(crate::store::StoreError::NoSuchRun(0))?,
    };
    let snapshot = store.snapshot(run_id)?;
    let mut report = pipeline::build_report(settings, &snapshot, run_id);
    pipeline::add_history(&store, settings, &mut report)?;
    Ok(report)
}

/// Runs an assessment and prints the summary; returns the CONTRACT exit code.
pub async fn run_and_print(settings: &Settings, opts: RunOptions) -> i32 {
    match pipeline::run(settings, opts).await {
        Ok(outcome) => {
            print_ranking(&outcome.report);
            let s = &outcome.stats;
            println!(
                "\n抓取统计：请求 {} 次（304 未变化 {} 次，重试 {} 次，拦截 {} 次，失败 {} 次），解析页面 {} 个，新增信息 {} 条，已知信息 {} 条",
                s.requests,
                s.not_modified,
                s.retries,
                s.blocked,
                s.failed,
                outcome.pages_parsed,
                outcome.items_new,
                outcome.items_known
            );
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
            eprintln!("error: {e}");
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
    println!(
        "{}  {}  {}  {}  {}  状态",
        lpad("排名", 4),
        pad("单位", name_w),
        lpad("得分", 6),
        pad("等级", 6),
        lpad("否决", 4)
    );
    for s in &report.sites {
        println!(
            "{}  {}  {}  {}  {}  {}",
            lpad(&s.rank.map_or("—".into(), |r| r.to_string()), 4),
            pad(&s.name, name_w),
            lpad(&s.score.map_or("—".into(), |v| format!("{v:.1}")), 6),
            pad(s.grade.as_deref().unwrap_or("—"), 6),
            lpad(&s.vetoes.len().to_string(), 4),
            match &s.status_reason {
                Some(r) => format!("{}（{}）", s.status, r),
                None => s.status.clone(),
            }
        );
    }
}

fn rules_cmd(cmd: RulesCmd) -> i32 {
    let (config_path, id) = match &cmd {
        RulesCmd::List(c) => (c.config.clone(), None),
        RulesCmd::Explain { id, config } => (config.config.clone(), Some(id.clone())),
    };
    // Without a config file the built-in rules are shown.
    let rules = if config_path.exists() {
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
                if r.points > 0.0 {
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
                eprintln!("error: no rule `{id}`; `govscore rules list` shows the rules in force");
                EXIT_FAILURE
            }
        },
    }
}
