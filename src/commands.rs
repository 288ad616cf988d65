//! The subcommands: turn parsed arguments into library calls and an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::audit::Engine;
use crate::batch::{self, FileSink, RunCtx};
use crate::cli::{AuditArgs, Cli, Command, FailOn, OutputFormat, RulesArgs};
use crate::ingest::fields::{FieldId, Synonyms, Target};
use crate::model::{BatchOutcome, Severity};
use crate::report::summary::Summary;
use crate::rules::DataFiles;

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
        Command::Template { out } => {
            crate::report::template::write_template(&out).map(|()| EXIT_CLEAN)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tipaudit: error: {e:#}");
            EXIT_ERROR
        }
    }
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
    pub as_of: NaiveDate,
    pub jobs: usize,
    pub annotate: bool,
    pub shard: Option<(u32, u32)>,
    pub progress: bool,
    /// Per-file limits checked before parsing.
    pub limits: crate::ingest::Limits,
}

/// Audit the inputs and write every output into `opts.out`.
pub fn audit(opts: &AuditOptions) -> anyhow::Result<BatchOutcome> {
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
    prepare_out_dir(&opts.out)?;
    crate::output::watch_out_dir(&opts.out);

    let found = batch::find_inputs_skipping(&opts.inputs, Some(&opts.out));
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
    let bar = progress_bar(opts.progress, files.len());
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
    };
    let out_dir = opts.out.clone();
    let annotate = opts.annotate;
    let as_of = opts.as_of;
    let make_sink = move |i: usize| -> Option<Box<dyn FileSink>> {
        if annotate {
            crate::report::sink_for(&out_dir.join(&names[i]), as_of)
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
    if let Some(b) = &bar {
        b.finish();
    }
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
            },
        )
    };
    // The last annotated copies are saved while the batch's other outputs are written;
    // those name the copies as saved, and are written again should a save fail.
    let (written, saved) = std::thread::scope(|scope| {
        let saving = scope.spawn(|| batch::save_pending(&pool, pending));
        let written = (|| -> anyhow::Result<_> {
            let (mut outcome, marked, records_len) = batch::finish_batch(
                &engine,
                &opts.out,
                &spool,
                runs,
                found.errors,
                found.skipped,
                opts.as_of,
                &opts.data.origin,
            )?;
            shape(&outcome, &marked)?;
            outcome.practices_unchecked = unchecked_practices(&engine, &outcome);
            timings.mark("findings.jsonl");
            pool.install(|| crate::report::write_batch_reports(&opts.out, &outcome))?;
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
        pool.install(|| crate::report::write_batch_reports(&opts.out, &outcome))?;
    }
    timings.mark("annotated copies saved");
    Ok(outcome)
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

/// The progress display on stderr: files done of total, rows read, rows per second, ETA.
struct Progress {
    bar: indicatif::ProgressBar,
    rows: std::sync::atomic::AtomicU64,
    start: std::time::Instant,
}

impl Progress {
    fn add_rows(&self, n: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let rows = self.rows.fetch_add(n, Relaxed) + n;
        // Redraw at most every 16k rows; indicatif also rate-limits drawing.
        if rows / 16_384 != (rows - n) / 16_384 {
            self.show(rows);
        }
    }

    fn show(&self, rows: u64) {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} rows, {} rows/s",
            group_digits(rows),
            group_digits((rows as f64 / secs) as u64)
        ));
    }

    fn file_done(&self, _file: &str) {
        self.bar.inc(1);
        self.show(self.rows.load(std::sync::atomic::Ordering::Relaxed));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn group_digits(n: u64) -> String {
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
fn unchecked_practices(engine: &Engine, batch: &BatchOutcome) -> Vec<String> {
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
            Some(h) => format!("{} (\"{h}\")", p.id),
            None => p.id.clone(),
        })
        .collect()
}

fn progress_bar(enabled: bool, total: usize) -> Option<Progress> {
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg}, ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(Progress {
        bar,
        rows: std::sync::atomic::AtomicU64::new(0),
        start: std::time::Instant::now(),
    })
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
    let batch = audit(&opts)?;
    if !args.quiet {
        // Notes on audited sheets (repeated header names) are said here; the summary lists
        // the sheets not audited.
        for f in &batch.files {
            for s in f.sheets.iter().filter(|s| s.audited) {
                if let Some(note) = &s.note {
                    eprintln!("tipaudit: note: {}: sheet '{}': {note}", f.file, s.name);
                }
            }
        }
    }
    let code = exit_code(&batch, args.fail_on);
    print_summary(
        &Summary::of(&batch, &args.out.display().to_string(), code),
        args.format,
    )?;
    Ok(code)
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
            eprintln!("tipaudit: unknown rule '{id}'; `tipaudit rules` lists them");
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
    match Engine::load(&data) {
        Ok(_) => {
            println!("{}: OK", dir.display());
            Ok(EXIT_CLEAN)
        }
        Err(e) => {
            eprintln!("{e:#}");
            Ok(EXIT_ERROR)
        }
    }
}
