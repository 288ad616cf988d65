//! Contract documents made for tests and the document benchmark: text-layer PDFs (lopdf,
//! through pdf-extract's re-export), DOCX packages and broken variants of both.
#![allow(dead_code)]

use std::io::Write;

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Document, Object, Stream, dictionary};

/// A PDF whose pages hold `pages[i]` as lines of Courier text.
pub fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = pdf_doc(pages);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write pdf");
    out
}

pub fn pdf_doc(pages: &[Vec<String>]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Courier",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
            Operation::new("TL", vec![11.into()]),
            Operation::new("Td", vec![36.into(), 760.into()]),
        ];
        for l in lines {
            ops.push(Operation::new(
                "Tj",
                vec![Object::string_literal(l.as_str())],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("encode content"),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal("0123456789abcdef"),
            Object::string_literal("0123456789abcdef"),
        ]),
    );
    doc
}

/// A PDF whose page `image_page` (1-based) is only an image, as a scanner makes it.
pub fn pdf_with_image_page(pages: &[Vec<String>], image_page: usize) -> Vec<u8> {
    let mut doc = pdf_doc(pages);
    let page_id = *doc.get_pages().get(&(image_page as u32)).expect("page");
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => 2,
            "Height" => 2,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    500.into(),
                    0.into(),
                    0.into(),
                    700.into(),
                    50.into(),
                    50.into(),
                ],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("encode content"),
    ));
    let page = doc.get_dictionary_mut(page_id).expect("page dictionary");
    page.set("Contents", content_id);
    page.set(
        "Resources",
        dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write pdf");
    out
}

/// The same PDF encrypted (RC4, 128 bits) with a user password: it cannot be opened
/// without it.
pub fn encrypted_pdf(pages: &[Vec<String>], user_password: &str) -> Vec<u8> {
    let mut doc = pdf_doc(pages);
    let version = pdf_extract::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: pdf_extract::Permissions::all(),
    };
    let state = pdf_extract::EncryptionState::try_from(version).expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write pdf");
    out
}

/// A DOCX package whose body is `body` (WordprocessingML paragraphs).
pub fn docx(body: &str) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.as_bytes(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.as_bytes(),
        ),
        ("word/document.xml", doc.as_bytes()),
    ])
}

/// One `w:p` per line of text.
pub fn paragraphs<S: AsRef<str>>(lines: &[S]) -> String {
    lines
        .iter()
        .map(|l| {
            let t = l
                .as_ref()
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!(r#"<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>"#)
        })
        .collect()
}

pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            z.start_file(*name, opts).expect("zip entry");
            z.write_all(data).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

/// Clause-list text of about `pages` pages of 60 lines: a Section I list, a 52.212-5
/// check-list with marks, and filler prose.
pub fn solicitation_pages(n: usize, pages: usize) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(pages);
    for p in 0..pages {
        let mut lines = Vec::with_capacity(60);
        if p == 0 {
            lines.push("SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL ITEMS".to_string());
            lines.push(format!("5. SOLICITATION NUMBER W912DY-24-Q-{n:04}"));
        }
        while lines.len() < 60 {
            let i = p * 60 + lines.len();
            let line = match i % 6 {
                0 => format!("[X] ({}) 52.222-{}, Clause title number {i} (MAR 2015)", i % 40, 3 + i % 50),
                1 => format!("[ ] ({}) 52.225-{}, Another clause title (JUN 2020)", i % 40, 1 + i % 25),
                2 => "52.212-5 Contract Terms and Conditions Required To Implement Statutes (MAR 2026)".to_string(),
                _ => "The Contractor shall perform the work described in the statement of work in accordance with its terms.".to_string(),
            };
            lines.push(line);
        }
        out.push(lines);
    }
    out
}
