//! A document's decoded text, which a reader of a large corpus may drop from memory and
//! read again from its file when needed ([`DocText::evict`]).
//!
//! The text read again is checked against the length and hash of the text first loaded:
//! every range kept elsewhere (articles, entities, annotations) points into that text, so
//! a file that changed on disk must not be shown in its place. If it changed or cannot be
//! read, the text becomes blanks of the same length (every kept range stays valid and
//! nothing false is shown) and [`DocText::reload_error`] says why.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::{LoadOptions, Part};
use crate::entities::hash::hash_bytes;

/// How to read a document's text again.
#[derive(Debug)]
pub struct Reload {
    pub path: PathBuf,
    pub opts: LoadOptions,
    /// The part of a file loaded in parts.
    pub part: Option<Part>,
    /// Where the text's bytes start in the file when the file holds them unchanged (UTF-8
    /// without replacements): then only those bytes are read.
    pub raw_start: Option<u64>,
}

impl Reload {
    /// Read the text again; `fits` says whether it is the text first loaded.
    fn read(&self, len: usize, fits: impl Fn(&str) -> bool) -> Result<String, String> {
        if let Some(start) = self.raw_start {
            if let Ok(t) = self.read_raw(start, len) {
                if fits(&t) {
                    return Ok(t);
                }
            }
        }
        super::reload_text(&self.path, &self.opts, self.part).map_err(|e| e.reason)
    }

    fn read_raw(&self, start: u64, len: usize) -> std::io::Result<String> {
        let mut f = std::fs::File::open(&self.path)?;
        f.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::with_capacity(len);
        f.take(len as u64).read_to_end(&mut buf)?;
        String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// Ticks of use, to find the texts used least recently.
static CLOCK: AtomicU64 = AtomicU64::new(1);

/// The text of a [`super::Document`]. Reads as a `&str` (it derefs to one).
pub struct DocText {
    resident: OnceLock<Box<str>>,
    len: usize,
    hash: u64,
    reload: Option<Arc<Reload>>,
    used: AtomicU64,
    failed: OnceLock<String>,
}

impl DocText {
    pub fn new(text: String) -> DocText {
        DocText {
            len: text.len(),
            hash: hash_bytes(text.as_bytes()),
            resident: OnceLock::from(text.into_boxed_str()),
            reload: None,
            used: AtomicU64::new(CLOCK.fetch_add(1, Ordering::Relaxed)),
            failed: OnceLock::new(),
        }
    }

    /// Say how to read this text again, which makes it evictable.
    pub fn set_reload(&mut self, reload: Reload) {
        self.reload = Some(Arc::new(reload));
    }

    /// The text, read again from the file first if it was evicted.
    pub fn as_str(&self) -> &str {
        self.used
            .store(CLOCK.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        self.resident
            .get_or_init(|| self.read_again().unwrap_or_else(|| self.blanks()))
    }

    /// Call `f` with the text without keeping it in memory if it was evicted (for walks
    /// over a whole corpus: search, export).
    pub fn with<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        if let Some(t) = self.resident.get() {
            return f(t);
        }
        match self.read_again() {
            Some(t) => f(&t),
            // Failed: the blanks are kept, as by `as_str`, with the reason.
            None => f(self.resident.get_or_init(|| self.blanks())),
        }
    }

    fn blanks(&self) -> Box<str> {
        " ".repeat(self.len).into_boxed_str()
    }

    /// The text read again if it is the one loaded; else `None`, with the reason kept.
    fn read_again(&self) -> Option<Box<str>> {
        let fits = |t: &str| t.len() == self.len && hash_bytes(t.as_bytes()) == self.hash;
        let why = match self.reload.as_deref().map(|r| r.read(self.len, fits)) {
            Some(Ok(t)) if fits(&t) => return Some(t.into_boxed_str()),
            Some(Ok(_)) => "it changed on disk since it was loaded".to_owned(),
            Some(Err(e)) => format!("it cannot be read again: {e}"),
            None => "it is not kept in memory".to_owned(),
        };
        let _ = self.failed.set(why);
        None
    }

    /// Drop the text from memory if it can be read again. Returns the bytes freed.
    pub fn evict(&mut self) -> usize {
        if self.reload.is_none() || self.failed.get().is_some() {
            return 0;
        }
        self.resident.take().map_or(0, |t| t.len())
    }

    /// Bytes held in memory that [`DocText::evict`] could free.
    pub fn evictable_bytes(&self) -> usize {
        match (&self.reload, self.resident.get(), self.failed.get()) {
            (Some(_), Some(t), None) => t.len(),
            _ => 0,
        }
    }

    pub fn is_resident(&self) -> bool {
        self.resident.get().is_some()
    }

    /// When the text was last read (a tick of a process-wide clock).
    pub fn last_used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Why the text could not be read again (it reads as blanks then).
    pub fn reload_error(&self) -> Option<&str> {
        self.failed.get().map(String::as_str)
    }

    /// Length in bytes, known without reading the text again.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Deref for DocText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Clone for DocText {
    fn clone(&self) -> DocText {
        DocText {
            resident: self.resident.clone(),
            len: self.len,
            hash: self.hash,
            reload: self.reload.clone(),
            used: AtomicU64::new(self.used.load(Ordering::Relaxed)),
            failed: self.failed.clone(),
        }
    }
}

impl fmt::Debug for DocText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.resident.get() {
            Some(t) => fmt::Debug::fmt(t, f),
            None => write!(f, "<{} bytes, evicted>", self.len),
        }
    }
}

impl fmt::Display for DocText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<String> for DocText {
    fn from(s: String) -> DocText {
        DocText::new(s)
    }
}

impl PartialEq<str> for DocText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for DocText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for DocText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq for DocText {
    fn eq(&self, other: &DocText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for DocText {}

impl PartialEq<DocText> for String {
    fn eq(&self, other: &DocText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<DocText> for str {
    fn eq(&self, other: &DocText) -> bool {
        self == other.as_str()
    }
}

impl AsRef<str> for DocText {
    fn as_ref(&self) -> &str {
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::source::walk::load_entry_parts;
    use crate::source::{list_paths, load_entry, LoadOptions};
    use std::ops::ControlFlow;

    fn load(path: &std::path::Path, opts: &LoadOptions) -> Vec<crate::source::Document> {
        let (entries, errors) = list_paths(&[path.to_owned()]);
        assert!(errors.is_empty());
        let mut docs = Vec::new();
        for e in &entries {
            if opts.part_bytes.is_some() {
                load_entry_parts(e, opts, &mut |d| {
                    docs.push(d);
                    ControlFlow::Continue(())
                })
                .unwrap();
            } else {
                docs.push(load_entry(e, opts).unwrap());
            }
        }
        docs
    }

    const ARABIC: &str = "قال الرئيس الروسي فلاديمير بوتين في جنيف إن المحادثات كانت بنّاءة.\n\n";

    #[test]
    fn evicted_text_reads_again_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, format!("\u{feff}{}", ARABIC.repeat(3))).unwrap();
        let h = dir.path().join("b.html");
        std::fs::write(
            &h,
            format!(
                "<html><title>ع</title><body><p>{ARABIC}</p><p>ثانية &amp; ثالثة</p></body></html>"
            ),
        )
        .unwrap();
        for path in [&p, &h] {
            let mut docs = load(path, &LoadOptions::default());
            let doc = &mut docs[0];
            let before = doc.text.as_str().to_owned();
            assert_eq!(doc.text.evictable_bytes(), before.len());
            assert_eq!(doc.text.evict(), before.len());
            assert!(!doc.text.is_resident());
            assert_eq!(doc.text.len(), before.len());
            // `with` reads it without keeping it.
            assert_eq!(doc.text.with(str::to_owned), before);
            assert!(!doc.text.is_resident());
            assert_eq!(doc.text.as_str(), before);
            assert!(doc.text.is_resident());
            assert_eq!(doc.text.reload_error(), None);
        }
    }

    #[test]
    fn parts_read_again_by_their_own_bytes_or_by_decoding() {
        let dir = tempfile::tempdir().unwrap();
        let utf8 = dir.path().join("big.txt");
        std::fs::write(&utf8, ARABIC.repeat(200)).unwrap();
        // windows-1256: the file's bytes are not the text's, so the slow way.
        let long = ARABIC.repeat(200);
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&long);
        let legacy = dir.path().join("legacy.txt");
        std::fs::write(&legacy, &cp1256).unwrap();
        for (path, label) in [(&utf8, None), (&legacy, Some("windows-1256"))] {
            let mut opts = LoadOptions {
                part_bytes: Some(4096),
                ..Default::default()
            };
            if let Some(l) = label {
                opts = opts.with_encoding_label(l).unwrap();
            }
            let mut docs = load(path, &opts);
            assert!(docs.len() > 3, "{} parts", docs.len());
            let texts: Vec<String> = docs.iter().map(|d| d.text.as_str().to_owned()).collect();
            for d in &mut docs {
                assert!(d.text.evict() > 0);
            }
            for (d, t) in docs.iter().zip(&texts).rev() {
                assert_eq!(d.text.as_str(), t);
                assert_eq!(d.text.reload_error(), None);
            }
        }
    }

    #[test]
    fn a_changed_or_missing_file_reads_as_blanks_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, ARABIC).unwrap();
        let mut docs = load(&p, &LoadOptions::default());
        let len = docs[0].text.len();
        docs[0].text.evict();
        std::fs::write(&p, ARABIC.replace("جنيف", "موسكو")).unwrap();
        // A failed read is remembered, even by `with`: blanks from then on, and why.
        assert!(docs[0].text.with(|t| t.trim().is_empty()));
        assert!(docs[0].text.reload_error().is_some());
        let t = docs[0].text.as_str();
        assert_eq!(t.len(), len);
        assert!(t.bytes().all(|b| b == b' '));
        assert!(docs[0]
            .text
            .reload_error()
            .unwrap()
            .contains("changed on disk"));
        // A blank text is not evicted (it could not be read back).
        assert_eq!(docs[0].text.evict(), 0);

        let mut docs = load(&p, &LoadOptions::default());
        docs[0].text.evict();
        std::fs::remove_file(&p).unwrap();
        let _ = docs[0].text.as_str();
        assert!(docs[0]
            .text
            .reload_error()
            .unwrap()
            .contains("cannot be read again"));
    }

    #[test]
    fn text_from_memory_is_never_evicted() {
        let mut doc =
            crate::source::Document::from_bytes("x.txt", ARABIC.as_bytes(), &Default::default())
                .unwrap();
        assert_eq!(doc.text.evictable_bytes(), 0);
        assert_eq!(doc.text.evict(), 0);
        assert_eq!(doc.text, ARABIC);
    }
}
