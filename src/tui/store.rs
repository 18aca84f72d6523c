//! Reading positions, remembered per article across runs.
//!
//! An article is known by a hash of its text, so the same article keeps its position when
//! its file moves or is opened through another path. The position is a byte offset into
//! the article, not a screen line, so a different width lands on the same sentence.
//! Written atomically (temporary file, then rename) to `$XDG_STATE_HOME/qari/positions.json`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The stable id of an article: FNV-1a 64 of its text.
pub fn article_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Where a reader was in one article.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Byte offset, from the article's start, of the first line shown.
    pub offset: usize,
    /// How far the article has been read (0 to 1): the furthest bottom line shown.
    pub read: f32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Positions {
    pub version: u32,
    pub articles: BTreeMap<String, Position>,
}

/// The positions file and what it holds.
#[derive(Clone, Debug)]
pub struct PositionStore {
    path: Option<PathBuf>,
    pub positions: Positions,
    dirty: bool,
}

impl PositionStore {
    /// Open the store at `path` (`None`: in memory only). A missing file is an empty
    /// store; an unreadable or corrupt one is an empty store and a warning (the bad file
    /// is kept aside as `positions.json.bad` rather than overwritten).
    pub fn open(path: Option<PathBuf>) -> (PositionStore, Option<String>) {
        let mut warning = None;
        let positions = match &path {
            None => Positions::default(),
            Some(p) => match std::fs::read(p) {
                Ok(bytes) => match serde_json::from_slice::<Positions>(&bytes) {
                    Ok(pos) => pos,
                    Err(e) => {
                        let aside = p.with_extension("json.bad");
                        let _ = std::fs::rename(p, &aside);
                        warning = Some(format!(
                            "{}: unreadable reading positions ({e}); moved aside to {}",
                            p.display(),
                            aside.display()
                        ));
                        Positions::default()
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Positions::default(),
                Err(e) => {
                    warning = Some(format!("{}: {e}", p.display()));
                    Positions::default()
                }
            },
        };
        (
            PositionStore {
                path,
                positions,
                dirty: false,
            },
            warning,
        )
    }

    pub fn get(&self, id: &str) -> Option<Position> {
        self.positions.articles.get(id).copied()
    }

    pub fn set(&mut self, id: &str, pos: Position) {
        let entry = self.positions.articles.entry(id.to_owned()).or_default();
        let read = entry.read.max(pos.read);
        let new = Position { read, ..pos };
        if *entry != new {
            *entry = new;
            self.dirty = true;
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Write the file if anything changed.
    pub fn save(&mut self) -> Result<(), String> {
        let Some(path) = &self.path else {
            self.dirty = false;
            return Ok(());
        };
        if !self.dirty {
            return Ok(());
        }
        self.positions.version = 1;
        write_atomically(path, &self.positions).map_err(|e| format!("{}: {e}", path.display()))?;
        self.dirty = false;
        Ok(())
    }
}

fn write_atomically(path: &Path, positions: &Positions) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A name of its own per write: two saves never share a temporary file.
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("json.tmp{}-{n}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        serde_json::to_writer(&mut f, positions)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinguish_texts() {
        assert_eq!(article_id("abc"), article_id("abc"));
        assert_ne!(article_id("abc"), article_id("abd"));
        assert_eq!(article_id(""), "cbf29ce484222325");
    }

    #[test]
    fn positions_round_trip_and_read_only_grows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/qari/positions.json");
        let (mut s, w) = PositionStore::open(Some(path.clone()));
        assert!(w.is_none());
        s.set(
            "a",
            Position {
                offset: 40,
                read: 0.5,
            },
        );
        s.set(
            "a",
            Position {
                offset: 10,
                read: 0.2,
            },
        );
        assert!(s.is_dirty());
        s.save().unwrap();
        assert!(!s.is_dirty());
        let (s2, _) = PositionStore::open(Some(path));
        assert_eq!(
            s2.get("a"),
            Some(Position {
                offset: 10,
                read: 0.5
            })
        );
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.json");
        std::fs::write(&path, b"{not json").unwrap();
        let (s, w) = PositionStore::open(Some(path.clone()));
        assert!(s.positions.articles.is_empty());
        assert!(w.unwrap().contains("positions.json"));
        assert!(dir.path().join("positions.json.bad").exists());
    }
}
