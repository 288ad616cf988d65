fn main() {
    let p = std::env::args().nth(1).unwrap();
    let pages = pdf_extract::extract_text_by_pages(&p).unwrap();
    for (i, t) in pages.iter().enumerate() {
        println!("=====PAGE {}=====\n{}", i + 1, t);
    }
}
