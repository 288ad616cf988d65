//! Sharded runs and `tipaudit merge`.
//!
//! Every audit writes `run.json` beside `findings.jsonl`: what the run was over (the whole
//! input list's size and digest, `--as-of`, rule data, shard) and, per audited file, its
//! position in the whole (unsharded) input list, its record count and sheets, and which of
//! its records got a cross-file DATA003 finding in this run. `merge` interleaves the shards'
//! record lines by that position (the order a single run uses), takes the shard-local
//! cross-file findings back off and redoes them over the whole batch, so the merged
//! `findings.jsonl` is byte-for-byte the one a single run over the same inputs writes.
//! Each record is parsed once, as it is copied: the portfolio reports' aggregate and their
//! listing rows are made from it there, and the reports by the same code as a single run's.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Lines, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::audit::Engine;
use crate::batch::{CrossFile, Input, cross_file_finding, fnv1a, identity_key};
use crate::model::{
    BatchOutcome, FailOn, FileOutcome, RecordResult, SheetOutcome, Skipped, Tally, status_of,
};
use crate::output::write_atomic;
use crate::report::aggregate::Aggregate;
use crate::report::summary::Summary;
use crate::rules::DataFiles;

pub const RUN_FILE: &str = "run.json";
const FORMAT: u32 = 1;

/// `run.json`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct RunJson {
    pub format: u32,
    pub as_of: String,
    pub rules_origin: String,
    /// `[K, N]` for `--shard K/N`.
    pub shard: Option<[u32; 2]>,
    /// Files in the whole input list, before sharding.
    pub inputs_total: usize,
    /// FNV-1a of the whole input list (reported paths, in order): shards of one portfolio
    /// share it.
    pub inputs_digest: String,
    pub skipped_files: usize,
    /// Files skipped in walked directories, each with the reason.
    #[serde(default)]
    pub skipped: Vec<crate::model::Skipped>,
    /// Named inputs that could not be used (missing, wrong type), in command-line order.
    pub input_errors: Vec<InputError>,
    pub files: Vec<RunFile>,
    /// `--clauses` evidence: files and contracts read, and what no record of this run
    /// reached. Every shard loads all of it, so `merge` keeps what no shard reached.
    #[serde(default)]
    pub clause_evidence: crate::model::EvidenceOutcome,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Clone)]
pub struct InputError {
    pub file: String,
    pub error: String,
}

/// One audited (or failed) input of the run.
#[derive(Debug, Serialize, Deserialize, PartialEq, Clone)]
pub struct RunFile {
    /// Position in the whole input list.
    pub position: usize,
    pub file: String,
    pub error: Option<String>,
    /// Its record lines in `findings.jsonl`, which come in file order.
    pub records: usize,
    pub sheets: Vec<SheetOutcome>,
    pub annotated: Option<PathBuf>,
    /// Ordinals of its records that got a cross-file DATA003 finding (appended last).
    pub cross_file: Vec<usize>,
}

/// The parts of `run.json` that only the audit command knows.
pub struct RunShape<'a> {
    pub shard: Option<(u32, u32)>,
    pub inputs_total: usize,
    pub inputs_digest: String,
    /// Position in the whole input list of each audited file, in run order.
    pub positions: &'a [usize],
    pub cross_file: &'a [Vec<usize>],
    /// Files skipped in walked directories.
    pub skipped: &'a [crate::model::Skipped],
}

/// A digest of the whole input list, so `merge` can refuse shards of different portfolios.
pub fn inputs_digest(files: &[Input]) -> String {
    let mut all = Vec::new();
    for f in files {
        all.extend_from_slice(f.display.as_bytes());
        all.push(b'\n');
    }
    format!("{:016x}", fnv1a(&all))
}

/// Write `run.json` for a finished batch (files audited in this run come first in
/// `batch.files`, then the unusable named inputs).
pub fn write_run_json(out: &Path, batch: &BatchOutcome, shape: &RunShape) -> anyhow::Result<()> {
    let audited = shape.positions.len();
    let run = RunJson {
        format: FORMAT,
        as_of: batch.as_of.clone(),
        rules_origin: batch.rules_origin.clone(),
        shard: shape.shard.map(|(k, n)| [k, n]),
        inputs_total: shape.inputs_total,
        inputs_digest: shape.inputs_digest.clone(),
        skipped_files: batch.skipped_files,
        skipped: shape.skipped.to_vec(),
        input_errors: batch.files[audited..]
            .iter()
            .map(|f| InputError {
                file: f.file.clone(),
                error: f.error.clone().unwrap_or_default(),
            })
            .collect(),
        files: batch.files[..audited]
            .iter()
            .zip(shape.positions)
            .zip(shape.cross_file)
            .map(|((f, &position), marks)| RunFile {
                position,
                file: f.file.clone(),
                error: f.error.clone(),
                records: f.records,
                sheets: f.sheets.clone(),
                annotated: f.annotated.clone(),
                cross_file: marks.clone(),
            })
            .collect(),
        clause_evidence: batch.evidence.clone(),
    };
    write_atomic(&out.join(RUN_FILE), |w| {
        serde_json::to_writer_pretty(&mut *w, &run)?;
        w.write_all(b"\n")?;
        Ok(())
    })
}

fn read_run(dir: &Path) -> anyhow::Result<RunJson> {
    let path = dir.join(RUN_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is not a tipaudit output directory (cannot read {})",
            dir.display(),
            path.display()
        )
    })?;
    let run: RunJson = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a tipaudit run file", path.display()))?;
    if run.format != FORMAT {
        bail!(
            "{}: run file format {} is not supported (this tipaudit reads {FORMAT})",
            path.display(),
            run.format
        );
    }
    Ok(run)
}

/// Check that the runs are the shards of one portfolio and together cover it once.
fn check_shards(dirs: &[PathBuf], runs: &[RunJson]) -> anyhow::Result<()> {
    let first = &runs[0];
    let name = |i: usize| dirs[i].display().to_string();
    for (i, r) in runs.iter().enumerate().skip(1) {
        let differs = |what: &str, a: &str, b: &str| {
            anyhow::anyhow!(
                "{} and {} were not run alike ({what}: {a} vs {b}); merge needs the shards of one run",
                name(0),
                name(i)
            )
        };
        if r.as_of != first.as_of {
            return Err(differs("--as-of", &first.as_of, &r.as_of));
        }
        if r.rules_origin != first.rules_origin {
            return Err(differs("rules", &first.rules_origin, &r.rules_origin));
        }
        if r.inputs_digest != first.inputs_digest || r.inputs_total != first.inputs_total {
            return Err(differs(
                "inputs",
                &format!("{} files", first.inputs_total),
                &format!("{} files (or other paths)", r.inputs_total),
            ));
        }
        if r.input_errors != first.input_errors || r.skipped_files != first.skipped_files {
            return Err(differs("inputs", "one input list", "another"));
        }
        let (e0, e) = (&first.clause_evidence, &r.clause_evidence);
        if (e.files, e.contracts) != (e0.files, e0.contracts) {
            return Err(differs(
                "--clauses",
                &format!("{} evidence files, {} contracts", e0.files, e0.contracts),
                &format!("{} evidence files, {} contracts", e.files, e.contracts),
            ));
        }
    }
    let mut seen = vec![None::<usize>; first.inputs_total];
    for (i, r) in runs.iter().enumerate() {
        for f in &r.files {
            let slot = seen.get_mut(f.position).with_context(|| {
                format!("{}: file position {} out of range", name(i), f.position)
            })?;
            if let Some(j) = slot.replace(i) {
                bail!(
                    "{} is in both {} and {}: give each shard once",
                    f.file,
                    name(j),
                    name(i)
                );
            }
        }
    }
    if seen.iter().any(Option::is_none) {
        let n = runs.iter().find_map(|r| r.shard.map(|s| s[1]));
        let have: BTreeSet<u32> = runs.iter().filter_map(|r| r.shard.map(|s| s[0])).collect();
        let missing: Vec<String> = match n {
            Some(n) => (1..=n)
                .filter(|k| !have.contains(k))
                .map(|k| format!("{k}/{n}"))
                .collect(),
            None => Vec::new(),
        };
        bail!(
            "the outputs do not cover every input ({} of {} files){}",
            seen.iter().filter(|s| s.is_some()).count(),
            first.inputs_total,
            if missing.is_empty() {
                String::new()
            } else {
                format!("; missing shard(s) {}", missing.join(", "))
            }
        );
    }
    Ok(())
}

/// A finished merge: the portfolio's batch, written into `out`.
pub struct Merged {
    pub batch: BatchOutcome,
    /// The output directory, as given.
    pub out: PathBuf,
    /// Files skipped in walked directories by the shards' run.
    pub skipped: Vec<Skipped>,
}

impl Merged {
    /// Exit codes as `audit` with `--fail-on high`.
    pub fn exit_code(&self) -> i32 {
        self.batch.exit_code(FailOn::High)
    }

    /// The merge's summary, as the command prints it.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::of(
            &self.batch,
            &self.out.display().to_string(),
            self.exit_code(),
        );
        summary.add_skipped(&self.skipped);
        summary
    }
}

/// Combine shard output directories into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> anyhow::Result<Merged> {
    if dirs.is_empty() {
        bail!("merge needs at least one output directory");
    }
    let runs: Vec<RunJson> = dirs
        .iter()
        .map(|d| read_run(d))
        .collect::<anyhow::Result<_>>()?;
    check_shards(dirs, &runs)?;
    prepare_out(dirs, out)?;
    let first = &runs[0];
    let data = rule_data(first)?;
    let engine = Engine::load(&data)?;
    // The listing rows, until the reports are written.
    let spool = crate::batch::Spool::new_in(out)?;
    let merged = merge_findings(dirs, &runs, &engine, out, &spool)?;
    let mut batch = BatchOutcome {
        files: merged.files,
        skipped_files: first.skipped_files,
        as_of: first.as_of.clone(),
        rules_origin: first.rules_origin.clone(),
        tally: merged.tally,
        findings: merged.findings,
        practices_unchecked: Vec::new(),
        evidence: merged_evidence(&runs),
    };
    // Worked out from the files' sheets, as a single run does, so the summary says the same.
    batch.practices_unchecked = crate::batch::unchecked_practices(&engine, &batch);
    write_run_json(
        out,
        &batch,
        &RunShape {
            shard: None,
            inputs_total: first.inputs_total,
            inputs_digest: first.inputs_digest.clone(),
            positions: &merged.positions,
            cross_file: &merged.marked,
            skipped: &first.skipped,
        },
    )?;
    crate::report::write_reports_of(
        out,
        &batch,
        &crate::report::portfolio::RuleData::new(&data, &engine),
        merged.aggregate,
    )?;
    Ok(Merged {
        batch,
        out: out.to_path_buf(),
        skipped: first.skipped.clone(),
    })
}

/// Create `out`, which must not be one of the directories being merged.
fn prepare_out(dirs: &[PathBuf], out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))?;
    let out_canon = std::fs::canonicalize(out)?;
    for d in dirs {
        if std::fs::canonicalize(d).ok().as_deref() == Some(out_canon.as_path()) {
            bail!(
                "-o {} is one of the directories being merged; choose another",
                out.display()
            );
        }
    }
    Ok(())
}

/// The rule data the shards were audited with.
fn rule_data(first: &RunJson) -> anyhow::Result<DataFiles> {
    if first.rules_origin == "built-in" {
        Ok(DataFiles::builtin())
    } else {
        DataFiles::from_dir(Path::new(&first.rules_origin)).with_context(|| {
            format!(
                "the shards were audited with --rules {}; merge needs that directory",
                first.rules_origin
            )
        })
    }
}

/// The merged `findings.jsonl` and what it holds, in the order of the whole input list.
struct MergedFindings {
    findings: PathBuf,
    files: Vec<FileOutcome>,
    tally: Tally,
    /// Per file: ordinals of its records with a cross-file finding.
    marked: Vec<Vec<usize>>,
    /// Per file: its position in the whole input list.
    positions: Vec<usize>,
    /// The records as the portfolio reports count them, with their listing rows.
    aggregate: Aggregate,
}

/// Where `merge_file` writes a record.
struct MergeOut<'a, W> {
    findings: &'a mut W,
    rows: &'a mut dyn Write,
    tally: &'a mut Tally,
    aggregate: &'a mut Aggregate,
}

/// A line reader over each shard's `findings.jsonl`.
fn shard_readers(dirs: &[PathBuf]) -> anyhow::Result<Vec<Lines<BufReader<File>>>> {
    dirs.iter()
        .map(|d| {
            let p = d.join("findings.jsonl");
            File::open(&p)
                .map(|f| BufReader::with_capacity(1 << 16, f).lines())
                .with_context(|| format!("cannot read {}", p.display()))
        })
        .collect()
}

/// (position, run, file) of every file in the order of the whole input list.
fn file_order(dirs: &[PathBuf], runs: &[RunJson]) -> anyhow::Result<Vec<(usize, usize, usize)>> {
    let mut order: Vec<(usize, usize, usize)> = runs
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| {
            r.files
                .iter()
                .enumerate()
                .map(move |(fi, f)| (f.position, ri, fi))
        })
        .collect();
    order.sort_unstable();
    // Each run's files must come in increasing position for its lines to be read in turn.
    for (ri, r) in runs.iter().enumerate() {
        if r.files.windows(2).any(|w| w[0].position >= w[1].position) {
            bail!(
                "{}: files are not in input order; was run.json edited?",
                dirs[ri].display()
            );
        }
    }
    Ok(order)
}

/// Interleave the shards' record lines by input position into `out`'s `findings.jsonl`,
/// redoing the cross-file findings over the whole batch; the listing rows go to `spool`.
fn merge_findings(
    dirs: &[PathBuf],
    runs: &[RunJson],
    engine: &Engine,
    out: &Path,
    spool: &crate::batch::Spool,
) -> anyhow::Result<MergedFindings> {
    let findings = &out.join("findings.jsonl");
    let order = file_order(dirs, runs)?;
    let mut readers = shard_readers(dirs)?;
    let mut merged = MergedFindings {
        findings: findings.to_path_buf(),
        files: Vec::new(),
        tally: Tally::default(),
        marked: Vec::new(),
        positions: Vec::new(),
        aggregate: Aggregate::default(),
    };
    let rows_path = spool.rows_path(0);
    let mut rows = std::io::BufWriter::with_capacity(
        1 << 16,
        File::create(&rows_path)
            .with_context(|| format!("cannot create {}", rows_path.display()))?,
    );
    write_atomic(findings, |w| {
        let mut cross = CrossFile::default();
        for &(position, ri, fi) in &order {
            let rf = &runs[ri].files[fi];
            cross.start_file(&rf.file);
            let mut lines = ShardLines {
                dir: &dirs[ri],
                lines: &mut readers[ri],
            };
            let mut to = MergeOut {
                findings: &mut *w,
                rows: &mut rows,
                tally: &mut merged.tally,
                aggregate: &mut merged.aggregate,
            };
            let marks = merge_file(rf, &mut lines, &mut cross, engine, &mut to)?;
            merged.positions.push(position);
            merged.marked.push(marks);
            merged.files.push(FileOutcome {
                file: rf.file.clone(),
                error: rf.error.clone(),
                sheets: rf.sheets.clone(),
                results: Vec::new(),
                records: rf.records,
                annotated: rf.annotated.clone(),
            });
        }
        merged.files.extend(
            runs[0]
                .input_errors
                .iter()
                .map(|e| FileOutcome::failed(e.file.clone(), e.error.clone())),
        );
        crate::report::jsonl::write_errors(&mut *w, &merged.files)
    })?;
    rows.flush()?;
    merged.aggregate.set_rows(rows_path);
    Ok(merged)
}

/// One shard's `findings.jsonl`, read in turn.
struct ShardLines<'a> {
    dir: &'a Path,
    lines: &'a mut Lines<BufReader<File>>,
}

/// Copy one file's record lines from its shard, counting each record once; returns the
/// ordinals of its records that got a cross-file finding.
fn merge_file<W: Write>(
    rf: &RunFile,
    src: &mut ShardLines,
    cross: &mut CrossFile,
    engine: &Engine,
    to: &mut MergeOut<W>,
) -> anyhow::Result<Vec<usize>> {
    let mut shard_marks = rf.cross_file.iter().peekable();
    let mut marks = Vec::new();
    for ordinal in 0..rf.records {
        let line = src.lines.next().with_context(|| {
            format!(
                "{}: findings.jsonl has fewer lines than run.json says",
                src.dir.display()
            )
        })??;
        let mut r: RecordResult = serde_json::from_str(&line)
            .with_context(|| format!("{}: bad findings line", src.dir.display()))?;
        let mut changed = false;
        if shard_marks.next_if(|o| **o == ordinal).is_some() {
            // Undo the shard's own cross-file finding; it is redone over the batch.
            // Its status is decided once below, after any finding is added back.
            r.findings.pop();
            changed = true;
        }
        let key = identity_key(
            &r.contract_id,
            r.parent_id.as_deref(),
            r.modification.as_deref(),
            r.transaction.as_deref(),
        );
        if let Some(first) = key.and_then(|k| cross.record(k, &r.sheet, r.row)) {
            r.findings
                .push(cross_file_finding(engine, &r.contract_id, &first));
            changed = true;
            marks.push(ordinal);
        }
        if changed {
            r.status = status_of(&r.findings);
            crate::report::jsonl::write_record(&mut *to.findings, &r)?;
        } else {
            to.findings.write_all(line.as_bytes())?;
            to.findings.write_all(b"\n")?;
        }
        crate::report::listings::write(to.rows, &r)?;
        to.tally.add(&r);
        to.aggregate.add(&r);
    }
    Ok(marks)
}

/// Evidence unmatched in the whole run: what every shard left unmatched (each shard loaded
/// all of it, so evidence one shard's records reached is matched).
fn merged_evidence(runs: &[RunJson]) -> crate::model::EvidenceOutcome {
    let first = &runs[0].clause_evidence;
    let unmatched = first
        .unmatched
        .iter()
        .filter(|u| {
            runs[1..]
                .iter()
                .all(|r| r.clause_evidence.unmatched.contains(u))
        })
        .cloned()
        .collect();
    crate::model::EvidenceOutcome {
        files: first.files,
        contracts: first.contracts,
        unmatched,
    }
}
