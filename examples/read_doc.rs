//! Print what tipaudit reads from contract documents: number, type, date, and every clause
//! reference with its page or line, alternate, date and check-box mark.
//!
//! `cargo run --example read_doc -- FILE...`

use std::path::Path;

use tipaudit::evidence::document::{self, Document};
use tipaudit::parse::clauseref::ClauseParser;
use tipaudit::rules::DataFiles;

fn main() {
    let engine = tipaudit::audit::Engine::load(&DataFiles::builtin()).expect("built-in rules");
    let parser: &ClauseParser = &engine.clause_parser;
    for arg in std::env::args().skip(1) {
        match document::read(Path::new(&arg), parser) {
            Ok(d) => print(&arg, &d),
            Err(e) => println!("{arg}: error: {e}"),
        }
    }
}

fn print(file: &str, d: &Document) {
    println!(
        "{file}: id {} ({:?}) parent {:?} mod {:?} type {:?} date {:?} extent {} boxes_known {} truncated {} at {:?}",
        d.id,
        d.id_from,
        d.parent_id,
        d.modification,
        d.record_type,
        d.date,
        d.extent,
        d.boxes_known,
        d.truncated,
        d.truncated_at
    );
    for c in &d.clauses {
        let date = c
            .cite
            .date
            .map(|d| format!("{}-{:02}", d.year, d.month))
            .unwrap_or_else(|| "-".into());
        println!(
            "  {:?}\t{}\talt={}\tdate={}\tmark={:?}",
            c.loc, c.cite.number, c.cite.alternate, date, c.cite.mark
        );
    }
}
