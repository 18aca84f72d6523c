//! `qari render`: the headless face of the layout engine. Each input line is one paragraph;
//! each paragraph becomes its visual rows, one output line per row.

use std::io::{self, BufRead, Write};

use crate::layout::{write_paragraph, LayoutOptions};

#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub layout: LayoutOptions,
    /// Right-align RTL paragraphs by padding them to the width.
    pub pad: bool,
}

/// Paragraphs per batch: large enough to keep both threads busy, small enough to keep the
/// memory bounded whatever the input size.
const BATCH_BYTES: usize = 1 << 20;

/// Renders every line of `input` to `out`, streaming: memory is bounded by the batch size and
/// the longest line, not by the input size. Invalid UTF-8 shows as U+FFFD.
pub fn render_stream<R: BufRead, W: Write>(
    mut input: R,
    out: &mut W,
    opts: &RenderOptions,
) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut batch_bytes = 0;
    loop {
        let mut line = Vec::new();
        let n = input.read_until(b'\n', &mut line)?;
        if n > 0 {
            batch_bytes += line.len();
            batch.push(line);
        }
        if n == 0 || batch_bytes >= BATCH_BYTES {
            render_batch(&batch, out, opts, threads)?;
            batch.clear();
            batch_bytes = 0;
        }
        if n == 0 {
            return Ok(());
        }
    }
}

fn render_batch<W: Write>(
    lines: &[Vec<u8>],
    out: &mut W,
    opts: &RenderOptions,
    threads: usize,
) -> io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    if threads <= 1 || lines.len() < 64 {
        let mut buf = Vec::with_capacity(lines.iter().map(Vec::len).sum::<usize>() * 2);
        for l in lines {
            render_line(l, opts, &mut buf);
        }
        return out.write_all(&buf);
    }
    // Split into contiguous chunks of about equal bytes, render them in parallel, write in order.
    let total: usize = lines.iter().map(Vec::len).sum();
    let per = total / threads + 1;
    let mut chunks: Vec<&[Vec<u8>]> = Vec::with_capacity(threads);
    let mut from = 0;
    let mut acc = 0;
    for (i, l) in lines.iter().enumerate() {
        acc += l.len();
        if acc >= per {
            chunks.push(&lines[from..=i]);
            from = i + 1;
            acc = 0;
        }
    }
    if from < lines.len() {
        chunks.push(&lines[from..]);
    }
    let outputs: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || {
                    // Shaped Arabic takes 3 bytes a letter against 2 in the input, plus padding.
                    let mut buf = Vec::with_capacity(chunk.iter().map(Vec::len).sum::<usize>() * 2);
                    for l in *chunk {
                        render_line(l, opts, &mut buf);
                    }
                    buf
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for o in outputs {
        out.write_all(&o)?;
    }
    Ok(())
}

/// Renders one input line (with or without its line end) into `buf`.
pub fn render_line(line: &[u8], opts: &RenderOptions, buf: &mut Vec<u8>) {
    let mut line = line;
    if let Some(l) = line.strip_suffix(b"\n") {
        line = l;
    }
    if let Some(l) = line.strip_suffix(b"\r") {
        line = l;
    }
    // Validating first is much faster than the lossy decoder on valid text.
    let text = match std::str::from_utf8(line) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(line),
    };
    if text.is_empty() {
        buf.push(b'\n');
        return;
    }
    write_paragraph(&text, &opts.layout, opts.pad, buf);
}

/// Renders a whole string (several paragraphs) to a `String`; convenient for tests.
pub fn render_str(text: &str, opts: &RenderOptions) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = render_stream(text.as_bytes(), &mut out, opts);
    String::from_utf8_lossy(&out).into_owned()
}
