//! Command implementations that live in the library so that tests can call them.

pub mod entities;
pub mod export;
pub mod import;
pub mod outline;
pub mod tag;

use std::io::{self, Write};
use std::ops::ControlFlow;

use crate::source::{load_each, Document, LoadEvent, LoadOptions, SourceEntry};

/// Load `entries` in order, calling `handle` on each document. Warnings and files that
/// cannot be loaded are reported on standard error as they come (after flushing `out`, so
/// the two streams stay in order on a terminal). Stops at the first error `handle` returns
/// (a closed pipe…). Returns whether some file failed, and that error if any.
pub fn for_each_document<W: Write>(
    entries: &[SourceEntry],
    opts: &LoadOptions,
    out: &mut W,
    mut handle: impl FnMut(&Document, &mut W) -> io::Result<()>,
) -> (bool, Option<io::Error>) {
    let mut failed = false;
    let mut write_err = None;
    load_each(entries, opts, |ev| {
        let res = match ev {
            LoadEvent::Loaded { document, .. } => {
                for w in &document.warnings {
                    error_line(format_args!("warning: {w}"));
                }
                handle(&document, out)
            }
            LoadEvent::Failed { error, .. } => {
                failed = true;
                let _ = out.flush();
                error_line(&error);
                Ok(())
            }
        };
        match res {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_err = Some(e);
                ControlFlow::Break(())
            }
        }
    });
    (failed, write_err)
}

/// Prints `qari: MESSAGE` on standard error. Messages name files, and file names (like
/// document text) may hold control characters: they are shown, never sent raw.
pub fn error_line(message: impl std::fmt::Display) {
    let text = message.to_string();
    eprintln!("qari: {}", crate::layout::visible_controls(&text));
}
