//! Loading and validating `config.yaml` and the rule files into resolved `Settings` and a
//! `RuleSet`.
//!
//! Architecture:
//! - `yaml`: a position-annotated node tree from granit-parser events (the parser
//!   serde-saphyr uses), so every problem carries file:line:column;
//! - `config_file`: config.yaml keys (CONTRACT §2) and their defaults;
//! - `rule_file`: rule files (`settings` + `rules`) and the scoring defaults;
//! - `diagnostic`: the `Diagnostic` type, its rendering and "did you mean" suggestions.
//!
//! Every problem of every file is collected before anything is returned: callers get
//! either a fully valid `Settings` or the complete list of diagnostics. This module must
//! not crawl, score or evaluate rules; later stages never see raw YAML.

mod config_file;
mod diagnostic;
mod holidays;
mod rule_file;
mod types;
pub(crate) mod yaml;

pub use config_file::{database_only, schedule_parser, validate_cron};
pub(crate) use diagnostic::suggest;
pub use diagnostic::{Diagnostic, render_diagnostics};
pub use holidays::{Holiday, HolidayCalendar, HolidayNotice, HolidayYear};
pub use types::*;

use std::path::{Path, PathBuf};

/// The repository's rules/holidays.yaml (the official holiday calendar), embedded.
const BUILTIN_HOLIDAYS: &str = include_str!("../../rules/holidays.yaml");

/// The official holiday calendar built into the binary (rules/holidays.yaml). A unit test
/// asserts it validates, so this does not fail at run time.
pub fn builtin_holidays() -> &'static HolidayCalendar {
    static CAL: std::sync::OnceLock<HolidayCalendar> = std::sync::OnceLock::new();
    CAL.get_or_init(|| {
        match load_rules_from_sources(&[("<built-in>/holidays.yaml", BUILTIN_HOLIDAYS)]) {
            Ok(RuleSet {
                holidays: Some(cal),
                ..
            }) => cal,
            Ok(_) => panic!("the built-in holidays.yaml has no `holidays:`"),
            Err(d) => panic!(
                "the built-in holidays.yaml is invalid:\n{}",
                render_diagnostics(&d)
            ),
        }
    })
}

impl RuleSet {
    /// The holiday calendar in force: the one a rule file gives, else the built-in one.
    pub fn calendar(&self) -> &HolidayCalendar {
        self.holidays.as_ref().unwrap_or_else(|| builtin_holidays())
    }
}

/// The repository's rules/*.yaml, embedded at build time, as (display name, text).
const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
    ("<built-in>/holidays.yaml", BUILTIN_HOLIDAYS),
    (
        "<built-in>/local.yaml",
        include_str!("../../rules/local.yaml"),
    ),
    (
        "<built-in>/national.yaml",
        include_str!("../../rules/national.yaml"),
    ),
];

/// Loads and validates a config file and the rule files it names. Relative paths in the
/// config resolve from the config file's folder. On failure, every problem is returned.
pub fn load(path: &Path) -> Result<Settings, Vec<Diagnostic>> {
    let file_name = path.display().to_string();
    let text = yaml::read_text(
        path,
        &file_name,
        "配置文件",
        "请检查 --config 给出的路径（默认为当前目录下的 config.yaml）",
    )
    .map_err(|d| vec![d])?;
    let base_dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut settings = load_str(&text, &file_name, &base_dir)?;
    settings.config_path = Some(path.to_path_buf());
    Ok(settings)
}

/// Validates config text named `file_name` (used in diagnostics). Relative paths (rules,
/// storage.database, reports.dir) resolve from `base_dir`; without a `rules` key the
/// built-in rules are used. `config_path` of the result is None.
pub fn load_str(
    yaml_text: &str,
    file_name: &str,
    base_dir: &Path,
) -> Result<Settings, Vec<Diagnostic>> {
    let mut r = yaml::Reporter::new(file_name, yaml_text);
    let root = match yaml::parse(yaml_text) {
        Ok(Some(root)) => root,
        Ok(None) => yaml::Node {
            loc: yaml::Loc {
                line: 1,
                col: 1,
                len: 1,
            },
            kind: yaml::Kind::Map(Vec::new()),
        },
        Err(e) => {
            r.syntax_error(&e);
            return Err(r.diags);
        }
    };
    let (settings, source) = config_file::settings(&mut r, &root, base_dir);
    let mut diags = r.into_sorted();
    let rules = match source {
        config_file::RulesSource::Builtin => Ok(builtin_rules()),
        config_file::RulesSource::Path(path, node) => {
            let mut r = yaml::Reporter::new(file_name, yaml_text);
            match rule_files_in(&path) {
                Ok(files) => load_rules(&files),
                Err(problems) => {
                    for (msg, help) in problems {
                        r.at(node, msg, Some(help));
                    }
                    Err(r.diags)
                }
            }
        }
        config_file::RulesSource::Files(files) => {
            let mut r = yaml::Reporter::new(file_name, yaml_text);
            for (path, node) in &files {
                if let Some((msg, help)) = rule_file_problem(path) {
                    r.at(node, msg, Some(help));
                }
            }
            if r.diags.is_empty() {
                load_rules(&files.into_iter().map(|(p, _)| p).collect::<Vec<_>>())
            } else {
                Err(r.diags)
            }
        }
    };
    match (settings, rules) {
        (Some(mut s), Ok(rules)) if diags.is_empty() => {
            s.rules = rules;
            Ok(s)
        }
        (_, rules) => {
            if let Err(mut more) = rules {
                diags.append(&mut more);
            }
            Err(diags)
        }
    }
}

/// A problem with one rule file path: (message, help).
type PathProblem = (String, String);

/// Why a rule file cannot be read, if it cannot: missing, a broken link, a folder, or
/// unreadable (permissions). Checked before loading, so `check` names the real cause
/// instead of leaving the file's rules silently out.
fn rule_file_problem(path: &Path) -> Option<PathProblem> {
    let shown = path.display();
    let link = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_symlink());
    match std::fs::metadata(path) {
        Err(_) if link.is_some() => {
            let target = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_else(|_| "?".into());
            Some((
                format!(
                    "规则文件 `{shown}` 是一个失效的链接：它指向的 `{target}` 不存在，其中的规则不会生效"
                ),
                "恢复链接指向的文件，或删除这个链接".into(),
            ))
        }
        Err(_) => Some((
            format!("规则文件 `{shown}` 不存在"),
            "请改正路径（相对路径从配置文件所在目录算起）".into(),
        )),
        Ok(m) if m.is_dir() => Some((
            format!("规则文件 `{shown}` 是一个目录，不是文件"),
            "`rules:` 可以写一个规则目录，或一组规则文件".into(),
        )),
        Ok(_) => match std::fs::File::open(path) {
            Ok(_) => None,
            Err(e) => Some((
                format!("规则文件 `{shown}` 无法读取：{e}，其中的规则不会生效"),
                "让运行 govscore 的用户可以读取它（如 chmod 0644），或从规则目录中移走".into(),
            )),
        },
    }
}

/// Whether a file name is a rule file's: `*.yaml` or `*.yml` (any case), not hidden
/// (editors keep `.#name.yaml` lock links and `.name.yaml.swp` files beside the ones
/// they edit).
fn is_rule_file_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy().to_lowercase();
    !name.starts_with('.') && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// The rule files of a `rules:` path: every *.yaml and *.yml of a folder, sorted, or the
/// file itself. Every problem is returned: a broken link, an unreadable file or a folder
/// named like a rule file in the folder is an error, never silently skipped.
fn rule_files_in(path: &Path) -> Result<Vec<PathBuf>, Vec<PathProblem>> {
    let shown = path.display();
    if !path.is_dir() {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(vec![(
                format!("规则目录 `{shown}` 不存在"),
                "让 `rules:` 指向规则文件（*.yaml）所在的目录，或删除这一项以使用内置规则".into(),
            )]);
        }
        return match rule_file_problem(path) {
            Some(p) => Err(vec![p]),
            None => Ok(vec![path.to_path_buf()]),
        };
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        vec![(
            format!("无法读取规则目录 `{shown}`：{e}"),
            "让运行 govscore 的用户可以读取这个目录".to_string(),
        )]
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| is_rule_file_name(&e.file_name()))
        .map(|e| e.path())
        .collect();
    files.sort();
    let problems: Vec<PathProblem> = files.iter().filter_map(|p| rule_file_problem(p)).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    if files.is_empty() {
        return Err(vec![(
            format!("规则目录 `{shown}` 中没有规则文件（*.yaml 或 *.yml）"),
            "把规则文件放进这个目录，或删除 `rules:` 以使用内置规则".into(),
        )]);
    }
    Ok(files)
}

/// Loads and validates rule files into one `RuleSet` (rules in file order, settings
/// merged; each setting may be set by at most one file). On failure, every problem of
/// every file is returned.
pub fn load_rules(files: &[PathBuf]) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut loader = rule_file::RuleLoader::new();
    for path in files {
        let name = path.display().to_string();
        match yaml::read_text(
            path,
            &name,
            "规则文件",
            "请检查配置文件 `rules:` 中的路径（相对路径从配置文件所在目录算起）",
        ) {
            Ok(text) => loader.add(&name, &text),
            Err(d) => loader.diags.push(d),
        }
    }
    loader.finish()
}

/// Validates rule files given as (display name, text) pairs, without touching the disk.
pub fn load_rules_from_sources(sources: &[(&str, &str)]) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut loader = rule_file::RuleLoader::new();
    for (name, text) in sources {
        loader.add(name, text);
    }
    loader.finish()
}

/// The rules built into the binary: the repository's rules/*.yaml. A unit test asserts
/// they validate, so this does not fail at run time.
pub fn builtin_rules() -> RuleSet {
    match load_rules_from_sources(BUILTIN_RULE_FILES) {
        Ok(set) => set,
        // Unreachable in a tested build: `builtin_rules_validate` loads the same text.
        Err(d) => panic!(
            "the built-in rule files are invalid:\n{}",
            render_diagnostics(&d)
        ),
    }
}

#[cfg(test)]
mod tests;
