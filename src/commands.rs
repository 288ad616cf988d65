//! The subcommands: turn parsed arguments into library calls and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::audit::Engine;
use crate::batch::{self, RunCtx};
use crate::cli::{AuditArgs, Cli, Command, FailOn, OutputFormat, RulesArgs};
use crate::ingest::fields::{FieldId, Synonyms, Target};
use crate::model::{BatchOutcome, Severity};
use crate::report::summary::Summary;
use crate::rules::DataFiles;
use crate::sink::FileSink;

/// Exit codes (CONTRACT.md section 1).
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Audit(args) => audit_command(&args),
        Command::Rules(args) => rules_command(&args),
        Command::Explain { rule_id, rules } => explain_command(&rule_id, rules.as_deref()),
        Command::CheckRules { dir } => check_rules_command(&dir),
        Command::Categories { rules } => categories_command(rules.as_deref()),
        Command::Merge(args) => crate::merge::merge_command(&args),
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

/// Options of one audit run, as the library takes them.
pub struct AuditOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub data: DataFiles,
    pub mapping: Option<PathBuf>,
    /// Extra screening lists (`--entities`).
    pub entities: Vec<PathBuf>,
    /// Clause reports and contract documents (`--clauses`), joined to every input's records.
    pub clauses: Vec<PathBuf>,
    pub as_of: NaiveDate,
    pub jobs: usize,
    pub annotate: bool,
    pub shard: Option<(u32, u32)>,
    pub progress: bool,
    /// Per-file limits checked before parsing.
    pub limits: crate::ingest::Limits,
}

/// A finished audit: the batch and what the run should say about its coverage.
pub struct AuditRun {
    pub batch: BatchOutcome,
    /// Files skipped in walked directories, with the reason.
    pub skipped: Vec<batch::Skipped>,
    /// Annotated copies of the previous run removed from the output directory.
    pub removed: Vec<String>,
    /// `--mapping` entries `(field, column)` that matched no column.
    pub unused_mapping: Vec<(String, String)>,
    /// A `--shard` that holds none of a non-empty input list.
    pub shard_without_files: bool,
}

/// Audit the inputs and write every output into `opts.out`.
pub fn audit(opts: &AuditOptions) -> anyhow::Result<AuditRun> {
    let mut engine = Engine::load(&opts.data)?;
    for path in &opts.entities {
        let entries = crate::risk::load_entities(path)
            .with_context(|| format!("screening list {}", path.display()))?;
        engine.add_entities(entries);
    }
    let mut synonyms = Synonyms::load(
        opts.data
            .get("fields.toml")
            .context("fields.toml is missing from the rule data")?,
        &engine.evidence_fields(),
    )?;
    if let Some(m) = &opts.mapping {
        apply_mapping(&mut synonyms, m, &engine)?;
    }
    let found = batch::find_inputs_skipping(&opts.inputs, Some(&opts.out));
    // Nothing is written for a command line that names nothing to audit.
    if found.files.is_empty() {
        bail!("{}", crate::coverage::nothing_to_audit(&found));
    }
    prepare_out_dir(&opts.out)?;
    crate::output::watch_out_dir(&opts.out);
    let skipped = found.skipped.clone();

    // Clause evidence is read in full (on every core) before any input, so every file and
    // every shard joins against the same index.
    let evidence = crate::evidence::load(
        &opts.clauses,
        &synonyms,
        &engine.clause_parser,
        &opts.limits,
    );
    if opts.progress {
        for note in &evidence.notes {
            eprintln!("tipaudit: note: {note}");
        }
    }
    let mut found = found;
    found.errors.extend(evidence.errors.iter().cloned());
    let inputs_digest = crate::merge::inputs_digest(&found.files);
    let inputs_total = found.files.len();
    // Position of each audited file in the whole (unsharded) input list: `merge` orders by it.
    let mut indexed: Vec<(usize, batch::Input)> = found.files.into_iter().enumerate().collect();
    if let Some((k, n)) = opts.shard {
        indexed.retain(|(_, f)| batch::in_shard(f, k, n));
    }
    let (positions, files): (Vec<usize>, Vec<batch::Input>) = indexed.into_iter().unzip();
    refuse_overwrite(&files, &opts.out)?;
    let names = batch::output_names(&files);
    let shard_without_files = files.is_empty();
    let keep: Vec<String> = if opts.annotate {
        names.clone()
    } else {
        Vec::new()
    };
    let bar = crate::progress::Progress::start(opts.progress, &files);
    let on_rows = |n: u64| {
        if let Some(b) = &bar {
            b.add_rows(n);
        }
    };
    let run = RunCtx {
        engine: &engine,
        synonyms: &synonyms,
        as_of: opts.as_of,
        on_rows: &on_rows,
        limits: opts.limits,
        evidence: &evidence.index,
    };
    let out_dir = opts.out.clone();
    let annotate = opts.annotate;
    let as_of = opts.as_of;
    let clause_source = !evidence.index.is_empty();
    let is_doc: Vec<bool> = files
        .iter()
        .map(|f| crate::evidence::document::is_document(&f.path))
        .collect();
    let make_sink = move |i: usize| -> Option<Box<dyn FileSink>> {
        // A contract document has no sheet to annotate: its record is in the reports.
        if annotate && !is_doc[i] {
            crate::report::sink_for(&out_dir.join(&names[i]), as_of, clause_source)
        } else {
            None
        }
    };
    let spool = batch::Spool::new_in(&opts.out)?;
    let timings = Timings::from_env();
    // One pool of `-j` threads for the files and, after them, the portfolio reports.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()?;
    let batch::FilesRun { runs, pending } =
        batch::run_files(&files, &run, &pool, &spool, &make_sink, &|o| {
            if let Some(b) = &bar {
                b.file_done(&o.file);
            }
        });
    // A run whose every input failed writes no reports (and leaves a previous run's as
    // they are): the errors are the whole result. A shard still writes its outputs, so
    // `merge` carries its errors into the portfolio's.
    if opts.shard.is_none() && !runs.is_empty() && runs.iter().all(|r| r.outcome.error.is_some()) {
        if let Some(b) = &bar {
            b.finish();
        }
        let mut msg = String::from("no input could be audited; no reports were written");
        for r in &runs {
            msg.push_str(&format!(
                "\n  {}: {}",
                r.outcome.file,
                r.outcome.error.as_deref().unwrap_or_default()
            ));
        }
        for (file, error) in &found.errors {
            msg.push_str(&format!("\n  {file}: {error}"));
        }
        bail!("{msg}");
    }
    if let Some(b) = &bar {
        b.writing();
    }
    let removed = crate::outdir::remove_stale(&opts.out, &keep)?;
    timings.mark("audit files");
    let shape = |outcome: &BatchOutcome, marked: &[Vec<usize>]| -> anyhow::Result<()> {
        crate::merge::write_run_json(
            &opts.out,
            outcome,
            &crate::merge::RunShape {
                shard: opts.shard,
                inputs_total,
                inputs_digest: inputs_digest.clone(),
                positions: &positions,
                cross_file: marked,
                skipped: &skipped,
            },
        )
    };
    // The last annotated copies are saved while the batch's other outputs are written;
    // those name the copies as saved, and are written again should a save fail.
    let rule_data = crate::report::gap::RuleData::new(&opts.data, &engine);
    let (written, saved) = std::thread::scope(|scope| {
        let saving = scope.spawn(|| batch::save_pending(&pool, pending));
        let written = (|| -> anyhow::Result<_> {
            let (mut outcome, marked, records_len) = batch::finish_batch(
                &engine,
                &opts.out,
                &spool,
                runs,
                found.errors,
                skipped.len(),
                opts.as_of,
                &opts.data.origin,
            )?;
            outcome.evidence = crate::model::EvidenceOutcome {
                files: evidence.index.files,
                contracts: evidence.index.len(),
                unmatched: evidence.index.unmatched(),
            };
            shape(&outcome, &marked)?;
            outcome.practices_unchecked = unchecked_practices(&engine, &outcome);
            timings.mark("findings.jsonl");
            pool.install(|| crate::report::write_batch_reports(&opts.out, &outcome, &rule_data))?;
            timings.mark("portfolio reports");
            Ok((outcome, marked, records_len))
        })();
        let saved = saving
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, saved)
    });
    drop(spool);
    let (mut outcome, marked, records_len) = written?;
    let mut failed = false;
    for (i, result) in saved {
        if let Err(e) = result {
            let f = &mut outcome.files[i];
            f.annotated = None;
            f.error = Some(e);
            failed = true;
        }
    }
    if failed {
        batch::rewrite_error_lines(&outcome.findings, records_len, &outcome.files)?;
        shape(&outcome, &marked)?;
        pool.install(|| crate::report::write_batch_reports(&opts.out, &outcome, &rule_data))?;
    }
    timings.mark("annotated copies saved");
    if let Some(b) = &bar {
        b.finish();
    }
    Ok(AuditRun {
        batch: outcome,
        skipped,
        removed,
        unused_mapping: synonyms.unused_overrides(),
        shard_without_files,
    })
}

/// Phase timings on stderr when `TIPAUDIT_TIMINGS` is set: where a batch's wall time goes,
/// and its CPU time (all threads; Linux only), for the benchmark and for tuning
/// (docs/scale.md).
struct Timings(Option<std::cell::Cell<(std::time::Instant, Option<f64>)>>);

impl Timings {
    fn from_env() -> Timings {
        Timings(
            std::env::var_os("TIPAUDIT_TIMINGS")
                .map(|_| std::cell::Cell::new((std::time::Instant::now(), cpu_seconds()))),
        )
    }

    fn mark(&self, phase: &str) {
        if let Some(start) = &self.0 {
            let (then, cpu_then) = start.get();
            let (now, cpu_now) = (std::time::Instant::now(), cpu_seconds());
            let cpu = match (cpu_then, cpu_now) {
                (Some(a), Some(b)) => format!(", {:.2} s CPU", b - a),
                _ => String::new(),
            };
            eprintln!("timing: {phase}: {:.3} s{cpu}", (now - then).as_secs_f64());
            start.set((now, cpu_now));
        }
    }
}

/// User + system CPU seconds of this process so far, from `/proc/self/stat` (fields 14 and
/// 15, in clock ticks of 1/100 s on Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it do not.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split(' ').skip(11);
    let user: f64 = f.next()?.parse().ok()?;
    let system: f64 = f.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Practices that no audited sheet could show evidence for, with a column that would.
pub(crate) fn unchecked_practices(engine: &Engine, batch: &BatchOutcome) -> Vec<String> {
    let present = |field: &str| {
        batch
            .files
            .iter()
            .flat_map(|f| &f.sheets)
            .any(|s| s.audited && s.evidence.iter().any(|e| e == field))
    };
    crate::risk::practices::practices_without_columns(&engine.risk.practices, present)
        .into_iter()
        .map(|(p, headers)| match headers.first() {
            Some(h) => format!("{} (\"{h}\")", p.rule_id()),
            None => p.rule_id(),
        })
        .collect()
}

fn prepare_out_dir(out: &Path) -> anyhow::Result<()> {
    if out.exists() && !out.is_dir() {
        bail!(
            "--out {} is a file, not a directory; choose a directory for the outputs",
            out.display()
        );
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))
}

/// No output may land on an input: refuse an output directory holding an input whose
/// annotated name would collide, and never write into an input's own path.
fn refuse_overwrite(files: &[batch::Input], out: &Path) -> anyhow::Result<()> {
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let reserved = ["findings.jsonl", "gap-report.xlsx", "report.html"];
    let names = batch::output_names(files);
    for f in files {
        let Ok(p) = std::fs::canonicalize(&f.path) else {
            continue;
        };
        if p.parent() == Some(out.as_path()) {
            let file_name = p.file_name().map(|s| s.to_string_lossy().into_owned());
            if let Some(n) = file_name
                && (reserved.contains(&n.as_str()) || names.contains(&n))
            {
                bail!(
                    "output {} would overwrite the input {}; choose another --out",
                    out.join(&n).display(),
                    f.display
                );
            }
        }
    }
    Ok(())
}

/// `--mapping FILE`: TOML `field = "Column name"` (or a list of names) overriding synonyms.
fn apply_mapping(syn: &mut Synonyms, path: &Path, engine: &Engine) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the mapping file {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("mapping file {}: {e}", path.display()))?;
    let evidence: Vec<String> = engine
        .evidence_fields()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for (key, value) in table {
        let target = match FieldId::from_name(&key) {
            Some(f) => Target::Field(f),
            None if evidence.contains(&key) => Target::Evidence(key.clone()),
            None => bail!(
                "mapping file {}: unknown field '{key}' (fields: {})",
                path.display(),
                crate::ingest::fields::ALL_FIELDS
                    .iter()
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let headers: Vec<String> = match value {
            toml::Value::String(s) => vec![s],
            toml::Value::Array(a) => a
                .into_iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s),
                    other => Err(anyhow::anyhow!(
                        "mapping file {}: '{key}' must name columns as text, found {other}",
                        path.display()
                    )),
                })
                .collect::<anyhow::Result<_>>()?,
            other => bail!(
                "mapping file {}: '{key}' must be a column name, found {other}",
                path.display()
            ),
        };
        for h in headers {
            syn.add_override(target.clone(), &h);
        }
    }
    Ok(())
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

fn fail_threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::Never => None,
    }
}

/// 2 when an input failed, else 1 when a finding reaches `--fail-on`, else 0.
pub fn exit_code(batch: &BatchOutcome, fail_on: FailOn) -> i32 {
    if batch.files.iter().any(|f| f.error.is_some()) {
        return EXIT_ERROR;
    }
    let Some(min) = fail_threshold(fail_on) else {
        return EXIT_CLEAN;
    };
    let hit = batch.tally.max_severity.is_some_and(|s| s >= min);
    if hit { EXIT_FINDINGS } else { EXIT_CLEAN }
}

fn audit_command(args: &AuditArgs) -> anyhow::Result<i32> {
    let opts = AuditOptions {
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
    };
    if opts.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let run = audit(&opts)?;
    let batch = &run.batch;
    let cov = crate::coverage::check(
        batch,
        &args.inputs,
        args.mapping.as_deref(),
        &run.unused_mapping,
        run.shard_without_files,
    );
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
    for w in &cov.warnings {
        warning(w);
    }
    // Sheet notes on audited sheets (repeated header names, rows not read); the summary
    // lists the sheets not audited.
    for f in &batch.files {
        for s in f.sheets.iter().filter(|s| s.audited) {
            if let Some(n) = &s.note {
                warning(&format!("{}: sheet '{}': {n}", f.file, s.name));
            }
        }
    }
    for f in &batch.files {
        if let Some(e) = &f.error {
            error(&format!("{}: {e}", f.file));
        }
    }
    let code = if cov.errors.is_empty() {
        exit_code(batch, args.fail_on)
    } else {
        EXIT_ERROR
    };
    let mut summary = Summary::of(batch, &args.out.display().to_string(), code);
    summary.add_skipped(&run.skipped);
    summary.errors = cov.errors.clone();
    summary.rule_titles = engine_titles(&opts.data);
    summary.verbose = args.verbose;
    print_summary(&summary, args.format)?;
    for e in &cov.errors {
        error(e);
    }
    Ok(code)
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

/// Rule titles by id, for the summary.
fn engine_titles(data: &DataFiles) -> std::collections::BTreeMap<String, String> {
    crate::rules::RuleSet::load(data)
        .map(|rs| {
            rs.rules()
                .iter()
                .map(|r| (r.id.clone(), r.title.clone()))
                .collect()
        })
        .unwrap_or_default()
}

pub fn print_summary(summary: &Summary, format: OutputFormat) -> anyhow::Result<()> {
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
    match Engine::load(&data) {
        Ok(_) => {
            let others = crate::rules::DATA_FILE_NAMES.len() - present.len();
            let rest = if others > 0 {
                format!(" ({others} other file(s) not in the folder: the built-in ones are used)")
            } else {
                String::new()
            };
            println!("{}: OK: {}{rest}", dir.display(), present.join(", "));
            Ok(EXIT_CLEAN)
        }
        Err(e) => {
            eprintln!("{e:#}");
            Ok(EXIT_ERROR)
        }
    }
}
