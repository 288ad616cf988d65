//! tipaudit: audit US federal contract spreadsheets for anti-trafficking (FAR 22.17) and
//! forced-labor (UFLPA) compliance.

pub mod audit;
pub mod cell;
pub mod model;
pub mod parse;
pub mod record;
pub mod report;
pub mod rules;
