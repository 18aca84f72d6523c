//! `qari render`: the headless face of the layout engine. Each input line is one paragraph;
//! each paragraph becomes its visual rows, one output line per row.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::{mpsc, Mutex};

use crate::layout::{write_paragraph, LayoutOptions};

#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub layout: LayoutOptions,
    /// Right-align RTL paragraphs by padding them to the width.
    pub pad: bool,
}

/// Bytes of input per batch: large enough to keep the threads busy, small enough to keep
/// the memory bounded whatever the input size.
const BATCH_BYTES: usize = 256 << 10;

/// Renders every line of `input` to `out`, streaming: memory is bounded by a few batches and
/// the longest line, not by the input size. Invalid UTF-8 shows as U+FFFD.
///
/// The calling thread reads and writes; worker threads lay the batches out meanwhile, and
/// their results are written back in input order.
pub fn render_stream<R: BufRead, W: Write>(
    mut input: R,
    out: &mut W,
    opts: &RenderOptions,
) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads <= 1 {
        let mut batch = Vec::new();
        while read_batch(&mut input, &mut batch)? {
            out.write_all(&render_batch(&batch, opts))?;
        }
        return Ok(());
    }
    let max_in_flight = threads * 2;
    let (work_tx, work_rx) = mpsc::channel::<(usize, Vec<u8>)>();
    let (done_tx, done_rx) = mpsc::channel::<(usize, Vec<u8>)>();
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            s.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((index, batch)) = job else { return };
                if done_tx.send((index, render_batch(&batch, opts))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut writer = InOrder {
            next: 0,
            waiting: BTreeMap::new(),
        };
        let mut sent = 0;
        let result = (|| {
            loop {
                let mut batch = Vec::with_capacity(BATCH_BYTES + 4096);
                if !read_batch(&mut input, &mut batch)? {
                    break;
                }
                if work_tx.send((sent, batch)).is_err() {
                    break;
                }
                sent += 1;
                while sent - writer.next >= max_in_flight {
                    let Ok(done) = done_rx.recv() else { break };
                    writer.accept(done, out)?;
                }
            }
            Ok(())
        })();
        // Let the workers finish (they stop when the queue is closed and empty).
        drop(work_tx);
        let mut result = result;
        while writer.next < sent {
            let Ok(done) = done_rx.recv() else { break };
            if result.is_ok() {
                result = writer.accept(done, out);
            }
        }
        result
    })
}

/// Writes rendered batches in input order, holding back those that finish early.
struct InOrder {
    next: usize,
    waiting: BTreeMap<usize, Vec<u8>>,
}

impl InOrder {
    fn accept<W: Write>(
        &mut self,
        (index, bytes): (usize, Vec<u8>),
        out: &mut W,
    ) -> io::Result<()> {
        self.waiting.insert(index, bytes);
        while let Some(bytes) = self.waiting.remove(&self.next) {
            self.next += 1;
            out.write_all(&bytes)?;
        }
        Ok(())
    }
}

/// Reads whole lines into `batch` (cleared first) until it holds at least `BATCH_BYTES`;
/// returns whether anything was read.
fn read_batch<R: BufRead>(input: &mut R, batch: &mut Vec<u8>) -> io::Result<bool> {
    batch.clear();
    while batch.len() < BATCH_BYTES {
        if input.read_until(b'\n', batch)? == 0 {
            break;
        }
    }
    Ok(!batch.is_empty())
}

fn render_batch(batch: &[u8], opts: &RenderOptions) -> Vec<u8> {
    // Shaped Arabic takes 3 bytes a letter against 2 in the input, plus padding.
    let mut buf = Vec::with_capacity(batch.len() * 2);
    for line in batch.split_inclusive(|&b| b == b'\n') {
        render_line(line, opts, &mut buf);
    }
    buf
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
