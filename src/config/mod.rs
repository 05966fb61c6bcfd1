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
mod rule_file;
mod types;
mod yaml;

pub use config_file::{schedule_parser, validate_cron};
pub use diagnostic::{Diagnostic, render_diagnostics};
pub use types::*;

use std::path::{Path, PathBuf};

/// The repository's rules/*.yaml, embedded at build time, as (display name, text).
const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
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
        "config file",
        "check the path given with --config (default: config.yaml in the current folder)",
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
            r.at_loc(
                yaml::Loc {
                    line: e.line,
                    col: e.col,
                    len: 1,
                },
                format!("YAML syntax error: {}", e.message),
                None,
            );
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
                Err(msg) => {
                    r.at(node, msg, Some("point `rules:` at a folder of *.yaml rule files, or remove it to use the built-in rules".into()));
                    Err(r.diags)
                }
            }
        }
        config_file::RulesSource::Files(files) => {
            let mut r = yaml::Reporter::new(file_name, yaml_text);
            for (path, node) in &files {
                if !path.is_file() {
                    r.at(
                        node,
                        format!("rule file `{}` does not exist", path.display()),
                        Some(
                            "fix the path (relative paths start at the config file's folder)"
                                .into(),
                        ),
                    );
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

/// The rule files of a `rules:` path: every *.yaml of a folder, sorted, or the file itself.
fn rule_files_in(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        return Err(format!("rule folder `{}` does not exist", path.display()));
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| format!("cannot read rule folder `{}`: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "rule folder `{}` has no *.yaml files",
            path.display()
        ));
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
            "rule file",
            "fix the path in `rules:` of the config (relative paths start at the config file's folder)",
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
