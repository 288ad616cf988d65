//! Hostile and broken inputs, through the binary: every case is a batch of one bad input
//! beside good ones, and each test checks the error line, the exit code, that the good
//! files were still audited, and that every input is byte-identical afterwards.
//! All files are generated here: good workbooks with rust_xlsxwriter, broken ones as bytes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const HEADER: [&str; 4] = [
    "Contract Number",
    "Vendor Name",
    "Estimated Value",
    "Clauses",
];

/// A small valid workbook: two contracts, one citing 52.222-50.
fn good_xlsx(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Contracts").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "GOOD-0001").unwrap();
    ws.write_string(1, 1, "Acme Corp").unwrap();
    ws.write_number(1, 2, 100_000.0).unwrap();
    ws.write_string(1, 3, "52.222-50").unwrap();
    ws.write_string(2, 0, "GOOD-0002").unwrap();
    ws.write_string(2, 1, "Beta LLC").unwrap();
    ws.write_number(2, 2, 250_000.0).unwrap();
    ws.write_string(2, 3, "52.204-21").unwrap();
    wb.save(path).unwrap();
}

fn good_xlsx_bytes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.xlsx");
    good_xlsx(&p);
    std::fs::read(p).unwrap()
}

fn good_csv(path: &Path) {
    std::fs::write(
        path,
        "Contract Number,Vendor Name,Estimated Value,Clauses\n\
         CSV-0001,Gamma Inc,\"$1,200\",52.222-50\n",
    )
    .unwrap();
}

/// A batch directory with the good inputs in it; returns (tempdir, input dir).
fn batch_dir() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    std::fs::create_dir(&input).unwrap();
    good_xlsx(&input.join("good.xlsx"));
    good_csv(&input.join("good.csv"));
    (root, input)
}

/// Every regular file under `dir` with its bytes (symlinks and special files left out).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            m.insert(e.path().to_path_buf(), std::fs::read(e.path()).unwrap());
        }
    }
    m
}

struct Run {
    out: Output,
    lines: Vec<Value>,
}

impl Run {
    fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    /// The error line for a file whose path ends with `name`.
    fn error_for(&self, name: &str) -> String {
        self.lines
            .iter()
            .find(|l| l["status"] == "error" && l["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no error line for {name}: {:#?}", self.lines))["error"]
            .as_str()
            .unwrap()
            .to_string()
    }
    fn records_for(&self, name: &str) -> Vec<&Value> {
        self.lines
            .iter()
            .filter(|l| {
                l["status"] != "error" && l["file"].as_str().unwrap().ends_with(&format!("/{name}"))
            })
            .collect()
    }
    /// The good files of `batch_dir` were audited.
    fn assert_good_audited(&self) {
        let ids: Vec<&str> = self
            .records_for("good.xlsx")
            .iter()
            .map(|r| r["contract_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["GOOD-0001", "GOOD-0002"], "{}", self.stderr());
        assert_eq!(self.records_for("good.csv").len(), 1, "{}", self.stderr());
    }
}

fn tipaudit() -> Command {
    let mut c = Command::cargo_bin("tipaudit").unwrap();
    c.env_remove("TIPAUDIT_TEST_PANIC_ON");
    c
}

fn audit(inputs: &[&Path], out: &Path, extra: &[&str]) -> Run {
    let mut cmd = tipaudit();
    cmd.arg("audit").args(inputs).arg("-o").arg(out);
    cmd.args(["--as-of", "2025-06-01", "--no-annotate"])
        .args(extra);
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked at"),
        "a panic reached the user: {stderr}"
    );
    let lines = std::fs::read_to_string(out.join("findings.jsonl"))
        .map(|t| {
            t.lines()
                .map(|l| serde_json::from_str(l).expect("findings.jsonl line is JSON"))
                .collect()
        })
        .unwrap_or_default();
    Run { out: output, lines }
}

/// The common shape: one bad file among the good ones; exit 2, the message, the good files
/// audited, the inputs untouched, no temporary file left.
fn bad_file_case(name: &str, bytes: &[u8], expect: &[&str], extra: &[&str]) -> Run {
    let (root, input) = batch_dir();
    std::fs::write(input.join(name), bytes).unwrap();
    let before = snapshot(&input);
    let out = root.path().join("out");
    let run = audit(&[&input], &out, extra);
    assert_eq!(run.code(), 2, "stderr: {}", run.stderr());
    let err = run.error_for(name);
    for e in expect {
        assert!(err.contains(e), "error for {name} lacks '{e}': {err}");
    }
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before, "an input changed");
    assert_no_temp(&out);
    run
}

fn assert_no_temp(out: &Path) {
    for e in std::fs::read_dir(out).into_iter().flatten().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(
            !n.ends_with(".tmp") && !n.starts_with(".tipaudit-"),
            "temporary file left: {n}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Byte builders: zip packages, deflate streams, compound files
// ---------------------------------------------------------------------------------------

/// Bits written LSB-first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// Huffman codes go MSB-first.
    fn code(&mut self, code: u32, len: u32) {
        let rev = code.reverse_bits() >> (32 - len);
        self.put(rev, len);
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// One fixed-Huffman deflate block: `prefix` as literals, then `zeros` zero bytes as
/// back-references of 258 (13 bits per 258 bytes, so gigabytes pack into megabytes).
fn deflate(prefix: &[u8], zeros: u64) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(1, 1); // BFINAL
    b.put(1, 2); // fixed Huffman
    let lit = |b: &mut Bits, x: u8| {
        if x < 144 {
            b.code(0x30 + u32::from(x), 8)
        } else {
            b.code(0x190 + u32::from(x - 144), 9)
        }
    };
    for &x in prefix {
        lit(&mut b, x);
    }
    if zeros > 0 {
        lit(&mut b, 0);
        let mut left = zeros - 1;
        while left >= 258 {
            b.code(0xC5, 8); // length 258 (symbol 285)
            b.code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            lit(&mut b, 0);
        }
    }
    b.code(0, 7); // end of block
    b.finish()
}

/// CRC-32 of `prefix` followed by `zeros` zero bytes, without touching gigabytes.
fn crc_of(prefix: &[u8], zeros: u64) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(prefix);
    let mut block = crc32fast::Hasher::new();
    block.update(&[0u8; 1 << 20]);
    let mut left = zeros;
    while left >= 1 << 20 {
        h.combine(&block);
        left -= 1 << 20;
    }
    h.update(&vec![0u8; left as usize]);
    h.finalize()
}

struct Entry {
    name: String,
    /// 0 stored, 8 deflate
    method: u16,
    data: Vec<u8>,
    crc: u32,
    /// The uncompressed size the headers declare.
    size: u32,
}

impl Entry {
    fn stored(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.into(),
            method: 0,
            crc: crc32fast::hash(data),
            size: data.len() as u32,
            data: data.to_vec(),
        }
    }
}

/// A zip package from raw entries (no zip64: sizes under 4 GiB).
fn zip_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&e.method.to_le_bytes());
            v.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
            v.extend_from_slice(&e.crc.to_le_bytes());
            v.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            v.extend_from_slice(&e.size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(b"PK\x03\x04");
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The entries of a real zip package, each re-stored uncompressed.
fn entries_of(bytes: &[u8]) -> Vec<Entry> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).unwrap();
            Entry::stored(&f.name().unwrap(), &data)
        })
        .collect()
}

/// An OLE compound file with the given streams.
fn cfb_bytes(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        cf.create_stream(name).unwrap().write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn biff_record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

// ---------------------------------------------------------------------------------------
// Zip packages
// ---------------------------------------------------------------------------------------

/// A real bomb: a 3 GiB worksheet of zeros packed into ~20 MB with a correct CRC. Refused
/// from the central directory before anything is inflated.
#[test]
fn zip_bomb_is_refused_before_inflating() {
    let size: u64 = 3 << 30;
    let data = deflate(b"", size);
    let mut entries = entries_of(&good_xlsx_bytes());
    entries.retain(|e| e.name != "xl/worksheets/sheet1.xml");
    entries.push(Entry {
        name: "xl/worksheets/sheet1.xml".into(),
        method: 8,
        crc: crc_of(b"", size),
        size: size as u32,
        data,
    });
    let started = std::time::Instant::now();
    bad_file_case(
        "bomb.xlsx",
        &zip_bytes(&entries),
        &["zip bomb", "--max-unzipped-mb", "3.0 GiB"],
        &[],
    );
    assert!(started.elapsed().as_secs() < 60, "the bomb was inflated");
}

/// A compression ratio no spreadsheet reaches is refused even under the size limit.
#[test]
fn zip_ratio_over_limit_is_refused() {
    let size: u64 = 64 << 20;
    let mut entries = entries_of(&good_xlsx_bytes());
    entries.push(Entry {
        name: "xl/media/filler.bin".into(),
        method: 8,
        crc: crc_of(b"", size),
        size: size as u32,
        data: deflate(b"", size),
    });
    // 13 bits per 258 bytes is a ratio of about 158:1.
    bad_file_case(
        "ratio.xlsx",
        &zip_bytes(&entries),
        &["--max-zip-ratio", "filler.bin"],
        &["--max-zip-ratio", "100"],
    );
}

#[test]
fn zip_entry_count_over_limit_is_refused() {
    let mut entries = entries_of(&good_xlsx_bytes());
    for i in 0..50 {
        entries.push(Entry::stored(&format!("xl/media/x{i}.bin"), b"x"));
    }
    bad_file_case(
        "many.xlsx",
        &zip_bytes(&entries),
        &["entries", "--max-zip-entries"],
        &["--max-zip-entries", "40"],
    );
}

/// An entry that inflates past its declared size is stopped by the zip reader at the
/// declared size, so declared sizes are real bounds.
#[test]
fn zip_entry_lying_about_its_size_is_stopped() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Contract Number</t></is></c></row></sheetData></worksheet>"#;
    let real = 64u64 << 20;
    let mut entries = entries_of(&good_xlsx_bytes());
    entries.retain(|e| e.name != "xl/worksheets/sheet1.xml");
    entries.push(Entry {
        name: "xl/worksheets/sheet1.xml".into(),
        method: 8,
        crc: crc_of(xml, real),
        size: xml.len() as u32,
        data: deflate(xml, real),
    });
    bad_file_case("liar.xlsx", &zip_bytes(&entries), &["sheet"], &[]);
}

#[test]
fn truncated_xlsx_says_truncated() {
    let bytes = good_xlsx_bytes();
    bad_file_case(
        "cut.xlsx",
        &bytes[..bytes.len() / 2],
        &["truncated or damaged"],
        &[],
    );
}

#[test]
fn random_bytes_named_xlsx_is_not_a_zip() {
    // A fixed pseudo-random sequence (xorshift), so the case is the same on every run.
    let mut x: u32 = 0x9E37_79B9;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    bad_file_case("noise.xlsx", &bytes, &["not a zip package"], &[]);
}

#[test]
fn zero_byte_files_are_empty() {
    let run = bad_file_case("empty.xlsx", b"", &["empty (0 bytes)"], &[]);
    drop(run);
    bad_file_case("empty.csv", b"", &["empty (0 bytes)"], &[]);
}

#[test]
fn encrypted_workbook_named_xlsx_is_password_protected_or_not_ooxml() {
    // What Excel writes for a password-protected .xlsx: an OLE file with these streams.
    let bytes = cfb_bytes(&[
        ("/EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0][..]),
        ("/EncryptedPackage", &[0u8; 512][..]),
    ]);
    bad_file_case(
        "secret.xlsx",
        &bytes,
        &["password-protected", "not OOXML"],
        &[],
    );
}

#[test]
fn text_renamed_xls_is_not_binary_excel() {
    bad_file_case(
        "export.xls",
        b"<html><table><tr><td>Contract Number</td></tr></table></html>",
        &["not a valid xls file", "not a binary Excel"],
        &[],
    );
}

#[test]
fn xlsx_renamed_xls_says_rename() {
    bad_file_case(
        "renamed.xls",
        &good_xlsx_bytes(),
        &["zip package", "rename it to .xlsx"],
        &[],
    );
}

#[test]
fn xlsx_named_csv_is_not_csv() {
    bad_file_case("book.csv", &good_xlsx_bytes(), &["not a CSV file"], &[]);
}

// ---------------------------------------------------------------------------------------
// Sparse sheets: no grid is ever allocated
// ---------------------------------------------------------------------------------------

/// `.xls` with cells at A1 and IV65536: calamine would build a 16.7M-cell grid.
#[test]
fn sparse_xls_is_refused_before_the_grid() {
    let mut s = Vec::new();
    biff_record(&mut s, 0x0809, &[0, 6, 5, 0, 0, 0, 0, 0]); // globals BOF
    let sheet_off = (s.len() + 4 + 12 + 4) as u32;
    let mut bs = sheet_off.to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, 4, 0]);
    bs.extend_from_slice(b"Data");
    biff_record(&mut s, 0x0085, &bs);
    biff_record(&mut s, 0x000A, &[]);
    assert_eq!(s.len() as u32, sheet_off);
    biff_record(&mut s, 0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]); // worksheet BOF
    let number = |row: u16, col: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        d
    };
    biff_record(&mut s, 0x0203, &number(0, 0));
    biff_record(&mut s, 0x0203, &number(65_535, 255));
    biff_record(&mut s, 0x000A, &[]);
    let bytes = cfb_bytes(&[("/Workbook", &s)]);
    bad_file_case(
        "sparse.xls",
        &bytes,
        &["sheet 'Data'", "IV65536", "--max-sheet-cells"],
        &[],
    );
}

/// A DIMENSIONS record claiming billions of rows (calamine reserves rows x cols up front).
#[test]
fn xls_with_impossible_dimensions_is_refused() {
    let mut s = Vec::new();
    biff_record(&mut s, 0x0809, &[0, 6, 5, 0, 0, 0, 0, 0]);
    let sheet_off = (s.len() + 4 + 12 + 4) as u32;
    let mut bs = sheet_off.to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, 4, 0]);
    bs.extend_from_slice(b"Huge");
    biff_record(&mut s, 0x0085, &bs);
    biff_record(&mut s, 0x000A, &[]);
    biff_record(&mut s, 0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend_from_slice(&u32::MAX.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&200u16.to_le_bytes());
    dims.extend_from_slice(&[0, 0]);
    biff_record(&mut s, 0x0200, &dims);
    biff_record(&mut s, 0x000A, &[]);
    let bytes = cfb_bytes(&[("/Workbook", &s)]);
    bad_file_case("dims.xls", &bytes, &["sheet 'Huge'", "65,536 x 256"], &[]);
}

/// `.ods` with A1 and a cell at XFD1048576 reached through repeated rows and columns.
#[test]
fn sparse_ods_is_refused_before_the_grid() {
    let content = br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Far"><table:table-row><table:table-cell office:value-type="string"><text:p>Contract Number</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip_bytes(&[
        Entry::stored(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        Entry::stored("content.xml", content),
    ]);
    bad_file_case(
        "sparse.ods",
        &bytes,
        &["sheet 'Far'", "XFD1048576", "--max-sheet-cells"],
        &[],
    );
}

/// `.xlsx` is streamed: A1 + XFD1048576 audits in bounded memory, no refusal.
#[test]
fn sparse_xlsx_streams_without_a_grid() {
    let (root, input) = batch_dir();
    let p = input.join("far.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Contract Number").unwrap();
    ws.write_string(1, 0, "FAR-0001").unwrap();
    ws.write_string(1_048_575, 16_383, "corner").unwrap();
    wb.save(&p).unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    // good.xlsx's GOOD-0002 lacks 52.222-50: TIP001 (high) fails the run, and nothing else.
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(run.records_for("far.xlsx").len(), 1);
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// Windows-1252 (Excel on Windows) is decoded; a UTF-8 BOM is not part of the first header.
#[test]
fn cp1252_and_bom_csv_are_read() {
    let (root, input) = batch_dir();
    std::fs::write(
        input.join("cp1252.csv"),
        b"Contract Number,Vendor Name\nW-1,Caf\xe9 M\xfcller \x80\n",
    )
    .unwrap();
    std::fs::write(
        input.join("bom.csv"),
        b"\xEF\xBB\xBFContract Number,Vendor Name\nB-1,Bom Co\n",
    )
    .unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Contract Number,Vendor Name\nU-1,Wide Co\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(input.join("utf16.csv"), utf16).unwrap();
    std::fs::write(input.join("broken.xlsx"), b"nope").unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    assert_eq!(run.code(), 2);
    let r = &run.records_for("cp1252.csv")[0];
    assert_eq!(r["contract_id"], "W-1");
    assert_eq!(r["vendor"], "Café Müller €");
    assert_eq!(run.records_for("bom.csv")[0]["contract_id"], "B-1");
    assert_eq!(run.records_for("utf16.csv")[0]["contract_id"], "U-1");
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

/// Ragged rows are read; a quoted line break stays in its cell, so rows are record numbers.
#[test]
fn ragged_rows_and_quoted_newlines_keep_record_numbers() {
    let (root, input) = batch_dir();
    std::fs::write(
        input.join("ragged.csv"),
        "Contract Number,Vendor Name,Description,Clauses\n\
         R-2,Short Row\n\
         R-3,Quoted,\"line one\nline two\nline three\",52.222-50\n\
         R-4,Long Row,x,52.222-50,extra,fields,here\n",
    )
    .unwrap();
    std::fs::write(input.join("zero.csv"), b"").unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    assert_eq!(run.code(), 2);
    let rows: Vec<(String, u64)> = run
        .records_for("ragged.csv")
        .iter()
        .map(|r| {
            (
                r["contract_id"].as_str().unwrap().to_string(),
                r["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("R-2".into(), 2), ("R-3".into(), 3), ("R-4".into(), 4)]
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

/// A quote that is never closed would swallow every later record into one cell.
#[test]
fn unclosed_quote_in_csv_is_an_error_naming_the_row() {
    bad_file_case(
        "unclosed.csv",
        b"Contract Number,Vendor Name,Description\nU-1,Ok Co,fine\nU-2,Bad Co,\"starts here\nU-3,Lost Co,x\nU-4,Lost Too,y\n",
        &["row 3", "never closed"],
        &[],
    );
}

/// Duplicate header names: the first column is used, and it is said so.
#[test]
fn duplicate_header_names_use_the_first_and_say_so() {
    let (root, input) = batch_dir();
    std::fs::write(
        input.join("dup.csv"),
        "Contract Number,Vendor Name,Contract Number\nD-1,Dup Co,WRONG\n",
    )
    .unwrap();
    std::fs::write(input.join("bad.xls"), b"plain text").unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    assert_eq!(run.code(), 2);
    assert_eq!(run.records_for("dup.csv")[0]["contract_id"], "D-1");
    let err = run.stderr();
    assert!(
        err.contains("dup.csv")
            && err.contains("duplicate column names")
            && err.contains("'Contract Number'"),
        "{err}"
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

/// A sheet without a recognisable header is copied but not audited, and the summary says
/// so (CONTRACT.md section 2); it is not a failed input.
#[test]
fn no_header_row_is_said_so() {
    let (root, input) = batch_dir();
    std::fs::write(
        input.join("noheader.csv"),
        b"alpha,beta,gamma\n1,2,3\n4,5,6\n",
    )
    .unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    // good.xlsx's GOOD-0002 lacks 52.222-50: TIP001 (high) fails the run, and nothing else.
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.records_for("noheader.csv").is_empty());
    let stdout = String::from_utf8_lossy(&run.out.stdout);
    assert!(
        stdout.contains("noheader.csv") && stdout.contains("no header"),
        "{stdout}"
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

/// Values that cannot be read are DATA001 on their row, and the row is never `compliant`.
/// Performed outside the US, so the value (and the date, for the threshold in force) is
/// needed to decide whether a compliance plan is due.
#[test]
fn unreadable_values_are_data001_never_compliant() {
    let (root, input) = batch_dir();
    std::fs::write(
        input.join("values.csv"),
        "Contract Number,Date Signed,Estimated Value,Place of Performance Country,Clauses\n\
         V-1,2024-01-05,TBD,DEU,52.222-50\n\
         V-2,2024-01-05,N/A,DEU,52.222-50\n\
         V-3,2024-01-05,1e309,DEU,52.222-50\n\
         V-4,31/02/2024,1000000,DEU,52.222-50\n",
    )
    .unwrap();
    let run = audit(&[&input], &root.path().join("out"), &[]);
    for r in run.records_for("values.csv") {
        assert_ne!(r["status"], "compliant", "{r}");
        let rules: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&"DATA001"), "{r}");
    }
}

// ---------------------------------------------------------------------------------------
// Isolation
// ---------------------------------------------------------------------------------------

/// A panic inside one file's audit becomes its error line; no `panicked at` on stderr.
#[test]
fn panic_in_one_file_is_isolated() {
    let (root, input) = batch_dir();
    good_xlsx(&input.join("boom.xlsx"));
    let before = snapshot(&input);
    let out = root.path().join("out");
    let output = tipaudit()
        .env("TIPAUDIT_TEST_PANIC_ON", "boom.xlsx")
        .args(["audit", "--as-of", "2025-06-01", "--no-annotate", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert_eq!(output.status.code(), Some(2));
    let text = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let run = Run { out: output, lines };
    let err = run.error_for("boom.xlsx");
    assert!(
        err.starts_with("internal error while reading this file (test panic requested"),
        "{err}"
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

/// The same for a panic inside the sheet reader, which runs on its own thread.
#[test]
fn panic_in_the_sheet_reader_is_isolated() {
    let (root, input) = batch_dir();
    good_xlsx(&input.join("boom.xlsx"));
    let before = snapshot(&input);
    let out = root.path().join("out");
    let output = tipaudit()
        .env("TIPAUDIT_TEST_PANIC_ON", "rows:boom.xlsx")
        .args(["audit", "--as-of", "2025-06-01", "--no-annotate", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked at"), "{stderr}");
    // The panic is said once, as the input's error line, never printed as a crash.
    assert!(
        stderr
            .lines()
            .filter(|l| l.contains("internal error"))
            .all(|l| l.starts_with("tipaudit: error: ")),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
    let text = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let run = Run { out: output, lines };
    let err = run.error_for("boom.xlsx");
    assert!(
        err.contains("test panic requested while reading sheet 'Contracts' at src/ingest/mod.rs"),
        "{err}"
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

// ---------------------------------------------------------------------------------------
// Walking the inputs
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_the_rest_audited() {
    let (root, input) = batch_dir();
    std::fs::create_dir(input.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.xlsx", input.join("dangling.xlsx")).unwrap();
    let before = snapshot(&input);
    let run = audit(&[&input], &root.path().join("out"), &[]);
    assert_eq!(run.code(), 2);
    assert!(run.error_for("sub/loop").contains("symbolic link loop"));
    assert!(
        run.error_for("dangling.xlsx")
            .contains("broken symbolic link")
    );
    run.assert_good_audited();
    assert_eq!(snapshot(&input), before);
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_reported_and_the_rest_audited() {
    use std::os::unix::fs::PermissionsExt;
    let (root, input) = batch_dir();
    let locked = input.join("locked");
    std::fs::create_dir(&locked).unwrap();
    good_xlsx(&locked.join("hidden.xlsx"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        // Root (as in CI containers) reads any directory: the case cannot arise here.
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    let run = audit(&[&input], &root.path().join("out"), &[]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code(), 2);
    assert!(run.error_for("locked").contains("cannot read"));
    run.assert_good_audited();
}

#[cfg(unix)]
#[test]
fn named_pipe_is_not_read() {
    let (root, input) = batch_dir();
    let fifo = input.join("pipe.csv");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let run = audit(
        &[&fifo, &input.join("good.xlsx"), &input.join("good.csv")],
        &root.path().join("out"),
        &[],
    );
    assert_eq!(run.code(), 2);
    assert!(run.error_for("pipe.csv").contains("not a regular file"));
    run.assert_good_audited();
}

// ---------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------

#[test]
fn out_that_is_a_regular_file_is_refused() {
    let (root, input) = batch_dir();
    let out = root.path().join("out.txt");
    std::fs::write(&out, b"keep me").unwrap();
    let before = snapshot(root.path());
    let run = audit(&[&input], &out, &[]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("is a file, not a directory"),
        "{}",
        run.stderr()
    );
    assert_eq!(snapshot(root.path()), before);
}

#[test]
fn out_that_would_overwrite_an_input_is_refused() {
    let (root, input) = batch_dir();
    // `good.xlsx` would be annotated as `good.audited.xlsx`, which is an input here.
    good_xlsx(&input.join("good.audited.xlsx"));
    let before = snapshot(root.path());
    let output = tipaudit()
        .args(["audit", "--as-of", "2025-06-01", "-o"])
        .arg(&input)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("would overwrite the input"), "{stderr}");
    assert_eq!(snapshot(root.path()), before);
}

/// An `--out` inside the walked folder: its files are not inputs, so a second run neither
/// audits the first run's outputs nor refuses to overwrite them.
#[test]
fn out_inside_the_walked_folder_is_not_walked() {
    let (_root, input) = batch_dir();
    let out = input.join("out");
    for _ in 0..2 {
        let run = audit(&[&input], &out, &[]);
        assert_eq!(
            run.code(),
            1,
            "GOOD-0002 is TIP001 (high): {}",
            run.stderr()
        );
        run.assert_good_audited();
        assert_eq!(run.lines.len(), 3, "{:#?}", run.lines);
    }
}

/// Without `--out`, nothing is written beside the inputs (the default is ./tipaudit-out).
#[test]
fn default_out_is_not_beside_the_inputs() {
    let (root, input) = batch_dir();
    let cwd = root.path().join("work");
    std::fs::create_dir(&cwd).unwrap();
    let before = snapshot(&input);
    let output = tipaudit()
        .current_dir(&cwd)
        .args(["audit", "--as-of", "2025-06-01", "--no-annotate"])
        .arg(&input)
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(snapshot(&input), before);
    assert!(cwd.join("tipaudit-out/findings.jsonl").is_file());
}

/// SIGINT mid-run: exit 130, no temporary file and no half-written output left.
#[cfg(unix)]
#[test]
fn sigint_leaves_no_partial_output() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // Enough rows that the audit is still running when the signal comes.
    for f in 0..8 {
        let mut text = String::from("Contract Number,Vendor Name,Estimated Value,Clauses\n");
        for i in 0..60_000 {
            text.push_str(&format!(
                "BIG-{f}-{i:06},Vendor {i},{},52.222-50\n",
                1000 + i
            ));
        }
        std::fs::write(input.join(format!("big{f}.csv")), text).unwrap();
    }
    let before = snapshot(&input);
    let out = root.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("tipaudit");
    let mut child = std::process::Command::new(bin)
        .args(["audit", "-q", "--as-of", "2025-06-01", "-j", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the output directory: the run has started.
    let t0 = std::time::Instant::now();
    while !out.is_dir() && t0.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    if child.try_wait().unwrap().is_some() {
        eprintln!("skipped: the run finished before the signal could be sent");
        return;
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    for e in std::fs::read_dir(&out).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".tmp") && !name.starts_with(".tipaudit-"),
            "temporary file left: {name}"
        );
        if name == "findings.jsonl" {
            // Renamed into place before the signal: then it is whole.
            let text = std::fs::read_to_string(e.path()).unwrap();
            assert!(text.ends_with('\n'));
            for l in text.lines() {
                serde_json::from_str::<Value>(l).unwrap();
            }
        }
    }
    assert_eq!(snapshot(&input), before);
}
