//! Byte offset → code point offset, for the export boundary (JSON, annotations).

const STRIDE: usize = 4096;

/// Converts byte offsets of one text into code point offsets in O(1) amortised time:
/// it keeps the number of code points before every 4096th byte, and counts the rest.
/// Build it once per text (linear), then query any number of offsets.
#[derive(Clone, Debug)]
pub struct CharIndex {
    bytes_len: usize,
    /// `checkpoints[k]` = code points that start before byte `k * STRIDE`.
    checkpoints: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut count = 0usize;
        for chunk in bytes.chunks(STRIDE) {
            checkpoints.push(count);
            count += chunk.iter().filter(|&&b| !is_continuation(b)).count();
        }
        checkpoints.push(count);
        CharIndex {
            bytes_len: bytes.len(),
            checkpoints,
        }
    }

    /// Number of code points in `text[..byte]`. `text` must be the text the index was
    /// built from and `byte` a char boundary (or `text.len()`); out-of-range offsets are
    /// clamped.
    pub fn to_chars(&self, text: &str, byte: usize) -> usize {
        debug_assert_eq!(
            text.len(),
            self.bytes_len,
            "CharIndex used with another text"
        );
        let byte = byte.min(self.bytes_len).min(text.len());
        let k = byte / STRIDE;
        let base = self.checkpoints[k];
        base + text.as_bytes()[k * STRIDE..byte]
            .iter()
            .filter(|&&b| !is_continuation(b))
            .count()
    }

    /// Total code points.
    pub fn len_chars(&self) -> usize {
        *self.checkpoints.last().unwrap_or(&0)
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_count() {
        let text = "بوتين يعلن الإتفاق مع بايدن\r\n".repeat(500);
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices().step_by(37) {
            assert_eq!(idx.to_chars(&text, b), text[..b].chars().count());
        }
        assert_eq!(idx.to_chars(&text, text.len()), text.chars().count());
        assert_eq!(idx.len_chars(), text.chars().count());
        let empty = CharIndex::new("");
        assert_eq!(empty.to_chars("", 0), 0);
    }
}
