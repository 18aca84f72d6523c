//! How common a word is in general Arabic text: a Zipf-scale bucket per normalized word,
//! from the `wordfreq` package's data (CC BY-SA 4.0, see `assets/ner/NOTICE.md`), built
//! by `tools/ner/build_wordfreq.rs`. A CRF feature: a word that the training data never
//! saw and that is rare in general (`فولكسفاغن`) is more likely a name than a common one
//! (`المنزل`).
//!
//! File layout (little endian): magic `QWFREQ01`, `u32` count N, N sorted `u32` keys (the
//! high half of [`hash_bytes`] of the normalized word), N `u8` buckets (⌊2 × Zipf⌋, words
//! of Zipf ≥ 2 only).

use super::hash::hash_bytes;
use std::sync::OnceLock;

pub const MAGIC: &[u8; 8] = b"QWFREQ01";

static BYTES: &[u8] = include_bytes!("../../assets/ner/wordfreq-ar.bin");

/// A word frequency table.
#[derive(Debug, Default)]
pub struct WordFreq {
    len: usize,
    /// Open addressing (linear probing, at most 2/3 full): key << 32 | 0x100 | bucket, 0
    /// empty. One cache miss per lookup, mostly.
    slots: Vec<u64>,
}

/// The key of a normalized word.
pub fn key(word: &str) -> u32 {
    (hash_bytes(word.as_bytes()) >> 32) as u32
}

/// The slot of a key (its bits are already a hash; mix them anyway for the low bits).
#[inline]
fn slot_of(k: u32, cap: usize) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> 8) as usize & (cap - 1)
}

impl WordFreq {
    /// The embedded table.
    pub fn builtin() -> &'static WordFreq {
        static T: OnceLock<WordFreq> = OnceLock::new();
        T.get_or_init(|| WordFreq::from_bytes(BYTES).expect("the embedded table is valid"))
    }

    pub fn from_bytes(b: &[u8]) -> Option<WordFreq> {
        let rest = b.strip_prefix(MAGIC)?;
        let n = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let body = rest.get(4..)?;
        if body.len() != n.checked_mul(5)? {
            return None;
        }
        let keys: Vec<u32> = body[..4 * n]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        // Key and bucket in one slot (one cache miss per lookup), at most 2/3 full.
        let cap = (n.max(1) + n / 2).next_power_of_two();
        let mut slots = vec![0u64; cap];
        for (&k, &b) in keys.iter().zip(&body[4 * n..]) {
            let mut s = slot_of(k, cap);
            while slots[s] != 0 {
                s = (s + 1) & (cap - 1);
            }
            slots[s] = u64::from(k) << 32 | 0x100 | u64::from(b);
        }
        Some(WordFreq { len: n, slots })
    }

    /// Serialize (keys need not be sorted; duplicates keep the larger bucket).
    pub fn write(entries: &[(u32, u8)]) -> Vec<u8> {
        let mut e = entries.to_vec();
        e.sort();
        let mut dedup: Vec<(u32, u8)> = Vec::with_capacity(e.len());
        for (k, b) in e {
            match dedup.last_mut() {
                Some(last) if last.0 == k => last.1 = last.1.max(b),
                _ => dedup.push((k, b)),
            }
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(dedup.len() as u32).to_le_bytes());
        for (k, _) in &dedup {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out.extend(dedup.iter().map(|(_, b)| *b));
        out
    }

    /// ⌊2 × Zipf⌋ of a normalized word (4 = Zipf 2, 12 = Zipf 6, one per million words),
    /// `None` below Zipf 2 or unknown.
    pub fn bucket(&self, word: &str) -> Option<u8> {
        self.bucket_of_key(key(word))
    }

    fn bucket_of_key(&self, k: u32) -> Option<u8> {
        let cap = self.slots.len();
        if cap == 0 {
            return None;
        }
        let mut s = slot_of(k, cap);
        loop {
            let v = self.slots[s];
            if v == 0 {
                return None;
            }
            if (v >> 32) as u32 == k {
                return Some(v as u8);
            }
            s = (s + 1) & (cap - 1);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::normalize::norm;

    #[test]
    fn builtin_table_orders_common_and_rare_words() {
        let t = WordFreq::builtin();
        assert!(t.len() > 100_000);
        let b = |w: &str| t.bucket(&norm(w));
        assert!(b("في").unwrap() >= 14);
        assert!(b("المنزل").unwrap() > b("فولكسفاغن").unwrap_or(0));
        assert_eq!(b("ﻻﻻﻻﻻﻻﻻ"), None);
    }

    #[test]
    fn round_trip_and_bad_input() {
        let bytes = WordFreq::write(&[(7, 5), (3, 9), (7, 6)]);
        let t = WordFreq::from_bytes(&bytes).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.bucket_of_key(3), Some(9));
        assert_eq!(t.bucket_of_key(7), Some(6));
        assert_eq!(t.bucket_of_key(5), None);
        for cut in 0..bytes.len() {
            assert!(WordFreq::from_bytes(&bytes[..cut]).is_none());
        }
    }
}
