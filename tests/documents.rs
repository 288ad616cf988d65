//! Contract documents (`.pdf`, `.docx`, `.txt`, `.md`): clause extraction measured against
//! hand-checked lists of 20 real solicitations (`tests/data/documents/`, read from
//! ../shared/data/real), the PDF and DOCX renderings of six of them, and bad input made here.

mod common;
#[path = "common/docgen.rs"]
mod docgen;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tipaudit::evidence::Loc;
use tipaudit::evidence::document::{self, DocError, Document, IdFrom};
use tipaudit::parse::clauseref::{ClauseParser, Mark};
use tipaudit::rules::DataFiles;

fn parser() -> ClauseParser {
    tipaudit::audit::Engine::load(&DataFiles::builtin())
        .expect("built-in rules")
        .clause_parser
}

/// ../shared/data/real with its documents, or None (skipped) when absent outside CI.
fn real_dir() -> Option<PathBuf> {
    common::real_file("documents")?;
    common::real_data()
}

type Cite = (String, u8, String, &'static str);

fn mark_name(m: Mark) -> &'static str {
    match m {
        Mark::None => "none",
        Mark::Checked => "checked",
        Mark::Unchecked => "unchecked",
    }
}

/// Distinct (number, alternate, date, mark) references of a document.
fn cites(d: &Document) -> BTreeSet<Cite> {
    d.clauses
        .iter()
        .map(|c| {
            let date = c
                .cite
                .date
                .map_or("-".to_string(), |d| format!("{}-{:02}", d.year, d.month));
            (
                c.cite.number.clone(),
                c.cite.alternate,
                date,
                mark_name(c.cite.mark),
            )
        })
        .collect()
}

struct Expected {
    name: String,
    file: String,
    also: Vec<String>,
    id: String,
    record_type: String,
    boxes_known: bool,
    truncated: bool,
    cites: BTreeSet<Cite>,
}

fn expected_lists() -> Vec<Expected> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "list"))
        .collect();
    files.sort();
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        let mut e = Expected {
            name: p.file_stem().unwrap().to_string_lossy().into_owned(),
            file: String::new(),
            also: Vec::new(),
            id: String::new(),
            record_type: String::new(),
            boxes_known: false,
            truncated: false,
            cites: BTreeSet::new(),
        };
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            if let Some((k, v)) = line.split_once(" = ") {
                match k {
                    "file" => e.file = v.to_string(),
                    "also" => e.also = v.split_whitespace().map(str::to_string).collect(),
                    "id" => e.id = v.to_string(),
                    "type" => e.record_type = v.to_string(),
                    "boxes_known" => e.boxes_known = v == "true",
                    "truncated" => e.truncated = v == "true",
                    _ => panic!("{}: unknown key {k}", p.display()),
                }
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            let mark = match f[3] {
                "none" => "none",
                "checked" => "checked",
                "unchecked" => "unchecked",
                m => panic!("{}: bad mark {m}", p.display()),
            };
            e.cites.insert((
                f[0].to_string(),
                f[1].parse().unwrap(),
                f[2].to_string(),
                mark,
            ));
        }
        out.push(e);
    }
    out
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fneg: usize,
}

impl Score {
    fn add<T: Ord + Clone>(&mut self, want: &BTreeSet<T>, got: &BTreeSet<T>) {
        self.tp += want.intersection(got).count();
        self.fp += got.difference(want).count();
        self.fneg += want.difference(got).count();
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fneg).max(1) as f64
    }
}

/// Clause references as (number, alternate, date); box states as the marked references.
fn split(c: &BTreeSet<Cite>) -> (BTreeSet<(String, u8, String)>, BTreeSet<Cite>) {
    let refs = c
        .iter()
        .map(|(n, a, d, _)| (n.clone(), *a, d.clone()))
        .collect();
    let boxes = c.iter().filter(|c| c.3 != "none").cloned().collect();
    (refs, boxes)
}

/// Extraction against the hand-checked lists. Thresholds: precision at or above 0.95 for
/// clauses and boxes (a false reference or a false check can hide a missing clause, so
/// precision matters most); recall at or above 0.90 for both. One of the 20 texts
/// (RED_1732702) lost every clause number of its 52.212-5 and is read from titles only
/// where the clause catalogue knows the title: its 84 misses are the whole shortfall (0.947
/// clause recall, 0.907 box recall; the other 19 documents are read in full).
#[test]
fn real_documents_match_their_hand_checked_lists() {
    let Some(real) = real_dir() else { return };
    let parser = parser();
    let (mut clauses, mut boxes) = (Score::default(), Score::default());
    let mut report = Vec::new();
    let lists = expected_lists();
    assert_eq!(lists.len(), 20, "20 hand-checked documents");
    for e in &lists {
        let doc = document::read(&real.join(&e.file), &parser)
            .unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(doc.id, e.id, "{}: id", e.name);
        let ty = doc.record_type.map_or("none", |t| t.as_str());
        assert_eq!(ty, e.record_type, "{}: type", e.name);
        assert_eq!(doc.boxes_known, e.boxes_known, "{}: boxes_known", e.name);
        assert_eq!(doc.truncated, e.truncated, "{}: truncated", e.name);
        let got = cites(&doc);
        let (want_refs, want_boxes) = split(&e.cites);
        let (got_refs, got_boxes) = split(&got);
        clauses.add(&want_refs, &got_refs);
        boxes.add(&want_boxes, &got_boxes);
        let missed: Vec<_> = e.cites.difference(&got).collect();
        let extra: Vec<_> = got.difference(&e.cites).collect();
        if !missed.is_empty() || !extra.is_empty() {
            report.push(format!(
                "{}: {} missed, {} extra; first missed {:?}, first extra {:?}",
                e.name,
                missed.len(),
                extra.len(),
                missed.first(),
                extra.first()
            ));
        }
        // The PDF and DOCX renderings read as the text does.
        for other in &e.also {
            let d = document::read(&real.join(other), &parser)
                .unwrap_or_else(|err| panic!("{other}: {err}"));
            assert_eq!(
                cites(&d),
                got,
                "{other}: its clause list differs from the text's"
            );
            assert_eq!(d.boxes_known, doc.boxes_known, "{other}: boxes_known");
            assert_eq!(d.truncated, doc.truncated, "{other}: truncated");
            match (other.ends_with(".pdf"), d.clauses.first().map(|c| c.loc)) {
                (true, Some(Loc::Page(p))) => assert!(p >= 1 && p <= d.extent),
                (false, Some(Loc::Line(l))) => assert!(l >= 1 && l <= d.extent),
                (_, loc) => panic!("{other}: location {loc:?}"),
            }
        }
    }
    println!(
        "clause references: precision {:.3} recall {:.3} ({} right, {} extra, {} missed)",
        clauses.precision(),
        clauses.recall(),
        clauses.tp,
        clauses.fp,
        clauses.fneg
    );
    println!(
        "box states: precision {:.3} recall {:.3} ({} right, {} extra, {} missed)",
        boxes.precision(),
        boxes.recall(),
        boxes.tp,
        boxes.fp,
        boxes.fneg
    );
    for r in &report {
        println!("  {r}");
    }
    assert!(clauses.precision() >= 0.95, "clause precision");
    assert!(clauses.recall() >= 0.90, "clause recall");
    assert!(boxes.precision() >= 0.95, "box precision");
    assert!(boxes.recall() >= 0.90, "box recall");
}

#[test]
fn a_scanned_pdf_without_a_text_layer_is_an_error() {
    let Some(real) = real_dir() else { return };
    let err =
        document::read(&real.join("documents/scanned_no_text_layer.pdf"), &parser()).unwrap_err();
    assert!(matches!(err, DocError::NoTextLayer), "{err}");
    assert_eq!(err.to_string(), "no text layer: run OCR first");
}

/// The 52.222-50 evidence of a rendered solicitation: the (JUL 2014) 52.212-5 lists it in
/// paragraph (a) with no box, its Alternate I line has an empty blank, and the document's
/// check-list boxes are known; each reference carries its page.
#[test]
fn the_pdf_of_a_real_solicitation_places_52_222_50_on_its_page() {
    let Some(real) = real_dir() else { return };
    let d = document::read(
        &real.join("documents/GREEN_14-233-SOL-00490.pdf"),
        &parser(),
    )
    .unwrap();
    assert_eq!(
        (d.id.as_str(), d.id_from),
        ("14-233-SOL-00490", IdFrom::FileName)
    );
    assert!(d.boxes_known && !d.truncated);
    let tip: Vec<_> = d
        .clauses
        .iter()
        .filter(|c| c.cite.number == "52.222-50")
        .map(|c| (c.cite.alternate, c.cite.mark, c.loc))
        .collect();
    assert!(tip.contains(&(0, Mark::None, tip[0].2)), "{tip:?}");
    assert!(
        tip.iter().any(|t| t.0 == 1 && t.1 == Mark::Unchecked),
        "{tip:?}"
    );
    assert!(
        matches!(tip[0].2, Loc::Page(p) if p > 1 && p < d.extent),
        "{tip:?}"
    );
}

fn tmp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_made_pdf_reads_page_by_page_with_marks() {
    let dir = tempfile::tempdir().unwrap();
    let pages = vec![
        lines(&[
            "SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL ITEMS",
            "5. SOLICITATION NUMBER W912DY-24-Q-0007",
        ]),
        lines(&[
            "52.212-5 Contract Terms and Conditions Required To Implement Statutes (MAR 2026)",
            "[X] (1) 52.203-6, Restrictions on Subcontractor Sales (JUN 2020)",
            "[ ] (2) 52.204-10, Reporting Executive Compensation (JUN 2020)",
            "[X] (39)(i) 52.222-50, Combating Trafficking in Persons (NOV 2021)",
            "[ ] (ii) Alternate I (MAR 2015) of 52.222-50",
        ]),
    ];
    let p = tmp_file(&dir, "award.pdf", &docgen::pdf(&pages));
    let d = document::read(&p, &parser()).unwrap();
    assert_eq!(
        (d.id.as_str(), d.id_from),
        ("W912DY-24-Q-0007", IdFrom::FormBlock)
    );
    assert_eq!(d.extent, 2);
    assert!(d.boxes_known && !d.truncated);
    let tip: Vec<_> = d
        .clauses
        .iter()
        .filter(|c| c.cite.number == "52.222-50")
        .map(|c| (c.cite.alternate, c.cite.mark, c.loc))
        .collect();
    assert_eq!(
        tip,
        [
            (0, Mark::Checked, Loc::Page(2)),
            (1, Mark::Unchecked, Loc::Page(2))
        ]
    );
}

/// A scanned page inside a PDF with text elsewhere: its clauses cannot be read, so the
/// document's clause list counts as cut off there rather than complete.
#[test]
fn an_image_only_page_leaves_the_list_unverified() {
    let dir = tempfile::tempdir().unwrap();
    let pages = vec![
        lines(&[
            "Contract No. W912DY-24-C-0007",
            "52.212-4 Contract Terms (NOV 2023)",
        ]),
        lines(&["(scanned)"]),
        lines(&["52.252-2 Clauses Incorporated by Reference (FEB 1998)"]),
    ];
    let p = tmp_file(&dir, "scan.pdf", &docgen::pdf_with_image_page(&pages, 2));
    let d = document::read(&p, &parser()).unwrap();
    assert_eq!(d.pages_without_text, [2]);
    assert!(d.truncated);
    assert_eq!(d.truncated_at, Some(Loc::Page(2)));
    assert_eq!(d.clauses.len(), 2);
    // All pages images: an error, not an empty list.
    let one = tmp_file(
        &dir,
        "all.pdf",
        &docgen::pdf_with_image_page(&pages[1..2], 1),
    );
    assert!(matches!(
        document::read(&one, &parser()),
        Err(DocError::NoTextLayer)
    ));
}

#[test]
fn a_docx_check_box_control_decides_the_box() {
    let dir = tempfile::tempdir().unwrap();
    let control = |checked: bool| {
        format!(
            r#"<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{}"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{}</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> (39)(i) 52.222-50, Combating Trafficking in Persons (NOV 2021)</w:t></w:r></w:p>"#,
            u8::from(checked),
            if checked { "☒" } else { "☐" }
        )
    };
    for checked in [true, false] {
        let body = docgen::paragraphs(&[
            "Contract No. W912DY-24-C-0007",
            "52.212-5 Contract Terms and Conditions Required To Implement Statutes (MAR 2026)",
            "☒ (1) 52.203-6, Restrictions (JUN 2020)",
            "☐ (2) 52.204-10, Reporting (JUN 2020)",
        ]) + &control(checked);
        let p = tmp_file(&dir, "award.docx", &docgen::docx(&body));
        let d = document::read(&p, &parser()).unwrap();
        assert_eq!(d.id, "W912DY-24-C-0007");
        assert!(d.boxes_known);
        let c = d
            .clauses
            .iter()
            .find(|c| c.cite.number == "52.222-50")
            .unwrap();
        let want = if checked {
            Mark::Checked
        } else {
            Mark::Unchecked
        };
        assert_eq!((c.cite.mark, c.loc), (want, Loc::Line(5)));
    }
}

#[test]
fn bad_documents_are_errors_that_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let parser = parser();
    let read = |name: &str, bytes: &[u8]| {
        document::read(&tmp_file(&dir, name, bytes), &parser)
            .err()
            .unwrap_or_else(|| panic!("{name} was read"))
    };
    let page = vec![lines(&[
        "Contract No. W912DY-24-C-0007",
        "52.222-50 (NOV 2021)",
    ])];

    let e = read("locked.pdf", &docgen::encrypted_pdf(&page, "secret"));
    assert!(matches!(e, DocError::Encrypted), "{e}");

    let e = read("junk.pdf", b"this is not a pdf at all");
    assert!(e.to_string().contains("PDF header"), "{e}");
    let mut cut = docgen::pdf(&page);
    cut.truncate(cut.len() / 3);
    let e = read("cut.pdf", &cut);
    assert!(matches!(e, DocError::Corrupt { kind: "PDF", .. }), "{e}");

    // A page tree whose /Parent points back at the page: refused, not a stack overflow.
    let mut doc = docgen::pdf_doc(&page);
    let page_id = *doc.get_pages().get(&1).unwrap();
    let pages_id = doc
        .get_dictionary(page_id)
        .unwrap()
        .get(b"Parent")
        .unwrap()
        .as_reference()
        .unwrap();
    doc.get_dictionary_mut(pages_id)
        .unwrap()
        .set("Parent", page_id);
    let mut looped = Vec::new();
    doc.save_to(&mut looped).unwrap();
    let e = read("looped.pdf", &looped);
    assert!(matches!(e, DocError::Corrupt { .. }), "{e}");

    // A page whose content stream inflates past the stream limit: refused before the
    // extractor inflates it.
    let mut doc = docgen::pdf_doc(&page);
    let page_id = *doc.get_pages().get(&1).unwrap();
    let content_id = doc
        .get_dictionary(page_id)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..130 {
        std::io::Write::write_all(&mut z, &[b' '; 1 << 20]).unwrap();
    }
    let packed = z.finish().unwrap();
    let stream = pdf_extract::Stream::new(
        pdf_extract::dictionary! { "Filter" => "FlateDecode" },
        packed,
    );
    doc.objects
        .insert(content_id, pdf_extract::Object::Stream(stream));
    let mut bomb = Vec::new();
    doc.save_to(&mut bomb).unwrap();
    assert!(bomb.len() < 1 << 20);
    let e = read("bomb.pdf", &bomb);
    assert!(e.to_string().contains("decompression bomb"), "{e}");

    // A DOCX whose document part inflates 1000-fold: refused before it is inflated.
    let bomb = docgen::zip_of(&[("word/document.xml", &vec![b' '; 4 << 20])]);
    let e = read("bomb.docx", &bomb);
    assert!(e.to_string().contains("zip bomb"), "{e}");
    let e = read(
        "protected.docx",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
    );
    assert!(matches!(e, DocError::ProtectedWord), "{e}");
    let e = read("plain.docx", b"just text");
    assert!(e.to_string().contains("not a zip package"), "{e}");
    let e = read("nopart.docx", &docgen::zip_of(&[("x.xml", b"<x/>")]));
    assert!(e.to_string().contains("main document part"), "{e}");

    let e = read("binary.txt", b"\x00\x01\x02PK");
    assert!(e.to_string().contains("binary data"), "{e}");
    let e = read("empty.md", b"");
    assert!(e.to_string().contains("empty"), "{e}");
    let e = read(
        "notes.txt",
        b"52.222-50 Combating Trafficking in Persons (NOV 2021)",
    );
    assert!(matches!(e, DocError::NoNumber), "{e}");
}

#[test]
fn a_document_without_a_number_takes_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp_file(
        &dir,
        "W912DY24C0007 award.txt",
        b"52.222-50 Combating Trafficking in Persons (NOV 2021)\n",
    );
    let d = document::read(&p, &parser()).unwrap();
    assert_eq!(
        (d.id.as_str(), d.id_from),
        ("W912DY24C0007", IdFrom::FileName)
    );
    assert_eq!(d.clauses[0].loc, Loc::Line(1));
}

/// Damaged PDFs and DOCX files (bytes overwritten at seeded positions) are each read or
/// refused: no panic escapes and nothing hangs.
#[test]
fn damaged_documents_never_crash_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let parser = parser();
    let pages = docgen::solicitation_pages(7, 2);
    let pdf = docgen::pdf(&pages);
    let lines: Vec<&String> = pages.iter().flatten().collect();
    let docx = docgen::docx(&docgen::paragraphs(&lines));
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut read, mut refused) = (0, 0);
    for (name, base) in [("d.pdf", &pdf), ("d.docx", &docx)] {
        for _ in 0..150 {
            let mut bytes = base.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            match document::read(&tmp_file(&dir, name, &bytes), &parser) {
                Ok(_) => read += 1,
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    refused += 1;
                }
            }
        }
    }
    assert_eq!(read + refused, 300);
}

/// A 2012 SF 1449 as PDF text lays block 6's value out after block 7's label; read there, the
/// document is judged on its own date: (FEB 2009) was in force, so no TIP005 and no DATA001
/// for the date.
#[test]
fn a_form_issue_date_on_a_later_line_dates_the_document() {
    let dir = common::tmp();
    let doc = common::path(&dir, "FA8224-12-T-0030.txt");
    std::fs::write(
        &doc,
        "SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL ITEMS\n\
         5. SOLICITATION NUMBER\n\n6. SOLICITATION ISSUE DATE\n\nFA8224-12-T-0030\n\
         7. FOR SOLICITATION INFORMATION CALL: a. NAME\n\n12-Apr-2012\n\
         8. OFFER DUE DATE/LOCAL TIME\n\n02:00 PM 26 Apr 2012\n\
         52.222-50 Combating Trafficking in Persons (FEB 2009)\n",
    )
    .unwrap();
    let out = common::path(&dir, "out");
    let (code, _, stderr) = common::audit(&[&doc], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let recs = common::jsonl(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["contract_id"], "FA8224-12-T-0030");
    // The date is read, so the only DATA001 is the place of performance, which a document
    // never carries (whether Alternate I is required, TIP002): incomplete, not compliant.
    let findings = recs[0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "DATA001");
    let m = findings[0]["message"].as_str().unwrap();
    assert!(
        m.starts_with("place_of_performance is") && m.contains("(TIP002)"),
        "{m}"
    );
    assert_eq!(recs[0]["status"], "incomplete");
}
