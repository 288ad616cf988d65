//! Benchmark: generate deterministic portfolios, then time `tipaudit audit`, the floor
//! (`examples/floor.rs`: bare calamine read + bare rust_xlsxwriter write) and the
//! pandas + openpyxl peer (`bench/peer.py`) on each, and print one table of wall time and
//! peak RSS (each tool runs as a child process; RSS is the child's `ru_maxrss` from
//! `wait4`).
//!
//! ```text
//! cargo build --release --bin tipaudit --example floor --example bench
//! target/release/examples/bench [--sizes 10k,50k,250k,1m] [--files 200] [--docs 1000]
//!     [--runs 2] [--peer-max 50k] [--no-annotate] [--data DIR]
//! ```
//! `--sizes` are single-workbook row counts (40 columns; 1m uses 20 columns unless written
//! `1mx40`). Contract ids repeat as modifications do (at most 30,000 contracts a workbook);
//! a trailing `u` (`1mx40u`) gives every row a contract of its own, as an award-level export
//! does, which is what the portfolio reports hold per contract; `--files N` adds a batch of N workbooks of 500 rows; `--files 0` skips it.
//! Inputs are written as Excel writes them: every text cell a shared string.
//! `--docs N` (or `NxPAGES`, 50 pages by default) adds a folder of N generated contract
//! documents (text-layer PDFs, made as `examples/bench_docs.rs` makes them); only tipaudit
//! runs on it: the floor and the peer read workbooks.
//! `--no-annotate` runs tipaudit and the peer without the annotated copy and the floor
//! read-only. Each measurement runs `--runs` times; the best wall time is reported, with
//! the highest RSS seen.

#[path = "../tests/common/docgen.rs"]
mod docgen;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rust_xlsxwriter::{Format, Workbook};

const USAGE: &str = "usage: bench [--sizes 10k,50k,250k,1m] [--files 200] [--docs 1000[x50]] \
                     [--runs 2] [--peer-max 50k] [--no-annotate] [--data DIR]";

struct Opts {
    /// (rows, columns, a contract per row)
    sizes: Vec<(usize, usize, bool)>,
    files: usize,
    /// (documents, pages each); 0 documents: none.
    docs: (usize, usize),
    runs: usize,
    peer_max: usize,
    annotate: bool,
    data: PathBuf,
}

fn parse_count(s: &str) -> usize {
    let s = s.trim().to_ascii_lowercase();
    let (num, mul) = if let Some(n) = s.strip_suffix('k') {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 1_000_000)
    } else {
        (s.as_str(), 1)
    };
    num.parse::<usize>().expect("a count like 50k or 1m") * mul
}

/// `50k` (40 columns), `1m` (20 columns) or `1mx40`; `1mx40u`: a contract per row.
fn parse_size(s: &str) -> (usize, usize, bool) {
    let s = s.trim().to_ascii_lowercase();
    let (s, unique) = match s.strip_suffix('u') {
        Some(s) => (s, true),
        None => (s.as_str(), false),
    };
    match s.split_once('x') {
        Some((n, c)) => (parse_count(n), parse_count(c), unique),
        None => {
            let n = parse_count(s);
            (n, if n >= 1_000_000 { 20 } else { 40 }, unique)
        }
    }
}

fn label(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

fn main() {
    let exe = std::env::current_exe().expect("own path");
    // `bench --generate PATH ROWS COLS SEED UNIQUE`: one workbook, in a process of its own.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "--generate") {
        let [_, _, path, rows, cols, seed, unique] = &args[..] else {
            panic!("--generate PATH ROWS COLS SEED UNIQUE");
        };
        generate(
            Path::new(path),
            Shape {
                rows: rows.parse().expect("rows"),
                cols: cols.parse().expect("cols"),
                unique: unique == "true",
            },
            seed.parse().expect("seed"),
        )
        .expect("generate workbook");
        return;
    }
    // target/release/examples/bench -> target/release
    let release = exe
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf();
    let mut o = Opts {
        sizes: ["10k", "50k", "250k", "1m"].map(parse_size).to_vec(),
        files: 200,
        docs: (0, 50),
        runs: 2,
        peer_max: 50_000,
        annotate: true,
        data: release.join("bench-data"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            // `--sizes ''`: no single workbook (the batch or the documents only).
            "--sizes" => {
                o.sizes = val()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(parse_size)
                    .collect()
            }
            "--files" => o.files = parse_count(&val()),
            "--docs" => {
                let v = val();
                o.docs = match v.split_once('x') {
                    Some((n, p)) => (parse_count(n), parse_count(p).max(1)),
                    None => (parse_count(&v), 50),
                };
            }
            "--runs" => o.runs = parse_count(&val()).max(1),
            "--peer-max" => o.peer_max = parse_count(&val()),
            "--no-annotate" => o.annotate = false,
            "--data" => o.data = PathBuf::from(val()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => {
                eprintln!("unknown option {other}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let tipaudit = release.join("tipaudit");
    let floor = release.join("examples").join("floor");
    for b in [&tipaudit, &floor] {
        assert!(
            b.exists(),
            "{} is missing: cargo build --release --bin tipaudit --example floor",
            b.display()
        );
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let peer = repo.join("bench").join("peer.py");
    let python = peer_available();
    if python.is_none() {
        eprintln!("bench: python3 with pandas and openpyxl not found: the peer column is skipped");
    }
    std::fs::create_dir_all(&o.data).expect("data dir");

    let mut workloads: Vec<(String, PathBuf, usize)> = Vec::new();
    for &(n, cols, unique) in &o.sizes {
        let u = if unique { "u" } else { "" };
        let path = o
            .data
            .join(format!("portfolio-{}x{cols}{u}-sst.xlsx", label(n)));
        if !path.exists() {
            let t = Instant::now();
            let shape = Shape {
                rows: n,
                cols,
                unique,
            };
            generate_in_child(&exe, &path, shape, 1);
            eprintln!(
                "generated {} in {:.1}s",
                path.display(),
                t.elapsed().as_secs_f64()
            );
        }
        let each = if unique { ", a contract each" } else { "" };
        workloads.push((format!("1 file, {} rows x {cols}{each}", label(n)), path, n));
    }
    if o.files > 0 {
        let dir = o.data.join(format!("batch-{}x500-sst", o.files));
        if !dir.join("done").exists() {
            std::fs::create_dir_all(&dir).expect("batch dir");
            for i in 0..o.files {
                generate_in_child(
                    &exe,
                    &dir.join(format!("office-{i:03}.xlsx")),
                    Shape {
                        rows: 500,
                        cols: 40,
                        unique: false,
                    },
                    1000 + i as u64,
                );
            }
            std::fs::write(dir.join("done"), "").expect("marker");
        }
        workloads.push((
            format!("{} files x 500 rows x 40", o.files),
            dir,
            o.files * 500,
        ));
    }

    if o.docs.0 > 0 {
        let (n, pages) = o.docs;
        let dir = o.data.join(format!("documents-{n}x{pages}"));
        if !dir.join("done").exists() {
            let t = Instant::now();
            std::fs::create_dir_all(&dir).expect("documents dir");
            for i in 0..n {
                let text = docgen::solicitation_pages(i, pages);
                std::fs::write(
                    dir.join(format!("solicitation-{i:05}.pdf")),
                    docgen::pdf(&text),
                )
                .expect("write document");
            }
            std::fs::write(dir.join("done"), "").expect("marker");
            eprintln!(
                "generated {} in {:.1}s",
                dir.display(),
                t.elapsed().as_secs_f64()
            );
        }
        workloads.push((format!("{n} documents x {pages} pages (PDF)"), dir, 0));
    }

    let out = o.data.join("out");
    println!("Each cell: wall time / CPU time (user + system), peak RSS. Ratios: wall (CPU).\n");
    println!(
        "| workload | tipaudit | floor ({}) | tipaudit / floor | pandas+openpyxl | pandas / tipaudit | load |",
        if o.annotate {
            "read + write"
        } else {
            "read only"
        }
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, input, rows) in &workloads {
        let _ = std::fs::remove_dir_all(&out);
        let load = load_average();
        let mut t = Command::new(&tipaudit);
        t.arg("audit")
            .arg(input)
            .arg("-o")
            .arg(out.join("tipaudit"))
            .args(["-q", "--fail-on", "never", "--as-of", "2025-06-30"]);
        if !o.annotate {
            t.arg("--no-annotate");
        }
        // Documents (no rows): the floor and the peer read workbooks only.
        if *rows == 0 {
            println!(
                "| {name} | {} | - | - | - | - | {load} |",
                cell(measure(&mut t, o.runs))
            );
            continue;
        }
        let ta = measure(&mut t, o.runs);
        let mut f = Command::new(&floor);
        f.arg("-o").arg(out.join("floor")).arg(input);
        if !o.annotate {
            f.arg("--read-only");
        }
        let fl = measure(&mut f, o.runs);
        let pe = match &python {
            Some(py) if *rows <= o.peer_max => {
                let mut p = Command::new(py);
                p.arg(&peer).arg(input).arg("-o").arg(out.join("peer"));
                if !o.annotate {
                    p.arg("--no-annotate");
                }
                // The peer is slow: one run is enough to show the gap.
                Some(measure(&mut p, 1))
            }
            _ => None,
        };
        let peer_cell = pe.map_or_else(|| "skipped".to_string(), cell);
        let ratio = pe.map_or_else(
            || "-".to_string(),
            |p| format!("{:.0}x ({:.0}x)", p.secs / ta.secs, p.cpu / ta.cpu),
        );
        println!(
            "| {name} | {} | {} | {:.2} ({:.2}) | {peer_cell} | {ratio} | {load} |",
            cell(ta),
            cell(fl),
            ta.secs / fl.secs,
            ta.cpu / fl.cpu
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

fn cell(m: Measured) -> String {
    format!("{:.2} s / {:.2} s, {} MB", m.secs, m.cpu, m.rss_mb)
}

#[derive(Clone, Copy)]
struct Measured {
    /// Best wall time.
    secs: f64,
    /// CPU time (user + system) of the run with the best wall time: steadier than wall
    /// time on a shared machine.
    cpu: f64,
    rss_mb: u64,
}

/// Run `cmd` `runs` times; best wall time, highest peak RSS.
fn measure(cmd: &mut Command, runs: usize) -> Measured {
    let mut best = f64::INFINITY;
    let mut cpu = 0.0;
    let mut rss = 0;
    for _ in 0..runs {
        let t = Instant::now();
        // Reaped by `wait_rusage` (wait4), which also reads its resource usage.
        #[allow(clippy::zombie_processes)]
        let child = cmd
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let (ok, maxrss_kb, cpu_secs) = wait_rusage(child.id() as i32);
        let secs = t.elapsed().as_secs_f64();
        assert!(ok, "{cmd:?} failed");
        if secs < best {
            best = secs;
            cpu = cpu_secs;
        }
        rss = rss.max(maxrss_kb / 1024);
    }
    Measured {
        secs: best,
        cpu,
        rss_mb: rss,
    }
}

/// Wait for one child and read its own resource usage (Linux reports `ru_maxrss` in KB).
fn wait_rusage(pid: i32) -> (bool, u64, f64) {
    let mut status = 0;
    // SAFETY: plain libc call on a zeroed struct we own; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
    (ok, usage.ru_maxrss as u64, cpu)
}

/// The 1-minute load average before a workload ran (other work on a shared machine).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn peer_available() -> Option<String> {
    let ok = Command::new("python3")
        .args(["-c", "import pandas, openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| "python3".to_string())
}

/// SplitMix64: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const AGENCIES: &[&str] = &[
    "9700: DEPT OF DEFENSE",
    "1900: DEPT OF STATE",
    "7000: HOMELAND SECURITY",
    "4700: GENERAL SERVICES ADMINISTRATION",
    "7200: AGENCY FOR INTERNATIONAL DEVELOPMENT",
    "1200: DEPT OF AGRICULTURE",
];
const COUNTRIES: &[&str] = &[
    "USA: UNITED STATES",
    "USA: UNITED STATES",
    "USA: UNITED STATES",
    "CHN: CHINA",
    "VNM: VIET NAM",
    "BGD: BANGLADESH",
    "MEX: MEXICO",
    "DEU: GERMANY",
    "AFG: AFGHANISTAN",
    "",
];
const DESCRIPTIONS: &[&str] = &[
    "COMBAT UNIFORMS, FLAME RESISTANT, ARMY GREEN, VARIOUS SIZES FOR BASIC TRAINING",
    "SOLAR PANELS AND INSTALLATION SERVICES FOR FORWARD OPERATING BASE",
    "JANITORIAL AND CUSTODIAL SERVICES, EMBASSY COMPOUND, BASE YEAR PLUS FOUR OPTIONS",
    "COTTON T-SHIRTS AND SOCKS FOR RECRUIT CLOTHING ISSUE",
    "IT SUPPORT SERVICES, HELP DESK TIER 1 AND 2, ENTERPRISE LICENSES",
    "CONSTRUCTION OF PERIMETER WALL AND GUARD TOWERS, LABOR CAMP HOUSING FOR WORKERS",
    "FROZEN SEAFOOD (SHRIMP) FOR DINING FACILITY SUBSISTENCE PRIME VENDOR",
    "LAPTOP COMPUTERS, RUGGEDIZED, WITH DOCKING STATIONS",
    "GLOVES, NITRILE, MEDICAL EXAMINATION, POWDER FREE",
    "SECURITY GUARD SERVICES, LOCAL NATIONAL WORKFORCE, THIRD COUNTRY NATIONALS",
];
const PSC: &[&str] = &[
    "8415: CLOTHING, SPECIAL PURPOSE",
    "6117: SOLAR ELECTRIC POWER SYSTEMS",
    "S201: HOUSEKEEPING- CUSTODIAL JANITORIAL",
    "8420: UNDERWEAR AND NIGHTWEAR, MEN'S",
    "D399: IT AND TELECOM- OTHER IT AND TELECOMMUNICATIONS",
    "Y1JZ: CONSTRUCTION OF MISCELLANEOUS BUILDINGS",
    "8905: MEAT, POULTRY, AND FISH",
    "7021: ADP CENTRAL PROCESSING UNIT (CPU, COMPUTER), DIGITAL",
    "6515: MEDICAL AND SURGICAL INSTRUMENTS, EQUIPMENT, AND SUPPLIES",
    "S206: HOUSEKEEPING- GUARD",
];
const CLAUSES: &[&str] = &[
    "52.222-50 (NOV 2021)",
    "52.222-50 Alt I",
    "FAR 52.222-50",
    "52.222.50",
    "52.212-4",
    "52.212-5 (JAN 2025)",
    "52.222-19 (FEB 2024)",
    "52.222-18",
    "52.204-21",
    "52.232-33",
    "52.222-56",
    "252.225-7060",
    "252.222-7007",
    "52.225-13",
    "52.209-6",
];
const VENDORS: &[&str] = &[
    "ACME FEDERAL SERVICES LLC",
    "GLOBAL TEXTILE SOURCING CO., LTD.",
    "SUNRISE SOLAR TECHNOLOGY",
    "BLUE RIDGE JANITORIAL INC",
    "HIKVISION DIGITAL TECHNOLOGY",
    "PACIFIC SEAFOOD TRADERS",
    "NORTHSTAR IT SOLUTIONS",
    "DELTA CONSTRUCTION GROUP",
];

/// The 40 columns; the first 20 carry every field the audit reads.
const HEADERS: [&str; 40] = [
    "Contract Number",
    "Modification Number",
    "Referenced IDV PIID",
    "Document Type",
    "Date Signed",
    "Base and All Options Value",
    "Value Outside US",
    "Place of Performance Country",
    "Country of Origin",
    "Commercial Item Acquisition",
    "COTS",
    "US Directives Notified",
    "Vendor Name",
    "UEI",
    "Description of Requirement",
    "Product or Service Code",
    "NAICS Code",
    "Contracting Agency",
    "Contracting Office",
    "Clauses",
    "Place of Manufacture",
    "Manufacturer",
    "Compliance Plan on File",
    "Annual Certification Date",
    "Contracting Officer",
    "CO Email",
    "CO Phone",
    "Vendor Address",
    "Vendor City",
    "Vendor State",
    "Vendor ZIP",
    "Funding Agency",
    "Funding Office",
    "Program",
    "Fiscal Year",
    "Obligated Amount",
    "Period of Performance End Date",
    "Type of Set Aside",
    "Extent Competed",
    "Number of Offers Received",
];

/// One workbook of `rows` records with `cols` columns (a title row above the header).
/// Generate in a child process: the generator holds the shared-string table in memory, and
/// Linux carries a process's peak RSS across the fork and exec of each measured child, so
/// generating here would inflate every RSS measured after it.
fn generate_in_child(exe: &Path, path: &Path, shape: Shape, seed: u64) {
    let ok = Command::new(exe)
        .arg("--generate")
        .arg(path)
        .args([
            shape.rows.to_string(),
            shape.cols.to_string(),
            seed.to_string(),
            shape.unique.to_string(),
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "generating {} failed", path.display());
}

/// A generated workbook's rows and columns, and whether every row is a contract of its own.
#[derive(Clone, Copy)]
struct Shape {
    rows: usize,
    cols: usize,
    unique: bool,
}

fn generate(path: &Path, shape: Shape, seed: u64) -> anyhow::Result<()> {
    let Shape { rows, cols, unique } = shape;
    // The contract number of row `i`: one of 30,000 a workbook, or its own.
    let piid = |i: usize| {
        let n = if unique { i } else { i % 10_000 };
        format!("W{:03}QY-{:02}-C-{n:04}", seed % 1000, 14 + i % 12)
    };
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    // Low-memory mode streams rows but keeps the shared-string table, as Excel writes text.
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Contracts")?;
    ws.write_string(0, 0, "FY2025 contract actions export")?;
    for (c, h) in HEADERS.iter().take(cols).enumerate() {
        ws.write_string(1, c as u16, *h)?;
    }
    let mut rng = Rng(seed.wrapping_mul(0x1234_5678_9ABC_DEF1));
    let base = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("date");
    for i in 0..rows {
        let r = 2 + i as u32;
        let put = |c: usize, f: &mut dyn FnMut(u16) -> Result<(), rust_xlsxwriter::XlsxError>| {
            if c < cols { f(c as u16) } else { Ok(()) }
        };
        // About 1 in 50 ids repeat (DATA003).
        let piid = if rng.below(50) == 0 && i > 10 {
            piid(i - 7)
        } else {
            piid(i)
        };
        let value = (rng.below(5_000_000) + 1_000) as f64 + 0.5;
        let clauses: Vec<&str> = (0..4 + rng.below(10)).map(|_| rng.pick(CLAUSES)).collect();
        let signed = base + chrono::Duration::days(rng.below(4300) as i64);
        let pop = rng.pick(COUNTRIES);
        let origin = rng.pick(COUNTRIES);
        let k = rng.below(DESCRIPTIONS.len());
        put(0, &mut |c| ws.write_string(r, c, &piid).map(|_| ()))?;
        put(1, &mut |c| {
            ws.write_string(r, c, if i % 9 == 0 { "P00001" } else { "0" })
                .map(|_| ())
        })?;
        put(2, &mut |c| {
            ws.write_string(r, c, if i % 4 == 0 { "GS-07F-0001X" } else { "" })
                .map(|_| ())
        })?;
        put(3, &mut |c| {
            ws.write_string(
                r,
                c,
                [
                    "DEFINITIVE CONTRACT",
                    "DELIVERY ORDER",
                    "PURCHASE ORDER",
                    "SOLICITATION",
                ][i % 4],
            )
            .map(|_| ())
        })?;
        put(4, &mut |c| {
            ws.write_datetime_with_format(r, c, signed, &date)
                .map(|_| ())
        })?;
        put(5, &mut |c| ws.write_number(r, c, value).map(|_| ()))?;
        put(6, &mut |c| {
            if i % 3 == 0 {
                ws.write_number(r, c, value / 2.0).map(|_| ())
            } else {
                Ok(())
            }
        })?;
        put(7, &mut |c| ws.write_string(r, c, pop).map(|_| ()))?;
        put(8, &mut |c| ws.write_string(r, c, origin).map(|_| ()))?;
        put(9, &mut |c| {
            ws.write_string(r, c, ["Y", "N", "YES", "NO"][i % 4])
                .map(|_| ())
        })?;
        put(10, &mut |c| {
            ws.write_string(r, c, if i % 7 == 0 { "Y" } else { "N" })
                .map(|_| ())
        })?;
        put(11, &mut |c| {
            ws.write_string(r, c, ["", "Y", "N"][i % 3]).map(|_| ())
        })?;
        put(12, &mut |c| {
            ws.write_string(r, c, rng.pick(VENDORS)).map(|_| ())
        })?;
        put(13, &mut |c| {
            ws.write_string(r, c, format!("UEI{:09}", i * 7919 % 1_000_000_000))
                .map(|_| ())
        })?;
        put(14, &mut |c| {
            ws.write_string(r, c, DESCRIPTIONS[k]).map(|_| ())
        })?;
        put(15, &mut |c| ws.write_string(r, c, PSC[k]).map(|_| ()))?;
        put(16, &mut |c| {
            ws.write_number(r, c, [315210.0, 221114.0, 561720.0, 541512.0][k % 4])
                .map(|_| ())
        })?;
        put(17, &mut |c| {
            ws.write_string(r, c, AGENCIES[i % AGENCIES.len()])
                .map(|_| ())
        })?;
        put(18, &mut |c| {
            ws.write_string(
                r,
                c,
                format!("W{:03} CONTRACTING OFFICE {}", i % 40, i % 40),
            )
            .map(|_| ())
        })?;
        put(19, &mut |c| {
            ws.write_string(r, c, clauses.join("; ")).map(|_| ())
        })?;
        put(20, &mut |c| ws.write_string(r, c, origin).map(|_| ()))?;
        put(21, &mut |c| {
            ws.write_string(r, c, rng.pick(VENDORS)).map(|_| ())
        })?;
        put(22, &mut |c| {
            ws.write_string(r, c, ["Yes", "No", ""][i % 3]).map(|_| ())
        })?;
        put(23, &mut |c| {
            ws.write_datetime_with_format(r, c, signed, &date)
                .map(|_| ())
        })?;
        put(24, &mut |c| {
            ws.write_string(r, c, format!("OFFICER {}", i % 97))
                .map(|_| ())
        })?;
        put(25, &mut |c| {
            ws.write_string(r, c, format!("officer{}@agency.gov", i % 97))
                .map(|_| ())
        })?;
        put(26, &mut |c| {
            ws.write_string(r, c, format!("(202) 555-{:04}", i % 10_000))
                .map(|_| ())
        })?;
        put(27, &mut |c| {
            ws.write_string(r, c, format!("{} INDUSTRIAL PKWY", 100 + i % 900))
                .map(|_| ())
        })?;
        put(28, &mut |c| {
            ws.write_string(r, c, ["ARLINGTON", "HOUSTON", "SEATTLE", "DAYTON"][i % 4])
                .map(|_| ())
        })?;
        put(29, &mut |c| {
            ws.write_string(r, c, ["VA", "TX", "WA", "OH"][i % 4])
                .map(|_| ())
        })?;
        put(30, &mut |c| {
            ws.write_string(r, c, format!("{:05}", 20_000 + i % 70_000))
                .map(|_| ())
        })?;
        put(31, &mut |c| {
            ws.write_string(r, c, AGENCIES[(i + 1) % AGENCIES.len()])
                .map(|_| ())
        })?;
        put(32, &mut |c| {
            ws.write_string(r, c, format!("FUNDING OFFICE {}", i % 25))
                .map(|_| ())
        })?;
        put(33, &mut |c| {
            ws.write_string(r, c, format!("PROGRAM {}", i % 13))
                .map(|_| ())
        })?;
        put(34, &mut |c| {
            ws.write_number(r, c, (2014 + i % 12) as f64).map(|_| ())
        })?;
        put(35, &mut |c| ws.write_number(r, c, value / 3.0).map(|_| ()))?;
        put(36, &mut |c| {
            ws.write_datetime_with_format(r, c, signed + chrono::Duration::days(365), &date)
                .map(|_| ())
        })?;
        put(37, &mut |c| {
            ws.write_string(
                r,
                c,
                [
                    "NO SET ASIDE USED",
                    "SMALL BUSINESS SET ASIDE",
                    "8A COMPETED",
                ][i % 3],
            )
            .map(|_| ())
        })?;
        put(38, &mut |c| {
            ws.write_string(r, c, ["FULL AND OPEN COMPETITION", "NOT COMPETED"][i % 2])
                .map(|_| ())
        })?;
        put(39, &mut |c| {
            ws.write_number(r, c, (1 + i % 9) as f64).map(|_| ())
        })?;
    }
    wb.save(path)?;
    Ok(())
}
