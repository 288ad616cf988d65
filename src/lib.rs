//! tipaudit: audit US federal contract spreadsheets for anti-trafficking (FAR subpart 22.17)
//! and forced-labor (UFLPA) compliance.
//!
//! Data flows one way: bytes -> cells (`ingest`) -> typed `Record` (`ingest::build`) ->
//! findings (`audit`, driven by the rule data in `rules`) -> outputs (`report`).
//!
//! [`audit()`] runs one audit from [`AuditOptions`] and returns an [`AuditRun`] (the batch,
//! its coverage, summary and exit code); [`merge()`] combines sharded runs. Neither depends
//! on the command line (`cli`, `commands`). docs/architecture.md lists each module and what
//! it may use.

pub mod audit;
pub mod batch;
pub mod cell;
pub mod cli;
pub mod commands;
pub mod coverage;
pub mod evidence;
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod isolate;
mod memo;
pub mod merge;
pub mod model;
pub mod outdir;
pub mod output;
pub mod parse;
pub mod progress;
pub mod record;
pub mod report;
pub mod risk;
pub mod rules;
pub mod run;
pub mod sink;

pub use merge::{Merged, merge};
pub use model::{BatchOutcome, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, FailOn, RecordResult};
pub use run::{AuditOptions, AuditRun, audit};
