//! Writes the sample portfolio in `samples/`: the same kind of contracts an agency point of
//! contact reviews, in five layouts. Deterministic: run it again and the files are the same
//! data (`cargo run --example make_samples`).

// The sample rows are literal tables; a named struct per table would add nothing.
#![allow(clippy::type_complexity)]

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

type Res = Result<(), Box<dyn std::error::Error>>;

fn main() -> Res {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "samples".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    clean(dir)?;
    fpds(dir)?;
    regional(dir)?;
    solicitations(dir)?;
    wide(dir)?;
    clause_evidence(&dir.join("clause-evidence"))?;
    println!("samples written to {}", dir.display());
    Ok(())
}

fn date(y: u16, m: u8, d: u8) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, d).expect("valid date")
}

fn header(ws: &mut Worksheet, row: u32, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_text_wrap();
    for (c, n) in names.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *n, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    Ok(())
}

/// A clean agency tracker: one header row, a clause-list column, evidence columns, a formula.
fn clean(dir: &Path) -> Res {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Contracts")?;
    let cols = [
        "Contract Number",
        "Record Type",
        "Award Date",
        "Estimated Value",
        "Value (k$)",
        "Place of Performance",
        "Country of Origin",
        "Commercial Item",
        "COTS",
        "US Directives Notified",
        "Vendor Name",
        "UEI",
        "Manufacturer",
        "Description of Requirement",
        "PSC",
        "NAICS",
        "Contracting Agency",
        "Contracting Office",
        "Clauses",
        "Compliance Plan on File",
        "Annual Certification Date",
    ];
    header(ws, 0, &cols)?;
    let money = Format::new().set_num_format("$#,##0.00");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    #[rustfmt::skip]
    let rows: &[(&str, &str, (u16, u8, u8), f64, &str, &str, &str, &str, &str, &str, &str, &str, &str, &str, u32, &str, &str, &str, &str, Option<(u16, u8, u8)>)] = &[
        ("47QSWA25C0001", "Contract", (2025, 11, 3), 1_200_000.0, "USA", "USA", "Yes", "No", "", "Blue Ridge Office Supply LLC", "K7LMN2QH4PB5", "Steelcase Inc.", "Office furniture, delivery and installation, Atlanta federal building", "7110", 337214, "General Services Administration", "GSA/FAS Region 4", "52.222-50 (OCT 2025); 52.204-25 (NOV 2021); 52.222-19 (MAR 2026)", "", None),
        ("W911QY25C0042", "Contract", (2025, 6, 12), 8_500_000.0, "KWT", "", "No", "No", "Yes", "Gulf Logistics Services WLL", "Q2RTL8VW1AB3", "", "Base life support services, Camp Arifjan, Kuwait: dining, laundry, billeting", "S203", 561210, "Department of the Army", "ACC Rock Island", "52.222-50 (NOV 2021); 52.204-25", "", None),
        ("70B01C25C00000123", "Contract", (2025, 4, 22), 3_200_000.0, "USA", "CHN", "Yes", "No", "", "Patriot Uniform Supply Inc.", "M4NPQ7RS2TU9", "Guangdong Sunrise Garment Co., Ltd.", "Men's cotton uniform shirts, short sleeve, CBP officer uniform program", "8405", 315220, "Department of Homeland Security", "CBP Procurement Directorate", "52.222-50 (OCT 2025), 52.222-19 (JAN 2025), 52.204-25", "", None),
        ("1305M325P0018", "Purchase Order", (2025, 2, 10), 245_000.0, "USA", "USA", "Yes", "Yes", "", "North Pacific Seafoods LLC", "B8CDE3FG5HJ1", "", "Frozen Alaska pollock fillets for NOAA research vessel galley", "8905", 311710, "Department of Commerce", "NOAA Acquisition and Grants Office", "FAR 52.212-5 (JAN 2025)", "", None),
        ("19AQMM25C0077", "Contract", (2025, 8, 1), 0.0, "JOR", "", "No", "No", "", "Levant Facility Services Co.", "", "", "Embassy guard force services, Amman", "S206", 561612, "Department of State", "AQM Momentum", "52.222-50 (NOV 2021) ALT I (MAR 2015)", "Yes", Some((2025, 7, 15))),
        ("HSCG2325C0055", "Contract", (2025, 9, 30), 1_750_000.0, "", "", "No", "No", "", "Harbor Marine Works Inc.", "C9DEF4GH6JK2", "", "Cutter hull repair and blasting, drug trafficking interdiction fleet", "J019", 336611, "Department of Homeland Security", "USCG SFLC", "52.204-25; 52.222-54", "", None),
        ("SPE1C125D1234", "Contract", (2024, 12, 5), 4_800_000.0, "USA", "CHN", "No", "No", "", "Delta Textile Imports Corp.", "D1EFG5HJ7KL3", "Hoshine Silicon Industry (Shanshan) Co., Ltd", "Polysilicon wafers and solar cell components for field power units", "6117", 334413, "Defense Logistics Agency", "DLA Troop Support", "52.222-50 (NOV 2021); 252.222-7007 (JAN 2015)", "", None),
        ("12314425P0009", "Purchase Order", (2025, 3, 18), 86_000.0, "USA", "Urumqi, Xinjiang, China", "Yes", "No", "", "Valley Fresh Foods Inc.", "E2FGH6JK8LM4", "", "Canned tomato paste, #10 cans, for school lunch program", "8915", 311421, "Department of Agriculture", "USDA AMS Commodity Procurement", "52.222-50 (OCT 2025)", "", None),
        ("75N91025C0031", "Contract", (2025, 10, 20), 640_000.0, "USA", "USA", "No", "No", "", "Chesapeake Research Group LLC", "F3GHJ7KL9MN5", "", "Clinical data management services", "R499", 541715, "Department of Health and Human Services", "NIH NCI Office of Acquisitions", "52.222-50 (OCT 2025); 52.204-25 (NOV 2021)", "", None),
        ("N0018925C0101", "Contract", (2026, 1, 9), 2_250_000.0, "JPN", "", "No", "No", "Yes", "Pacific Rim Facilities KK", "G4HJK8LM1NP6", "", "Facilities maintenance services, Fleet Activities Yokosuka", "Z1PZ", 561210, "Department of the Navy", "NAVSUP FLC Yokosuka", "52.222-50 (OCT 2025) Alternate I (MAR 2015); 252.225-7060 (JUN 2023)", "Yes", Some((2025, 12, 1))),
        ("47QTCA25D00AB", "Contract", (2025, 5, 5), 950_000.0, "USA", "", "Yes", "", "", "Summit IT Solutions Inc.", "H5JKL9MN2PQ7", "", "Help desk and end-user IT support services", "DA01", 541519, "General Services Administration", "GSA FAS ITC", "", "", None),
        ("70FA6025C0014", "Contract", (2025, 7, 7), 380_000.0, "USA", "VNM", "Yes", "No", "", "Coastal Outfitters Inc.", "J6KLM1NP3QR8", "", "Work gloves, leather palm, and safety boots for FEMA field staff", "8415", 315990, "Department of Homeland Security", "FEMA Office of Procurement Operations", "52.222-50 (OCT 2025); 52.222-19 (MAR 2026)", "", None),
        ("140D0425C0088", "Contract", (2025, 1, 14), 120_000.0, "USA", "USA", "No", "No", "", "Rocky Mountain Survey Co.", "K7LMN2PQ4RS9", "", "Uniform Contract Format survey support; Solaris server migration", "R404", 541370, "Department of the Interior", "IBC Acquisition Services", "52.222-50 (MAR 2015)", "", None),
        ("47QSWA25C0001", "Contract", (2025, 11, 3), 1_200_000.0, "USA", "USA", "Yes", "No", "", "Blue Ridge Office Supply LLC", "K7LMN2QH4PB5", "Steelcase Inc.", "Office furniture, delivery and installation (entered twice)", "7110", 337214, "General Services Administration", "GSA/FAS Region 4", "52.222-50 (OCT 2025)", "", None),
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, r.0)?;
        ws.write_string(row, 1, r.1)?;
        ws.write_datetime_with_format(row, 2, date(r.2.0, r.2.1, r.2.2), &day)?;
        if i == 10 {
            // A value nobody filled in yet.
            ws.write_string(row, 3, "TBD")?;
        } else {
            ws.write_number_with_format(row, 3, r.3, &money)?;
        }
        ws.write_formula(row, 4, format!("=ROUND(D{}/1000,1)", row + 1).as_str())?
            .set_formula_result(row, 4, format!("{}", (r.3 / 100.0).round() / 10.0));
        for (c, v) in [
            (5, r.4),
            (6, r.5),
            (7, r.6),
            (8, r.7),
            (9, r.8),
            (10, r.9),
            (11, r.10),
            (12, r.11),
            (13, r.12),
            (14, r.13),
        ] {
            if !v.is_empty() {
                ws.write_string(row, c, v)?;
            }
        }
        ws.write_number(row, 15, r.14 as f64)?;
        for (c, v) in [(16, r.15), (17, r.16), (18, r.17), (19, r.18)] {
            if !v.is_empty() {
                ws.write_string(row, c, v)?;
            }
        }
        if let Some((y, m, d)) = r.19 {
            ws.write_datetime_with_format(row, 20, date(y, m, d), &day)?;
        }
    }
    ws.set_column_width(13, 50)?;
    ws.set_column_width(18, 45)?;
    wb.save(dir.join("portfolio-clean.xlsx"))?;
    Ok(())
}

/// An FPDS-style export: element names as headers, "CODE: DESCRIPTION" cells, NAICS as
/// floats, dates as text, plus a Clauses column a reviewer added.
fn fpds(dir: &Path) -> Res {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("FPDS Export")?;
    let cols = [
        "PIID",
        "modNumber",
        "referencedIDV_PIID",
        "signedDate",
        "baseAndAllOptionsValue",
        "obligatedAmount",
        "contractingOfficeAgencyName",
        "contractingOfficeName",
        "vendorName",
        "UEI",
        "descriptionOfContractRequirement",
        "productOrServiceCode",
        "principalNAICSCode",
        "countryOfOrigin",
        "placeOfManufacture",
        "commercialItemAcquisitionProcedures",
        "popCountryCode",
        "Clauses",
    ];
    header(ws, 0, &cols)?;
    #[rustfmt::skip]
    let rows: &[[&str; 18]] = &[
        ["70B03C25F00000412", "0", "70B03C21D00000004", "2025-03-14 00:00:00", "2450000.0000", "612500.0000", "U.S. CUSTOMS AND BORDER PROTECTION", "CBP PROCUREMENT DIRECTORATE", "VF IMAGEWEAR, INC.", "W1XYZ2ABC3D4", "IGF::OT::IGF UNIFORMS II TASK ORDER - TROUSERS, COTTON BLEND", "8415: CLOTHING, SPECIAL PURPOSE", "315220.0", "CHN: CHINA", "B: MFG OUTSIDE U.S.", "A: COMMERCIAL PRODUCTS/SERVICES", "USA", "52.212-5 (JAN 2025); 52.222-50 (NOV 2021)"],
        ["70B03C25F00000412", "P00001", "70B03C21D00000004", "2025-06-02 00:00:00", "2450000.0000", "0.0000", "U.S. CUSTOMS AND BORDER PROTECTION", "CBP PROCUREMENT DIRECTORATE", "VF IMAGEWEAR, INC.", "W1XYZ2ABC3D4", "ADMINISTRATIVE CHANGE - UPDATE COR", "8415: CLOTHING, SPECIAL PURPOSE", "315220.0", "CHN: CHINA", "B: MFG OUTSIDE U.S.", "A: COMMERCIAL PRODUCTS/SERVICES", "USA", "52.212-5 (JAN 2025); 52.222-50 (NOV 2021)"],
        ["SP470525C0031", "0", "", "2025-09-18 00:00:00", "1800000.0000", "1800000.0000", "DEFENSE LOGISTICS AGENCY", "DLA DISTRIBUTION", "MIDWEST BATTERY SUPPLY LLC", "X2YZA3BCD4E5", "LITHIUM-ION BATTERY PACKS, 24V, FOR MATERIAL HANDLING EQUIPMENT", "6140: BATTERIES, RECHARGEABLE", "335911.0", "CHN: CHINA", "E: MFG OUTSIDE U.S.--USE OUTSIDE THE U.S.", "D: COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED", "USA", "52.222.50; 52.22-50 ALT I; 52.204-25"],
        ["36C25525P0412", "0", "", "2025-11-20 00:00:00", "95000.0000", "95000.0000", "VETERANS AFFAIRS, DEPARTMENT OF", "255-NETWORK CONTRACT OFFICE 15", "HEARTLAND JANITORIAL SERVICES", "Y3ZAB4CDE5F6", "JANITORIAL SERVICES, KANSAS CITY VAMC", "S201: HOUSEKEEPING- CUSTODIAL JANITORIAL", "561720.0", "USA: UNITED STATES", "C: NOT A MANUFACTURED END PRODUCT", "A: COMMERCIAL PRODUCTS/SERVICES", "USA", "52.212-5"],
        ["75D30125C00019", "0", "", "2025-02-27 00:00:00", "12500000.0000", "4000000.0000", "CENTERS FOR DISEASE CONTROL AND PREVENTION", "CDC OFFICE OF ACQUISITION SERVICES", "GLOBAL HEALTH PARTNERS INC", "Z4ABC5DEF6G7", "LABORATORY CAPACITY STRENGTHENING SERVICES, KENYA AND UGANDA", "Q301: MEDICAL- LABORATORY TESTING", "541380.0", "", "", "D: COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED", "KEN", "52.222-50 (NOV 2021) ALT I; 52.204-25 (NOV 2021)"],
        ["W912DY25C0008", "0", "", "2025-10-06 00:00:00", "725000.0000", "725000.0000", "DEPT OF THE ARMY", "W072 ENDIST HUNTSVILLE", "ALABAMA STEEL ERECTORS INC", "A5BCD6EFG7H8", "STRUCTURAL STEEL AND ALUMINUM CANOPY, REDSTONE ARSENAL", "Y1JZ: CONSTRUCTION OF MISCELLANEOUS BUILDINGS", "238120.0", "", "", "D: COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED", "USA", "52.222-50 (OCT 2025); 252.225-7060 (JUN 2023)"],
        ["1333ND25PNB0120", "0", "", "2025-04-03 00:00:00", "18500.0000", "18500.0000", "NATIONAL INSTITUTE OF STANDARDS AND TECHNOLOGY", "DEPT OF COMMERCE NIST", "LAB WEAR DIRECT", "B6CDE7FGH8J9", "NITRILE EXAM GLOVES AND LAB COATS", "6532: HOSPITAL AND SURGICAL CLOTHING AND RELATED SPECIAL PURPOSE ITEMS", "339113.0", "MYS: MALAYSIA", "B: MFG OUTSIDE U.S.", "A: COMMERCIAL PRODUCTS/SERVICES", "USA", "FAR 52.213-4"],
        ["HSHQDC25C00042", "0", "", "", "", "", "OFFICE OF PROCUREMENT OPERATIONS", "OPO", "", "", "CYBERSECURITY ASSESSMENT SERVICES", "DJ01: IT AND TELECOM - SECURITY AND COMPLIANCE", "541512.0", "", "", "", "", "52.222-50 (OCT 2025)"],
        ["W56HZV25C0150", "0", "", "2025-08-15 00:00:00", "3400000.0000", "3400000.0000", "DEPT OF THE ARMY", "W6QK ACC-DTA", "COMBAT APPAREL GROUP LLC", "C7DEF8GHJ9K1", "FLAME RESISTANT ARMY COMBAT SHIRTS", "8415: CLOTHING, SPECIAL PURPOSE", "315220.0", "USA: UNITED STATES", "D: MFG IN U.S.", "D: COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED", "USA", "52.222-50 (NOV 2021); 52.222-19 (JAN 2025); 252.225-7060 (JUN 2023)"],
        ["47QSMD25C0005", "0", "", "2025-12-01 00:00:00", "560000.0000", "560000.0000", "GENERAL SERVICES ADMINISTRATION", "GSA/FAS CENTRAL OFFICE", "TRI-STATE OFFICE PRODUCTS", "D8EFG9HJK1L2", "TONER CARTRIDGES AND COPY PAPER", "7510: OFFICE SUPPLIES", "424120.0", "USA: UNITED STATES", "D: MFG IN U.S.", "A: COMMERCIAL PRODUCTS/SERVICES", "USA", "52.222-50 (OCT 2025); 52.204-25 (NOV 2021)"],
    ];
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                // NAICS codes arrive as floats in FPDS extracts; keep them numeric.
                if c == 12 {
                    ws.write_number(i as u32 + 1, c as u16, v.parse::<f64>()?)?;
                } else {
                    ws.write_string(i as u32 + 1, c as u16, *v)?;
                }
            }
        }
    }
    wb.save(dir.join("fpds-export.xlsx"))?;
    Ok(())
}

/// A regional office register: title rows, a merged group header, a separate long-form
/// clause sheet joined by contract number, and a notes sheet with no header.
fn regional(dir: &Path) -> Res {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let group = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#DDEBF7");
    let day = Format::new().set_num_format("mm/dd/yyyy");
    let money = Format::new().set_num_format("$#,##0");
    {
        let ws = wb.add_worksheet().set_name("FY2025 Awards")?;
        ws.write_string_with_format(
            0,
            0,
            "Region 4 Contracting Office - FY2025 Award Register",
            &title,
        )?;
        ws.write_string(
            1,
            0,
            "Prepared for the trafficking-in-persons point of contact; values include all options",
        )?;
        ws.merge_range(2, 0, 2, 3, "Award", &group)?;
        ws.merge_range(2, 4, 2, 6, "Place", &group)?;
        ws.merge_range(2, 7, 2, 8, "Compliance evidence", &group)?;
        header(
            ws,
            3,
            &[
                "Award Number",
                "Award Date",
                "Estimated Value",
                "Contractor",
                "Place of Performance",
                "Country of Origin",
                "Description",
                "Compliance Plan on File",
                "Annual Certification Date",
            ],
        )?;
        #[rustfmt::skip]
        let rows: &[(&str, (u16, u8, u8), f64, &str, &str, &str, &str, &str, Option<(u16, u8, u8)>)] = &[
            ("GS04P25EXC0011", (2025, 1, 21), 410_000.0, "Peachtree Builders Inc.", "Georgia", "", "Courthouse roof replacement, Macon GA", "", None),
            ("GS04P25EXC0012", (2025, 3, 4), 2_100_000.0, "Caribe Construction LLC", "Puerto Rico", "", "Federal building seismic retrofit, San Juan PR", "", None),
            ("GS04P25EXC0013", (2025, 10, 2), 700_000.0, "Andes Engineering S.A.", "Peru", "", "Border station design services, Lima liaison office", "No", None),
            ("GS04P25EXC0014", (2025, 10, 2), 700_000.01, "Andes Engineering S.A.", "Peru", "", "Border station design services, second phase", "No", None),
            ("GS04P25EXC0015", (2025, 6, 30), 560_000.0, "Sunbelt Solar Installers", "Florida", "CHN", "Rooftop solar panel array, Tampa federal building", "", None),
            ("GS04P25EXC0016", (2025, 9, 9), 1_350_000.0, "Micronesia Marine Services", "Micronesia", "", "Port facility maintenance services, Pohnpei", "Yes", Some((2025, 9, 1))),
            ("GS04P25EXC0017", (2025, 2, 14), 75_000.0, "Carolina Paper Co.", "North Carolina", "USA", "Recycled copy paper", "", None),
            ("GS04P25EXC0018", (2025, 12, 8), 1_100_000.0, "Blue Harbor Seafood Ltd.", "USA", "THA", "Canned tuna for commissary resale", "", None),
        ];
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 4;
            ws.write_string(row, 0, r.0)?;
            ws.write_datetime_with_format(row, 1, date(r.1.0, r.1.1, r.1.2), &day)?;
            ws.write_number_with_format(row, 2, r.2, &money)?;
            for (c, v) in [(3, r.3), (4, r.4), (5, r.5), (6, r.6), (7, r.7)] {
                if !v.is_empty() {
                    ws.write_string(row, c, v)?;
                }
            }
            if let Some((y, m, d)) = r.8 {
                ws.write_datetime_with_format(row, 8, date(y, m, d), &day)?;
            }
        }
        ws.set_column_width(6, 48)?;
    }
    {
        let ws = wb.add_worksheet().set_name("Clauses")?;
        header(
            ws,
            0,
            &["Contract Number", "Clause", "Alternate", "Clause Date"],
        )?;
        #[rustfmt::skip]
        let rows: &[(&str, &str, &str, &str)] = &[
            ("GS04P25EXC0011", "52.222-50", "", "JAN 2019"),
            ("GS04P25EXC0011", "52.204-25", "", "NOV 2021"),
            ("GS04P25EXC0012", "52.222-50", "", "NOV 2021"),
            ("GS04P25EXC0013", "52.222-50", "I", "OCT 2025"),
            ("GS04P25EXC0013", "52.222-56", "", "OCT 2025"),
            ("GS04P25EXC0014", "52.222-50", "I", "OCT 2025"),
            ("GS04P25EXC0015", "52.222-50", "", "NOV 2021"),
            ("GS04P25EXC0016", "52.222-50", "Alt I", "NOV 2021"),
            ("GS04P25EXC0018", "52.212-5", "", "JAN 2025"),
        ];
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, r.0)?;
            ws.write_string(row, 1, r.1)?;
            if !r.2.is_empty() {
                ws.write_string(row, 2, r.2)?;
            }
            ws.write_string(row, 3, r.3)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Notes")?;
        ws.write_string(0, 0, "Register maintained by the contracting office; clause data from the contract file Section I.")?;
        ws.write_string(1, 0, "Questions: region4.tip.poc@example.gov")?;
    }
    wb.save(dir.join("regional-office.xlsx"))?;
    Ok(())
}

/// Solicitations as CSV: pasted Section I text with the clause-number typos found in real
/// solicitations, a quoted line break, and a UTF-8 byte-order mark as Excel writes it.
fn solicitations(dir: &Path) -> Res {
    let mut w = csv::WriterBuilder::new().from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        "Solicitation Number",
        "Document Type",
        "Issue Date",
        "Estimated Value",
        "Value Outside US",
        "Place of Performance",
        "COTS",
        "Description",
        "Section I",
    ])?;
    #[rustfmt::skip]
    let rows: &[[&str; 9]] = &[
        ["FA301626Q0050", "Solicitation", "2026-01-12", "$185,000", "", "Texas", "No", "Bleacher seating systems, JBSA-Lackland", "52.204-24 Representation Regarding Certain Telecommunications (NOV 2021); 52.222-50 Combating Trafficking in Persons (OCT 2025); 252.225-7059 (JUN 2023); 252.225-7060 (JUN 2023)"],
        ["19AQMM26R0003", "RFP", "2026-02-02", "$14.5M", "$9M", "Iraq", "No", "Life support and security services, Baghdad Diplomatic Support Center", "FAR 52.222-50 (OCT 2025), Alt. I (MAR 2015)\n52.204-24; 52.204-26"],
        ["SPE2DX26R0007", "Solicitation", "2026-03-09", "700K", "", "", "No", "Pharmaceutical distribution services", "52.222.50 (OCT 2025); 52.222-56"],
        ["70Z02326Q0019", "RFQ", "2025-11-17", "$480,000", "$480,000", "Bahamas", "No", "Aids to navigation maintenance services", "52.22-50 (NOV 2021); 52.212-1"],
        ["W9127826R0011", "Solicitation", "2025-12-01", "$2,400,000", "$900,000", "Honduras", "No", "Construction of a disaster relief warehouse, Soto Cano AB", "52.222-50 ALT I (MAR 2015); 252.225-7059"],
        ["89303026Q0044", "Combined Synopsis/Solicitation", "2026-01-20", "$60,000", "", "Nevada", "Yes", "Commercial laptops, COTS", "(1) , Combating Trafficking in Persons (OCT 2025) (); 52.204-24"],
        ["693JJ326R0002", "Solicitation", "2026-02-16", "$1,250,000", "N/A", "Canada", "No", "Bridge inspection services, Alaska Highway", "52.222-50 (OCT 2025)"],
        ["1232SA26Q0101", "RFQ", "2026-04-01", "$35,000", "", "Iowa", "No", "Grounds maintenance; contractor must complete Antiterrorism Level I, Combating Trafficking in Persons training", "52.204-24; 52.204-26"],
    ];
    for r in rows {
        w.write_record(r)?;
    }
    std::fs::write(dir.join("solicitations.csv"), w.into_inner()?)?;
    Ok(())
}

/// One column per clause: a cell of Y/X/TRUE or a date means cited.
fn wide(dir: &Path) -> Res {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Clause Matrix")?;
    let day = Format::new().set_num_format("yyyy-mm-dd");
    header(
        ws,
        0,
        &[
            "PIID",
            "Vendor",
            "Award Date",
            "Base and All Options Value",
            "Place of Performance",
            "Contracting Agency",
            "52.222-50",
            "52.222-50 Alt I",
            "52.222-19",
            "52.204-25",
            "DFARS 252.225-7060",
        ],
    )?;
    #[rustfmt::skip]
    let rows: &[(&str, &str, (u16, u8, u8), f64, &str, &str, [&str; 5])] = &[
        ("N6247325C1001", "Pacific Shipyard Services", (2025, 4, 1), 900_000.0, "USA", "Department of the Navy", ["Y", "", "", "Y", "Y"]),
        ("N6247325C1002", "Guam Facility Partners", (2025, 5, 19), 1_400_000.0, "GUM", "Department of the Navy", ["X", "", "", "X", ""]),
        ("FA480125C0042", "Ramstein Base Services GmbH", (2025, 7, 30), 5_000_000.0, "DEU", "Department of the Air Force", ["TRUE", "TRUE", "", "TRUE", "TRUE"]),
        ("15JPSS25C0009", "Justice Support Services", (2025, 2, 3), 310_000.0, "USA", "Department of Justice", ["N", "", "", "Y", ""]),
        ("68HERH25C0021", "Green Labs Inc.", (2025, 8, 12), 150_000.0, "USA", "Environmental Protection Agency", ["date", "", "", "Y", ""]),
        ("W91CRB25C0077", "Aberdeen Test Support LLC", (2025, 11, 14), 2_600_000.0, "USA", "Department of the Army", ["1", "", "", "1", ""]),
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, r.0)?;
        ws.write_string(row, 1, r.1)?;
        ws.write_datetime_with_format(row, 2, date(r.2.0, r.2.1, r.2.2), &day)?;
        ws.write_number(row, 3, r.3)?;
        ws.write_string(row, 4, r.4)?;
        ws.write_string(row, 5, r.5)?;
        for (j, v) in r.6.iter().enumerate() {
            let col = 6 + j as u16;
            match *v {
                "" => {}
                "date" => {
                    ws.write_datetime_with_format(row, col, date(2025, 8, 12), &day)?;
                }
                other => {
                    ws.write_string(row, col, other)?;
                }
            }
        }
    }
    wb.save(dir.join("wide-clauses.xlsx"))?;
    Ok(())
}

/// Clause evidence kept outside the award data, for `--clauses`: an FPDS-style export with no
/// clause column (as every real one is), the contract writing system's clause report, and
/// two contract documents (an award and a solicitation).
fn clause_evidence(dir: &Path) -> Res {
    std::fs::create_dir_all(dir.join("contract-files"))?;
    std::fs::write(
        dir.join("fpds-export.csv"),
        "PIID,modNumber,referencedIDV_PIID,signedDate,baseAndAllOptionsValue,contractingOfficeAgencyName,vendorName,descriptionOfContractRequirement,productOrServiceCode,popCountryCode,countryOfOrigin\n\
         W912DY25C0031,0,,2025-12-09,640000,DEPT OF THE ARMY,REDSTONE FACILITY SERVICES LLC,CUSTODIAL SERVICES REDSTONE ARSENAL,S201: HOUSEKEEPING- CUSTODIAL JANITORIAL,USA,\n\
         W912DY25C0031,P00001,,2026-02-17,640000,DEPT OF THE ARMY,REDSTONE FACILITY SERVICES LLC,CUSTODIAL SERVICES REDSTONE ARSENAL - ADD BUILDING 5301,S201: HOUSEKEEPING- CUSTODIAL JANITORIAL,USA,\n\
         70B03C26F00000088,0,70B03C21D00000004,2026-01-12,310000,U.S. CUSTOMS AND BORDER PROTECTION,VF IMAGEWEAR INC.,UNIFORMS II TASK ORDER - JACKETS,8415: CLOTHING SPECIAL PURPOSE,USA,USA: UNITED STATES\n\
         W912DY26P0012,0,,2026-03-02,48000,DEPT OF THE ARMY,TENNESSEE VALLEY PEST CONTROL,PEST CONTROL SERVICES,S207: HOUSEKEEPING- INSECT/RODENT CONTROL,USA,\n\
         W912DY26P0019,0,,2026-03-20,52000,DEPT OF THE ARMY,HUNTSVILLE GROUNDS CARE INC,GROUNDS MAINTENANCE,S208: HOUSEKEEPING- LANDSCAPING/GROUNDSKEEPING,USA,\n",
    )?;

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Clause Report")?;
    let cols = [
        "Document Number",
        "Clause Number",
        "Clause Title",
        "Clause Date",
        "Alt",
        "Prescription",
        "Included/Deleted",
        "By Reference/Full Text",
    ];
    header(ws, 0, &cols)?;
    #[rustfmt::skip]
    let rows: &[[&str; 8]] = &[
        ["W912DY-25-C-0031", "52.204-25", "Prohibition on Contracting for Certain Telecommunications and Video Surveillance Services or Equipment", "NOV 2021", "", "4.2105(b)", "Included", "By Reference"],
        ["W912DY-25-C-0031", "52.212-4", "Contract Terms and Conditions-Commercial Products and Commercial Services", "NOV 2023", "", "12.301(b)(3)", "Included", "By Reference"],
        ["W912DY-25-C-0031", "52.222-50", "Combating Trafficking in Persons", "OCT 2025", "", "22.1705(a)(1)", "Included", "By Reference"],
        ["W912DY-25-C-0031", "52.222-19", "Child Labor-Cooperation with Authorities and Remedies", "FEB 2024", "", "22.1505(b)", "Deleted", "By Reference"],
        // The IDV the task order is placed under: its clauses reach the order.
        ["70B03C21D00000004", "52.212-5", "Contract Terms and Conditions Required To Implement Statutes or Executive Orders-Commercial Products and Commercial Services", "NOV 2021", "", "12.301(b)(4)", "Included", "Full Text"],
        ["70B03C21D00000004", "52.222-50", "Combating Trafficking in Persons", "NOV 2021", "", "22.1705(a)(1)", "Included", "By Reference"],
        ["W912DY26P0012", "52.222-50", "Combating Trafficking in Persons", "FEB 2009", "", "22.1705(a)(1)", "Included", "By Reference"],
        // A contract that is not in the award data: listed as unmatched, never dropped.
        ["W912DY-26-C-0099", "52.222-50", "Combating Trafficking in Persons", "OCT 2025", "", "22.1705(a)(1)", "Included", "By Reference"],
    ];
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 1, c as u16, *v)?;
            }
        }
    }
    wb.save(dir.join("clause-report.xlsx"))?;

    std::fs::write(
        dir.join("contract-files/W912DY26P0019-award.txt"),
        "SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL PRODUCTS AND COMMERCIAL SERVICES (STANDARD FORM 1449)\n\
         2. CONTRACT NO.: W912DY-26-P-0019\n\
         3. AWARD/EFFECTIVE DATE: 03/20/2026\n\
         5. SOLICITATION NUMBER: W912DY-26-Q-0007\n\
         \n\
         SECTION I - CONTRACT CLAUSES\n\
         52.204-25 Prohibition on Contracting for Certain Telecommunications and Video Surveillance Services or Equipment (NOV 2021)\n\
         52.212-4 Contract Terms and Conditions-Commercial Products and Commercial Services (NOV 2023)\n\
         52.212-5 Contract Terms and Conditions Required To Implement Statutes or Executive Orders-Commercial Products and Commercial Services (JAN 2026)\n\
         (b) The Contractor shall comply with the FAR clauses in this paragraph (b) that the Contracting Officer has indicated as being incorporated in this contract by reference:\n\
         [X] (27) 52.222-21, Prohibition of Segregated Facilities (APR 2015).\n\
         [X] (28) 52.222-26, Equal Opportunity (SEP 2016).\n\
         [ ] (33)(i) 52.222-50, Combating Trafficking in Persons (OCT 2025).\n\
         [ ] (ii) Alternate I (MAR 2015) of 52.222-50.\n\
         [X] (38) 52.223-18, Encouraging Contractor Policies to Ban Text Messaging While Driving (MAY 2024).\n",
    )?;
    std::fs::write(
        dir.join("contract-files/W912DY26Q0031-rfq.md"),
        "# Combined Synopsis/Solicitation: Window Cleaning Services, Redstone Arsenal\n\
         \n\
         Solicitation Number: W912DY-26-Q-0031\n\
         \n\
         Issue date: April 6, 2026\n\
         \n\
         This is a combined synopsis/solicitation for commercial services prepared in accordance with FAR subpart 12.6. This announcement constitutes the only solicitation; quotes are being requested and a written solicitation will not be issued.\n\
         \n\
         ## Provisions and clauses\n\
         \n\
         - 52.212-1 Instructions to Offerors-Commercial Products and Commercial Services (SEP 2023)\n\
         - 52.212-3 Offeror Representations and Certifications-Commercial Products and Commercial Services (MAY 2024)\n\
         - 52.212-4 Contract Terms and Conditions-Commercial Products and Commercial Services (NOV 2023)\n\
         - 52.222-50 Combating Trafficking in Persons (OCT 2025)\n\
         - 52.222-56 Certification Regarding Trafficking in Persons Compliance Plan (OCT 2025)\n",
    )?;
    Ok(())
}
