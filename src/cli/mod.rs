//! Command implementations that live in the library so that tests can call them.

pub mod entities;
pub mod outline;
pub mod tag;

/// Prints `qari: MESSAGE` on standard error. Messages name files, and file names (like
/// document text) may hold control characters: they are shown, never sent raw.
pub fn error_line(message: impl std::fmt::Display) {
    let text = message.to_string();
    eprintln!("qari: {}", crate::layout::visible_controls(&text));
}
