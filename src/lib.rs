//! tipaudit: audit US federal contract spreadsheets for anti-trafficking (FAR subpart 22.17)
//! and forced-labor (UFLPA) compliance.
//!
//! Data flows one way: bytes -> cells (`ingest`) -> typed `Record` (`ingest::build`) ->
//! findings (`audit`, driven by the rule data in `rules`) -> outputs (`report`).

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
pub mod sink;
