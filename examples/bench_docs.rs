//! Contract-document reading benchmark: generate N text-layer PDFs (or DOCX files) of about
//! 50 pages each, then read them all in parallel (rayon, every core) and print the wall
//! time of the read phase and the process's peak RSS.
//!
//! `cargo run --release --example bench_docs -- [N] [pages] [pdf|docx]` (default 1000 50 pdf)

#[path = "../tests/common/docgen.rs"]
mod docgen;

use std::time::Instant;

use rayon::prelude::*;
use tipaudit::evidence::document;
use tipaudit::rules::DataFiles;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(1000, |a| a.parse().expect("N"));
    let pages: usize = args.next().map_or(50, |a| a.parse().expect("pages"));
    let kind = args.next().unwrap_or_else(|| "pdf".into());
    let dir = tempfile::tempdir().expect("temp dir");

    let t = Instant::now();
    let mut paths: Vec<_> = (0..n)
        .into_par_iter()
        .map(|i| {
            let text = docgen::solicitation_pages(i, pages);
            let (name, bytes) = match kind.as_str() {
                "docx" => {
                    let lines: Vec<&String> = text.iter().flatten().collect();
                    (
                        format!("doc{i:05}.docx"),
                        docgen::docx(&docgen::paragraphs(&lines)),
                    )
                }
                _ => (format!("doc{i:05}.pdf"), docgen::pdf(&text)),
            };
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write document");
            p
        })
        .collect();
    paths.sort();
    let bytes: u64 = paths
        .iter()
        .map(|p| p.metadata().map_or(0, |m| m.len()))
        .sum();
    println!(
        "generated {n} {kind} documents of {pages} pages ({:.1} MB) in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let engine = tipaudit::audit::Engine::load(&DataFiles::builtin()).expect("rules");
    let parser = &engine.clause_parser;
    let rss_before = peak_rss_kb();
    let t = Instant::now();
    let docs: Vec<_> = paths
        .par_iter()
        .map(|p| document::read(p, parser).map(|d| (d.clauses.len(), d.extent)))
        .collect();
    let wall = t.elapsed().as_secs_f64();
    let errors = docs.iter().filter(|d| d.is_err()).count();
    let clauses: usize = docs.iter().flatten().map(|d| d.0).sum();
    let extent: u64 = docs.iter().flatten().map(|d| u64::from(d.1)).sum();
    println!(
        "read {n} documents ({extent} pages/paragraphs, {clauses} clause references, {errors} errors) \
         in {wall:.2} s on {} threads: {:.1} ms per document",
        rayon::current_num_threads(),
        wall * 1000.0 / n as f64
    );
    println!(
        "peak RSS {:.0} MB (after generating: {:.0} MB)",
        peak_rss_kb() as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
}

/// VmHWM from /proc/self/status (Linux), in KiB; 0 elsewhere.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
