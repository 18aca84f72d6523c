//! An article laid out for the screen: every visible block through the layout engine at
//! the text column's width, flattened into screen lines that remember their source bytes.
//! Built once per (article, width, settings) and sliced by the view each frame.

use std::ops::Range;

use crate::layout::{layout_paragraph_in, CellOrder, Direction, LayoutOptions, ParagraphLayout};
use crate::source::{Article, BlockKind, Document};

/// What a layout depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayoutKey {
    pub doc: usize,
    pub article: usize,
    pub width: usize,
    pub shaping: bool,
    pub logical: bool,
    pub show_boilerplate: bool,
    /// Show bidi format characters as visible markers.
    pub reveal: bool,
}

/// One laid-out block.
#[derive(Clone, Debug)]
pub struct Para {
    pub kind: BlockKind,
    /// Byte offset of the block in the document text: cell sources are relative to it.
    pub base: usize,
    /// Cells kept free on the reading-start side (list items, quotes).
    pub inset: usize,
    pub layout: ParagraphLayout,
}

/// One screen line of the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// Space between blocks; `at` is the document offset where the block before it ends
    /// (so that an anchor on a blank line comes back to the blank line).
    Blank {
        at: usize,
    },
    Text {
        para: u32,
        row: u32,
    },
}

#[derive(Clone, Debug)]
pub struct ArticleLayout {
    pub key: LayoutKey,
    /// The article's main direction (most of its letters are right-to-left).
    pub rtl: bool,
    pub paras: Vec<Para>,
    pub lines: Vec<Line>,
    /// Explicit bidi controls in the article (embeddings, overrides, isolates): text
    /// that can make what is shown differ from what is stored ("Trojan Source").
    pub bidi_controls: usize,
    /// Whether those controls are unbalanced or include an override.
    pub bidi_suspicious: bool,
}

impl ArticleLayout {
    pub fn build(doc: &Document, article: &Article, key: LayoutKey) -> ArticleLayout {
        let width = key.width.max(1);
        let rtl = is_mostly_rtl(&doc.text[article.range.clone()]);
        let mut paras: Vec<Para> = Vec::new();
        let mut lines = Vec::new();
        let order = if key.logical {
            CellOrder::Logical
        } else {
            CellOrder::Visual
        };
        let mut prev_kind: Option<BlockKind> = None;
        let mut prev_end = article.range.start;
        for block in article.visible_blocks(key.show_boilerplate) {
            let text = block.text(&doc.text);
            if text.trim().is_empty() {
                continue;
            }
            let inset = match block.kind {
                BlockKind::ListItem | BlockKind::Quote if width > 8 => 2,
                _ => 0,
            };
            let direction = if rtl && has_rtl_letter(text) {
                Direction::Rtl
            } else {
                Direction::Auto
            };
            let opts = LayoutOptions {
                width: Some(width - inset),
                direction,
                shaping: key.shaping,
                reveal_format: key.reveal,
            };
            let layout = layout_paragraph_in(text, &opts, order);
            // Consecutive list items read as one list; everything else gets air.
            let tight = prev_kind == Some(BlockKind::ListItem) && block.kind == BlockKind::ListItem;
            if prev_kind.is_some() && !tight {
                lines.push(Line::Blank { at: prev_end });
            }
            let para = paras.len() as u32;
            for row in 0..layout.rows.len() {
                lines.push(Line::Text {
                    para,
                    row: row as u32,
                });
            }
            paras.push(Para {
                kind: block.kind,
                base: block.range().start,
                inset,
                layout,
            });
            prev_kind = Some(block.kind);
            prev_end = block.range().end;
        }
        let (bidi_controls, bidi_suspicious) = bidi_controls(&doc.text[article.range.clone()]);
        ArticleLayout {
            key,
            rtl,
            paras,
            lines,
            bidi_controls,
            bidi_suspicious,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The document bytes a line shows (empty, at the previous block's end, for a blank
    /// line).
    pub fn line_source(&self, i: usize) -> Range<usize> {
        match self.lines.get(i) {
            Some(Line::Blank { at }) => *at..*at,
            Some(Line::Text { para, row }) => {
                let p = &self.paras[*para as usize];
                let r = &p.layout.rows[*row as usize].source;
                p.base + r.start..p.base + r.end
            }
            None => 0..0,
        }
    }

    /// The line that shows document offset `offset` (or the nearest line before it).
    pub fn line_for_offset(&self, offset: usize) -> usize {
        // Last line whose start is at or before `offset`.
        let (mut lo, mut hi) = (0, self.lines.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.line_source(mid).start <= offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.saturating_sub(1)
    }
}

/// Count explicit bidi controls per paragraph, and whether any paragraph leaves one open
/// or uses an override (LRO/RLO), the marks of disguised text.
pub fn bidi_controls(s: &str) -> (usize, bool) {
    let (mut count, mut suspicious) = (0, false);
    for para in s.split(['\n', '\u{2029}']) {
        let (mut embed, mut isolate) = (0i32, 0i32);
        for c in para.chars() {
            match c {
                '\u{202A}' | '\u{202B}' => embed += 1,
                '\u{202D}' | '\u{202E}' => {
                    embed += 1;
                    suspicious = true;
                }
                '\u{202C}' => embed -= 1,
                '\u{2066}'..='\u{2068}' => isolate += 1,
                '\u{2069}' => isolate -= 1,
                _ => continue,
            }
            count += 1;
        }
        if embed != 0 || isolate != 0 {
            suspicious = true;
        }
    }
    (count, suspicious)
}

fn has_rtl_letter(s: &str) -> bool {
    s.chars().any(is_rtl_letter)
}

fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c.is_alphabetic()
}

/// Whether most letters of `s` are right-to-left (Hebrew, Arabic and their extensions).
pub fn is_mostly_rtl(s: &str) -> bool {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in s.chars() {
        if is_rtl_letter(c) {
            rtl += 1;
        } else if c.is_alphabetic() {
            ltr += 1;
        }
    }
    rtl >= ltr && rtl > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Document, LoadOptions};

    fn seed(i: usize) -> Document {
        let (name, text) = crate::corpus::SAMPLE[i];
        Document::from_bytes(name, text.as_bytes(), &LoadOptions::default()).unwrap()
    }

    fn key(width: usize) -> LayoutKey {
        LayoutKey {
            doc: 0,
            article: 0,
            width,
            shaping: true,
            logical: false,
            show_boilerplate: false,
            reveal: false,
        }
    }

    #[test]
    fn lines_cover_the_visible_blocks_in_order_and_fit() {
        let doc = seed(0);
        let a = &doc.articles[0];
        for width in [20, 57, 100] {
            let l = ArticleLayout::build(&doc, a, key(width));
            assert!(l.rtl);
            let mut last = 0;
            for i in 0..l.len() {
                let s = l.line_source(i);
                assert!(s.start >= last, "line {i} goes backwards");
                last = s.start;
                if let Line::Text { para, row } = l.lines[i] {
                    let p = &l.paras[para as usize];
                    let r = &p.layout.rows[row as usize];
                    assert!(r.pad + r.width + p.inset <= width);
                }
            }
            // No boilerplate when hidden; the title comes first.
            assert!(l.paras.iter().all(|p| p.kind != BlockKind::Boilerplate));
            assert_eq!(l.paras[0].kind, BlockKind::Title);
        }
    }

    #[test]
    fn an_offset_finds_its_line_at_any_width() {
        let doc = seed(0);
        let a = &doc.articles[0];
        let wide = ArticleLayout::build(&doc, a, key(100));
        let narrow = ArticleLayout::build(&doc, a, key(30));
        for i in (0..narrow.len()).step_by(7) {
            let src = narrow.line_source(i);
            if src.is_empty() {
                continue;
            }
            let j = narrow.line_for_offset(src.start);
            assert_eq!(j, i);
            let k = wide.line_for_offset(src.start);
            assert!(wide.line_source(k).start <= src.start && src.start <= wide.line_source(k).end);
        }
    }

    #[test]
    fn boilerplate_shows_when_asked() {
        let doc = seed(0);
        let a = &doc.articles[0];
        let l = ArticleLayout::build(
            &doc,
            a,
            LayoutKey {
                show_boilerplate: true,
                ..key(60)
            },
        );
        assert!(l.paras.iter().any(|p| p.kind == BlockKind::Boilerplate));
    }

    #[test]
    fn bidi_controls_are_counted_and_overrides_or_open_ones_flagged() {
        assert_eq!(bidi_controls("نص عادي"), (0, false));
        // Balanced isolates are ordinary (names in another script).
        assert_eq!(bidi_controls("قال \u{2068}John\u{2069} أمس"), (2, false));
        // An override, even closed, is what disguised text uses.
        assert_eq!(bidi_controls("a\u{202E}bc\u{202C}"), (2, true));
        // Left open at the end of a paragraph.
        assert_eq!(bidi_controls("x\u{2067}y\nz"), (1, true));
        // A close in the next paragraph does not balance it.
        assert_eq!(bidi_controls("\u{202B}a\n\u{202C}b"), (2, true));
    }

    #[test]
    fn direction_follows_the_majority_of_letters() {
        assert!(is_mostly_rtl("قمة جنيف Geneva"));
        assert!(!is_mostly_rtl("The Geneva summit جنيف"));
        assert!(!is_mostly_rtl("123 ..."));
    }
}
