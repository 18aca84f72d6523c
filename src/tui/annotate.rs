//! Annotation in the reader: the cursor and selection over the article, labels, review of
//! the tagger's suggestions, undo and redo, the edit history and export.
//!
//! The cursor is a byte offset into the document text, always at the start of a cell
//! the article shows, so it moves in logical (reading) order by character and word, and
//! visually (arrow keys) through the engine's rows. Every edit goes to the SQLite store
//! first ([`crate::annotate::store`]); the screen changes only once the store has
//! committed it, by reloading the document's annotations from the store.

use std::ops::Range;
use std::path::PathBuf;

use unicode_segmentation::UnicodeSegmentation;

use super::app::{App, Field, Prompt};
use super::article::Line;
use crate::annotate::review::{self, doc_export_names, doc_key, is_pending, DocAnnotations};
use crate::annotate::store::{self, Change, Doc, Edit, Op, Review, Store};
use crate::annotate::{AnnotatedDoc, Annotation, Status};

/// Where the annotation store is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreAt {
    /// `$XDG_DATA_HOME/qari/annotations.db`.
    Default,
    Path(PathBuf),
    /// In memory, gone on exit (tests).
    Memory,
}

/// The annotations of every open document, and the store they come from.
#[derive(Debug)]
pub struct AnnState {
    pub at: StoreAt,
    /// Opened when it exists at start, else at the first edit (reading never creates it).
    pub store: Option<Store>,
    /// Per document: its key in the store.
    pub keys: Vec<String>,
    /// Per document: stored annotations and pending suggestions.
    pub docs: Vec<DocAnnotations>,
    /// The cursor's stops and words for the layout on screen (see `App::nav`).
    pub nav: std::cell::RefCell<Option<(super::article::LayoutKey, std::rc::Rc<Nav>)>>,
    /// Per document: its stored annotations and pending suggestions, sorted; computed
    /// when first asked for (the document is shown, walked or exported), so that a corpus
    /// of many documents does not hold a copy of every tagger mention as an annotation.
    pub merged: Vec<std::cell::OnceCell<Vec<Annotation>>>,
}

impl AnnState {
    pub fn new(at: StoreAt) -> (AnnState, Option<String>) {
        let mut s = AnnState {
            at,
            store: None,
            keys: Vec::new(),
            docs: Vec::new(),
            merged: Vec::new(),
            nav: std::cell::RefCell::new(None),
        };
        let exists = match &s.at {
            StoreAt::Default => store::default_path().is_some_and(|p| p.exists()),
            StoreAt::Path(p) => p.exists(),
            StoreAt::Memory => false,
        };
        let mut error = None;
        if exists {
            if let Err(e) = s.open() {
                error = Some(format!("annotations cannot be read: {e}"));
            }
        }
        (s, error)
    }

    fn open(&mut self) -> Result<&mut Store, String> {
        if self.store.is_none() {
            let st = match &self.at {
                StoreAt::Default => Store::open_default(),
                StoreAt::Path(p) => Store::open(p),
                StoreAt::Memory => Store::open(":memory:"),
            }
            .map_err(|e| e.to_string())?;
            self.store = Some(st);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// A short name of the store for messages.
    pub fn where_(&self) -> String {
        match &self.at {
            StoreAt::Default => store::default_path()
                .map_or_else(|| "the default store".into(), |p| p.display().to_string()),
            StoreAt::Path(p) => p.display().to_string(),
            StoreAt::Memory => "memory (not kept)".into(),
        }
    }
}

/// The cursor of annotation mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Byte offset into the document text of the cell the cursor is on.
    pub caret: usize,
    /// Where the selection started, when there is one.
    pub anchor: Option<usize>,
    /// The selection was last grown by words: it covers whole words.
    pub by_word: bool,
    /// A mouse button is down in the article.
    pub dragging: bool,
}

/// The edit-history overlay.
#[derive(Clone, Debug, Default)]
pub struct HistoryView {
    pub scroll: usize,
    pub edits: Vec<Edit>,
}

/// One change the user asked for: a document index and what to do.
#[derive(Clone, Debug)]
enum Want {
    Add(usize, Annotation),
    Update(usize, Annotation),
    SetStatus(usize, String, Status),
    Delete(usize, String),
}

impl Want {
    fn doc(&self) -> usize {
        match self {
            Want::Add(d, _) | Want::Update(d, _) | Want::SetStatus(d, ..) | Want::Delete(d, _) => {
                *d
            }
        }
    }
}

/// The cell starts and words of the article on screen.
#[derive(Debug)]
pub struct Nav {
    /// Document offsets of every cell, sorted (the places the cursor can be).
    stops: Vec<usize>,
    /// Words (letters or digits), as document ranges, sorted.
    words: Vec<Range<usize>>,
}

fn para_len(p: &super::article::Para) -> usize {
    p.layout.rows.last().map_or(0, |r| r.source.end)
}

impl App {
    /// Whether annotation mode is on.
    pub fn annotating(&self) -> bool {
        self.cursor.is_some()
    }

    // ----- documents ------------------------------------------------------------------

    /// Register a new document's annotations (called as documents arrive).
    pub(super) fn ann_add_document(&mut self, d: usize) {
        let doc = &self.docs[d];
        let key = doc_key(doc);
        self.ann.keys.push(key);
        self.ann.docs.push(DocAnnotations::default());
        self.ann.merged.push(std::cell::OnceCell::new());
        self.reload_doc(d);
    }

    /// Read document `d`'s annotations from the store again.
    fn reload_doc(&mut self, d: usize) {
        // The suggestions are merged in later, when the document's annotations are asked
        // for (`annotations_of`).
        let suggestions: Vec<Annotation> = Vec::new();
        let loaded = match &self.ann.store {
            Some(st) => DocAnnotations::load(
                st,
                Doc {
                    path: &self.ann.keys[d],
                    text: &self.docs[d].text,
                },
                &suggestions,
            ),
            None => Ok(DocAnnotations::new(
                Vec::new(),
                Vec::new(),
                Vec::new(),
                &suggestions,
                Vec::new(),
            )),
        };
        match loaded {
            Ok(da) => {
                self.ann.merged[d] = std::cell::OnceCell::new();
                self.ann.docs[d] = da;
            }
            Err(e) => self.set_error(format!("annotations of {} not read: {e}", self.ann.keys[d])),
        }
    }

    /// The annotations drawn for the article shown (document `d`), sorted by start.
    pub fn annotations_of(&self, d: usize) -> &[Annotation] {
        match self.ann.merged.get(d) {
            Some(cell) => cell.get_or_init(|| self.merge_annotations(d)),
            None => &[],
        }
    }

    /// Document `d`'s annotations without keeping them if they were not yet computed
    /// (for walks over every document).
    fn annotations_now(&self, d: usize) -> std::borrow::Cow<'_, [Annotation]> {
        match self.ann.merged.get(d).and_then(|c| c.get()) {
            Some(v) => std::borrow::Cow::Borrowed(v.as_slice()),
            None => std::borrow::Cow::Owned(self.merge_annotations(d)),
        }
    }

    fn merge_annotations(&self, d: usize) -> Vec<Annotation> {
        let Some(da) = self.ann.docs.get(d) else {
            return Vec::new();
        };
        let suggestions = crate::annotate::suggestions(&self.entities(d));
        let pending = review::pending_suggestions(&da.stored, &suggestions);
        review::merge(&da.stored, pending.into_iter())
    }

    /// The review status of article `a` of document `d`.
    pub fn review_of(&self, d: usize, a: usize) -> Review {
        match (self.ann.docs.get(d), self.docs[d].articles.get(a)) {
            (Some(da), Some(art)) => da.article_review(art.range.clone()),
            _ => Review::Unreviewed,
        }
    }

    /// Suggestions left to review in article `a` of document `d`.
    pub fn unreviewed_count(&self, d: usize, a: usize) -> usize {
        let Some(art) = self.docs[d].articles.get(a) else {
            return 0;
        };
        self.annotations_of(d)
            .iter()
            .filter(|x| {
                x.status == Status::Suggested
                    && art.range.start <= x.start
                    && x.start < art.range.end
                    && self.is_visible(d, a, &(x.start..x.end))
            })
            .count()
    }

    // ----- the cursor -----------------------------------------------------------------

    /// The cell starts and words of the article laid out on screen, computed once per
    /// layout (a 1 MB paragraph has a million cells).
    fn nav(&self) -> Option<std::rc::Rc<Nav>> {
        let layout = self.layout.as_ref()?;
        let mut cache = self.ann.nav.borrow_mut();
        if let Some((key, nav)) = cache.as_ref() {
            if *key == layout.key {
                return Some(std::rc::Rc::clone(nav));
            }
        }
        let nav = std::rc::Rc::new(self.build_nav()?);
        *cache = Some((layout.key, std::rc::Rc::clone(&nav)));
        Some(nav)
    }

    fn build_nav(&self) -> Option<Nav> {
        let (d, _) = self.current?;
        let layout = self.layout.as_ref()?;
        let text = &self.docs[d].text;
        let mut stops = Vec::new();
        let mut words = Vec::new();
        for p in &layout.paras {
            for r in &p.layout.rows {
                stops.extend(r.cells.iter().map(|c| p.base + c.source.start));
            }
            let end = p.base + para_len(p);
            if let Some(t) = text.get(p.base..end) {
                for (i, w) in t.unicode_word_indices() {
                    if w.chars().any(char::is_alphanumeric) {
                        words.push(p.base + i..p.base + i + w.len());
                    }
                }
            }
        }
        stops.sort_unstable();
        stops.dedup();
        Some(Nav { stops, words })
    }

    /// The selected document range, if any.
    pub fn selection(&self) -> Option<Range<usize>> {
        let c = self.cursor?;
        let anchor = c.anchor?;
        if anchor == c.caret && !c.dragging {
            // `v` alone: the word under the cursor (one character outside words).
            if let Some(w) = self.word_at_caret() {
                return Some(w);
            }
        }
        let (lo, hi) = (anchor.min(c.caret), anchor.max(c.caret));
        let text = &self.docs[self.current?.0].text;
        let mut end = next_grapheme(text, hi);
        let mut start = lo;
        if c.by_word {
            if let Some(nav) = self.nav() {
                if let Some(w) = nav.words.iter().find(|w| w.start <= lo && lo < w.end) {
                    start = w.start;
                }
                if let Some(w) = nav.words.iter().find(|w| w.start <= hi && hi < w.end) {
                    end = w.end;
                }
            }
        }
        Some(start..end)
    }

    /// Turn annotation mode on, the cursor at the current search match or mention if one
    /// is on screen, else at the top of the screen.
    pub(super) fn enter_annotate(&mut self) {
        let Some(nav) = self.nav() else {
            self.set_error("no article to annotate");
            return;
        };
        if nav.stops.is_empty() {
            self.set_error("this article has no text to annotate");
            return;
        }
        let (top_start, bottom_end) = self.screen_range();
        let on_screen = |o: usize| top_start <= o && o < bottom_end;
        let hit = self
            .search
            .current
            .and_then(|i| self.search.hits.get(i))
            .filter(|h| Some((h.doc, h.article)) == self.current && on_screen(h.range.start))
            .map(|h| h.range.start);
        let mention = self
            .mention_current
            .and_then(|i| self.mentions.get(i))
            .filter(|h| Some((h.doc, h.article)) == self.current && on_screen(h.range.start))
            .map(|h| h.range.start);
        let at = hit.or(mention).unwrap_or(top_start);
        let i = nav
            .stops
            .partition_point(|&s| s < at)
            .min(nav.stops.len() - 1);
        self.cursor = Some(Cursor {
            caret: nav.stops[i],
            anchor: None,
            by_word: false,
            dragging: false,
        });
        self.focus = super::app::Focus::Article;
        self.relayout();
        self.set_info(
            "annotating: arrows, w/b, h/l move · v selects · 1-4 label · y/x accept/reject · Esc leaves",
        );
    }

    /// Document bytes from the top line of the screen to the end of the bottom one.
    fn screen_range(&self) -> (usize, usize) {
        let Some(layout) = &self.layout else {
            return (0, 0);
        };
        let h = self.text_height();
        let start = layout.line_source(self.top).start;
        let last = (self.top + h).min(layout.len()).saturating_sub(1);
        (start, layout.line_source(last).end.max(start + 1))
    }

    /// Put the cursor on `off` (snapped to a cell) and scroll it into view.
    fn set_caret(&mut self, off: usize, extend: bool) {
        let Some(nav) = self.nav() else { return };
        if nav.stops.is_empty() {
            return;
        }
        let i = nav
            .stops
            .partition_point(|&s| s < off)
            .min(nav.stops.len() - 1);
        let Some(c) = self.cursor.as_mut() else {
            return;
        };
        if extend && c.anchor.is_none() {
            c.anchor = Some(c.caret);
        }
        c.caret = nav.stops[i];
        self.caret_into_view();
    }

    fn caret_into_view(&mut self) {
        let (Some(c), Some(layout)) = (self.cursor, &self.layout) else {
            return;
        };
        let line = layout.line_for_offset(c.caret);
        let h = self.text_height();
        if line < self.top {
            self.top = line;
        } else if line >= self.top + h {
            self.top = line + 1 - h;
        } else {
            return;
        }
        self.clamp_top();
    }

    /// Move in reading order by characters or words.
    fn move_reading(&mut self, forward: bool, word: bool, n: usize) {
        let (Some(nav), Some(c)) = (self.nav(), self.cursor) else {
            return;
        };
        let mut caret = c.caret;
        for _ in 0..n {
            caret = if word {
                let selecting_forward =
                    c.anchor.is_some_and(|a| a < caret) || (c.anchor == Some(caret) && forward);
                let word_start = nav
                    .words
                    .iter()
                    .find(|w| w.start <= caret && caret < w.end)
                    .map_or(caret, |w| w.start);
                match (forward, selecting_forward) {
                    // A selection reading forward grows or shrinks by whole words at its
                    // end: the cursor sits on the last letter of a word.
                    (true, true) => nav
                        .words
                        .iter()
                        .find(|w| w.start > caret)
                        .and_then(|w| last_stop_in(&nav, w))
                        .unwrap_or(caret),
                    (false, true) => {
                        let anchor = c.anchor.unwrap_or(caret);
                        match nav.words.iter().rev().find(|w| w.start < word_start) {
                            Some(w) if w.end > anchor => last_stop_in(&nav, w).unwrap_or(anchor),
                            _ => anchor,
                        }
                    }
                    (true, false) => nav
                        .words
                        .iter()
                        .find(|w| w.start > caret)
                        .map_or(caret, |w| w.start),
                    (false, false) => nav
                        .words
                        .iter()
                        .rev()
                        .find(|w| w.start < caret)
                        .map_or(caret, |w| w.start),
                }
            } else {
                let i = nav.stops.partition_point(|&s| s < caret);
                if forward {
                    nav.stops.get(i + 1).copied().unwrap_or(caret)
                } else if i > 0 {
                    nav.stops[i - 1]
                } else {
                    caret
                }
            };
        }
        if let Some(cur) = self.cursor.as_mut() {
            cur.by_word = word && cur.anchor.is_some();
        }
        self.set_caret(caret, false);
    }

    /// Where the cursor is on screen: (line index, cell index in its row).
    fn caret_cell(&self) -> Option<(usize, usize)> {
        let c = self.cursor?;
        let layout = self.layout.as_ref()?;
        let line = layout.line_for_offset(c.caret);
        let Line::Text { para, row } = *layout.lines.get(line)? else {
            return None;
        };
        let p = &layout.paras[para as usize];
        let r = &p.layout.rows[row as usize];
        let k = r.cells.iter().position(|cell| {
            p.base + cell.source.start <= c.caret
                && c.caret < p.base + cell.source.end.max(cell.source.start + 1)
        })?;
        Some((line, k))
    }

    /// The row of line `i` with its paragraph, if it is a text line.
    fn row_at(&self, i: usize) -> Option<(&super::article::Para, &crate::layout::Row)> {
        let layout = self.layout.as_ref()?;
        let Line::Text { para, row } = *layout.lines.get(i)? else {
            return None;
        };
        let p = &layout.paras[para as usize];
        Some((p, &p.layout.rows[row as usize]))
    }

    /// The next text line after (or before) line `i`.
    fn text_line_from(&self, i: usize, down: bool) -> Option<usize> {
        let len = self.layout.as_ref()?.len();
        let mut j = i;
        loop {
            j = if down { j + 1 } else { j.checked_sub(1)? };
            if j >= len {
                return None;
            }
            if self.row_at(j).is_some_and(|(_, r)| !r.cells.is_empty()) {
                return Some(j);
            }
        }
    }

    /// Move one cell left or right on screen; past the edge of a row, onto the next row
    /// in the paragraph's reading direction.
    fn move_visual(&mut self, right: bool, n: usize, extend: bool) {
        for _ in 0..n {
            let Some((line, k)) = self.caret_cell() else {
                return;
            };
            let Some((p, r)) = self.row_at(line) else {
                return;
            };
            let rtl = p.layout.rtl;
            let target = if right && k + 1 < r.cells.len() {
                Some(p.base + r.cells[k + 1].source.start)
            } else if !right && k > 0 {
                Some(p.base + r.cells[k - 1].source.start)
            } else {
                // Off the row's edge: left goes on reading in RTL, back in LTR.
                let down = right != rtl;
                self.text_line_from(line, down).and_then(|j| {
                    let (q, rr) = self.row_at(j)?;
                    let cell = if right {
                        rr.cells.first()
                    } else {
                        rr.cells.last()
                    }?;
                    Some(q.base + cell.source.start)
                })
            };
            match target {
                Some(t) => {
                    if let Some(c) = self.cursor.as_mut() {
                        c.by_word = false;
                    }
                    self.set_caret(t, extend);
                }
                None => return,
            }
        }
    }

    /// Move to the line below or above, keeping the screen column.
    fn move_line(&mut self, down: bool, n: usize) {
        for _ in 0..n {
            let Some((line, k)) = self.caret_cell() else {
                return;
            };
            let Some((p, r)) = self.row_at(line) else {
                return;
            };
            let col = cell_x(p, r, k);
            let Some(j) = self.text_line_from(line, down) else {
                return;
            };
            let Some((q, rr)) = self.row_at(j) else {
                return;
            };
            let mut best = (usize::MAX, 0);
            for (i, cell) in rr.cells.iter().enumerate() {
                let x = cell_x(q, rr, i);
                let dist = x.abs_diff(col);
                if dist < best.0 {
                    best = (dist, q.base + cell.source.start);
                }
                let _ = cell;
            }
            if best.0 == usize::MAX {
                return;
            }
            self.set_caret(best.1, false);
        }
    }

    /// The document offset under screen cell (x, y) of the article, if text is there.
    pub(super) fn offset_at(&self, x: u16, y: u16) -> Option<usize> {
        let text = self.panes().article_text?;
        if y < text.y || y >= text.y + text.height || x < text.x || x >= text.right() {
            return None;
        }
        let i = self.top + (y - text.y) as usize;
        let (p, r) = self.row_at(i)?;
        let logical = self.config.bidi == super::config::BidiMode::Terminal;
        let rtl = p.layout.rtl && !logical;
        let x0 = if rtl { text.x } else { text.x + p.inset as u16 } as usize;
        let mut cx = x0 + r.pad;
        let x = x as usize;
        let mut nearest = None;
        for c in &r.cells {
            let w = c.width.max(1) as usize;
            if x >= cx && x < cx + w {
                return Some(p.base + c.source.start);
            }
            if nearest.is_none() || x >= cx {
                nearest = Some(p.base + c.source.start);
            }
            cx += w;
        }
        nearest
    }

    /// A mouse press, drag or release in the article.
    pub(super) fn mouse_in_article(&mut self, x: u16, y: u16, phase: MousePhase) {
        let Some(off) = self.offset_at(x, y) else {
            return;
        };
        match phase {
            MousePhase::Down => {
                if self.cursor.is_none() {
                    self.enter_annotate();
                }
                if let Some(c) = self.cursor.as_mut() {
                    c.anchor = None;
                    c.by_word = false;
                    c.dragging = true;
                }
                self.set_caret(off, false);
                if let Some(c) = self.cursor.as_mut() {
                    c.anchor = Some(c.caret);
                }
            }
            MousePhase::Drag => {
                if self.cursor.is_some_and(|c| c.dragging) {
                    self.set_caret(off, false);
                }
            }
            MousePhase::Up => {
                if let Some(c) = self.cursor.as_mut() {
                    if c.dragging && c.anchor == Some(c.caret) {
                        c.anchor = None; // a click, not a drag
                    }
                    c.dragging = false;
                }
            }
        }
    }

    // ----- what is under the cursor ---------------------------------------------------

    /// The annotation or suggestion under the cursor (the shortest one covering it).
    pub fn at_caret(&self) -> Option<&Annotation> {
        let c = self.cursor?;
        let (d, _) = self.current?;
        self.annotations_of(d)
            .iter()
            .filter(|a| a.start <= c.caret && c.caret < a.end)
            .filter(|a| a.status != Status::Rejected || self.annotating())
            .min_by_key(|a| (a.status == Status::Rejected, a.end - a.start))
    }

    /// The word under the cursor.
    fn word_at_caret(&self) -> Option<Range<usize>> {
        let c = self.cursor?;
        self.nav()?
            .words
            .iter()
            .find(|w| w.start <= c.caret && c.caret < w.end)
            .cloned()
    }

    // ----- edits ----------------------------------------------------------------------

    /// Commit `wants` to the store as one action; on success reload what changed and
    /// say `done`. Nothing on screen changes unless the store committed.
    fn commit(&mut self, wants: Vec<Want>, done: String) -> bool {
        if wants.is_empty() {
            return false;
        }
        if let Err(e) = self.ann.open() {
            self.set_error(format!("not saved: {e}"));
            return false;
        }
        // A text that could not be read again reads as blanks: never annotate those.
        for w in &wants {
            let text = &self.docs[w.doc()].text;
            let _ = text.as_str();
            if let Some(why) = text.reload_error() {
                let path = self.docs[w.doc()].display_path();
                self.set_error(format!("not saved: {path}: {why}"));
                return false;
            }
        }
        let result = {
            let keys = &self.ann.keys;
            let docs = &self.docs;
            let doc = |d: usize| Doc {
                path: &keys[d],
                text: &docs[d].text,
            };
            let changes: Vec<Change<'_>> = wants
                .iter()
                .map(|w| match w {
                    Want::Add(d, a) => Change::Add(doc(*d), a.clone()),
                    Want::Update(d, a) => Change::Update(doc(*d), a.clone()),
                    Want::SetStatus(_, id, s) => Change::SetStatus(id.clone(), *s),
                    Want::Delete(_, id) => Change::Delete(id.clone()),
                })
                .collect();
            match self.ann.store.as_mut() {
                Some(st) => st.apply(&changes),
                None => return false,
            }
        };
        match result {
            Ok(_) => {
                let mut touched: Vec<usize> = wants.iter().map(Want::doc).collect();
                touched.sort_unstable();
                touched.dedup();
                for d in touched {
                    self.reload_doc(d);
                }
                self.set_info(done);
                true
            }
            Err(e) => {
                self.set_error(format!("not saved: {e}"));
                false
            }
        }
    }

    /// Label the selection, or relabel the annotation under the cursor, or label the word
    /// under it.
    pub(super) fn apply_label(&mut self, label: &str) {
        let Some((d, _)) = self.current else { return };
        let text = &self.docs[d].text;
        if let Some(sel) = self
            .selection()
            .map(|r| trim_range(text, r))
            .filter(|r| !r.is_empty())
        {
            let surface = text[sel.clone()].to_string();
            let a = Annotation::new("", sel.start, sel.end, label);
            if self.commit(
                vec![Want::Add(d, a)],
                format!("{label} «{}» saved", clip(&surface)),
            ) {
                if let Some(c) = self.cursor.as_mut() {
                    c.anchor = None;
                    c.by_word = false;
                }
            }
            return;
        }
        if let Some(a) = self.at_caret().cloned() {
            let surface = text[a.start..a.end].to_string();
            let relabeled = Annotation {
                label: label.to_string(),
                status: Status::Confirmed,
                ..a.clone()
            };
            let want = if is_pending(&a.id) {
                Want::Add(
                    d,
                    Annotation {
                        id: String::new(),
                        ..relabeled
                    },
                )
            } else {
                Want::Update(d, relabeled)
            };
            let msg = if a.label == label {
                format!("{label} «{}» confirmed", clip(&surface))
            } else {
                format!("«{}» is now {label} (was {})", clip(&surface), a.label)
            };
            self.commit(vec![want], msg);
            return;
        }
        match self.word_at_caret() {
            Some(w) => {
                let surface = text[w.clone()].to_string();
                let a = Annotation::new("", w.start, w.end, label);
                self.commit(
                    vec![Want::Add(d, a)],
                    format!("{label} «{}» saved", clip(&surface)),
                );
            }
            None => self.set_error("nothing to label here: select text with v first"),
        }
    }

    fn review_one(&mut self, accept: bool) {
        let Some((d, _)) = self.current else { return };
        let Some(a) = self.at_caret().cloned() else {
            self.set_error("no annotation under the cursor; } goes to the next suggestion");
            return;
        };
        let status = if accept {
            Status::Confirmed
        } else {
            Status::Rejected
        };
        let surface = self.docs[d].text[a.start..a.end].to_string();
        let verb = if accept { "accepted" } else { "rejected" };
        let want = if is_pending(&a.id) {
            Want::Add(
                d,
                Annotation {
                    id: String::new(),
                    status,
                    ..a.clone()
                },
            )
        } else if a.status == status {
            self.set_info(format!("«{}» is {verb} already", clip(&surface)));
            return;
        } else {
            Want::SetStatus(d, a.id.clone(), status)
        };
        self.commit(
            vec![want],
            format!("{verb} {} «{}»", a.label, clip(&surface)),
        );
    }

    /// Accept or reject every suggestion of the entity under the cursor, in every source:
    /// the tagger's mentions linked to it, else suggestions with the same text and label.
    fn review_all(&mut self, accept: bool) {
        let Some((d, a)) = self.current else { return };
        let Some(target) = self.at_caret().cloned() else {
            self.set_error("no annotation under the cursor");
            return;
        };
        let text = self.docs[d].text[target.start..target.end].to_string();
        // The linked entity, through the tagger's mention at the same place.
        let mut spans: Vec<(usize, Range<usize>)> = Vec::new();
        let entity = self.entities(d).get(a).and_then(|art| {
            art.mentions
                .iter()
                .find(|m| m.range.start == target.start && m.range.end == target.end)
                .map(|m| m.entity)
        });
        if let Some(e) = entity {
            if let Some(ce) = self.corpus.iter().find(|ce| {
                ce.occurrences
                    .iter()
                    .any(|o| o.document() == d && o.article() == a && o.entity() == e)
            }) {
                for o in &ce.occurrences {
                    for range in self.ents[o.document()].mention_ranges(o.article(), o.entity()) {
                        spans.push((o.document(), range));
                    }
                }
            }
        }
        let status = if accept {
            Status::Confirmed
        } else {
            Status::Rejected
        };
        // Sets, not lists: a common entity of a large corpus has tens of thousands of
        // mentions, to test against every suggestion.
        let linked_spans: std::collections::HashSet<(usize, usize, usize)> =
            spans.iter().map(|(sd, r)| (*sd, r.start, r.end)).collect();
        let linked_docs: std::collections::HashSet<usize> = spans.iter().map(|s| s.0).collect();
        let kind = crate::entities::EntityKind::parse(&target.label);
        let len = text.len();
        let mut wants = Vec::new();
        for dd in 0..self.docs.len() {
            // Skip, without building its annotations, a document that cannot hold a
            // candidate: not linked, no stored suggestion of that label and length and,
            // when the entity is not linked, no tagger mention of that type and length.
            let may_hold = linked_docs.contains(&dd)
                || self.ann.docs.get(dd).is_some_and(|x| {
                    x.stored.iter().any(|s| {
                        s.status == Status::Suggested
                            && s.label == target.label
                            && s.end - s.start == len
                    })
                })
                || (entity.is_none() && kind.is_some_and(|k| self.ents[dd].has_mention(k, len)));
            if !may_hold {
                continue;
            }
            let anns = self.annotations_now(dd);
            for x in anns.iter().filter(|x| x.status == Status::Suggested) {
                let linked = linked_spans.contains(&(dd, x.start, x.end));
                // The same text and label: any suggestion when the entity is not linked,
                // else the stored (imported) ones — the tagger's are the linked ones.
                let same = x.label == target.label
                    && x.end - x.start == len
                    && (entity.is_none() || !is_pending(&x.id))
                    && self.docs[dd]
                        .text
                        .with(|t| t.get(x.start..x.end) == Some(&text[..]));
                if !(linked || same) {
                    continue;
                }
                wants.push(if is_pending(&x.id) {
                    Want::Add(
                        dd,
                        Annotation {
                            id: String::new(),
                            status,
                            ..x.clone()
                        },
                    )
                } else {
                    Want::SetStatus(dd, x.id.clone(), status)
                });
            }
        }
        if wants.is_empty() {
            self.set_info(format!("no suggestion of «{}» left to review", clip(&text)));
            return;
        }
        let n = wants.len();
        let mut docs: Vec<usize> = wants.iter().map(Want::doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let verb = if accept { "accepted" } else { "rejected" };
        self.commit(
            wants,
            format!(
                "{verb} {n} mention{} of «{}» in {} source{} (u undoes all)",
                if n == 1 { "" } else { "s" },
                clip(&text),
                docs.len(),
                if docs.len() == 1 { "" } else { "s" }
            ),
        );
    }

    fn delete_at_caret(&mut self) {
        let Some((d, _)) = self.current else { return };
        let Some(a) = self.at_caret().cloned() else {
            self.set_error("no annotation under the cursor");
            return;
        };
        let surface = self.docs[d].text[a.start..a.end].to_string();
        let want = if is_pending(&a.id) {
            // Deleting a suggestion is rejecting it (so that it does not come back).
            Want::Add(
                d,
                Annotation {
                    id: String::new(),
                    status: Status::Rejected,
                    ..a.clone()
                },
            )
        } else {
            Want::Delete(d, a.id.clone())
        };
        self.commit(
            vec![want],
            format!("deleted {} «{}»", a.label, clip(&surface)),
        );
    }

    fn open_field(&mut self, field: Field) {
        let Some(a) = self.at_caret().cloned() else {
            self.set_error("no annotation under the cursor");
            return;
        };
        let text = match field {
            Field::Wikidata => a.wikidata.clone().unwrap_or_default(),
            Field::Note => a.note.clone().unwrap_or_default(),
            Field::Search => String::new(),
        };
        self.prompt = Some(Prompt {
            cursor: text.len(),
            text,
            field,
            target: Some(a.id.clone()),
            ..Prompt::default()
        });
    }

    /// Enter in a Wikidata or note prompt.
    pub(super) fn field_entered(&mut self, field: Field, target: Option<String>, value: String) {
        let Some((d, _)) = self.current else { return };
        let Some(a) = self
            .annotations_of(d)
            .iter()
            .find(|a| Some(&a.id) == target.as_ref())
            .cloned()
        else {
            self.set_error("the annotation is gone");
            return;
        };
        let value = value.trim().to_string();
        let mut new = a.clone();
        let what = match field {
            Field::Wikidata => {
                let q = value.to_ascii_uppercase();
                let is_qid =
                    q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit());
                if !q.is_empty() && !is_qid {
                    self.set_error(format!(
                        "«{value}» is not a Wikidata id (Q followed by digits)"
                    ));
                    return;
                }
                new.wikidata = (!q.is_empty()).then_some(q.clone());
                if q.is_empty() {
                    "Wikidata id removed".to_string()
                } else {
                    format!("linked to {q}")
                }
            }
            Field::Note => {
                new.note = (!value.is_empty()).then_some(value.clone());
                if value.is_empty() {
                    "note removed".to_string()
                } else {
                    "note saved".to_string()
                }
            }
            Field::Search => return,
        };
        let surface = self.docs[d].text[a.start..a.end].to_string();
        let want = if is_pending(&a.id) {
            new.id.clear();
            new.status = Status::Confirmed;
            Want::Add(d, new)
        } else {
            Want::Update(d, new)
        };
        self.commit(
            vec![want],
            format!("{} «{}»: {what}", a.label, clip(&surface)),
        );
    }

    /// The documents an undone or redone action touched: document `d` for one edit; for
    /// a batch, those the store names (every document if one of them is not open under
    /// its key, e.g. a moved file found by its text).
    fn touched_by(&self, edits: &[Edit], d: usize) -> Vec<usize> {
        let (Some(batch), true) = (edits.first().and_then(|e| e.batch), edits.len() > 1) else {
            return vec![d];
        };
        let all = || (0..self.docs.len()).collect();
        let Some(Ok(paths)) = self.ann.store.as_ref().map(|st| st.batch_documents(batch)) else {
            return all();
        };
        let by_key: std::collections::HashMap<&str, Vec<usize>> = self
            .ann
            .keys
            .iter()
            .enumerate()
            .fold(Default::default(), |mut m, (i, k)| {
                m.entry(k.as_str()).or_default().push(i);
                m
            });
        let mut out = Vec::new();
        for p in &paths {
            match by_key.get(p.as_str()) {
                Some(v) => out.extend(v),
                None => return all(),
            }
        }
        out
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some((d, _)) = self.current else { return };
        if self.ann.store.is_none() {
            self.set_info(if undo {
                "nothing to undo"
            } else {
                "nothing to redo"
            });
            return;
        }
        let key = self.ann.keys[d].clone();
        let result = match self.ann.store.as_mut() {
            Some(st) if undo => st.undo_action(&key),
            Some(st) => st.redo_action(&key),
            None => return,
        };
        match result {
            Ok(edits) if edits.is_empty() => self.set_info(if undo {
                "nothing to undo in this document"
            } else {
                "nothing to redo in this document"
            }),
            Ok(edits) => {
                for dd in self.touched_by(&edits, d) {
                    self.reload_doc(dd);
                }
                let verb = if undo { "undid" } else { "redid" };
                let msg = if edits.len() == 1 {
                    format!("{verb}: {}", describe(&edits[0]))
                } else {
                    format!("{verb} {} edits: {}…", edits.len(), describe(&edits[0]))
                };
                // Show where it happened when it is in this article.
                let id = edits[0].annotation.clone();
                if let Some(a) = self.annotations_of(d).iter().find(|a| a.id == id) {
                    let start = a.start;
                    if self.cursor.is_some()
                        && self
                            .nav()
                            .is_some_and(|n| n.stops.binary_search(&start).is_ok())
                    {
                        self.set_caret(start, false);
                    }
                }
                self.set_info(msg);
                if let Some(h) = &mut self.history {
                    h.edits = self
                        .ann
                        .store
                        .as_ref()
                        .and_then(|s| s.history(&key).ok())
                        .unwrap_or_default();
                }
            }
            Err(e) => self.set_error(format!("not undone: {e}")),
        }
    }

    fn show_history(&mut self) {
        let Some((d, _)) = self.current else { return };
        let edits = match &self.ann.store {
            Some(st) => match st.history(&self.ann.keys[d]) {
                Ok(e) => e,
                Err(e) => {
                    self.set_error(e.to_string());
                    return;
                }
            },
            None => Vec::new(),
        };
        self.history = Some(HistoryView {
            scroll: usize::MAX,
            edits,
        });
        let n = self.history_lines().len();
        if let Some(h) = self.history.as_mut() {
            h.scroll = n.saturating_sub(1);
        }
    }

    /// The lines of the history overlay: (text, undone).
    pub fn history_lines(&self) -> Vec<(String, bool)> {
        let Some(h) = &self.history else {
            return Vec::new();
        };
        let mut out: Vec<(String, bool)> = Vec::new();
        if let Some((d, _)) = self.current {
            let orphans = &self.ann.docs[d].orphaned;
            if !orphans.is_empty() {
                out.push((
                    format!(
                        "{} whose text is no longer in this document (kept, not exported):",
                        plural(orphans.len(), "orphaned annotation")
                    ),
                    false,
                ));
                for o in orphans {
                    out.push((
                        format!(
                            "  {} «{}» {} (was at {}…{})",
                            o.label,
                            clip(&o.exact),
                            o.status,
                            o.start_cp,
                            o.end_cp
                        ),
                        true,
                    ));
                }
            }
        }
        if h.edits.is_empty() {
            out.push(("no edits in this document yet".into(), false));
            return out;
        }
        out.extend(h.edits.iter().map(|e| {
            let mut s = format!("{} {}", clock(e.at), describe(e));
            if e.batch.is_some() {
                s.push_str(" [batch]");
            }
            if e.undone {
                s.push_str(" (undone)");
            }
            (s, e.undone)
        }));
        out
    }

    /// Step to the next (or previous) annotation, only suggestions if `unreviewed`,
    /// through the articles in order, wrapping around.
    fn step_annotation(&mut self, forward: bool, unreviewed: bool, n: usize) {
        for _ in 0..n {
            if !self.step_annotation_once(forward, unreviewed) {
                return;
            }
        }
    }

    fn step_annotation_once(&mut self, forward: bool, unreviewed: bool) -> bool {
        let Some((d0, a0)) = self.current else {
            return false;
        };
        let caret = self
            .cursor
            .map(|c| c.caret)
            .unwrap_or_else(|| self.screen_range().0.saturating_sub(usize::from(forward)));
        let order = self.article_order();
        let Some(pos) = order.iter().position(|&x| x == (d0, a0)) else {
            return false;
        };
        let wanted = |x: &Annotation| {
            if unreviewed {
                x.status == Status::Suggested
            } else {
                x.status != Status::Rejected
            }
        };
        let in_article = |d: usize, a: usize| -> Vec<usize> {
            let art = &self.docs[d].articles[a];
            self.annotations_of(d)
                .iter()
                .filter(|x| wanted(x) && art.range.start <= x.start && x.start < art.range.end)
                .filter(|x| self.is_visible(d, a, &(x.start..x.end)))
                .map(|x| x.start)
                .collect()
        };
        let mut found = None;
        let mut wrapped = false;
        let k = order.len();
        for step in 0..=k {
            let idx = if forward {
                (pos + step) % k
            } else {
                (pos + k * 2 - step) % k
            };
            if step > 0 && ((forward && idx <= pos) || (!forward && idx >= pos)) {
                wrapped = true;
            }
            let (d, a) = order[idx];
            let starts = in_article(d, a);
            let pick = if step == 0 {
                if forward {
                    starts.iter().copied().find(|&s| s > caret)
                } else {
                    starts.iter().rev().copied().find(|&s| s < caret)
                }
            } else if step == k {
                // Back in the first article, from the other end.
                if forward {
                    starts.iter().copied().find(|&s| s <= caret)
                } else {
                    starts.iter().rev().copied().find(|&s| s >= caret)
                }
            } else if forward {
                starts.first().copied()
            } else {
                starts.last().copied()
            };
            if let Some(s) = pick {
                found = Some((d, a, s));
                break;
            }
        }
        let Some((d, a, s)) = found else {
            self.set_info(if unreviewed {
                "every suggestion is reviewed"
            } else {
                "no annotations"
            });
            return false;
        };
        if (d, a) != (d0, a0) {
            self.open(d, a);
        }
        if self.cursor.is_none() {
            self.enter_annotate();
        }
        if let Some(c) = self.cursor.as_mut() {
            c.anchor = None;
            c.by_word = false;
        }
        self.scroll_to_offset(s);
        self.set_caret(s, false);
        let what = self
            .annotations_of(d)
            .iter()
            .find(|x| x.start == s && wanted(x))
            .map(|x| {
                format!(
                    "{} «{}» {}",
                    x.label,
                    clip(&self.docs[d].text[x.start..x.end]),
                    x.status.name()
                )
            })
            .unwrap_or_default();
        let left = self.unreviewed_count(d, a);
        let mut msg = if unreviewed {
            format!("{what} · {left} left to review in this article")
        } else {
            what
        };
        if wrapped {
            msg.push_str(" (wrapped around)");
        }
        self.set_info(msg);
        true
    }

    fn mark_done(&mut self) {
        let Some((d, a)) = self.current else { return };
        let now = self.review_of(d, a);
        let next = if now == Review::Done {
            Review::InProgress
        } else {
            Review::Done
        };
        if let Err(e) = self.ann.open() {
            self.set_error(format!("not saved: {e}"));
            return;
        }
        let start = self.docs[d].articles[a].range.start;
        let result = match self.ann.store.as_mut() {
            Some(st) => st.set_review(
                Doc {
                    path: &self.ann.keys[d],
                    text: &self.docs[d].text,
                },
                start,
                next,
            ),
            None => return,
        };
        match result {
            Ok(()) => {
                self.reload_doc(d);
                let left = self.unreviewed_count(d, a);
                let mut msg = format!("article marked {}", next.name());
                if next == Review::Done && left > 0 {
                    msg.push_str(&format!(
                        " ({left} suggestion{} left unreviewed)",
                        if left == 1 { "" } else { "s" }
                    ));
                }
                self.set_info(msg);
            }
            Err(e) => self.set_error(format!("not saved: {e}")),
        }
    }

    /// Export every open document's annotations as the config says.
    fn export_all(&mut self) {
        let names = doc_export_names(&self.docs);
        let format = self.config.export_format;
        let only = self.config.export_only;
        let dir = self.config.export_dir.clone();
        // One document at a time: texts dropped from memory are read again for it, and
        // not kept.
        let doc_at = |d: usize| AnnotatedDoc {
            name: names[d].clone(),
            text: self.docs[d].text.with(str::to_owned),
            annotations: self.annotations_now(d).into_owned(),
        };
        let result = review::export_to_dir(format, self.docs.len(), doc_at, only, &dir);
        match result.map(|(paths, _warnings)| paths) {
            Ok(paths) => {
                let orphaned: usize = self.ann.docs.iter().map(|d| d.orphaned.len()).sum();
                let list: Vec<String> = paths
                    .iter()
                    .take(3)
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                // The folder first: the file names may not fit the status line.
                let mut msg = format!(
                    "exported to {}/: {} ({}, {}): {}{}",
                    dir.display(),
                    plural(paths.len(), "file"),
                    format.name(),
                    match only {
                        crate::annotate::Only::Confirmed => "confirmed",
                        crate::annotate::Only::All => "all",
                    },
                    list.join(", "),
                    if paths.len() > 3 { ", …" } else { "" }
                );
                if orphaned > 0 {
                    msg.push_str(&format!(
                        "; {} orphaned (text gone) not exported",
                        plural(orphaned, "annotation")
                    ));
                }
                self.set_info(msg);
            }
            Err(e) => self.set_error(format!("export failed: {e}")),
        }
    }

    // ----- actions --------------------------------------------------------------------

    /// Apply an annotation action. Returns false if `action` is not one.
    pub(super) fn annotate_update(&mut self, action: super::action::Action, n: usize) -> bool {
        use super::action::Action as A;
        let annotating = self.annotating();
        match action {
            A::Annotate => {
                if annotating {
                    self.leave_annotate();
                } else {
                    self.enter_annotate();
                }
            }
            A::Undo => self.undo_redo(true),
            A::Redo => self.undo_redo(false),
            A::History => self.show_history(),
            A::Export => self.export_all(),
            A::NextUnreviewed => self.step_annotation(true, true, n),
            A::PrevUnreviewed => self.step_annotation(false, true, n),
            A::MarkDone => self.mark_done(),
            _ if !annotating => return false,
            A::CursorNextWord => self.move_reading(true, true, n),
            A::CursorPrevWord => self.move_reading(false, true, n),
            A::CursorNextChar => self.move_reading(true, false, n),
            A::CursorPrevChar => self.move_reading(false, false, n),
            A::CursorLeft => self.move_visual(false, n, false),
            A::CursorRight => self.move_visual(true, n, false),
            A::SelectLeft => self.move_visual(false, n, true),
            A::SelectRight => self.move_visual(true, n, true),
            A::CursorDown => self.move_line(true, n),
            A::CursorUp => self.move_line(false, n),
            A::ToggleSelection => {
                if let Some(c) = self.cursor.as_mut() {
                    c.anchor = match c.anchor {
                        Some(_) => None,
                        None => Some(c.caret),
                    };
                    c.by_word = false;
                }
            }
            A::Accept => self.review_one(true),
            A::Reject => self.review_one(false),
            A::AcceptAll => self.review_all(true),
            A::RejectAll => self.review_all(false),
            A::Delete => self.delete_at_caret(),
            A::SetWikidata => self.open_field(Field::Wikidata),
            A::SetNote => self.open_field(Field::Note),
            A::NextAnnotation => self.step_annotation(true, false, n),
            A::PrevAnnotation => self.step_annotation(false, false, n),
            _ => return false,
        }
        true
    }

    /// Esc in annotation mode: drop the selection, else leave the mode.
    pub(super) fn annotate_back(&mut self) -> bool {
        match self.cursor.as_mut() {
            Some(c) if c.anchor.is_some() => {
                c.anchor = None;
                c.by_word = false;
                true
            }
            Some(_) => {
                self.leave_annotate();
                true
            }
            None => false,
        }
    }

    fn leave_annotate(&mut self) {
        self.cursor = None;
        self.set_info("annotation mode off (i turns it on)");
    }

    /// The label bound to a key in annotation mode.
    pub(super) fn label_for(&self, key: super::keymap::Key) -> Option<String> {
        self.config
            .labels
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, l)| l.clone())
    }

    /// Keep the cursor on the article shown after it changed (or drop it).
    pub(super) fn cursor_follow(&mut self) {
        let Some(c) = self.cursor else { return };
        let Some(nav) = self.nav() else {
            self.cursor = None;
            return;
        };
        if nav.stops.binary_search(&c.caret).is_err() {
            let top = self.screen_range().0;
            match nav.stops.get(nav.stops.partition_point(|&s| s < top)) {
                Some(&s) => {
                    self.cursor = Some(Cursor {
                        caret: s,
                        anchor: None,
                        by_word: false,
                        dragging: false,
                    })
                }
                None => self.cursor = None,
            }
        }
    }
}

/// The phases of a mouse gesture in the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MousePhase {
    Down,
    Drag,
    Up,
}

/// `r` without the whitespace and invisible format characters at its ends.
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let Some(t) = text.get(r.clone()) else {
        return r;
    };
    let blank = |c: char| {
        c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    let start = r.start + (t.len() - t.trim_start_matches(blank).len());
    let end = r.start + t.trim_end_matches(blank).len();
    start..end.max(start)
}

/// The last cell start inside `w`.
fn last_stop_in(nav: &Nav, w: &Range<usize>) -> Option<usize> {
    let i = nav.stops.partition_point(|&s| s < w.end);
    nav.stops[..i].last().copied().filter(|&s| s >= w.start)
}

/// The column of cell `k` of row `r` from the pane's text edge (the inset counts for
/// left-to-right rows).
fn cell_x(p: &super::article::Para, r: &crate::layout::Row, k: usize) -> usize {
    let inset = if p.layout.rtl { 0 } else { p.inset };
    inset + r.pad + r.cells[..k].iter().map(|c| c.width as usize).sum::<usize>()
}

fn next_grapheme(s: &str, i: usize) -> usize {
    use unicode_segmentation::GraphemeCursor;
    if i >= s.len() {
        return s.len();
    }
    let mut c = GraphemeCursor::new(i, s.len(), true);
    c.next_boundary(s, 0).ok().flatten().unwrap_or(s.len())
}

/// A surface shortened for a message, isolated so that its direction does not reorder
/// the message around it.
fn clip(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = if s.chars().count() > 30 {
        let mut t: String = s.chars().take(29).collect();
        t.push('…');
        t
    } else {
        s
    };
    format!("\u{2068}{s}\u{2069}")
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// What an edit did, in a few words.
pub fn describe(e: &Edit) -> String {
    let ann = e.after.as_ref().or(e.before.as_ref());
    let (label, exact) = ann.map_or((String::new(), String::new()), |a| {
        (a.label.clone(), clip(&a.exact))
    });
    match e.op {
        Op::Add => {
            let status = e.after.as_ref().map_or(Status::Confirmed, |a| a.status());
            match status {
                Status::Rejected => format!("rejected {label} «{exact}»"),
                Status::Suggested => format!("added suggestion {label} «{exact}»"),
                Status::Confirmed => format!("confirmed {label} «{exact}»"),
            }
        }
        Op::Delete => format!("deleted {label} «{exact}»"),
        Op::Status => {
            let to = e.after.as_ref().map_or(Status::Suggested, |a| a.status());
            let verb = match to {
                Status::Confirmed => "accepted",
                Status::Rejected => "rejected",
                Status::Suggested => "reopened",
            };
            format!("{verb} {label} «{exact}»")
        }
        Op::Update => {
            let (b, a) = (e.before.as_ref(), e.after.as_ref());
            match (b, a) {
                (Some(b), Some(a)) if b.label != a.label => {
                    format!("relabelled «{exact}» {} → {}", b.label, a.label)
                }
                (Some(b), Some(a)) if b.wikidata != a.wikidata => format!(
                    "{label} «{exact}» linked to {}",
                    a.wikidata.as_deref().unwrap_or("nothing")
                ),
                (Some(b), Some(a)) if b.note != a.note => format!("{label} «{exact}»: note"),
                _ => format!("changed {label} «{exact}»"),
            }
        }
    }
}

/// `HH:MM` (UTC) of a time in milliseconds since the epoch.
fn clock(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let day = secs.rem_euclid(86_400);
    format!("{:02}:{:02}", day / 3600, (day % 3600) / 60)
}
