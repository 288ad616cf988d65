//! Command-line interface (CONTRACT.md section 1).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tipaudit",
    version,
    about = "Audit federal contract spreadsheets for anti-trafficking (FAR 22.17) and forced-labor (UFLPA) compliance",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit workbooks (files or folders) and write annotated copies, a gap report and findings.jsonl
    Audit(AuditArgs),
    /// Combine the outputs of sharded runs into one gap report
    Merge(MergeArgs),
    /// List every rule: id, kind, severity, cite
    Rules(RulesArgs),
    /// What a rule checks, why, and how to fix it
    Explain {
        /// A rule id such as TIP001
        rule_id: String,
        /// Rule data directory instead of the built-in rules
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// List the high-risk goods categories with their legal basis and codes
    Categories {
        /// Rule data directory instead of the built-in rules
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Validate a rules directory
    CheckRules {
        /// The directory to check
        dir: PathBuf,
    },
    /// Write a blank portfolio workbook with the expected columns
    Template {
        /// Where to write the workbook
        #[arg(short, long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
        /// Add an example contract in row 2 (delete it before auditing: it is audited like any row)
        #[arg(long)]
        example: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    High,
    Medium,
    Low,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Workbooks (.xlsx .xlsm .xlsb .xls .ods .csv), contract documents (.pdf .docx .txt .md) or folders to walk
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory
    #[arg(short, long, value_name = "DIR", default_value = "tipaudit-out")]
    pub out: PathBuf,
    /// Rule data directory replacing the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Column mapping (TOML: field = "Column name")
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Extra screening list (CSV with a name column, Consolidated Screening List, OpenSanctions CSV or FtM JSON); repeatable
    #[arg(long, value_name = "FILE")]
    pub entities: Vec<PathBuf>,
    /// Clause evidence joined to the records by contract id: clause reports (one row per
    /// contract and clause) and contract documents (.pdf .docx .txt .md); file or folder,
    /// repeatable
    #[arg(long, value_name = "PATH")]
    pub clauses: Vec<PathBuf>,
    /// Date for records without one of their own (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Files audited in parallel (default: all cores)
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Exit 1 when a finding at or above this severity exists (any case)
    #[arg(long, value_enum, default_value = "high", ignore_case = true)]
    pub fail_on: FailOn,
    /// Do not write annotated copies of the inputs
    #[arg(long)]
    pub no_annotate: bool,
    /// Audit only shard K of N of the inputs (1-based), e.g. 2/8
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// No progress or notes on stderr (warnings and errors are still shown)
    #[arg(short, long)]
    pub quiet: bool,
    /// Say more in the summary (the evidence columns that would enable each unchecked practice)
    #[arg(short, long)]
    pub verbose: bool,
    /// Summary format on stdout
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Limits checked before a file is parsed (zip bombs, sparse sheets, huge or slow files).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Input limits")]
pub struct LimitArgs {
    /// Refuse an input file larger than this
    #[arg(long, value_name = "MB", default_value_t = 2048, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_mb: u64,
    /// Refuse a zip package (.xlsx .xlsm .xlsb .ods) that unpacks to more than this
    #[arg(long, value_name = "MB", default_value_t = 2048, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_unzipped_mb: u64,
    /// Refuse a zip package with more entries than this
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_zip_entries: usize,
    /// Refuse a zip entry (over 1 MiB) that unpacks more than this many times its packed size
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_zip_ratio: u64,
    /// Refuse an .xls, .xlsb or .ods sheet whose cells span a box of more cells than this
    #[arg(long, value_name = "N", default_value_t = 10_000_000)]
    pub max_sheet_cells: u64,
    /// Stop reading a file that takes longer than this
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_seconds_per_file: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> crate::ingest::Limits {
        const MIB: u64 = 1024 * 1024;
        crate::ingest::Limits {
            max_file_bytes: self.max_file_mb.saturating_mul(MIB),
            max_unzipped_bytes: self.max_unzipped_mb.saturating_mul(MIB),
            max_zip_entries: self.max_zip_entries,
            max_zip_ratio: self.max_zip_ratio,
            max_sheet_cells: self.max_sheet_cells,
            max_time: std::time::Duration::from_secs(self.max_seconds_per_file),
        }
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output directories of sharded runs
    #[arg(required = true, value_name = "OUT_DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where to write the combined report
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Summary format on stdout
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Rule data directory instead of the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
}
