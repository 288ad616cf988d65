//! One audit run, from the inputs to a finished output directory: load the rule data, find
//! the inputs, read the clause evidence, audit the files, write every output. The library's
//! entry point (`tipaudit::audit`); it knows nothing of the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::audit::Engine;
use crate::batch::{self, FileRun, Input, Inputs, RunCtx};
use crate::coverage::Coverage;
use crate::evidence::Loaded;
use crate::ingest::fields::{FieldId, Synonyms, Target};
use crate::model::{BatchOutcome, EXIT_ERROR, FailOn, Skipped};
use crate::progress::Progress;
use crate::report::summary::Summary;
use crate::rules::DataFiles;
use crate::sink::FileSink;

/// Options of one audit run.
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
    /// Worker threads; at least 1.
    pub jobs: usize,
    pub annotate: bool,
    pub shard: Option<(u32, u32)>,
    /// Progress display and notes on stderr (the display only when stderr is a terminal).
    pub progress: bool,
    /// Per-file limits checked before parsing.
    pub limits: crate::ingest::Limits,
}

/// A finished audit: the batch and what the run should say about its coverage.
pub struct AuditRun {
    pub batch: BatchOutcome,
    /// The output directory, as given.
    pub out: PathBuf,
    /// Files skipped in walked directories, with the reason.
    pub skipped: Vec<Skipped>,
    /// Annotated copies of the previous run removed from the output directory.
    pub removed: Vec<String>,
    /// `--mapping` entries `(field, column)` that matched no column.
    pub unused_mapping: Vec<(String, String)>,
    /// A `--shard` that holds none of a non-empty input list.
    pub shard_without_files: bool,
    /// What the run covered: its errors make the exit code 2.
    pub coverage: Coverage,
    /// Rule titles by id, for the summary.
    pub rule_titles: std::collections::BTreeMap<String, String>,
}

impl AuditRun {
    fn new(
        opts: &AuditOptions,
        batch: BatchOutcome,
        skipped: Vec<Skipped>,
        removed: Vec<String>,
        unused_mapping: Vec<(String, String)>,
        shard_without_files: bool,
    ) -> AuditRun {
        let coverage = crate::coverage::check(
            &batch,
            &opts.inputs,
            opts.mapping.as_deref(),
            &unused_mapping,
            shard_without_files,
        );
        AuditRun {
            batch,
            out: opts.out.clone(),
            skipped,
            removed,
            unused_mapping,
            shard_without_files,
            coverage,
            rule_titles: rule_titles(&opts.data),
        }
    }

    /// The exit code (CONTRACT.md section 1): 2 for a coverage error or a failed input,
    /// else 1 when a finding reaches `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        if self.coverage.errors.is_empty() {
            self.batch.exit_code(fail_on)
        } else {
            EXIT_ERROR
        }
    }

    /// The run's summary, as the command prints it.
    pub fn summary(&self, fail_on: FailOn, verbose: bool) -> Summary {
        let mut summary = Summary::of(
            &self.batch,
            &self.out.display().to_string(),
            self.exit_code(fail_on),
        );
        summary.add_skipped(&self.skipped);
        summary.errors = self.coverage.errors.clone();
        summary.rule_titles = self.rule_titles.clone();
        summary.verbose = verbose;
        summary
    }
}

/// Audit the inputs and write every output into `opts.out`.
pub fn audit(opts: &AuditOptions) -> anyhow::Result<AuditRun> {
    if opts.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let (engine, synonyms) = load_rules(opts)?;
    let mut found = find_inputs(opts)?;
    let skipped = found.skipped.clone();
    // Clause evidence is read in full (on every core) before any input, so every file and
    // every shard joins against the same index.
    let evidence = load_evidence(opts, &engine, &synonyms);
    found.errors.extend(evidence.errors.iter().cloned());
    let plan = plan_files(opts, std::mem::take(&mut found.files))?;
    let bar = Progress::start(opts.progress, &plan.files);
    let spool = batch::Spool::new_in(&opts.out)?;
    let timings = Timings::from_env();
    let pool = thread_pool(opts.jobs)?;
    let ctx = RunCtx {
        engine: &engine,
        synonyms: &synonyms,
        as_of: opts.as_of,
        on_rows: &|n| {
            if let Some(b) = &bar {
                b.add_rows(n);
            }
        },
        limits: opts.limits,
        evidence: &evidence.index,
    };
    let batch::FilesRun {
        runs,
        pending,
        aggregate,
    } = audit_files(
        opts,
        &plan,
        &ctx,
        &pool,
        &spool,
        bar.as_ref(),
        !evidence.index.is_empty(),
    );
    if nothing_audited(opts, &runs) {
        if let Some(b) = &bar {
            b.finish();
        }
        bail!("{}", nothing_audited_error(&runs, &found.errors));
    }
    if let Some(b) = &bar {
        b.writing();
    }
    let keep: &[String] = if opts.annotate { &plan.names } else { &[] };
    let removed = crate::outdir::remove_stale(&opts.out, keep)?;
    timings.mark("audit files");
    let finished = Finished {
        opts,
        engine: &engine,
        plan: &plan,
        skipped: &skipped,
        pool: &pool,
        spool: &spool,
        rule_data: crate::report::portfolio::RuleData::new(&opts.data, &engine),
        timings: &timings,
    };
    let batch = finished.write(runs, pending, aggregate, found.errors, evidence.index)?;
    drop(spool);
    timings.mark("annotated copies saved");
    if let Some(b) = &bar {
        b.finish();
    }
    Ok(AuditRun::new(
        opts,
        batch,
        skipped,
        removed,
        synonyms.unused_overrides(),
        plan.files.is_empty(),
    ))
}

/// One pool of `-j` threads for the files and, after them, the portfolio reports.
fn thread_pool(jobs: usize) -> anyhow::Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()?)
}

/// The rule engine (with any extra screening lists) and the column synonyms (with any
/// `--mapping`).
fn load_rules(opts: &AuditOptions) -> anyhow::Result<(Engine, Synonyms)> {
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
    Ok((engine, synonyms))
}

/// The inputs to audit, and the output directory made ready for them.
fn find_inputs(opts: &AuditOptions) -> anyhow::Result<Inputs> {
    let found = batch::find_inputs_skipping(&opts.inputs, Some(&opts.out));
    // Nothing is written for a command line that names nothing to audit.
    if found.files.is_empty() {
        bail!("{}", crate::coverage::nothing_to_audit(&found));
    }
    prepare_out_dir(&opts.out)?;
    crate::output::watch_out_dir(&opts.out);
    Ok(found)
}

fn load_evidence(opts: &AuditOptions, engine: &Engine, synonyms: &Synonyms) -> Loaded {
    let evidence =
        crate::evidence::load(&opts.clauses, synonyms, &engine.clause_parser, &opts.limits);
    if opts.progress {
        for note in &evidence.notes {
            eprintln!("tipaudit: note: {note}");
        }
    }
    evidence
}

/// The files this run audits (this shard's), and what `run.json` says of the whole list.
struct Plan {
    files: Vec<Input>,
    /// Position of each audited file in the whole (unsharded) input list: `merge` orders
    /// by it.
    positions: Vec<usize>,
    inputs_total: usize,
    inputs_digest: String,
    /// The annotated copies' file names, one per file.
    names: Vec<String>,
}

fn plan_files(opts: &AuditOptions, all: Vec<Input>) -> anyhow::Result<Plan> {
    let inputs_digest = crate::merge::inputs_digest(&all);
    let inputs_total = all.len();
    let mut indexed: Vec<(usize, Input)> = all.into_iter().enumerate().collect();
    if let Some((k, n)) = opts.shard {
        indexed.retain(|(_, f)| batch::in_shard(f, k, n));
    }
    let (positions, files): (Vec<usize>, Vec<Input>) = indexed.into_iter().unzip();
    refuse_overwrite(&files, &opts.out)?;
    let names = batch::output_names(&files);
    Ok(Plan {
        files,
        positions,
        inputs_total,
        inputs_digest,
        names,
    })
}

/// Audit every file of the plan, each streaming into its annotated copy (if any).
fn audit_files(
    opts: &AuditOptions,
    plan: &Plan,
    ctx: &RunCtx,
    pool: &rayon::ThreadPool,
    spool: &batch::Spool,
    bar: Option<&Progress>,
    clause_source: bool,
) -> batch::FilesRun {
    let is_doc: Vec<bool> = plan
        .files
        .iter()
        .map(|f| crate::evidence::document::is_document(&f.path))
        .collect();
    let make_sink = |i: usize| -> Option<Box<dyn FileSink>> {
        // A contract document has no sheet to annotate: its record is in the reports.
        if opts.annotate && !is_doc[i] {
            crate::report::sink_for(&opts.out.join(&plan.names[i]), opts.as_of, clause_source)
        } else {
            None
        }
    };
    batch::run_files(&plan.files, ctx, pool, spool, &make_sink, &|o| {
        if let Some(b) = bar {
            b.file_done(&o.file);
        }
    })
}

/// A run whose every input failed writes no reports (and leaves a previous run's as they
/// are): the errors are the whole result. A shard still writes its outputs, so `merge`
/// carries its errors into the portfolio's.
fn nothing_audited(opts: &AuditOptions, runs: &[FileRun]) -> bool {
    opts.shard.is_none() && !runs.is_empty() && runs.iter().all(|r| r.outcome.error.is_some())
}

/// The error of a run in which no input could be audited: every file's error.
fn nothing_audited_error(runs: &[FileRun], input_errors: &[(String, String)]) -> String {
    let mut msg = String::from("no input could be audited; no reports were written");
    for r in runs {
        msg.push_str(&format!(
            "\n  {}: {}",
            r.outcome.file,
            r.outcome.error.as_deref().unwrap_or_default()
        ));
    }
    for (file, error) in input_errors {
        msg.push_str(&format!("\n  {file}: {error}"));
    }
    msg
}

/// What writing the batch's outputs needs once its files are audited.
struct Finished<'a> {
    opts: &'a AuditOptions,
    engine: &'a Engine,
    plan: &'a Plan,
    skipped: &'a [Skipped],
    pool: &'a rayon::ThreadPool,
    spool: &'a batch::Spool,
    rule_data: crate::report::portfolio::RuleData,
    timings: &'a Timings,
}

impl Finished<'_> {
    /// Write `findings.jsonl`, `run.json` and the portfolio reports. The last annotated
    /// copies are saved meanwhile; the outputs name the copies as saved, and are written
    /// again should a save fail.
    fn write(
        &self,
        runs: Vec<FileRun>,
        pending: Vec<batch::PendingSave>,
        aggregate: anyhow::Result<crate::report::aggregate::Aggregate>,
        input_errors: Vec<(String, String)>,
        evidence: crate::evidence::EvidenceIndex,
    ) -> anyhow::Result<BatchOutcome> {
        let (written, saved) = std::thread::scope(|scope| {
            let saving = scope.spawn(|| batch::save_pending(self.pool, pending));
            let written = aggregate
                .and_then(|aggregate| self.write_batch(runs, aggregate, input_errors, evidence));
            let saved = saving
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (written, saved)
        });
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
            self.write_run_json(&outcome, &marked)?;
            // Rare: the records are counted again from findings.jsonl.
            let aggregate = crate::report::aggregate::Aggregate::read(&outcome)?;
            self.write_reports(&outcome, aggregate)?;
        }
        Ok(outcome)
    }

    /// The batch's outcome, its cross-file marks and the length of its record lines.
    fn write_batch(
        &self,
        runs: Vec<FileRun>,
        aggregate: crate::report::aggregate::Aggregate,
        input_errors: Vec<(String, String)>,
        evidence: crate::evidence::EvidenceIndex,
    ) -> anyhow::Result<(BatchOutcome, Vec<Vec<usize>>, u64)> {
        let opts = self.opts;
        let (mut outcome, marked, records_len) = batch::finish_batch(
            &opts.out,
            self.spool,
            runs,
            input_errors,
            self.skipped.len(),
            opts.as_of,
            &opts.data.origin,
        )?;
        outcome.evidence = crate::model::EvidenceOutcome {
            contracts: evidence.len(),
            unmatched: evidence.unmatched(),
            files: evidence.files,
        };
        self.write_run_json(&outcome, &marked)?;
        outcome.practices_unchecked = batch::unchecked_practices(self.engine, &outcome);
        self.timings.mark("findings.jsonl");
        self.write_reports(&outcome, aggregate)?;
        self.timings.mark("portfolio reports");
        Ok((outcome, marked, records_len))
    }

    fn write_run_json(&self, outcome: &BatchOutcome, marked: &[Vec<usize>]) -> anyhow::Result<()> {
        crate::merge::write_run_json(
            &self.opts.out,
            outcome,
            &crate::merge::RunShape {
                shard: self.opts.shard,
                inputs_total: self.plan.inputs_total,
                inputs_digest: self.plan.inputs_digest.clone(),
                positions: &self.plan.positions,
                cross_file: marked,
                skipped: self.skipped,
            },
        )
    }

    fn write_reports(
        &self,
        outcome: &BatchOutcome,
        aggregate: crate::report::aggregate::Aggregate,
    ) -> anyhow::Result<()> {
        let (out, rule_data) = (&self.opts.out, &self.rule_data);
        self.pool
            .install(|| crate::report::write_reports_of(out, outcome, rule_data, aggregate))
    }
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
fn refuse_overwrite(files: &[Input], out: &Path) -> anyhow::Result<()> {
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

/// Rule titles by id, for the summary.
fn rule_titles(data: &DataFiles) -> std::collections::BTreeMap<String, String> {
    crate::rules::RuleSet::load(data)
        .map(|rs| {
            rs.rules()
                .iter()
                .map(|r| (r.id.to_string(), r.title.clone()))
                .collect()
        })
        .unwrap_or_default()
}
