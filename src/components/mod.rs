//! Pieces used by more than one page.

mod alert;

pub use alert::{error_text, ErrorAlert};
