//! The subcommands: turn parsed arguments into library calls and an exit code.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::audit::Engine;
use crate::cli::{AuditArgs, Cli, Command, MergeArgs, OutputFormat, RulesArgs};
use crate::model::FailOn;
use crate::report::summary::Summary;
use crate::rules::DataFiles;
use crate::run::AuditOptions;

/// Exit codes (CONTRACT.md section 1).
pub use crate::model::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
// The reports still name the digit grouping by this path.

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Audit(args) => audit_command(&args),
        Command::Rules(args) => rules_command(&args),
        Command::Explain { rule_id, rules } => explain_command(&rule_id, rules.as_deref()),
        Command::CheckRules { dir } => check_rules_command(&dir),
        Command::Categories { rules } => categories_command(rules.as_deref()),
        Command::Merge(args) => merge_command(&args),
        Command::Template {
            out,
            force,
            example,
        } => template_command(&out, force, example),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            error(&format!("{e:#}"));
            EXIT_ERROR
        }
    }
}

/// `tipaudit template`: never replace a file unasked, never write onto a directory.
fn template_command(out: &Path, force: bool, example: bool) -> anyhow::Result<i32> {
    if out.is_dir() {
        bail!(
            "-o {} is a directory; give a file name, e.g. -o {}",
            out.display(),
            out.join("contracts.xlsx").display()
        );
    }
    if out.exists() && !force {
        bail!(
            "{} exists; choose another name or add --force to replace it",
            out.display()
        );
    }
    crate::report::template::write_template(out, example)?;
    Ok(EXIT_CLEAN)
}

fn load_data(dir: Option<&Path>) -> anyhow::Result<DataFiles> {
    match dir {
        Some(d) => DataFiles::from_dir(d),
        None => Ok(DataFiles::builtin()),
    }
}

fn parse_as_of(s: Option<&str>) -> anyhow::Result<NaiveDate> {
    match s {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .with_context(|| format!("--as-of '{s}' is not a date in the form YYYY-MM-DD")),
    }
}

fn parse_shard(s: &str) -> anyhow::Result<(u32, u32)> {
    let bad = || anyhow::anyhow!("--shard '{s}' must be K/N with 1 <= K <= N, e.g. 2/8");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let k: u32 = k.trim().parse().map_err(|_| bad())?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

impl From<crate::cli::FailOn> for FailOn {
    fn from(f: crate::cli::FailOn) -> FailOn {
        match f {
            crate::cli::FailOn::High => FailOn::High,
            crate::cli::FailOn::Medium => FailOn::Medium,
            crate::cli::FailOn::Low => FailOn::Low,
            crate::cli::FailOn::Never => FailOn::Never,
        }
    }
}

fn audit_options(args: &AuditArgs) -> anyhow::Result<AuditOptions> {
    Ok(AuditOptions {
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        data: load_data(args.rules.as_deref())?,
        mapping: args.mapping.clone(),
        entities: args.entities.clone(),
        clauses: args.clauses.clone(),
        as_of: parse_as_of(args.as_of.as_deref())?,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }),
        annotate: !args.no_annotate,
        shard: args.shard.as_deref().map(parse_shard).transpose()?,
        progress: !args.quiet,
        limits: args.limits.limits(),
    })
}

fn audit_command(args: &AuditArgs) -> anyhow::Result<i32> {
    let run = crate::audit(&audit_options(args)?)?;
    // Errors and warnings go to stderr, the summary to stdout (as ripgrep and cargo do);
    // `-q` hides the progress and the notes, never a warning or an error.
    // Removing files is always said, even with -q.
    if !run.removed.is_empty() {
        note(&crate::outdir::removed_note(&args.out, &run.removed));
    }
    if !args.quiet && run.shard_without_files {
        note(
            "this shard holds none of the inputs; its outputs are empty (merge them with the other shards)",
        );
    }
    for w in &run.coverage.warnings {
        warning(w);
    }
    // Sheet notes on audited sheets (repeated header names, rows not read); the summary
    // lists the sheets not audited.
    for f in &run.batch.files {
        for s in f.sheets.iter().filter(|s| s.audited) {
            if let Some(n) = &s.note {
                warning(&format!("{}: sheet '{}': {n}", f.file, s.name));
            }
        }
    }
    for f in &run.batch.files {
        if let Some(e) = &f.error {
            error(&format!("{}: {e}", f.file));
        }
    }
    let fail_on = args.fail_on.into();
    print_summary(&run.summary(fail_on, args.verbose), args.format)?;
    for e in &run.coverage.errors {
        error(e);
    }
    Ok(run.exit_code(fail_on))
}

/// `tipaudit merge <OUT_DIR>... -o DIR`: exit codes as `audit` with `--fail-on high`.
fn merge_command(args: &MergeArgs) -> anyhow::Result<i32> {
    let merged = crate::merge(&args.dirs, &args.out)?;
    print_summary(&merged.summary(), args.format)?;
    Ok(merged.exit_code())
}

/// `tipaudit: error: ...` on stderr.
pub fn error(msg: &str) {
    eprintln!("tipaudit: error: {msg}");
}

/// `tipaudit: warning: ...` on stderr.
pub fn warning(msg: &str) {
    eprintln!("tipaudit: warning: {msg}");
}

/// `tipaudit: note: ...` on stderr.
pub fn note(msg: &str) {
    eprintln!("tipaudit: note: {msg}");
}

fn print_summary(summary: &Summary, format: OutputFormat) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Human => out.write_all(summary.human().as_bytes())?,
        OutputFormat::Json => {
            serde_json::to_writer(&mut out, summary)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn rules_command(args: &RulesArgs) -> anyhow::Result<i32> {
    let data = load_data(args.rules.as_deref())?;
    let engine = Engine::load(&data)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Human => {
            out.write_all(crate::rules::render_rules_table(&engine.rules).as_bytes())?
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &crate::rules::rules_json(&engine.rules))?;
            out.write_all(b"\n")?;
        }
    }
    Ok(EXIT_CLEAN)
}

fn explain_command(id: &str, rules: Option<&Path>) -> anyhow::Result<i32> {
    let data = load_data(rules)?;
    let engine = Engine::load(&data)?;
    match crate::rules::explain(&engine.rules, id) {
        Some(text) => {
            print!("{text}");
            Ok(EXIT_CLEAN)
        }
        None => {
            error(&format!(
                "unknown rule '{id}'; `tipaudit rules` lists them (ids such as TIP001, BP02)"
            ));
            Ok(EXIT_ERROR)
        }
    }
}

fn categories_command(rules: Option<&Path>) -> anyhow::Result<i32> {
    let engine = Engine::load(&load_data(rules)?)?;
    print!(
        "{}",
        crate::risk::render_categories(&engine.risk.categories)
    );
    Ok(EXIT_CLEAN)
}

fn check_rules_command(dir: &Path) -> anyhow::Result<i32> {
    let data = DataFiles::from_dir(dir)?;
    let present: Vec<&str> = crate::rules::DATA_FILE_NAMES
        .iter()
        .copied()
        .filter(|n| dir.join(n).is_file())
        .collect();
    if present.is_empty() {
        bail!(
            "{} holds none of the rule files ({}); nothing to check",
            dir.display(),
            crate::rules::DATA_FILE_NAMES.join(", ")
        );
    }
    // The engine loads what an audit uses; `risk::check_dir` adds what only a check needs:
    // the source of every screening-list entry and a copy of the place lists.
    let checked = Engine::load(&data).map_err(|e| vec![format!("{e:#}")]);
    match checked.and_then(|_| crate::risk::check_dir(dir)) {
        Ok(()) => {
            let others = crate::rules::DATA_FILE_NAMES.len() - present.len();
            let rest = if others > 0 {
                format!(" ({others} other file(s) not in the folder: the built-in ones are used)")
            } else {
                String::new()
            };
            println!("{}: OK: {}{rest}", dir.display(), present.join(", "));
            Ok(EXIT_CLEAN)
        }
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            Ok(EXIT_ERROR)
        }
    }
}
