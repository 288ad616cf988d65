//! Clause evidence kept outside the award data: long-form clause sheets, clause reports and
//! contract documents given with `--clauses`, joined to the records (CONTRACT.md 2a).

mod common;

use common::*;

#[test]
fn long_form_sheet_clause_date_column_gives_tip005() {
    let dir = tmp();
    let input = path(&dir, "register.xlsx");
    let awards = sheet(
        "Awards",
        vec![
            vec![
                S("Contract Number"),
                S("Award Date"),
                S("Estimated Value"),
                S("Place of Performance"),
            ],
            vec![S("L-1"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
            vec![S("L-2"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
            vec![S("L-3"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
        ],
    );
    let clauses = sheet(
        "Clauses",
        vec![
            vec![S("Contract Number"), S("Clause Number"), S("Clause Date"), S("Alt")],
            vec![S("L-1"), S("52.222-50"), S("FEB 2009"), E],
            vec![S("L-2"), S("52.222-50"), S("NOV 2021"), E],
            vec![S("L-3"), S("52.222-50"), D(2009, 2, 1), E],
        ],
    );
    write_xlsx(&input, &[awards, clauses]);
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    let rules = |id| rules_of(record(&recs, id));
    assert!(rules("L-1").contains(&"TIP005".into()), "{:?}", rules("L-1"));
    assert!(!rules("L-1").contains(&"TIP001".into()));
    assert!(!rules("L-2").contains(&"TIP005".into()), "NOV 2021 was in force in 2024");
    assert!(rules("L-3").contains(&"TIP005".into()), "a date cell counts too");
}
