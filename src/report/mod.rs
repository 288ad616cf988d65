//! What people read: the annotated copy of each input, the portfolio gap report (xlsx and
//! HTML) and the blank template. Every string from an input or a rule is written through
//! [`text::write_text`], which keeps it text and within Excel's cell limit.

pub mod annotate;
pub mod gap;
pub mod html;
pub mod template;
pub mod text;
