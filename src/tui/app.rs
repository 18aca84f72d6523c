//! The reader's state and the only code that changes it.
//!
//! Events (keys, mouse, resize, loaded documents) come in through `on_*` methods, which
//! resolve keys through the keymap into [`Action`]s and apply them in `update`. What the
//! terminal layer must do in return (quit, suspend, clear) comes back as [`Effect`]s. The
//! view only reads this state; the article layout for the current width is built here,
//! so that drawing a frame only slices it.

use std::collections::HashMap;
use std::ops::Range;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::article::{ArticleLayout, LayoutKey};
use super::config::{BidiMode, Config};
use super::keymap::{Key, Pending, Resolved};
use super::store::{article_id, PositionStore};
use super::theme::Theme;
use crate::search::Folded;
use crate::source::{Document, LoadError, LoadEvent};

/// What the terminal layer has to do after an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    /// Forget what is on the screen and draw everything again.
    Clear,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Article,
    Sources,
}

/// A line of the sources pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Source(usize),
    Article(usize, usize),
    /// A path that could not be loaded (index into `load_errors`).
    Failed(usize),
}

/// One search match: document, article, byte range of the document text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub doc: usize,
    pub article: usize,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    /// The hit last jumped to.
    pub current: Option<usize>,
}

/// The search prompt being edited.
#[derive(Clone, Debug, Default)]
pub struct Prompt {
    pub text: String,
    /// Byte offset of the cursor in `text` (logical order).
    pub cursor: usize,
    /// The search in force when the prompt opened (restored by Esc).
    saved: Option<Search>,
}

#[derive(Clone, Debug, Default)]
pub struct Help {
    pub scroll: usize,
    pub filter: String,
    pub editing_filter: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

/// Where things are on the screen: one function used by the view and by `update` (for
/// page sizes and the layout width), so both always agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    /// Header row of the article pane.
    pub article_header: Option<Rect>,
    /// The text column inside the article pane.
    pub article_text: Option<Rect>,
    pub article: Option<Rect>,
    pub sources: Option<Rect>,
    pub separator: Option<Rect>,
    pub status: Rect,
}

pub struct App {
    pub docs: Vec<Document>,
    /// Stable id of each article, per document.
    pub ids: Vec<Vec<String>>,
    pub config: Config,
    pub theme: Theme,
    pub shaping: bool,
    pub show_boilerplate: bool,
    pub size: (u16, u16),
    pub focus: Focus,
    /// The article shown: (document, article).
    pub current: Option<(usize, usize)>,
    pub layout: Option<ArticleLayout>,
    cache: HashMap<LayoutKey, ArticleLayout>,
    /// First line shown, and the document offset it starts at (what a resize keeps).
    pub top: usize,
    anchor: usize,
    pub sources_sel: usize,
    pub sources_top: usize,
    pub search: Search,
    folded: Vec<Option<Folded>>,
    pub prompt: Option<Prompt>,
    pub help: Option<Help>,
    pub pending: Pending,
    pub message: Option<(String, MessageKind)>,
    pub positions: PositionStore,
    /// Background loading: (entries loaded or failed, total).
    pub loading: Option<(usize, usize)>,
    pub load_errors: Vec<LoadError>,
    pub warnings: Vec<String>,
    pub quit: bool,
}

impl App {
    pub fn new(config: Config, theme: Theme, positions: PositionStore) -> App {
        App {
            docs: Vec::new(),
            ids: Vec::new(),
            shaping: config.shaping(),
            show_boilerplate: config.show_boilerplate,
            config,
            theme,
            size: (80, 24),
            focus: Focus::Article,
            current: None,
            layout: None,
            cache: HashMap::new(),
            top: 0,
            anchor: 0,
            sources_sel: 0,
            sources_top: 0,
            search: Search::default(),
            folded: Vec::new(),
            prompt: None,
            help: None,
            pending: Pending::default(),
            message: None,
            positions,
            loading: None,
            load_errors: Vec::new(),
            warnings: Vec::new(),
            quit: false,
        }
    }

    /// Add a loaded document; the first one opens.
    pub fn add_document(&mut self, doc: Document) {
        self.ids.push(
            doc.articles
                .iter()
                .map(|a| article_id(&doc.text[a.range.clone()]))
                .collect(),
        );
        for w in &doc.warnings {
            self.warnings.push(w.to_string());
        }
        self.docs.push(doc);
        self.folded.push(None);
        let d = self.docs.len() - 1;
        if self.current.is_none() && !self.docs[d].articles.is_empty() {
            self.open(d, 0);
        }
        if !self.search.query.is_empty() {
            self.refresh_hits();
        }
    }

    pub fn on_load_event(&mut self, ev: LoadEvent) {
        match ev {
            LoadEvent::Loaded { document, .. } => self.add_document(*document),
            LoadEvent::Failed { error, .. } => {
                self.set_error(error.to_string());
                self.load_errors.push(error);
            }
        }
        if let Some((done, total)) = &mut self.loading {
            *done += 1;
            if *done >= *total {
                self.loading = None;
                if self.docs.is_empty() {
                    self.set_error("nothing could be loaded; q quits");
                }
            }
        }
    }

    // ----- geometry -------------------------------------------------------------------

    /// True when one pane at a time fits.
    pub fn single_pane(&self) -> bool {
        self.size.0 < self.config.narrow_below || self.config.bidi == BidiMode::Terminal
    }

    pub fn panes(&self) -> Panes {
        let (w, h) = self.size;
        let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
        let body = Rect::new(0, 0, w, h.saturating_sub(1));
        let mut panes = Panes {
            article_header: None,
            article_text: None,
            article: None,
            sources: None,
            separator: None,
            status,
        };
        if body.height == 0 || body.width == 0 {
            return panes;
        }
        let (article, sources) = if self.single_pane() {
            match self.focus {
                Focus::Article => (Some(body), None),
                Focus::Sources => (None, Some(body)),
            }
        } else {
            // Right-to-left reading: the sources sit on the right, where the eye starts.
            let sw = self.config.sources_width.min(body.width / 2);
            let aw = body.width - sw - 1;
            panes.separator = Some(Rect::new(aw, 0, 1, body.height));
            (
                Some(Rect::new(0, 0, aw, body.height)),
                Some(Rect::new(aw + 1, 0, sw, body.height)),
            )
        };
        panes.sources = sources;
        if let Some(a) = article {
            panes.article = Some(a);
            panes.article_header = Some(Rect::new(a.x, a.y, a.width, 1));
            let inner_w = a.width.saturating_sub(2).max(1);
            let max = if self.config.max_width == 0 {
                inner_w
            } else {
                (self.config.max_width as u16).min(inner_w)
            };
            let x = a.x + 1.min(a.width) + (inner_w - max) / 2;
            let hgt = a.height.saturating_sub(2);
            panes.article_text = Some(Rect::new(x, a.y + 2, max, hgt));
        }
        panes
    }

    fn text_height(&self) -> usize {
        self.panes()
            .article_text
            .map_or(1, |r| r.height.max(1) as usize)
    }

    fn sources_height(&self) -> usize {
        self.panes()
            .sources
            .map_or(1, |r| r.height.saturating_sub(2).max(1) as usize)
    }

    // ----- the article ----------------------------------------------------------------

    fn layout_key(&self, d: usize, a: usize) -> Option<LayoutKey> {
        let text = self.panes().article_text?;
        Some(LayoutKey {
            doc: d,
            article: a,
            width: text.width.max(1) as usize,
            shaping: self.shaping,
            logical: self.config.bidi == BidiMode::Terminal,
            show_boilerplate: self.show_boilerplate,
        })
    }

    /// Make `self.layout` match the current article, width and settings, keeping the
    /// anchor (the text at the top of the screen) in view.
    pub fn relayout(&mut self) {
        let Some((d, a)) = self.current else {
            self.layout = None;
            return;
        };
        let Some(key) = self.layout_key(d, a) else {
            return;
        };
        if self.layout.as_ref().is_some_and(|l| l.key == key) {
            return;
        }
        if let Some(old) = self.layout.take() {
            if self.cache.len() >= 16 {
                self.cache.clear();
            }
            self.cache.insert(old.key, old);
        }
        let layout = match self.cache.remove(&key) {
            Some(l) => l,
            None => ArticleLayout::build(&self.docs[d], &self.docs[d].articles[a], key),
        };
        self.top = layout.line_for_offset(self.anchor);
        self.layout = Some(layout);
        // The anchor stays: the top line may start before it, and re-deriving the
        // anchor from that line would drift back a little at every resize.
        self.top = self.top.min(self.max_top());
    }

    fn max_top(&self) -> usize {
        let len = self.layout.as_ref().map_or(0, |l| l.len());
        len.saturating_sub(self.text_height())
    }

    /// After the user moved the view: clamp it and remember where it is.
    fn clamp_top(&mut self) {
        self.top = self.top.min(self.max_top());
        if let Some(layout) = &self.layout {
            let start = self
                .current
                .map_or(0, |(d, a)| self.docs[d].articles[a].range.start);
            self.anchor = layout.line_source(self.top).start.max(start);
        }
        self.note_position();
    }

    /// Keep the current search match in view (after a resize or a settings change).
    fn keep_match_visible(&mut self) {
        let Some(hit) = self.search.current.and_then(|c| self.search.hits.get(c)) else {
            return;
        };
        if self.current != Some((hit.doc, hit.article)) {
            return;
        }
        let start = hit.range.start;
        if let Some(layout) = &self.layout {
            let line = layout.line_for_offset(start);
            let h = self.text_height();
            if line < self.top || line >= self.top + h {
                self.top = line.saturating_sub(h / 3);
                self.clamp_top();
            }
        }
    }

    /// Record the anchor and the reading progress after the view moved.
    fn note_position(&mut self) {
        let (Some((d, a)), Some(layout)) = (self.current, &self.layout) else {
            return;
        };
        let art = &self.docs[d].articles[a];
        let h = self.text_height();
        let read = if self.top + h >= layout.len() {
            1.0
        } else {
            let end = layout.line_source(self.top + h - 1).end;
            let len = art.range.len().max(1);
            (end.saturating_sub(art.range.start) as f32 / len as f32).clamp(0.0, 1.0)
        };
        let pos = super::store::Position {
            offset: self.anchor.saturating_sub(art.range.start),
            read,
        };
        let id = self.ids[d][a].clone();
        self.positions.set(&id, pos);
    }

    /// Open article `a` of document `d` at its remembered position.
    pub fn open(&mut self, d: usize, a: usize) {
        if d >= self.docs.len() || a >= self.docs[d].articles.len() {
            return;
        }
        let art_start = self.docs[d].articles[a].range.start;
        let offset = self
            .positions
            .get(&self.ids[d][a])
            .map_or(0, |p| p.offset)
            .min(self.docs[d].articles[a].range.len());
        self.current = Some((d, a));
        self.anchor = art_start + offset;
        self.layout = None;
        self.relayout();
        self.note_position();
        if let Some(i) = self
            .entries()
            .iter()
            .position(|e| *e == Entry::Article(d, a))
        {
            self.sources_sel = i;
            self.keep_selection_visible();
        }
    }

    pub fn current_rtl(&self) -> bool {
        self.layout.as_ref().is_none_or(|l| l.rtl)
    }

    /// Read progress of an article, 0 to 1, if it was opened before.
    pub fn progress(&self, d: usize, a: usize) -> Option<f32> {
        self.positions.get(&self.ids[d][a]).map(|p| p.read)
    }

    // ----- the sources list -----------------------------------------------------------

    pub fn entries(&self) -> Vec<Entry> {
        let mut v = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            v.push(Entry::Source(d));
            for a in 0..doc.articles.len() {
                v.push(Entry::Article(d, a));
            }
        }
        v.extend((0..self.load_errors.len()).map(Entry::Failed));
        v
    }

    fn keep_selection_visible(&mut self) {
        let h = self.sources_height();
        if self.sources_sel < self.sources_top {
            self.sources_top = self.sources_sel;
        } else if self.sources_sel >= self.sources_top + h {
            self.sources_top = self.sources_sel + 1 - h;
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let n = self.entries().len();
        if n == 0 {
            return;
        }
        self.sources_sel = self.sources_sel.saturating_add_signed(delta).min(n - 1);
        self.keep_selection_visible();
    }

    // ----- navigation between articles ------------------------------------------------

    fn article_order(&self) -> Vec<(usize, usize)> {
        self.docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| (0..doc.articles.len()).map(move |a| (d, a)))
            .collect()
    }

    fn step_article(&mut self, delta: isize) {
        let order = self.article_order();
        let Some(cur) = self.current else { return };
        let Some(i) = order.iter().position(|&x| x == cur) else {
            return;
        };
        let j = i.saturating_add_signed(delta).min(order.len() - 1);
        if j == i {
            self.set_info(if delta > 0 {
                "this is the last article"
            } else {
                "this is the first article"
            });
            return;
        }
        let (d, a) = order[j];
        self.open(d, a);
    }

    fn step_source(&mut self, delta: isize) {
        let Some((d, _)) = self.current else { return };
        let with_articles: Vec<usize> = (0..self.docs.len())
            .filter(|&i| !self.docs[i].articles.is_empty())
            .collect();
        let Some(i) = with_articles.iter().position(|&x| x == d) else {
            return;
        };
        let j = i
            .saturating_add_signed(delta)
            .min(with_articles.len().saturating_sub(1));
        if j == i {
            self.set_info(if delta > 0 {
                "this is the last source"
            } else {
                "this is the first source"
            });
            return;
        }
        self.open(with_articles[j], 0);
    }

    // ----- search ---------------------------------------------------------------------

    /// Total text size over which search runs as you type.
    const INCREMENTAL_LIMIT: usize = 8 << 20;

    fn total_text(&self) -> usize {
        self.docs.iter().map(|d| d.text.len()).sum()
    }

    fn refresh_hits(&mut self) {
        let query = self.search.query.clone();
        self.search.hits = self.find_hits(&query);
        if self
            .search
            .current
            .is_some_and(|c| c >= self.search.hits.len())
        {
            self.search.current = None;
        }
    }

    fn find_hits(&mut self, query: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        if query.trim().is_empty() {
            return hits;
        }
        for d in 0..self.docs.len() {
            let folded = self.folded[d].get_or_insert_with(|| Folded::new(&self.docs[d].text));
            let doc = &self.docs[d];
            for range in folded.find_all(query) {
                let a = doc.articles.partition_point(|a| a.range.end <= range.start);
                let Some(article) = doc.articles.get(a) else {
                    continue;
                };
                let visible = article
                    .visible_blocks(self.show_boilerplate)
                    .any(|b| b.range.start <= range.start && range.end <= b.range.end);
                if visible {
                    hits.push(Hit {
                        doc: d,
                        article: a,
                        range,
                    });
                }
            }
        }
        hits
    }

    /// Hits in the article shown, as byte ranges of its document, sorted.
    pub fn hits_in_current(&self) -> impl Iterator<Item = (usize, &Hit)> {
        let cur = self.current;
        self.search
            .hits
            .iter()
            .enumerate()
            .filter(move |(_, h)| Some((h.doc, h.article)) == cur)
    }

    fn jump_to_hit(&mut self, i: usize) {
        let Some(hit) = self.search.hits.get(i).cloned() else {
            return;
        };
        self.search.current = Some(i);
        if self.current != Some((hit.doc, hit.article)) {
            self.open(hit.doc, hit.article);
        }
        self.keep_match_visible();
    }

    /// The next (or previous) hit from the current one, or from the top of the screen.
    fn step_match(&mut self, forward: bool, count: usize) {
        if self.search.query.is_empty() {
            self.set_info("no search yet: / searches");
            return;
        }
        let n = self.search.hits.len();
        if n == 0 {
            let q = self.search.query.clone();
            self.set_error(format!("no match for “{q}”"));
            return;
        }
        let here = |h: &Hit| (h.doc, h.range.start);
        let from = match self.search.current {
            Some(c)
                if self.current == Some((self.search.hits[c].doc, self.search.hits[c].article)) =>
            {
                here(&self.search.hits[c])
            }
            _ => {
                let d = self.current.map_or(0, |c| c.0);
                // Starting from the screen: the first hit at or after its top.
                (d, self.anchor.saturating_sub(usize::from(forward)))
            }
        };
        let mut i = if forward {
            self.search.hits.partition_point(|h| here(h) <= from)
        } else {
            self.search.hits.partition_point(|h| here(h) < from) as isize as usize
        };
        let mut wrapped = false;
        if forward {
            i += count - 1;
            if i >= n {
                i %= n;
                wrapped = true;
            }
        } else {
            let back = i as isize - count as isize;
            i = back.rem_euclid(n as isize) as usize;
            wrapped = back < 0;
        }
        self.jump_to_hit(i);
        if wrapped {
            self.set_info(if forward {
                "search went past the last source: back at the first"
            } else {
                "search went before the first source: on from the last"
            });
        } else {
            self.message = None;
        }
    }

    fn open_prompt(&mut self) {
        self.prompt = Some(Prompt {
            text: String::new(),
            cursor: 0,
            saved: Some(self.search.clone()),
        });
    }

    fn prompt_changed(&mut self) {
        let Some(p) = &self.prompt else { return };
        if self.total_text() <= Self::INCREMENTAL_LIMIT {
            self.search.query = p.text.clone();
            self.search.current = None;
            self.refresh_hits();
        }
    }

    fn prompt_key(&mut self, ev: &KeyEvent) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let rtl = crate::tui::article::is_mostly_rtl(&p.text);
        match ev.code {
            KeyCode::Esc => {
                let saved = p.saved.take().unwrap_or_default();
                self.prompt = None;
                self.search = saved;
                return;
            }
            KeyCode::Char('c') if ctrl => {
                let saved = p.saved.take().unwrap_or_default();
                self.prompt = None;
                self.search = saved;
                return;
            }
            KeyCode::Enter => {
                let mut text = p.text.clone();
                let saved = p.saved.take().unwrap_or_default();
                self.prompt = None;
                if text.is_empty() {
                    text = saved.query; // Enter on an empty prompt repeats the last search.
                }
                self.search.query = text;
                self.search.current = None;
                self.refresh_hits();
                self.step_match(true, 1);
                return;
            }
            KeyCode::Backspace => {
                if p.cursor > 0 {
                    let start = prev_boundary(&p.text, p.cursor);
                    p.text.replace_range(start..p.cursor, "");
                    p.cursor = start;
                }
            }
            KeyCode::Delete => {
                if p.cursor < p.text.len() {
                    let end = next_boundary(&p.text, p.cursor);
                    p.text.replace_range(p.cursor..end, "");
                }
            }
            KeyCode::Char('u') if ctrl => {
                p.text.replace_range(..p.cursor, "");
                p.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let before = &p.text[..p.cursor];
                let trimmed = before.trim_end();
                let start = trimmed.rfind(char::is_whitespace).map_or(0, |i| {
                    i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
                });
                p.text.replace_range(start..p.cursor, "");
                p.cursor = start;
            }
            KeyCode::Home => p.cursor = 0,
            KeyCode::End => p.cursor = p.text.len(),
            // Arrows move the way the text reads on screen.
            KeyCode::Left | KeyCode::Right => {
                let forward = (ev.code == KeyCode::Left) == rtl;
                p.cursor = if forward {
                    next_boundary(&p.text, p.cursor)
                } else {
                    prev_boundary(&p.text, p.cursor)
                };
                return;
            }
            KeyCode::Char(c) if !ctrl => {
                p.text.insert(p.cursor, c);
                p.cursor += c.len_utf8();
            }
            _ => return,
        }
        self.prompt_changed();
    }

    // ----- help -----------------------------------------------------------------------

    fn help_key(&mut self, ev: &KeyEvent) {
        let Some(h) = self.help.as_mut() else { return };
        if h.editing_filter {
            match ev.code {
                KeyCode::Esc | KeyCode::Enter => h.editing_filter = false,
                KeyCode::Backspace => {
                    h.filter.pop();
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    h.filter.push(c);
                    h.scroll = 0;
                }
                _ => {}
            }
            return;
        }
        let key = Key::from_event(ev);
        let key = match key.code {
            KeyCode::Char(c) if !key.ctrl => {
                Key::char(self.config.keymap.langmap.get(&c).copied().unwrap_or(c))
            }
            _ => key,
        };
        match (key.code, key.ctrl) {
            (KeyCode::Char('c'), true) => self.quit = true,
            (KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::F(1), _) => {
                if h.filter.is_empty() || ev.code != KeyCode::Esc {
                    self.help = None;
                } else {
                    h.filter.clear();
                }
            }
            (KeyCode::Char('/'), false) => h.editing_filter = true,
            (KeyCode::Char('j') | KeyCode::Down, false) => h.scroll += 1,
            (KeyCode::Char('k') | KeyCode::Up, false) => h.scroll = h.scroll.saturating_sub(1),
            (KeyCode::PageDown | KeyCode::Char(' '), false) | (KeyCode::Char('d'), true) => {
                h.scroll += 10
            }
            (KeyCode::PageUp | KeyCode::Char('b'), false) | (KeyCode::Char('u'), true) => {
                h.scroll = h.scroll.saturating_sub(10)
            }
            (KeyCode::Char('g') | KeyCode::Home, false) => h.scroll = 0,
            (KeyCode::Char('G') | KeyCode::End, false) => h.scroll = usize::MAX / 2,
            _ => {}
        }
    }

    // ----- events ---------------------------------------------------------------------

    pub fn on_key(&mut self, ev: &KeyEvent) -> Vec<Effect> {
        if self.prompt.is_some() {
            self.prompt_key(ev);
            return self.effects();
        }
        if self.help.is_some() {
            self.help_key(ev);
            return self.effects();
        }
        let key = Key::from_event(ev);
        match self.config.keymap.feed(&mut self.pending, key) {
            Resolved::Action(action, count) => self.update(action, count),
            Resolved::Pending | Resolved::Count => Vec::new(),
            Resolved::Unbound(label) => {
                self.set_error(format!(
                    "{label} is not bound to anything; ? lists the keys"
                ));
                Vec::new()
            }
        }
    }

    fn effects(&self) -> Vec<Effect> {
        if self.quit {
            vec![Effect::Quit]
        } else {
            Vec::new()
        }
    }

    pub fn on_resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.relayout();
        self.keep_match_visible();
        self.keep_selection_visible();
    }

    pub fn on_mouse(&mut self, ev: &MouseEvent) {
        let panes = self.panes();
        let at = Position::new(ev.column, ev.row);
        let in_sources = panes.sources.is_some_and(|r| r.contains(at));
        match ev.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta: isize = if ev.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                if in_sources {
                    let n = self.entries().len();
                    let h = self.sources_height();
                    self.sources_top = self
                        .sources_top
                        .saturating_add_signed(delta)
                        .min(n.saturating_sub(h));
                } else {
                    self.scroll_by(delta);
                }
            }
            MouseEventKind::Down(_) => {
                if let Some(r) = panes.sources.filter(|r| r.contains(at)) {
                    self.focus = Focus::Sources;
                    let row = (ev.row - r.y) as usize;
                    if row >= 2 {
                        let i = self.sources_top + row - 2;
                        if i < self.entries().len() {
                            self.sources_sel = i;
                            self.open_selected(false);
                        }
                    }
                } else if panes.article.is_some_and(|r| r.contains(at)) {
                    self.focus = Focus::Article;
                }
            }
            _ => {}
        }
    }

    fn scroll_by(&mut self, delta: isize) {
        self.top = self.top.saturating_add_signed(delta);
        self.clamp_top();
    }

    fn open_selected(&mut self, focus_article: bool) {
        let entries = self.entries();
        match entries.get(self.sources_sel) {
            Some(&Entry::Article(d, a)) => self.open(d, a),
            Some(&Entry::Source(d)) if !self.docs[d].articles.is_empty() => self.open(d, 0),
            Some(&Entry::Failed(i)) => {
                let e = self.load_errors[i].to_string();
                self.set_error(e);
                return;
            }
            _ => return,
        }
        if focus_article && self.single_pane() {
            self.focus = Focus::Article;
            self.relayout();
        }
    }

    /// Apply one action.
    pub fn update(&mut self, action: Action, count: Option<usize>) -> Vec<Effect> {
        let n = count.unwrap_or(1).max(1);
        let ni = n.min(isize::MAX as usize) as isize;
        let page = self.text_height().max(1);
        if !matches!(action, Action::NextMatch | Action::PrevMatch) {
            self.message = None;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::ForceQuit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::Back => {
                self.pending = Pending::default();
                if !self.search.query.is_empty() {
                    self.search = Search::default();
                } else if self.single_pane() && self.focus == Focus::Sources {
                    self.focus = Focus::Article;
                    self.relayout();
                }
            }
            Action::Help => self.help = Some(Help::default()),
            Action::Redraw => return vec![Effect::Clear],
            Action::Suspend => return vec![Effect::Suspend],
            Action::FocusNext | Action::FocusPrev => {
                self.focus = match self.focus {
                    Focus::Article => Focus::Sources,
                    Focus::Sources => Focus::Article,
                };
                self.relayout();
                self.keep_match_visible();
                self.keep_selection_visible();
            }
            Action::ScrollDown | Action::ScrollUp => {
                let d = if action == Action::ScrollDown {
                    ni
                } else {
                    -ni
                };
                match self.focus {
                    Focus::Article => self.scroll_by(d),
                    Focus::Sources => self.move_selection(d),
                }
            }
            Action::HalfPageDown | Action::HalfPageUp | Action::PageDown | Action::PageUp => {
                let unit = match self.focus {
                    Focus::Article => page,
                    Focus::Sources => self.sources_height(),
                };
                let amount = match action {
                    Action::HalfPageDown | Action::HalfPageUp => (unit / 2).max(1),
                    // A page keeps one line of context.
                    _ => unit.saturating_sub(1).max(1),
                } as isize
                    * ni;
                let d = if matches!(action, Action::HalfPageDown | Action::PageDown) {
                    amount
                } else {
                    -amount
                };
                match self.focus {
                    Focus::Article => self.scroll_by(d),
                    Focus::Sources => self.move_selection(d),
                }
            }
            Action::Top | Action::Bottom => {
                let target = match (count, action) {
                    (Some(line), _) => Some(line - 1),
                    (None, Action::Top) => Some(0),
                    (None, _) => None,
                };
                match self.focus {
                    Focus::Article => {
                        self.top = target.unwrap_or(usize::MAX);
                        self.clamp_top();
                    }
                    Focus::Sources => {
                        let last = self.entries().len().saturating_sub(1);
                        self.sources_sel = target.unwrap_or(last).min(last);
                        self.keep_selection_visible();
                    }
                }
            }
            Action::NextArticle => self.step_article(ni),
            Action::PrevArticle => self.step_article(-ni),
            Action::NextSource => self.step_source(ni),
            Action::PrevSource => self.step_source(-ni),
            Action::ArticleLeft | Action::ArticleRight => {
                let forward = (action == Action::ArticleLeft) == self.current_rtl();
                self.step_article(if forward { ni } else { -ni });
            }
            Action::GotoSource => match count {
                Some(k) if k <= self.docs.len() => {
                    if self.docs[k - 1].articles.is_empty() {
                        self.set_error(format!("source {k} has no article"));
                    } else {
                        self.open(k - 1, 0);
                    }
                }
                Some(k) => {
                    self.set_error(format!("there are {} sources, not {k}", self.docs.len()))
                }
                None => self.set_info("type the source's number first: 2s opens source 2"),
            },
            Action::GotoArticle => {
                let d = self.current.map_or(0, |c| c.0);
                match count {
                    Some(k) if self.docs.get(d).is_some_and(|doc| k <= doc.articles.len()) => {
                        self.open(d, k - 1)
                    }
                    Some(k) => self.set_error(format!("this source has no article {k}")),
                    None => self.set_info("type the article's number first: 3a opens article 3"),
                }
            }
            Action::Open => {
                if self.focus == Focus::Sources {
                    self.open_selected(true);
                }
            }
            Action::Search => self.open_prompt(),
            Action::NextMatch => self.step_match(true, n),
            Action::PrevMatch => self.step_match(false, n),
            Action::ToggleBoilerplate => {
                self.show_boilerplate = !self.show_boilerplate;
                self.relayout();
                self.refresh_hits();
                self.keep_match_visible();
                self.set_info(if self.show_boilerplate {
                    "boilerplate shown, dimmed"
                } else {
                    "boilerplate hidden"
                });
            }
            Action::ToggleShaping => {
                self.shaping = !self.shaping;
                self.relayout();
                self.keep_match_visible();
                self.set_info(if self.shaping {
                    "Arabic shaping on"
                } else {
                    "Arabic shaping off (for terminals that shape by themselves)"
                });
            }
        }
        Vec::new()
    }

    pub fn set_info(&mut self, s: impl Into<String>) {
        self.message = Some((s.into(), MessageKind::Info));
    }

    pub fn set_error(&mut self, s: impl Into<String>) {
        self.message = Some((s.into(), MessageKind::Error));
    }
}

fn prev_boundary(s: &str, i: usize) -> usize {
    use unicode_segmentation::GraphemeCursor;
    let mut c = GraphemeCursor::new(i, s.len(), true);
    c.prev_boundary(s, 0).ok().flatten().unwrap_or(0)
}

fn next_boundary(s: &str, i: usize) -> usize {
    use unicode_segmentation::GraphemeCursor;
    let mut c = GraphemeCursor::new(i, s.len(), true);
    c.next_boundary(s, 0).ok().flatten().unwrap_or(s.len())
}
