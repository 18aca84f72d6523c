//! Drawing: reads the [`App`] and writes cells into a ratatui buffer. Every string that
//! reaches the screen, document text or not, goes through the layout engine, so Arabic is
//! in visual order, shaped, and no document byte can drive the terminal. Only the lines
//! in view are touched; the article's layout was built by `update`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::Frame;

use super::action::Action;
use super::app::{App, Entry, Focus, MessageKind};
use super::article::Line;
use super::config::BidiMode;
use crate::layout::{Cell, Direction, LayoutOptions};
use crate::source::BlockKind;

/// Draw the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let cursor = render(app, area, frame.buffer_mut());
    if let Some((x, y)) = cursor {
        frame.set_cursor_position((x, y));
    }
}

thread_local! {
    /// Interface strings in logical order (`--bidi terminal`): set for the frame being
    /// drawn, so that every `put_text` follows the mode without threading it through.
    static LOGICAL_UI: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Draw into a buffer; returns where the text cursor goes (the search prompt), if shown.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    LOGICAL_UI.with(|l| l.set(app.config.bidi == BidiMode::Terminal));
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        draw_too_small(app, area, buf);
        return None;
    }
    let panes = app.panes();
    buf.set_style(area, app.theme.text);
    if let Some(r) = panes.separator {
        for y in r.y..r.bottom() {
            put_symbol(buf, r.x, y, "│", app.theme.border);
        }
    }
    if panes.article.is_some() {
        draw_article(app, buf);
    }
    if let Some(r) = panes.entities_separator {
        for y in r.y..r.bottom() {
            put_symbol(buf, r.x, y, "│", app.theme.border);
        }
    }
    if let Some(r) = panes.sources {
        draw_sources(app, r, buf);
    }
    if let Some(r) = panes.entities {
        draw_entities(app, r, buf);
    }
    let cursor = draw_status(app, panes.status, buf);
    if app.coverage.is_some() {
        draw_coverage(app, area, buf);
    }
    if app.history.is_some() {
        draw_history(app, area, buf);
    }
    if app.help.is_some() {
        draw_help(app, area, buf);
    }
    cursor
}

/// Below this size (columns, rows) nothing useful fits: a message says so.
pub const MIN_SIZE: (u16, u16) = (20, 5);

fn draw_too_small(app: &App, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, app.theme.text);
    let lines = [
        "qari".to_string(),
        format!("{}×{}", area.width, area.height),
        format!("needs {}×{}", MIN_SIZE.0, MIN_SIZE.1),
    ];
    for (i, l) in lines.iter().enumerate().take(area.height as usize) {
        let r = Rect::new(area.x, area.y + i as u16, area.width, 1);
        put_text(buf, r, l, app.theme.dim, false);
    }
}

fn put_symbol(buf: &mut Buffer, x: u16, y: u16, s: &str, style: Style) {
    if let Some(c) = buf.cell_mut((x, y)) {
        c.set_symbol(s).set_style(style);
    }
}

/// Write engine cells from column `x`, clipped at `right` (exclusive).
fn put_cells<'c>(
    buf: &mut Buffer,
    mut x: u16,
    y: u16,
    right: u16,
    cells: impl IntoIterator<Item = &'c Cell>,
    mut style: impl FnMut(&Cell) -> Style,
) {
    for cell in cells {
        let w = u16::from(cell.width.max(1));
        if x + w > right {
            break;
        }
        let s = style(cell);
        if let Some(c) = buf.cell_mut((x, y)) {
            c.set_symbol(&cell.text).set_style(s);
        }
        // The cell under the right half of a wide character must draw nothing.
        for i in 1..w {
            if let Some(c) = buf.cell_mut((x + i, y)) {
                c.reset();
                c.set_style(s);
            }
        }
        x += w;
    }
}

/// A one-line interface string through the engine, cut with an ellipsis at its end to fit
/// `max` cells: (cells in visual order, width, right-to-left).
/// `s` without the parts between FSI/LRI/RLI and their PDI.
fn outside_isolates(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '\u{2066}'..='\u{2068}' => depth += 1,
                '\u{2069}' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

pub fn ui_cells(text: &str, max: usize) -> (Vec<Cell>, usize, bool) {
    let max = max.max(1);
    let text = text.replace(['\n', '\r', '\t'], " ");
    // Interface strings take the direction of most of their letters, so that a
    // title starting with a number or a quote still reads from the right.
    // Text inside isolates (a quoted Arabic name in an English message) does not count.
    let direction = if super::article::is_mostly_rtl(&outside_isolates(&text)) {
        Direction::Rtl
    } else {
        Direction::Ltr
    };
    let opts = |width| LayoutOptions {
        width,
        direction,
        shaping: true,
        reveal_format: false,
    };
    let logical = LOGICAL_UI.with(|l| l.get());
    let order = if logical {
        crate::layout::CellOrder::Logical
    } else {
        crate::layout::CellOrder::Visual
    };
    let layout_paragraph = |t: &str, o: &LayoutOptions| {
        let mut o = o.clone();
        o.shaping &= !logical;
        crate::layout::layout_paragraph_in(t, &o, order)
    };
    let whole = layout_paragraph(&text, &opts(None));
    let row = whole.rows.into_iter().next();
    let width = row.as_ref().map_or(0, |r| r.width);
    if width <= max {
        let cells = row.map(|r| r.cells).unwrap_or_default();
        return (cells, width, whole.rtl);
    }
    // Too wide: keep the logical beginning, mark the cut at the visual end.
    let cut = layout_paragraph(&text, &opts(Some(max.saturating_sub(1).max(1))));
    let first = cut.rows.into_iter().next();
    let mut cells = first.map(|r| r.cells).unwrap_or_default();
    let ellipsis = Cell {
        text: "…".into(),
        width: 1,
        source: text.len()..text.len(),
        level: 0,
    };
    if cut.rtl && !logical {
        cells.insert(0, ellipsis);
    } else {
        cells.push(ellipsis);
    }
    let w = cells.iter().map(|c| c.width as usize).sum();
    (cells, w, cut.rtl)
}

/// Draw an interface string in `r`'s first row: right-aligned if it reads right to left
/// (or if `right` is set), else left-aligned. Returns the columns used.
fn put_text(buf: &mut Buffer, r: Rect, text: &str, style: Style, right: bool) -> (u16, u16) {
    if r.width == 0 || r.height == 0 {
        return (r.x, r.x);
    }
    let (cells, w, rtl) = ui_cells(text, r.width as usize);
    let w = w.min(r.width as usize) as u16;
    let x = if rtl || right { r.right() - w } else { r.x };
    put_cells(buf, x, r.y, r.right(), &cells, |_| style);
    (x, x + w)
}

fn block_style(app: &App, kind: BlockKind) -> Style {
    let t = &app.theme;
    match kind {
        BlockKind::Title => t.title,
        BlockKind::Heading => t.heading,
        BlockKind::Byline => t.byline,
        BlockKind::Caption => t.caption,
        BlockKind::Quote => t.quote,
        BlockKind::Boilerplate => t.boilerplate,
        _ => t.text,
    }
}

fn draw_article(app: &App, buf: &mut Buffer) {
    let panes = app.panes();
    let (Some(header), Some(text)) = (panes.article_header, panes.article_text) else {
        return;
    };
    let theme = &app.theme;
    let Some((d, a)) = app.current else {
        let msg = if app.loading.is_some() {
            "loading…"
        } else {
            "no article to show"
        };
        put_text(buf, header, msg, theme.dim, false);
        return;
    };
    let doc = &app.docs[d];
    let article = &doc.articles[a];
    let mut label = doc.meta.source.clone();
    if let Some(date) = article.meta.date.as_ref().or(doc.meta.date.as_ref()) {
        label.push_str(" · ");
        label.push_str(date);
    }
    let header_style = if app.focus == Focus::Article && !app.single_pane() {
        theme.header
    } else {
        theme.dim
    };
    let inner = Rect::new(header.x + 1, header.y, header.width.saturating_sub(2), 1);
    put_text(buf, inner, &label, header_style, false);
    if header.height > 0 && text.y > header.y + 1 {
        for x in header.x..header.right() {
            put_symbol(buf, x, header.y + 1, "─", theme.border);
        }
    }
    let Some(layout) = &app.layout else { return };
    let hits: Vec<(usize, std::ops::Range<usize>)> = app
        .hits_in_current()
        .map(|(i, h)| (i, h.range.clone()))
        .collect();
    let current_hit = app.search.current;
    let ents = app.entities(d);
    let mentions = ents.get(a).map_or(&[][..], |e| &e.mentions[..]);
    let selected = app.selected_in_current();
    let anns = app.annotations_of(d);
    let annotating = app.annotating();
    let caret = app.cursor.map(|c| c.caret);
    let selection = app.selection();
    let logical = app.config.bidi == BidiMode::Terminal;
    for (i, line) in layout
        .lines
        .iter()
        .enumerate()
        .skip(app.top)
        .take(text.height as usize)
    {
        let y = text.y + (i - app.top) as u16;
        let Line::Text { para, row } = *line else {
            continue;
        };
        let p = &layout.paras[para as usize];
        let r = &p.layout.rows[row as usize];
        let base = block_style(app, p.kind);
        let rtl = p.layout.rtl && !logical;
        let x0 = if rtl { text.x } else { text.x + p.inset as u16 };
        if p.kind == BlockKind::Quote && p.inset > 0 {
            let bar_x = if rtl { text.right() - 1 } else { text.x };
            put_symbol(buf, bar_x, y, "▍", theme.border);
        }
        let hits_here: Vec<&(usize, std::ops::Range<usize>)> = hits
            .iter()
            .filter(|(_, h)| h.start < p.base + r.source.end && h.end > p.base + r.source.start)
            .collect();
        let (row_s, row_e) = (p.base + r.source.start, p.base + r.source.end);
        let first = mentions.partition_point(|m| m.range.end <= row_s);
        let mentions_here: Vec<&crate::entities::Mention> = mentions[first..]
            .iter()
            .take_while(|m| m.range.start < row_e)
            .collect();
        let anns_here: Vec<&crate::annotate::Annotation> = anns
            .iter()
            .take_while(|x| x.start < row_e)
            .filter(|x| x.end > row_s)
            .filter(|x| annotating || x.status != crate::annotate::Status::Rejected)
            .collect();
        put_cells(buf, x0 + r.pad as u16, y, text.right(), &r.cells, |c| {
            let (s, e) = (p.base + c.source.start, p.base + c.source.end);
            let mut style = base;
            // The shortest annotation over the cell decides its look.
            if let Some(x) = anns_here
                .iter()
                .filter(|x| x.start < e && x.end > s)
                .min_by_key(|x| x.end - x.start)
            {
                style = style.patch(annotation_style(theme, x));
            }
            if let Some(m) = mentions_here
                .iter()
                .find(|m| m.range.start < e && m.range.end > s)
            {
                if Some(m.entity) == selected {
                    style = style.patch(theme.mention_selected);
                }
            }
            if selection.as_ref().is_some_and(|r| r.start < e && r.end > s) {
                style = style.patch(theme.annotate_selection);
            }
            if caret.is_some_and(|c| s <= c && c < e.max(s + 1)) {
                style = style.patch(theme.caret);
            }
            match hits_here.iter().find(|(_, h)| h.start < e && h.end > s) {
                Some((hi, _)) if Some(*hi) == current_hit => theme.hit_current,
                Some(_) => style.patch(theme.hit),
                None => style,
            }
        });
    }
}

/// How an annotation looks: its label's colour; confirmed ones bold and underlined,
/// rejected ones (shown only while annotating) dim and struck through.
fn annotation_style(theme: &super::theme::Theme, x: &crate::annotate::Annotation) -> Style {
    use crate::annotate::Status;
    let kind = match x.label.as_str() {
        "PER" | "PERS" => 0,
        "LOC" | "GPE" => 1,
        "ORG" => 2,
        _ => 3,
    };
    match x.status {
        Status::Suggested => theme.kinds[kind],
        Status::Confirmed => theme.kinds[kind].patch(theme.confirmed),
        Status::Rejected => theme.rejected,
    }
}

fn draw_sources(app: &App, r: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let focused = app.focus == Focus::Sources;
    let mut title = format!("Sources ({})", app.docs.len());
    if let Some((done, total)) = app.loading {
        title = format!("Sources: loading {done}/{total}…");
    }
    let head = Rect::new(r.x + 1, r.y, r.width.saturating_sub(2), 1);
    put_text(
        buf,
        head,
        &title,
        if focused { theme.header } else { theme.dim },
        false,
    );
    if r.height > 1 {
        for x in r.x..r.right() {
            put_symbol(buf, x, r.y + 1, "─", theme.border);
        }
    }
    let entries = app.entries();
    let rows = r.height.saturating_sub(2) as usize;
    for (k, entry) in entries.iter().enumerate().skip(app.sources_top).take(rows) {
        let y = r.y + 2 + (k - app.sources_top) as u16;
        let row = Rect::new(r.x + 1, y, r.width.saturating_sub(2), 1);
        let selected = k == app.sources_sel;
        match *entry {
            Entry::Source(d) => {
                let doc = &app.docs[d];
                let n = doc.articles.len();
                let label = match doc.part {
                    Some(p) => format!("{}. {} · part {} ({n})", d + 1, doc.meta.source, p.number),
                    None => format!("{}. {} ({n})", d + 1, doc.meta.source),
                };
                let mut style = theme.header;
                if selected && focused {
                    style = style.patch(theme.selection);
                }
                put_text(buf, row, &label, style, true);
            }
            Entry::Failed(i) => {
                let e = &app.load_errors[i];
                let name = e.path.file_name().map_or_else(
                    || e.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let mut style = theme.error;
                if selected && focused {
                    style = style.patch(theme.selection);
                }
                put_text(buf, row, &format!("✗ {name}: {}", e.reason), style, false);
            }
            Entry::Article(d, a) => {
                let art = &app.docs[d].articles[a];
                let is_current = app.current == Some((d, a));
                let progress = match app.progress(d, a) {
                    Some(p) if p >= 0.98 => "✓".to_string(),
                    Some(p) => format!("{:>2}%", (p * 100.0).round() as u32),
                    None => String::new(),
                };
                let mut style = if is_current {
                    theme.current
                } else {
                    theme.text
                };
                if selected && focused {
                    style = style.patch(theme.selection);
                }
                if selected && focused {
                    for x in row.x..row.right() {
                        put_symbol(buf, x, y, " ", style);
                    }
                }
                // Progress on the left, the title from the right (where it starts).
                put_text(
                    buf,
                    Rect::new(row.x, y, 4.min(row.width), 1),
                    &progress,
                    theme.dim.patch(if selected && focused {
                        theme.selection
                    } else {
                        Style::default()
                    }),
                    false,
                );
                let marker = if is_current { "◂ " } else { "  " };
                // Review status, when there is one: ● done, ◐ in progress.
                let review = match app.review_of(d, a) {
                    crate::annotate::store::Review::Done => "●",
                    crate::annotate::store::Review::InProgress => "◐",
                    crate::annotate::store::Review::Unreviewed => "",
                };
                if !review.is_empty() && row.width > 6 {
                    put_text(
                        buf,
                        Rect::new(row.x + 4, y, 1, 1),
                        review,
                        theme.dim.patch(if selected && focused {
                            theme.selection
                        } else {
                            Style::default()
                        }),
                        false,
                    );
                }
                let tw = row.width.saturating_sub(6);
                let title_rect = Rect::new(row.right() - tw, y, tw, 1);
                let title = format!("{marker}{}. {}", a + 1, art.title);
                put_text(buf, title_rect, &title, style, true);
            }
        }
    }
}

fn draw_status(app: &App, r: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    if r.height == 0 {
        return None;
    }
    let theme = &app.theme;
    buf.set_style(r, theme.status);
    for x in r.x..r.right() {
        put_symbol(buf, x, r.y, " ", theme.status);
    }
    // Right: where we are.
    let mut right = String::new();
    if let Some((d, a)) = app.current {
        let n_art = app.docs[d].articles.len();
        let pct = app.layout.as_ref().map_or(100, |l| {
            let h = app.panes().article_text.map_or(1, |t| t.height as usize);
            if l.len() <= h {
                100
            } else {
                ((app.top.min(l.len() - h)) * 100 / (l.len() - h)) as u32
            }
        });
        right = format!(
            "source {}/{} · article {}/{} · {}%",
            d + 1,
            app.docs.len(),
            a + 1,
            n_art,
            pct
        );
    }
    if let Some(l) = app.layout.as_ref().filter(|l| l.bidi_suspicious) {
        // Text that may not say what it shows: never only in colour.
        let keys = app.config.keymap.keys_for(Action::ToggleReveal);
        let key = keys.first().map_or("", String::as_str);
        right = format!(
            "⚠ {} bidi controls ({key} shows) · {right}",
            l.bidi_controls
        );
    }
    if let Some((done, total, found)) = app.search_progress() {
        right = format!("searching {done}/{total} · {found} so far · {right}");
    } else if !app.search.query.is_empty() && app.prompt.is_none() {
        let n = app.search.hits.len();
        let s = match app.search.current {
            Some(c) if n > 0 => format!("match {} of {n}", c + 1),
            _ => format!("{n} matches"),
        };
        right = format!("{s} · {right}");
    }
    if let Some((d, _)) = app.current {
        let orphans = app.ann.docs.get(d).map_or(0, |x| x.orphaned.len());
        if orphans > 0 {
            // Annotations whose text changed away: never dropped silently.
            right = format!("⚠ {orphans} orphaned (H lists) · {right}");
        }
        if app.docs[d].text.reload_error().is_some() {
            // Its text could not be read back as it was: shown blank, never replaced.
            right = format!("⚠ file changed, shown blank · {right}");
        }
    }
    if let (true, Some((d, a))) = (app.annotating(), app.current) {
        let left = app.unreviewed_count(d, a);
        right = format!(
            "ANNOTATE · {} · {left} to review · {right}",
            app.review_of(d, a).name()
        );
    }
    if app.single_pane() {
        let pane = match app.focus {
            Focus::Article => "article",
            Focus::Sources => "sources",
            Focus::Entities => "entities",
        };
        right = format!("{pane} · {right}");
    }
    let mut right_start = r.right();
    if !right.is_empty() {
        let (x, _) = put_text(
            buf,
            Rect::new(r.x + 1, r.y, r.width.saturating_sub(2), 1),
            &right,
            theme.status,
            true,
        );
        right_start = x;
    }
    let left_w = right_start.saturating_sub(r.x + 2);
    let left = Rect::new(r.x + 1, r.y, left_w, 1);
    if let Some(p) = &app.prompt {
        // The prompt: `/` (or what the field is), then the text as the engine lays it out.
        let label = match p.field {
            super::app::Field::Search => "/",
            super::app::Field::Wikidata => "Wikidata id: ",
            super::app::Field::Note => "note: ",
        };
        let lw = label.chars().count() as u16;
        put_text(
            buf,
            Rect::new(left.x, r.y, lw.min(left.width), 1),
            label,
            theme.status_key,
            false,
        );
        let field = Rect::new(left.x + lw, r.y, left.width.saturating_sub(lw + 1), 1);
        if field.width == 0 {
            return None;
        }
        let opts = LayoutOptions {
            width: None,
            direction: Direction::Auto,
            shaping: app.shaping,
            reveal_format: false,
        };
        let order = if app.config.bidi == BidiMode::Terminal {
            crate::layout::CellOrder::Logical
        } else {
            crate::layout::CellOrder::Visual
        };
        let l = crate::layout::layout_paragraph_in(&p.text, &opts, order);
        let row = &l.rows[0];
        let fw = field.width as usize;
        // Keep the cursor in view on long queries.
        let cursor_col = prompt_cursor_col(&l, p.cursor, p.text.len());
        let shift = cursor_col.saturating_sub(fw.saturating_sub(1));
        let visible: Vec<&Cell> = {
            let mut x = 0;
            row.cells
                .iter()
                .filter(|c| {
                    let keep = x >= shift;
                    x += c.width as usize;
                    keep
                })
                .collect()
        };
        put_cells(buf, field.x, r.y, field.right(), visible, |_| theme.status);
        let count = if p.text.is_empty() || p.field != super::app::Field::Search {
            String::new()
        } else {
            format!("{} matches", app.search.hits.len())
        };
        if !count.is_empty() && row.width + count.len() + 3 < fw {
            put_text(buf, field, &count, theme.status_key, true);
        }
        return Some((field.x + (cursor_col - shift).min(fw - 1) as u16, r.y));
    }
    let left_text = if !app.pending.is_empty() {
        let cont = app.config.keymap.continuations(&app.pending.keys);
        let hints: Vec<String> = cont
            .iter()
            .map(|(k, a)| {
                let rest = super::keymap::sequence_label(&k[app.pending.keys.len()..]);
                format!("{rest}:{}", a.name())
            })
            .collect();
        Some((
            format!("{}  {}", app.pending.label(), hints.join("  ")),
            theme.status_key,
        ))
    } else if let Some((m, kind)) = &app.message {
        Some((
            m.clone(),
            match kind {
                MessageKind::Info => theme.message,
                MessageKind::Error => theme.error,
            },
        ))
    } else if app.annotating() {
        Some((annotate_hint(app), theme.status))
    } else {
        let keys = |a: Action| {
            app.config
                .keymap
                .keys_for(a)
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        Some((
            format!(
                "{} help  {} search  {} next source  {} quit",
                keys(Action::Help),
                keys(Action::Search),
                keys(Action::NextSource),
                keys(Action::Quit)
            ),
            theme.status,
        ))
    };
    if let Some((text, style)) = left_text {
        put_text(buf, left, &text, style, false);
    }
    None
}

/// The status line in annotation mode: what is under the cursor and the keys for it.
fn annotate_hint(app: &App) -> String {
    let labels: Vec<String> = app
        .config
        .labels
        .iter()
        .map(|(k, l)| format!("{k} {l}"))
        .collect();
    let text = |r: std::ops::Range<usize>| {
        app.current
            .and_then(|(d, _)| app.docs[d].text.get(r))
            .map(|t| {
                let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let t = if t.chars().count() > 24 {
                    format!("{}…", t.chars().take(23).collect::<String>())
                } else {
                    t
                };
                format!("\u{2068}{t}\u{2069}")
            })
            .unwrap_or_default()
    };
    if let Some(sel) = app.selection() {
        return format!("«{}»  {}", text(sel), labels.join("  "));
    }
    if let Some(x) = app.at_caret() {
        let mut s = format!("{} «{}» {}", x.label, text(x.start..x.end), x.status.name());
        if let Some(q) = &x.wikidata {
            s.push_str(&format!(" {q}"));
        }
        if x.note.is_some() {
            s.push_str(" ✎");
        }
        let keys = match x.status {
            crate::annotate::Status::Suggested => "  y accept  x reject  Y/X all",
            _ => "  d delete  W wikidata  C note",
        };
        s.push_str(keys);
        return s;
    }
    format!(
        "v select  {}  }} next suggestion  u undo  Esc leave",
        labels.join("  ")
    )
}

/// The column (from the row's left edge) where the prompt cursor is drawn.
fn prompt_cursor_col(l: &crate::layout::ParagraphLayout, cursor: usize, len: usize) -> usize {
    let row = &l.rows[0];
    if len == 0 {
        return 0;
    }
    if cursor < len {
        if let Some(p) = l.locate(cursor) {
            return p.col;
        }
    }
    // At the end: after the last typed character, on its reading side.
    let mut x = 0;
    let mut last: Option<(usize, &Cell)> = None;
    for c in &row.cells {
        if last.is_none_or(|(_, lc)| c.source.start > lc.source.start) {
            last = Some((x, c));
        }
        x += c.width as usize;
    }
    match last {
        Some((x, c)) if c.level % 2 == 1 => x.saturating_sub(1).min(x),
        Some((x, c)) => x + c.width as usize,
        None => 0,
    }
}

/// The lines of the help overlay: (section or key label, description).
pub fn help_lines(app: &App) -> Vec<(String, String)> {
    let sections: &[(&str, &[Action])] = &[
        (
            "Reading",
            &[
                Action::ScrollDown,
                Action::ScrollUp,
                Action::HalfPageDown,
                Action::HalfPageUp,
                Action::PageDown,
                Action::PageUp,
                Action::Top,
                Action::Bottom,
                Action::ToggleBoilerplate,
                Action::ToggleShaping,
                Action::ToggleReveal,
            ],
        ),
        (
            "Articles and sources",
            &[
                Action::NextArticle,
                Action::PrevArticle,
                Action::ArticleLeft,
                Action::ArticleRight,
                Action::NextSource,
                Action::PrevSource,
                Action::GotoSource,
                Action::GotoArticle,
                Action::Open,
            ],
        ),
        (
            "Search",
            &[Action::Search, Action::NextMatch, Action::PrevMatch],
        ),
        (
            "Entities",
            &[Action::NextMention, Action::PrevMention, Action::Coverage],
        ),
        (
            "Annotation",
            &[
                Action::Annotate,
                Action::NextUnreviewed,
                Action::PrevUnreviewed,
                Action::Undo,
                Action::Redo,
                Action::History,
                Action::MarkDone,
                Action::Export,
            ],
        ),
        (
            "Screen",
            &[
                Action::FocusNext,
                Action::FocusPrev,
                Action::Help,
                Action::Back,
                Action::Redraw,
                Action::Suspend,
                Action::Quit,
                Action::ForceQuit,
            ],
        ),
    ];
    let filter = app
        .help
        .as_ref()
        .map(|h| h.filter.to_lowercase())
        .unwrap_or_default();
    // Annotation mode's own actions, in their declared order.
    let annotate_only: Vec<Action> = Action::ALL
        .iter()
        .copied()
        .filter(|a| a.annotate_only())
        .collect();
    let mut sections: Vec<(&str, &[Action])> = sections.to_vec();
    // Before "Screen", the last section.
    let at = sections.len().saturating_sub(1);
    sections.insert(at, ("In annotation mode", annotate_only.as_slice()));
    let mut out = Vec::new();
    for (title, actions) in sections {
        let mut lines = Vec::new();
        for &a in actions {
            let keys = if a.annotate_only() {
                app.config.annotate_keys.keys_for(a).join(", ")
            } else {
                app.config.keymap.keys_for(a).join(", ")
            };
            let desc = a.description().to_string();
            if !filter.is_empty()
                && !keys.to_lowercase().contains(&filter)
                && !desc.to_lowercase().contains(&filter)
                && !a.name().contains(&filter)
            {
                continue;
            }
            lines.push((
                if keys.is_empty() {
                    "(unbound)".into()
                } else {
                    keys
                },
                desc,
            ));
        }
        if title == "In annotation mode" {
            for (k, l) in &app.config.labels {
                let desc = format!("label {l}: the selection, the annotation or the word here");
                if filter.is_empty()
                    || desc.to_lowercase().contains(&filter)
                    || k.to_string().contains(&filter)
                {
                    lines.push((k.to_string(), desc));
                }
            }
        }
        if !lines.is_empty() {
            out.push((format!("# {title}"), String::new()));
            out.extend(lines);
            out.push((String::new(), String::new()));
        }
    }
    if filter.is_empty() {
        out.push(("# Arabic keyboard".into(), String::new()));
        let mut pairs: Vec<(char, char)> = app
            .config
            .keymap
            .langmap
            .iter()
            .map(|(&a, &l)| (l, a))
            .filter(|(l, _)| "jkgnGJK[]/?q".contains(*l))
            .collect();
        pairs.sort();
        let shown: Vec<String> = pairs.iter().map(|(l, a)| format!("{a}={l}")).collect();
        out.push((
            "langmap".into(),
            format!("letters act as the keys they sit on: {}", shown.join(" ")),
        ));
        out.push((
            "counts".into(),
            "a number before a key repeats it: 5j, 3]; 2s opens source 2".into(),
        ));
    }
    out
}

/// A bordered, cleared box centred in `area`, at most `max` (columns, rows); `None` when
/// less than `min` fits.
fn popup(
    app: &App,
    area: Rect,
    max: (u16, u16),
    min: (u16, u16),
    buf: &mut Buffer,
) -> Option<Rect> {
    let w = area.width.saturating_sub(4).min(max.0);
    let h = area.height.saturating_sub(2).min(max.1);
    if w < min.0 || h < min.1 {
        return None;
    }
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            put_symbol(buf, x, y, " ", app.theme.popup);
        }
    }
    let block = ratatui::widgets::Block::bordered().border_style(app.theme.border);
    ratatui::widgets::Widget::render(block, r, buf);
    Some(r)
}

fn draw_history(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(r) = popup(app, area, (90, 30), (10, 4), buf) else {
        return;
    };
    put_text(
        buf,
        Rect::new(r.x + 2, r.y, r.width.saturating_sub(4), 1),
        " History of this document · u undoes, U redoes · Esc closes ",
        theme.popup_title,
        false,
    );
    let lines = app.history_lines();
    let inner = Rect::new(r.x + 2, r.y + 1, r.width.saturating_sub(4), r.height - 2);
    let h = inner.height as usize;
    let sel = app.history.as_ref().map_or(0, |h| h.scroll);
    let top = sel
        .saturating_sub(h.saturating_sub(1))
        .min(lines.len().saturating_sub(h));
    for (i, (text, undone)) in lines.iter().enumerate().skip(top).take(h) {
        let y = inner.y + (i - top) as u16;
        let mut style = if *undone { theme.dim } else { theme.popup };
        if i == sel {
            style = style.patch(theme.selection);
        }
        put_text(
            buf,
            Rect::new(inner.x, y, inner.width, 1),
            text,
            style,
            false,
        );
    }
}

fn draw_help(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(r) = popup(app, area, (86, 40), (10, 4), buf) else {
        return;
    };
    let help = app.help.as_ref();
    let filter = help.map(|h| h.filter.as_str()).unwrap_or("");
    let title = if help.is_some_and(|h| h.editing_filter) || !filter.is_empty() {
        format!(" Keys · filter: {filter}_ ")
    } else {
        " Keys · / filters · Esc closes ".to_string()
    };
    put_text(
        buf,
        Rect::new(r.x + 2, r.y, r.width.saturating_sub(4), 1),
        &title,
        theme.popup_title,
        false,
    );
    let lines = help_lines(app);
    let inner = Rect::new(r.x + 2, r.y + 1, r.width.saturating_sub(4), r.height - 2);
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    let scroll = help.map_or(0, |h| h.scroll).min(max_scroll);
    let key_w = 22.min(inner.width / 3);
    for (i, (k, d)) in lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(inner.height as usize)
    {
        let y = inner.y + (i - scroll) as u16;
        if let Some(t) = k.strip_prefix("# ") {
            put_text(
                buf,
                Rect::new(inner.x, y, inner.width, 1),
                t,
                theme.popup_title,
                false,
            );
            continue;
        }
        put_text(
            buf,
            Rect::new(inner.x, y, key_w, 1),
            k,
            theme.status_key.patch(theme.popup),
            false,
        );
        put_text(
            buf,
            Rect::new(
                inner.x + key_w + 1,
                y,
                inner.width.saturating_sub(key_w + 1),
                1,
            ),
            d,
            theme.popup,
            false,
        );
    }
}

fn kind_index(k: crate::entities::EntityKind) -> usize {
    use crate::entities::EntityKind::*;
    match k {
        Per => 0,
        Loc => 1,
        Org => 2,
        Misc => 3,
    }
}

/// The entity panel: a legend, then entities grouped by type, each with its mention count
/// and a mark per source that names it.
fn draw_entities(app: &App, r: Rect, buf: &mut Buffer) {
    use crate::entities::EntityKind;
    let theme = &app.theme;
    let focused = app.focus == Focus::Entities;
    let list = app.entity_list();
    let head = Rect::new(r.x + 1, r.y, r.width.saturating_sub(2), 1);
    let title = if app.filter_editing || !app.entity_filter.is_empty() {
        let cursor = if app.filter_editing { "▏" } else { "" };
        format!(
            "Entities {}/{} · filter: {}{cursor}",
            list.len(),
            app.corpus.len(),
            app.entity_filter
        )
    } else {
        format!("Entities ({})", app.corpus.len())
    };
    let title_style = if focused { theme.header } else { theme.dim };
    put_text(buf, head, &title, title_style, false);
    if r.height < 2 {
        return;
    }
    // Legend: the type names in their colours (the names say it without colour too).
    let mut x = r.x + 1;
    for k in [
        EntityKind::Per,
        EntityKind::Loc,
        EntityKind::Org,
        EntityKind::Misc,
    ] {
        let label = format!("■ {}", k.name());
        let rect = Rect::new(x, r.y + 1, r.right().saturating_sub(x), 1);
        let (_, end) = put_text(buf, rect, &label, theme.kinds[kind_index(k)], false);
        x = end + 2;
    }
    if r.height < 3 {
        return;
    }
    for xx in r.x..r.right() {
        put_symbol(buf, xx, r.y + 2, "─", theme.border);
    }
    let docs = app.docs.len();
    let rows = app.entity_rows();
    for (row, (header, entity)) in rows
        .into_iter()
        .enumerate()
        .take(r.height.saturating_sub(3) as usize)
    {
        let y = r.y + 3 + row as u16;
        let line = Rect::new(r.x + 1, y, r.width.saturating_sub(2), 1);
        if let Some(k) = header {
            let n = list.iter().filter(|&&c| app.corpus[c].kind == k).count();
            let style = theme.kinds[kind_index(k)].add_modifier(ratatui::style::Modifier::BOLD);
            put_text(buf, line, &format!("{} ({n})", k.name()), style, false);
            continue;
        }
        let Some(i) = entity else { continue };
        let c = list[i];
        let e = &app.corpus[c];
        let selected = i == app.entity_sel;
        let mut style = theme.text;
        if selected {
            style = if focused {
                theme.selection
            } else {
                theme.current
            };
            for xx in line.x..line.right() {
                put_symbol(buf, xx, y, " ", style);
            }
        }
        // Left: the count and a mark per source (● names it, · does not).
        let marks: String = (0..docs.min(12))
            .map(|d| {
                if app.corpus[c].mentions_in(d) > 0 {
                    '●'
                } else {
                    '·'
                }
            })
            .collect();
        let left = format!("{:>3} {marks}", e.mention_count);
        let (_, lend) = put_text(buf, line, &left, theme.dim.patch(style), false);
        let name_rect = Rect::new(lend + 1, y, line.right().saturating_sub(lend + 1), 1);
        let name_style = theme.kinds[kind_index(e.kind)].patch(style);
        put_text(buf, name_rect, &e.canonical, name_style, true);
    }
}

/// The coverage overlay: entities × sources, mention counts, a cursor to jump from.
fn draw_coverage(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(cov) = &app.coverage else { return };
    let theme = &app.theme;
    let Some(r) = popup(app, area, (110, 40), (20, 6), buf) else {
        return;
    };
    put_text(
        buf,
        Rect::new(r.x + 2, r.y, r.width.saturating_sub(4), 1),
        " Coverage: who is named where · arrows move · Enter jumps · Esc closes ",
        theme.popup_title,
        false,
    );
    let list = app.entity_list();
    let docs = app.docs.len();
    let cell_w: u16 = 5;
    let name_w = r
        .width
        .saturating_sub(4 + cell_w * docs.min(200) as u16)
        .clamp(8, 40);
    let inner_x = r.x + 2;
    for d in 0..docs {
        let x = inner_x + name_w + 1 + d as u16 * cell_w;
        if x + cell_w > r.right() - 1 {
            break;
        }
        let style = if d == cov.col {
            theme.popup_title
        } else {
            theme.dim
        };
        let rect = Rect::new(x, r.y + 1, cell_w, 1);
        put_text(buf, rect, &format!("{:>4}", d + 1), style, false);
    }
    let rows = r.height.saturating_sub(4) as usize;
    for (k, &c) in list.iter().enumerate().skip(cov.top).take(rows) {
        let y = r.y + 2 + (k - cov.top) as u16;
        let e = &app.corpus[c];
        let row_style = if k == cov.row {
            theme.current
        } else {
            theme.popup
        };
        put_text(
            buf,
            Rect::new(inner_x, y, name_w, 1),
            &format!("{} {}", e.kind.name(), e.canonical),
            theme.kinds[kind_index(e.kind)].patch(row_style),
            false,
        );
        for d in 0..docs {
            let x = inner_x + name_w + 1 + d as u16 * cell_w;
            if x + cell_w > r.right() - 1 {
                break;
            }
            let n = app.corpus[c].mentions_in(d);
            let text = if n == 0 {
                "   ·".to_string()
            } else {
                format!("{n:>4}")
            };
            let mut style = if n == 0 { theme.dim } else { theme.popup };
            if k == cov.row && d == cov.col {
                style = theme.selection;
            }
            put_text(buf, Rect::new(x, y, cell_w, 1), &text, style, false);
        }
    }
    if let Some(doc) = app.docs.get(cov.col) {
        let label = format!("source {}: {}", cov.col + 1, doc.meta.source);
        put_text(
            buf,
            Rect::new(r.x + 2, r.bottom() - 1, r.width.saturating_sub(4), 1),
            &label,
            theme.popup_title,
            false,
        );
    }
}
