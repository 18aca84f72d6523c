//! The reader's state and the only code that changes it.
//!
//! Events (keys, mouse, resize, loaded documents) come in through `on_*` methods, which
//! resolve keys through the keymap into [`Action`]s and apply them in `update`. What the
//! terminal layer must do in return (quit, suspend, clear) comes back as [`Effect`]s. The
//! view only reads this state; the article layout for the current width is built here,
//! so that drawing a frame only slices it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::annotate::{AnnState, Cursor, HistoryView, MousePhase, StoreAt};
use super::article::{ArticleLayout, LayoutKey};
use super::config::{BidiMode, Config};
use super::keymap::{Key, Keymap, Pending, Resolved};
use super::store::{article_id, PositionStore};
use super::theme::Theme;
use crate::entities::link::{ArticleRef, CorpusEntity, Linker};
use crate::entities::packed::{Names, PackedEntities};
use crate::entities::{ArticleEntities, EntityKind, Tagger};
use crate::search::Folded;
use crate::source::{Document, LoadError, LoadEvent};

/// What the background loader sends: a load event and, for a loaded document, its
/// entities found on the loader thread (so tagging never stalls the screen).
#[derive(Debug)]
pub struct Arrival {
    pub event: LoadEvent,
    pub entities: Option<Vec<ArticleEntities>>,
}

impl Arrival {
    /// Tag a loaded document's articles (on the calling thread).
    pub fn tagged(event: LoadEvent) -> Arrival {
        let entities = match &event {
            LoadEvent::Loaded { document, .. } => Some(Tagger::shared().tag_document(document)),
            LoadEvent::Failed { .. } => None,
        };
        Arrival { event, entities }
    }
}

/// Articles longer than this are laid out again when they come back into view instead of
/// being cached (16 × 64 KB × ~24 bytes per byte: at most ~25 MB of cached layouts).
const CACHE_ARTICLE_BYTES: usize = 64 << 10;

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
    Entities,
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

/// A search over a large corpus, run a slice at a time by [`App::tick`].
#[derive(Clone, Debug)]
pub struct SearchJob {
    pub query: String,
    /// The next document to search.
    pub next_doc: usize,
    pub hits: Vec<Hit>,
    /// Go to the first match when done (a search typed and entered).
    pub jump: bool,
}

/// What a prompt line edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Search,
    /// The Wikidata id of an annotation.
    Wikidata,
    /// The note of an annotation.
    Note,
}

/// The prompt line being edited (search, or a field of an annotation).
#[derive(Clone, Debug, Default)]
pub struct Prompt {
    pub text: String,
    /// Byte offset of the cursor in `text` (logical order).
    pub cursor: usize,
    /// The search in force when the prompt opened (restored by Esc).
    pub(super) saved: Option<Search>,
    pub field: Field,
    /// The annotation a field prompt edits.
    pub target: Option<String>,
}

/// The coverage overlay: entities (rows) × sources (columns).
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    pub row: usize,
    pub col: usize,
    pub top: usize,
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
    pub entities: Option<Rect>,
    pub entities_separator: Option<Rect>,
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
    pub reveal: bool,
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
    /// Entities per document, per article (same order as `docs`), packed: a large corpus
    /// holds millions of mentions. [`App::entities`] gives a document's plain form.
    pub ents: Vec<PackedEntities>,
    /// The entities' names, interned once for the corpus.
    pub names: Names,
    /// Plain forms of the documents' entities last asked for (most recent last).
    ents_cache: RefCell<Vec<(usize, Rc<Vec<ArticleEntities>>)>>,
    /// Entities linked across the corpus ([`CorpusEntity::mentions_in`] says how often
    /// a document names one).
    pub corpus: Vec<CorpusEntity>,
    /// The side pane shown beside the article when only two fit.
    pub side: Focus,
    /// Selection in the entity list (index into `entity_list()`), and its scroll.
    pub entity_sel: usize,
    pub entity_top: usize,
    pub entity_filter: String,
    pub filter_editing: bool,
    /// `entity_list()`: corpus indices in panel order, filtered; rebuilt when the corpus
    /// or the filter changes, not on every frame.
    entity_order: Vec<usize>,
    /// Mentions of the selected entity across the corpus, in reading order.
    pub mentions: Vec<Hit>,
    /// Mentions of the selected entity in hidden boilerplate (counted in the panel, not
    /// reachable until `v` shows boilerplate).
    pub mentions_hidden: usize,
    pub mention_current: Option<usize>,
    pub coverage: Option<Coverage>,
    /// Tag documents as they arrive (off only in tests that do not need it).
    pub tag_entities: bool,
    /// Whether the user has moved the entity selection (kept through re-links then).
    entity_chosen: bool,
    /// A search still running over a large corpus.
    pub search_job: Option<SearchJob>,
    /// Up to this much text (bytes, all documents), search runs at once, as you type,
    /// with a folded copy of each text kept; above it, a [`SearchJob`] on Enter.
    pub search_sync_limit: usize,
    /// Bytes of text of all documents (kept as they arrive: asked for per document).
    text_bytes: usize,
    /// Texts of documents read from files are dropped from memory, least recently used
    /// first, when they hold more than this (bytes; the config's `text_memory`, 64 MiB by
    /// default); they are read again when needed.
    pub text_budget: usize,
    /// Annotations of every document, and their store.
    pub ann: AnnState,
    /// Annotation mode's cursor (`None`: reading mode).
    pub cursor: Option<Cursor>,
    pub history: Option<HistoryView>,
    /// The keymap of annotation mode (its keys over the normal ones).
    amap: Keymap,
}

impl App {
    pub fn new(config: Config, theme: Theme, positions: PositionStore) -> App {
        let amap = config.annotate_keymap();
        App {
            ann: AnnState::new(StoreAt::Memory).0,
            search_job: None,
            search_sync_limit: 8 << 20,
            text_bytes: 0,
            text_budget: config.text_memory_mib << 20,
            cursor: None,
            history: None,
            amap,
            docs: Vec::new(),
            ids: Vec::new(),
            shaping: config.shaping(),
            show_boilerplate: config.show_boilerplate,
            reveal: false,
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
            ents: Vec::new(),
            corpus: Vec::new(),
            names: Names::default(),
            ents_cache: RefCell::new(Vec::new()),
            side: Focus::Sources,
            entity_sel: 0,
            entity_top: 0,
            entity_filter: String::new(),
            filter_editing: false,
            entity_order: Vec::new(),
            mentions: Vec::new(),
            mentions_hidden: 0,
            mention_current: None,
            coverage: None,
            tag_entities: true,
            entity_chosen: false,
        }
    }

    /// Use the annotation store at `at` (before documents arrive). Returns a warning if
    /// an existing store cannot be read.
    pub fn use_store(&mut self, at: StoreAt) -> Option<String> {
        let (ann, warning) = AnnState::new(at);
        self.ann = ann;
        for d in 0..self.docs.len() {
            self.ann_add_document(d);
        }
        if let Some(w) = &warning {
            self.set_error(w.clone());
        }
        warning
    }

    /// Add a loaded document; the first one opens.
    pub fn add_document(&mut self, doc: Document) {
        self.add_tagged_document(doc, None);
    }

    /// Add a document whose entities were perhaps found already (on the loader thread).
    pub fn add_tagged_document(&mut self, doc: Document, ents: Option<Vec<ArticleEntities>>) {
        self.ids.push(
            doc.articles
                .iter()
                .map(|a| article_id(&doc.text[a.range.clone()]))
                .collect(),
        );
        for w in &doc.warnings {
            self.warnings.push(w.to_string());
        }
        let ents = if let Some(e) = ents.filter(|e| e.len() == doc.articles.len()) {
            e
        } else if self.tag_entities {
            Tagger::shared().tag_document(&doc)
        } else {
            vec![ArticleEntities::default(); doc.articles.len()]
        };
        self.ents.push(PackedEntities::pack(ents, &mut self.names));
        self.text_bytes += doc.text.len();
        self.docs.push(doc);
        self.folded.push(None);
        self.ann_add_document(self.docs.len() - 1);
        // Linking is quadratic over a whole load: do it as documents come while the corpus
        // is small, else once at the end.
        if self.docs.len() <= 200 || self.loading.is_none() {
            self.relink();
        }
        let d = self.docs.len() - 1;
        if self.current.is_none() && !self.docs[d].articles.is_empty() {
            self.open(d, 0);
        }
        if !self.search.query.is_empty() {
            if self.total_text() <= self.search_sync_limit {
                self.refresh_hits();
            } else if self.search_job.is_none() {
                // Large corpus: search just the newcomer (a running job reaches it anyway).
                let query = self.search.query.clone();
                let mut hits = std::mem::take(&mut self.search.hits);
                self.find_in_doc(self.docs.len() - 1, &query, &mut hits);
                self.search.hits = hits;
            }
        }
    }

    pub fn on_load_event(&mut self, ev: LoadEvent) {
        self.on_arrival(Arrival {
            event: ev,
            entities: None,
        });
    }

    /// A loader event, with the document's entities when the loader thread tagged it.
    pub fn on_arrival(&mut self, arrival: Arrival) {
        // A part of a file with more parts to come is not progress through the entries.
        let more = matches!(arrival.event, LoadEvent::Loaded { more: true, .. });
        match arrival.event {
            LoadEvent::Loaded { document, .. } => {
                self.add_tagged_document(*document, arrival.entities)
            }
            LoadEvent::Failed { error, .. } => {
                self.set_error(error.to_string());
                self.load_errors.push(error);
            }
        }
        if let (false, Some((done, total))) = (more, &mut self.loading) {
            *done += 1;
            if *done >= *total {
                self.loading = None;
                self.relink();
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
            entities: None,
            entities_separator: None,
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
                Focus::Entities => {
                    panes.entities = Some(body);
                    (None, None)
                }
            }
        } else {
            // Right-to-left reading: the sources sit on the right, where the eye starts;
            // the entities on the left, when there is room for three panes.
            let sw = self.config.sources_width.min(body.width / 3);
            let three = body.width >= self.config.narrow_below + self.config.entities_width;
            let ew = if three {
                self.config.entities_width.min(body.width / 3)
            } else {
                0
            };
            let side_is_entities = !three && self.side == Focus::Entities;
            let side_w = if side_is_entities { ew.max(sw) } else { sw };
            let aw = body.width - side_w - 1 - if three { ew + 1 } else { 0 };
            let ax = if three { ew + 1 } else { 0 };
            if three {
                panes.entities = Some(Rect::new(0, 0, ew, body.height));
                panes.entities_separator = Some(Rect::new(ew, 0, 1, body.height));
            }
            panes.separator = Some(Rect::new(ax + aw, 0, 1, body.height));
            let side = Rect::new(ax + aw + 1, 0, side_w, body.height);
            if side_is_entities {
                panes.entities = Some(side);
                (Some(Rect::new(ax, 0, aw, body.height)), None)
            } else {
                (Some(Rect::new(ax, 0, aw, body.height)), Some(side))
            }
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

    pub(super) fn text_height(&self) -> usize {
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
            reveal: self.reveal,
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
            // A layout costs about 24 bytes per byte of text: keep only small ones, so
            // that the cache stays within a few tens of MB on huge articles.
            let (d, a) = (old.key.doc, old.key.article);
            if self.docs[d].articles[a].range.len() <= CACHE_ARTICLE_BYTES {
                self.cache.insert(old.key, old);
            }
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
        self.cursor_follow();
    }

    fn max_top(&self) -> usize {
        let len = self.layout.as_ref().map_or(0, |l| l.len());
        len.saturating_sub(self.text_height())
    }

    /// After the user moved the view: clamp it and remember where it is.
    pub(super) fn clamp_top(&mut self) {
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
        self.scroll_to_offset(start);
    }

    /// Bring document offset `start` of the current article into view, a third of the way
    /// down. With the article pane hidden (one pane at a time), move the anchor instead, so
    /// the article opens there.
    pub(super) fn scroll_to_offset(&mut self, start: usize) {
        match &self.layout {
            Some(layout) => {
                let line = layout.line_for_offset(start);
                let h = self.text_height();
                if line < self.top || line >= self.top + h {
                    self.top = line.saturating_sub(h / 3);
                    self.clamp_top();
                }
            }
            None => self.anchor = start,
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
        if let Some(why) = self.docs[d].text.reload_error() {
            let path = self.docs[d].display_path();
            self.set_error(format!(
                "{path}: {why}; its text is shown blank (restart qari to read it again)"
            ));
        }
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

    /// Keep the texts held in memory within [`App::text_budget`]: when over it, drop the
    /// least recently used ones (never the article shown) down to three quarters of it.
    /// Returns the bytes freed.
    pub fn evict_texts(&mut self) -> usize {
        let held: usize = self.docs.iter().map(|d| d.text.evictable_bytes()).sum();
        if held <= self.text_budget {
            return 0;
        }
        let shown = self.current.map(|(d, _)| d);
        let mut order: Vec<(u64, usize)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|&(d, doc)| Some(d) != shown && doc.text.evictable_bytes() > 0)
            .map(|(d, doc)| (doc.text.last_used(), d))
            .collect();
        order.sort_unstable();
        let target = self.text_budget / 4 * 3;
        let mut freed = 0;
        for (_, d) in order {
            if held - freed <= target {
                break;
            }
            freed += self.docs[d].text.evict();
        }
        freed
    }

    /// Bytes of document text held in memory now.
    pub fn resident_text(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.text.is_resident())
            .map(|d| d.text.len())
            .sum()
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

    pub(super) fn article_order(&self) -> Vec<(usize, usize)> {
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

    fn total_text(&self) -> usize {
        self.text_bytes
    }

    /// Find the query's matches again. On a large corpus this starts a [`SearchJob`] that
    /// [`App::tick`] runs a slice at a time, so the keys and the screen never wait for it.
    fn refresh_hits(&mut self) {
        self.refresh_hits_then(false);
    }

    fn refresh_hits_then(&mut self, jump: bool) {
        if self.total_text() > self.search_sync_limit {
            self.search.hits.clear();
            self.search.current = None;
            self.search_job = (!self.search.query.trim().is_empty()).then(|| SearchJob {
                query: self.search.query.clone(),
                next_doc: 0,
                hits: Vec::new(),
                jump,
            });
            return;
        }
        let query = self.search.query.clone();
        // The current match is found again by place, not by index: the list may change.
        let current = self
            .search
            .current
            .and_then(|c| self.search.hits.get(c))
            .map(|h| (h.doc, h.range.clone()));
        self.search.hits = self.find_hits(&query);
        self.search.current = current.and_then(|(d, r)| {
            self.search
                .hits
                .iter()
                .position(|h| h.doc == d && h.range == r)
        });
    }

    /// Whether byte range `r` of article `a` of document `d` is in a block on screen.
    pub(super) fn is_visible(&self, d: usize, a: usize, r: &Range<usize>) -> bool {
        self.docs[d].articles.get(a).is_some_and(|article| {
            article
                .visible_blocks(self.show_boilerplate)
                .any(|b| b.range().start <= r.start && r.end <= b.range().end)
        })
    }

    fn find_hits(&mut self, query: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        if query.trim().is_empty() {
            return hits;
        }
        for d in 0..self.docs.len() {
            self.find_in_doc(d, query, &mut hits);
        }
        hits
    }

    /// Matches of `query` in document `d`, appended to `hits`. The folded copy of the
    /// text (16 bytes of index per byte) is kept only while the corpus is small.
    fn find_in_doc(&mut self, d: usize, query: &str, hits: &mut Vec<Hit>) {
        let transient;
        let folded = if self.total_text() <= self.search_sync_limit {
            &*self.folded[d].get_or_insert_with(|| Folded::new(&self.docs[d].text))
        } else {
            // The text is read again for this if it was evicted, and not kept.
            transient = self.docs[d].text.with(Folded::new);
            &transient
        };
        {
            let doc = &self.docs[d];
            for range in folded.find_all(query) {
                let a = doc.articles.partition_point(|a| a.range.end <= range.start);
                let Some(article) = doc.articles.get(a) else {
                    continue;
                };
                let visible = article
                    .visible_blocks(self.show_boilerplate)
                    .any(|b| b.range().start <= range.start && range.end <= b.range().end);
                if visible {
                    hits.push(Hit {
                        doc: d,
                        article: a,
                        range,
                    });
                }
            }
        }
    }

    /// Run a slice of the search in progress (about `budget`). Returns whether there is
    /// search work left, so that the event loop keeps calling.
    pub fn tick(&mut self, budget: std::time::Duration) -> bool {
        let Some(mut job) = self.search_job.take() else {
            return false;
        };
        let start = std::time::Instant::now();
        // At least one document per slice, however small the budget.
        while job.next_doc < self.docs.len() {
            let d = job.next_doc;
            let query = job.query.clone();
            self.find_in_doc(d, &query, &mut job.hits);
            job.next_doc += 1;
            if start.elapsed() >= budget {
                break;
            }
        }
        if job.next_doc < self.docs.len() {
            self.search_job = Some(job);
            return true;
        }
        if job.query == self.search.query {
            self.search.hits = job.hits;
            self.search.current = None;
            if job.jump {
                self.step_match(true, 1);
            }
        }
        false
    }

    /// Documents searched so far, when a search is running: (done, total, matches).
    pub fn search_progress(&self) -> Option<(usize, usize, usize)> {
        self.search_job
            .as_ref()
            .map(|j| (j.next_doc, self.docs.len(), j.hits.len()))
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
        if let Some((done, total, _)) = self.search_progress() {
            if let Some(job) = self.search_job.as_mut() {
                job.jump = true;
            }
            self.set_info(format!("still searching ({done} of {total} sources)…"));
            return;
        }
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

    // ----- entities -------------------------------------------------------------------

    /// Link the per-article entities into corpus entities, keeping the selection.
    pub fn relink(&mut self) {
        // Keep the user's choice through a re-link; before any, the top entity is selected.
        let selected = self
            .entity_chosen
            .then(|| self.selected_entity().map(|e| e.id.clone()))
            .flatten();
        // One document unpacked at a time: the corpus stays packed.
        let mut linker = Linker::default();
        for (d, packed) in self.ents.iter().enumerate() {
            for (a, e) in packed.unpack(&self.names).iter().enumerate() {
                linker.add(ArticleRef {
                    document: d,
                    article: a,
                    entities: e,
                });
            }
        }
        self.corpus = linker.finish();
        self.refresh_entity_list();
        if let Some(id) = selected {
            if let Some(i) = self
                .entity_list()
                .iter()
                .position(|&c| self.corpus[c].id == id)
            {
                self.entity_sel = i;
            }
        }
        let n = self.entity_list().len();
        self.entity_sel = self.entity_sel.min(n.saturating_sub(1));
        self.entity_top = self.entity_top.min(self.entity_sel);
        self.select_entity();
    }

    /// Document `d`'s entities per article, unpacked (the last few asked for are kept).
    pub fn entities(&self, d: usize) -> Rc<Vec<ArticleEntities>> {
        const KEEP: usize = 4;
        let mut cache = self.ents_cache.borrow_mut();
        if let Some(i) = cache.iter().position(|(cd, _)| *cd == d) {
            let hit = cache.remove(i);
            cache.push(hit);
        } else {
            let plain = self
                .ents
                .get(d)
                .map_or_else(Vec::new, |p| p.unpack(&self.names));
            if cache.len() >= KEEP {
                cache.remove(0);
            }
            cache.push((d, Rc::new(plain)));
        }
        cache.last().map(|(_, e)| e.clone()).unwrap_or_default()
    }

    /// Corpus entities in panel order: grouped by type, most mentioned first, filtered.
    pub fn entity_list(&self) -> &[usize] {
        &self.entity_order
    }

    fn refresh_entity_list(&mut self) {
        let filter = self.entity_filter.trim();
        let mut v: Vec<usize> = (0..self.corpus.len())
            .filter(|&i| {
                if filter.is_empty() {
                    return true;
                }
                let e = &self.corpus[i];
                !crate::search::find_all(&e.canonical, filter).is_empty()
                    || e.english
                        .as_ref()
                        .is_some_and(|en| en.to_lowercase().contains(&filter.to_lowercase()))
                    || e.kind.name().eq_ignore_ascii_case(filter)
            })
            .collect();
        let order = |k: EntityKind| match k {
            EntityKind::Per => 0,
            EntityKind::Loc => 1,
            EntityKind::Org => 2,
            EntityKind::Misc => 3,
        };
        v.sort_by_key(|&i| {
            let e = &self.corpus[i];
            (order(e.kind), std::cmp::Reverse(e.mention_count), i)
        });
        self.entity_order = v;
    }

    pub fn selected_entity(&self) -> Option<&CorpusEntity> {
        let list = self.entity_list();
        list.get(self.entity_sel).map(|&i| &self.corpus[i])
    }

    /// For the article shown: which of its entities is the selected one.
    pub fn selected_in_current(&self) -> Option<usize> {
        let (d, a) = self.current?;
        self.selected_entity()?
            .occurrences
            .iter()
            .find(|o| o.document() == d && o.article() == a)
            .map(|o| o.entity())
    }

    /// Gather the mentions of the selected entity.
    fn select_entity(&mut self) {
        let mut hits = Vec::new();
        let mut hidden = 0;
        if let Some(e) = self.selected_entity() {
            for o in &e.occurrences {
                let (d, a) = (o.document(), o.article());
                for range in self.ents[d].mention_ranges(a, o.entity()) {
                    // Mentions in hidden boilerplate cannot be shown: skip them.
                    if self.is_visible(d, a, &range) {
                        hits.push(Hit {
                            doc: d,
                            article: a,
                            range,
                        });
                    } else {
                        hidden += 1;
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.doc, h.range.start));
        self.mentions = hits;
        self.mentions_hidden = hidden;
        self.mention_current = None;
    }

    fn entity_rows_height(&self) -> usize {
        self.panes()
            .entities
            .map_or(1, |r| r.height.saturating_sub(3).max(1) as usize)
    }

    fn move_entity(&mut self, delta: isize) {
        self.entity_chosen = true;
        let n = self.entity_list().len();
        let before = self.entity_sel;
        self.entity_sel = self
            .entity_sel
            .saturating_add_signed(delta)
            .min(n.saturating_sub(1));
        // Rows include a header per type: keep a margin of four.
        let h = self.entity_rows_height().saturating_sub(4).max(1);
        if self.entity_sel < self.entity_top {
            self.entity_top = self.entity_sel;
        } else if self.entity_sel >= self.entity_top + h {
            self.entity_top = self.entity_sel + 1 - h;
        }
        if self.entity_sel != before || self.mentions.is_empty() {
            self.select_entity();
        }
    }

    /// The entity-list rows as the panel draws them, from its first list row: a type
    /// header before each group. Returns (row index, entity index) pairs.
    pub fn entity_rows(&self) -> Vec<(Option<EntityKind>, Option<usize>)> {
        let list = self.entity_list();
        let mut rows = Vec::new();
        let mut last: Option<EntityKind> = None;
        for (i, &c) in list.iter().enumerate().skip(self.entity_top) {
            let k = self.corpus[c].kind;
            if last != Some(k) {
                rows.push((Some(k), None));
                last = Some(k);
            }
            rows.push((None, Some(i)));
        }
        rows
    }

    fn entity_at_row(&self, pane: Rect, y: u16) -> Option<usize> {
        let first = pane.y + 3;
        let row = y.checked_sub(first)? as usize;
        self.entity_rows().get(row).and_then(|r| r.1)
    }

    fn step_mention(&mut self, forward: bool, count: usize) {
        let Some(e) = self.selected_entity() else {
            self.set_info("no entity selected: Tab to the entities pane, j/k to choose");
            return;
        };
        let name = e.canonical.clone();
        if self.mentions.is_empty() {
            self.set_error(match self.mentions_hidden {
                0 => format!("no mention of {name}"),
                h => format!("no mention of {name} shown: {h} in hidden boilerplate (v shows it)"),
            });
            return;
        }
        let (i, wrapped) = self.next_in(&self.mentions, self.mention_current, forward, count);
        self.mention_current = Some(i);
        let hit = self.mentions[i].clone();
        self.show_range(&hit);
        let n = self.mentions.len();
        let mut msg = format!("{name}: mention {} of {n}", i + 1);
        if wrapped {
            msg.push_str(" (wrapped around the sources)");
        }
        if self.mentions_hidden > 0 {
            // The panel counts them too; say why the jumps do not reach them.
            msg.push_str(&format!(
                " · {} more in hidden boilerplate (v shows it)",
                self.mentions_hidden
            ));
        }
        self.set_info(msg);
    }

    /// The index `count` steps from `current` (or from the top of the screen) in a list of
    /// hits in reading order, and whether it wrapped past the end.
    fn next_in(
        &self,
        list: &[Hit],
        current: Option<usize>,
        forward: bool,
        count: usize,
    ) -> (usize, bool) {
        let n = list.len();
        let here = |h: &Hit| (h.doc, h.range.start);
        let from = match current {
            Some(c) if c < n && self.current == Some((list[c].doc, list[c].article)) => {
                here(&list[c])
            }
            _ => {
                let d = self.current.map_or(0, |c| c.0);
                (d, self.anchor.saturating_sub(usize::from(forward)))
            }
        };
        if forward {
            let i = list.partition_point(|h| here(h) <= from) + count - 1;
            (i % n, i >= n)
        } else {
            let back = list.partition_point(|h| here(h) < from) as isize - count as isize;
            (back.rem_euclid(n as isize) as usize, back < 0)
        }
    }

    /// Open the hit's article and scroll it into view.
    fn show_range(&mut self, hit: &Hit) {
        if self.current != Some((hit.doc, hit.article)) {
            self.open(hit.doc, hit.article);
        }
        self.scroll_to_offset(hit.range.start);
    }

    fn filter_key(&mut self, ev: &KeyEvent) {
        match ev.code {
            KeyCode::Enter => self.filter_editing = false,
            KeyCode::Esc => {
                self.filter_editing = false;
                self.entity_filter.clear();
            }
            KeyCode::Backspace => {
                self.entity_filter.pop();
            }
            KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.entity_filter.clear()
            }
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                self.entity_filter.push(c)
            }
            _ => return,
        }
        self.refresh_entity_list();
        self.entity_sel = 0;
        self.entity_top = 0;
        self.select_entity();
    }

    /// Keys of the coverage overlay; false when the key is not the overlay's.
    fn coverage_key(&mut self, ev: &KeyEvent) -> bool {
        let rows = self.entity_list().len();
        let cols = self.docs.len();
        let key = Key::from_event(ev);
        if key.ctrl {
            return false; // Ctrl-L and the like go to the keymap.
        }
        let code = match key.code {
            KeyCode::Char(c) if !key.ctrl => {
                KeyCode::Char(self.config.keymap.langmap.get(&c).copied().unwrap_or(c))
            }
            other => other,
        };
        let Some(cov) = self.coverage.as_mut() else {
            return false;
        };
        match code {
            KeyCode::Char('j') | KeyCode::Down => {
                cov.row = (cov.row + 1).min(rows.saturating_sub(1))
            }
            KeyCode::Char('k') | KeyCode::Up => cov.row = cov.row.saturating_sub(1),
            KeyCode::Char('l') | KeyCode::Right => {
                cov.col = (cov.col + 1).min(cols.saturating_sub(1))
            }
            KeyCode::Char('h') | KeyCode::Left => cov.col = cov.col.saturating_sub(1),
            KeyCode::Char('g') | KeyCode::Home => cov.row = 0,
            KeyCode::Char('G') | KeyCode::End => cov.row = rows.saturating_sub(1),
            KeyCode::PageDown => cov.row = (cov.row + 10).min(rows.saturating_sub(1)),
            KeyCode::PageUp => cov.row = cov.row.saturating_sub(10),
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('c') => self.coverage = None,
            KeyCode::Enter => {
                let (row, col) = (cov.row, cov.col);
                self.coverage = None;
                self.entity_sel = row;
                self.move_entity(0);
                self.select_entity();
                if let Some(i) = self.mentions.iter().position(|h| h.doc == col) {
                    self.mention_current = Some(i);
                    let hit = self.mentions[i].clone();
                    self.show_range(&hit);
                    let name = self
                        .selected_entity()
                        .map(|e| e.canonical.clone())
                        .unwrap_or_default();
                    self.set_info(format!("{name}: first mention in source {}", col + 1));
                } else {
                    let hidden = self.selected_entity().map_or(0, |e| e.mentions_in(col));
                    self.set_error(if hidden > 0 {
                        format!(
                            "source {} names this entity only in hidden boilerplate (v shows it)",
                            col + 1
                        )
                    } else {
                        format!("source {} does not name this entity", col + 1)
                    });
                }
            }
            _ => return matches!(key.code, KeyCode::Char(_)),
        }
        if let Some(cov) = self.coverage.as_mut() {
            let h = self.size.1.saturating_sub(8).max(1) as usize;
            if cov.row < cov.top {
                cov.top = cov.row;
            } else if cov.row >= cov.top + h {
                cov.top = cov.row + 1 - h;
            }
        }
        true
    }

    fn open_prompt(&mut self) {
        self.prompt = Some(Prompt {
            saved: Some(self.search.clone()),
            ..Prompt::default()
        });
    }

    fn prompt_changed(&mut self) {
        let Some(p) = self.prompt.as_ref().filter(|p| p.field == Field::Search) else {
            return;
        };
        if self.total_text() <= self.search_sync_limit {
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
            // Esc or Ctrl-C leaves a field prompt unchanged (and the search as it was).
            KeyCode::Esc | KeyCode::Char('c')
                if p.field != Field::Search && (ev.code == KeyCode::Esc || ctrl) =>
            {
                self.prompt = None;
                self.set_info("not changed");
                return;
            }
            KeyCode::Enter if p.field != Field::Search => {
                let (field, target, text) = (p.field, p.target.take(), std::mem::take(&mut p.text));
                self.prompt = None;
                self.field_entered(field, target, text);
                return;
            }
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
                if self.total_text() > self.search_sync_limit {
                    self.refresh_hits_then(true);
                    self.set_info("searching…");
                } else {
                    self.refresh_hits();
                    self.step_match(true, 1);
                }
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

    /// Keys in the history overlay: scroll, close; undo and redo still work there.
    fn history_key(&mut self, ev: &KeyEvent) -> bool {
        let Some(h) = self.history.as_mut() else {
            return false;
        };
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('H') => self.history = None,
            KeyCode::Char('j') | KeyCode::Down => h.scroll = h.scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => h.scroll = h.scroll.saturating_sub(1),
            KeyCode::Char('g') | KeyCode::Home => h.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => h.scroll = h.edits.len(),
            KeyCode::Char('c') if ctrl => return false,
            _ => return false,
        }
        let n = self.history_lines().len();
        if let Some(h) = self.history.as_mut() {
            h.scroll = h.scroll.min(n.saturating_sub(1));
        }
        true
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
            // A terminal sends Esc then a key, typed quickly, as Alt+key: that is leaving
            // the prompt and pressing the key.
            if ev.modifiers.contains(KeyModifiers::ALT) && matches!(ev.code, KeyCode::Char(_)) {
                self.prompt_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                let plain = KeyEvent::new(ev.code, ev.modifiers - KeyModifiers::ALT);
                return self.on_key(&plain);
            }
            self.prompt_key(ev);
            return self.effects();
        }
        // Esc then a key, typed quickly, arrives as Alt+key: unless Alt+key is bound, it is
        // the two keys.
        if ev.modifiers.contains(KeyModifiers::ALT) && matches!(ev.code, KeyCode::Char(_)) {
            let key = Key::from_event(ev);
            let bound = [&self.config.keymap, &self.amap]
                .iter()
                .any(|m| m.bindings.iter().any(|(k, _)| k[0] == key));
            if !bound {
                let mut fx = self.on_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                let plain = KeyEvent::new(ev.code, ev.modifiers - KeyModifiers::ALT);
                fx.extend(self.on_key(&plain));
                return fx;
            }
        }
        if self.help.is_some() {
            self.help_key(ev);
            return self.effects();
        }
        if self.history.is_some() && self.history_key(ev) {
            return self.effects();
        }
        // Ctrl-C quits and Ctrl-Z suspends from every overlay and input line.
        if ev.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(ev.code, KeyCode::Char('c') | KeyCode::Char('z'))
            && (self.filter_editing || self.coverage.is_some())
        {
            let action = if ev.code == KeyCode::Char('c') {
                Action::ForceQuit
            } else {
                Action::Suspend
            };
            return self.update(action, None);
        }
        if self.filter_editing {
            self.filter_key(ev);
            return self.effects();
        }
        if self.coverage.is_some() && self.coverage_key(ev) {
            return self.effects();
        }
        let key = Key::from_event(ev);
        if self.annotating() && self.pending.is_empty() {
            if let Some(label) = self.label_for(key) {
                self.message = None;
                self.apply_label(&label);
                return self.effects();
            }
        }
        let map = if self.annotating() {
            &self.amap
        } else {
            &self.config.keymap
        };
        match map.feed(&mut self.pending, key) {
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
                if panes.entities.is_some_and(|r| r.contains(at)) {
                    self.move_entity(delta);
                } else if in_sources {
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
            MouseEventKind::Down(_) if panes.entities.is_some_and(|r| r.contains(at)) => {
                self.focus = Focus::Entities;
                if let Some(i) = panes.entities.and_then(|r| self.entity_at_row(r, ev.row)) {
                    self.entity_sel = i;
                    self.move_entity(0);
                    self.select_entity();
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
                    if matches!(ev.kind, MouseEventKind::Down(MouseButton::Left)) {
                        self.mouse_in_article(ev.column, ev.row, MousePhase::Down);
                    }
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                self.mouse_in_article(ev.column, ev.row, MousePhase::Drag)
            }
            MouseEventKind::Up(MouseButton::Left) => {
                self.mouse_in_article(ev.column, ev.row, MousePhase::Up)
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
        if self.annotate_update(action, n) {
            return Vec::new();
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
                if self.annotate_back() {
                } else if !self.search.query.is_empty() {
                    self.search = Search::default();
                    self.search_job = None;
                } else if self.coverage.is_some() {
                    self.coverage = None;
                } else if !self.entity_filter.is_empty() && self.focus == Focus::Entities {
                    self.entity_filter.clear();
                    self.refresh_entity_list();
                    self.entity_sel = 0;
                    self.entity_top = 0;
                    self.select_entity();
                } else if self.single_pane() && self.focus != Focus::Article {
                    self.focus = Focus::Article;
                    self.relayout();
                }
            }
            Action::Help => self.help = Some(Help::default()),
            Action::Redraw => return vec![Effect::Clear],
            Action::Suspend => return vec![Effect::Suspend],
            Action::FocusNext | Action::FocusPrev => {
                let order = [Focus::Sources, Focus::Article, Focus::Entities];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(1);
                // Right to left on screen: sources → article → entities.
                let step = if action == Action::FocusNext { 2 } else { 1 };
                self.focus = order[(i + step) % 3];
                if self.focus != Focus::Article {
                    self.side = self.focus;
                }
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
                    Focus::Entities => self.move_entity(d),
                }
            }
            Action::HalfPageDown | Action::HalfPageUp | Action::PageDown | Action::PageUp => {
                let unit = match self.focus {
                    Focus::Article => page,
                    Focus::Sources | Focus::Entities => self.sources_height(),
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
                    Focus::Entities => self.move_entity(d),
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
                    Focus::Entities => {
                        let last = self.entity_list().len().saturating_sub(1);
                        self.entity_sel = target.unwrap_or(last).min(last);
                        self.move_entity(0);
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
            Action::Open => match self.focus {
                Focus::Sources => self.open_selected(true),
                Focus::Entities => self.step_mention(true, 1),
                Focus::Article => {}
            },
            Action::Search if self.focus == Focus::Entities => self.filter_editing = true,
            Action::Search => self.open_prompt(),
            Action::NextMention => self.step_mention(true, n),
            Action::PrevMention => self.step_mention(false, n),
            Action::Coverage => {
                self.coverage = match self.coverage {
                    Some(_) => None,
                    None => Some(Coverage {
                        row: self.entity_sel,
                        col: self.current.map_or(0, |c| c.0),
                        top: 0,
                    }),
                }
            }
            Action::NextMatch => self.step_match(true, n),
            Action::PrevMatch => self.step_match(false, n),
            Action::ToggleBoilerplate => {
                self.show_boilerplate = !self.show_boilerplate;
                self.relayout();
                self.refresh_hits();
                self.select_entity();
                self.keep_match_visible();
                self.set_info(if self.show_boilerplate {
                    "boilerplate shown, dimmed"
                } else {
                    "boilerplate hidden"
                });
            }
            Action::ToggleReveal => {
                self.reveal = !self.reveal;
                self.relayout();
                self.keep_match_visible();
                self.set_info(if self.reveal {
                    "bidi controls shown as markers"
                } else {
                    "bidi controls hidden (they still act)"
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
            a if a.annotate_only() => self.set_info("i turns annotation mode on first"),
            _ => {}
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
