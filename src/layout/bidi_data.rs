//! A faster bidi class lookup for the scripts news text is made of.
//!
//! unicode-bidi looks every byte's character up by binary search; a direct table for the
//! first 0x2100 code points (Latin, Hebrew, Arabic, general punctuation) removes most of that
//! cost. Everything else falls back to the crate's own data, so the answers are identical.

use std::sync::LazyLock;

use unicode_bidi::{BidiClass, BidiDataSource, HardcodedBidiData};

const DIRECT: u32 = 0x2100;

static LOW: LazyLock<Vec<BidiClass>> = LazyLock::new(|| {
    (0..DIRECT)
        .map(|cp| char::from_u32(cp).map_or(BidiClass::L, |c| HardcodedBidiData.bidi_class(c)))
        .collect()
});

/// The direct table, resolved once so that hot loops index it without touching the lock.
pub(crate) fn class_table() -> &'static [BidiClass] {
    &LOW
}

/// The bidi class of `c`, given the direct table.
#[inline]
pub(crate) fn class_of(table: &[BidiClass], c: char) -> BidiClass {
    match table.get(c as usize) {
        Some(&class) => class,
        None => HardcodedBidiData.bidi_class(c),
    }
}

pub(crate) struct FastBidiData;

impl BidiDataSource for FastBidiData {
    fn bidi_class(&self, c: char) -> BidiClass {
        class_of(&LOW, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_answers_as_the_crate() {
        for cp in (0..0x3000).chain(0xFB00..0xFF00) {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(
                    FastBidiData.bidi_class(c),
                    HardcodedBidiData.bidi_class(c),
                    "{cp:X}"
                );
            }
        }
    }
}
