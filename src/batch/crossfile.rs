//! Contract ids repeated across files (DATA003) and the in-order merge of each file's part
//! of the portfolio reports, patching only the records a repeat marks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};

use super::FirstSeen;
use super::spool::{FileSpool, Spool, copy_lines};
use crate::audit::Engine;
use crate::model::{Finding, RecordResult, Tally, status_of};
use crate::report::aggregate::Aggregate;

/// The DATA003 finding for a record whose identity was first seen in an earlier file.
pub fn cross_file_finding(engine: &Engine, contract_id: &str, first: &str) -> Finding {
    engine.rules.finding(
        "DATA003",
        &[
            ("contract_id", contract_id.to_string()),
            ("first", first.to_string()),
        ],
        None,
    )
}

/// Contract ids that repeat across files, against the first occurrence in input order
/// (repeats within a file are marked while the file is audited). Fed each file's first
/// occurrences in input order; only one compact key per distinct identity is kept.
#[derive(Default)]
pub struct CrossFile {
    /// key -> (file, sheet name, row) of the first occurrence, as indices into `names`.
    first: HashMap<Box<str>, (u32, u32, u32)>,
    names: Vec<Box<str>>,
    name_ids: HashMap<Box<str>, u32>,
    file: u32,
    /// Keys of this file already marked (only a file's first occurrence is marked).
    marked: HashSet<Box<str>>,
}

impl CrossFile {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.name_ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.name_ids.insert(s.into(), id);
        id
    }

    /// Start the next file in input order.
    pub fn start_file(&mut self, file: &str) {
        self.file = self.intern(file);
        self.marked.clear();
    }

    /// One record of the current file; `Some(first)` ("file, sheet 'S' row N") when it
    /// repeats an identity first seen in an earlier file and must get a DATA003 finding.
    pub fn record(&mut self, key: Box<str>, sheet: &str, row: u32) -> Option<String> {
        match self.first.get(&key) {
            Some((f, _, _)) if *f == self.file => None,
            Some(&(f, s, r)) => self.marked.insert(key).then(|| {
                format!(
                    "{}, sheet '{}' row {r}",
                    self.names[f as usize], self.names[s as usize]
                )
            }),
            None => {
                let s = self.intern(sheet);
                self.first.insert(key, (self.file, s, row));
                None
            }
        }
    }
}

/// A file's audit as the batch's aggregate takes it, in input order.
pub(super) struct Done {
    pub(super) file: String,
    pub(super) sheets: Vec<String>,
    pub(super) firsts: Vec<FirstSeen>,
    pub(super) tally: Tally,
    pub(super) part: Aggregate,
}

/// Takes each file's part into the batch's aggregate in input order as the files finish,
/// and marks the records that repeat an identity of an earlier file (DATA003): their
/// spooled lines and listing rows are rewritten with the finding once, and those records
/// counted again in their file's part and tally.
pub(super) struct InOrder<'a> {
    pub(super) engine: &'a Engine,
    pub(super) spool: &'a Spool,
    pub(super) next: usize,
    pub(super) waiting: BTreeMap<usize, Done>,
    pub(super) cross: CrossFile,
    pub(super) aggregate: Aggregate,
    /// (file, ordinals marked, its tally with the marks) for each file with marks.
    pub(super) marked: Vec<(usize, Vec<usize>, Tally)>,
    pub(super) error: Option<anyhow::Error>,
}

impl InOrder<'_> {
    pub(super) fn done(&mut self, i: usize, done: Done) {
        self.waiting.insert(i, done);
        while let Some(d) = self.waiting.remove(&self.next) {
            let i = self.next;
            self.next += 1;
            self.cross.start_file(&d.file);
            let marks: Vec<(usize, String)> = d
                .firsts
                .into_iter()
                .filter_map(|f| {
                    let sheet = &d.sheets[f.sheet as usize];
                    self.cross
                        .record(f.key, sheet, f.row)
                        .map(|t| (f.ordinal, t))
                })
                .collect();
            if marks.is_empty() {
                self.aggregate.merge(d.part);
                continue;
            }
            let (mut part, mut tally) = (d.part, d.tally);
            match self.mark(i, &marks, &mut part, &mut tally) {
                Ok(()) => {
                    self.aggregate.merge(part);
                    let ordinals = marks.into_iter().map(|(o, _)| o).collect();
                    self.marked.push((i, ordinals, tally));
                }
                Err(e) => {
                    self.error.get_or_insert(e);
                }
            }
        }
    }

    /// Add the DATA003 findings of `marks` (ordinal, first occurrence) to file `i`'s
    /// spooled lines and listing rows, and count those records again in its part and
    /// tally. Only the marked lines are parsed; the others are copied as bytes.
    fn mark(
        &self,
        i: usize,
        marks: &[(usize, String)],
        part: &mut Aggregate,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        let path = self.spool.path(i);
        let mut src = BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
        let tmp = self.spool.dir.path().join(format!("{i}.marked"));
        let rows_path = self.spool.rows_path(i);
        let rows_tmp = self.spool.dir.path().join(format!("{i}.rows.marked"));
        let mut w = FileSpool::create(&tmp, &rows_tmp)?;
        let mut changed = Vec::with_capacity(marks.len());
        let mut line = Vec::new();
        let mut next = 0;
        for (at, first) in marks {
            copy_lines(&mut src, &mut w.lines, at - next)?;
            line.clear();
            src.read_until(b'\n', &mut line)?;
            let old: RecordResult = serde_json::from_slice(&line)?;
            let mut r = old.clone();
            r.findings
                .push(cross_file_finding(self.engine, &r.contract_id, first));
            r.status = status_of(&r.findings);
            crate::report::jsonl::write_record(&mut w.lines, &r)?;
            tally.remove(&old);
            tally.add(&r);
            part.patch(*at, &old, &r);
            changed.push((*at, r));
            next = at + 1;
        }
        std::io::copy(&mut src, &mut w.lines)?;
        let mut rows = BufReader::with_capacity(1 << 16, std::fs::File::open(&rows_path)?);
        crate::report::listings::patch(&mut rows, &mut w.rows, &changed)?;
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, &path)?;
        std::fs::rename(&rows_tmp, &rows_path)?;
        Ok(())
    }
}
