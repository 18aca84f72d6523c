//! Structure recovery: lines → content units → articles of typed blocks.
//!
//! 1. [`plain_units`] cuts text into content units: one per non-blank line, or one per
//!    paragraph when the text is hard-wrapped. Units are trimmed; the whitespace between
//!    them becomes `Blank` blocks later, so nothing is lost.
//! 2. [`build`] classifies units: boilerplate rules first (data in `assets/boilerplate.toml`),
//!    then the "title printed twice" rule that also splits listing pages into articles,
//!    then per article: title, bylines, captions, repeated blocks, headings, list items,
//!    quotes, paragraphs.
//! 3. Blocks are emitted so that they tile each article's range exactly.

use std::collections::HashSet;
use std::ops::Range;

use super::rules::{is_arabic_letter, normalize_key, Rules};
use super::{Article, ArticleMeta, Block, BlockKind};

/// Units longer than this are never compared with rules or with each other.
const MAX_KEY_BYTES: usize = 4096;

/// A content unit: a trimmed range of text, maybe with a kind already known (HTML tags,
/// JSON Lines titles).
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub range: Range<usize>,
    pub hint: Option<BlockKind>,
}

/// Whitespace, or an invisible mark that alone does not make a line content.
fn is_blankish(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{061C}'
        )
}

/// Lines of `text[range]`: (start, end) without the line terminator (LF, CRLF or CR).
fn lines(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        match b[i] {
            b'\n' => {
                out.push(start..i);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(start..i);
                i += if b.get(i + 1) == Some(&b'\n') && i + 1 < range.end {
                    2
                } else {
                    1
                };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

/// Trim whitespace at both ends of `text[r]`; `None` if nothing but blank marks remain.
fn trim_range(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    if s.chars().all(is_blankish) {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    Some(r.start + lead..r.end - trail)
}

/// Content units of plain text. Each non-blank line is a unit, except in hard-wrapped text
/// (every line at most 100 characters, most of them long), where consecutive lines are
/// joined into paragraphs.
pub(crate) fn plain_units(text: &str, range: Range<usize>) -> Vec<Unit> {
    let lines = lines(text, range);
    // (trimmed range, chars) for content lines, None for blank ones.
    let content: Vec<Option<(Range<usize>, usize)>> = lines
        .into_iter()
        .map(|l| trim_range(text, l).map(|t| (t.clone(), text[t].chars().count())))
        .collect();
    let lens: Vec<usize> = content.iter().flatten().map(|(_, n)| *n).collect();
    let max = lens.iter().copied().max().unwrap_or(0);
    let adjacent = content
        .windows(2)
        .filter(|w| w[0].is_some() && w[1].is_some())
        .count();
    let long = lens.iter().filter(|&&n| n * 2 >= max && n >= 30).count();
    let wrapped = max <= 100 && adjacent >= 3 && long * 2 >= lens.len();

    let mut units: Vec<Unit> = Vec::new();
    let mut joinable = false;
    for line in content {
        let Some((r, n)) = line else {
            joinable = false;
            continue;
        };
        let starts_item = list_marker_len(&text[r.clone()]).is_some();
        if wrapped && joinable && !starts_item {
            if let Some(last) = units.last_mut() {
                last.range.end = r.end;
            }
        } else {
            units.push(Unit {
                range: r,
                hint: None,
            });
        }
        // A short line ends its paragraph.
        joinable = wrapped && n * 10 >= max * 6;
    }
    units
}

/// True when most letters of the text are Arabic.
pub(crate) fn mostly_arabic(text: &str) -> bool {
    let (mut arabic, mut other) = (0usize, 0usize);
    for c in text.chars() {
        if is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    arabic > other
}

/// Plain text: units, then articles (listing pages are split).
pub(crate) fn structure_plain(text: &str, rules: &Rules) -> Vec<Article> {
    if text.is_empty() {
        return Vec::new();
    }
    let units = plain_units(text, 0..text.len());
    build(text, 0..text.len(), units, rules, mostly_arabic(text), true)
}

/// Length in bytes of a list marker at the start of `s` ("• ", "- ", "1. ", "١) "), if any.
pub(crate) fn list_marker_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    let (_, c) = chars.next()?;
    let after = |i: usize| -> Option<usize> {
        let rest = &s[i..];
        let ws = rest.len() - rest.trim_start().len();
        (ws > 0 && ws < rest.len()).then_some(i + ws)
    };
    match c {
        '•' | '●' | '▪' | '◦' | '·' | '‣' | '►' | '■' | '–' | '-' | '*' => {
            after(c.len_utf8())
        }
        c if c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) => {
            let mut end = c.len_utf8();
            for (i, d) in chars {
                if d.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&d) {
                    end = i + d.len_utf8();
                    continue;
                }
                if matches!(d, '.' | ')' | '-') && end <= 4 {
                    return after(i + 1);
                }
                return None;
            }
            None
        }
        _ => None,
    }
}

/// The text with closing quotes, brackets and spaces removed from the end.
fn trim_closers(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '”' | '"' | '»' | '’' | '\'' | ')' | ']' | '›' | '″')
    })
}

/// Ends like a sentence or a clause (not like a title or heading).
fn ends_with_stop(s: &str) -> bool {
    let t = trim_closers(s);
    if t.ends_with("..") || t.ends_with('…') {
        return false;
    }
    t.ends_with(['.', ':', ';', '،', '؛', ','])
}

/// `char::is_whitespace`, with a cheap path for the common (Arabic, Latin) letters.
fn is_ws(c: char) -> bool {
    if c < '\u{80}' {
        return matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C');
    }
    matches!(
        c,
        '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Number of whitespace-separated words, counting at most `cap`.
fn word_count(s: &str, cap: usize) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        if is_ws(c) {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
            if n >= cap {
                return cap;
            }
        }
    }
    n
}

/// Title-like: short, does not end like a sentence.
fn title_like(raw: &str, words: usize) -> bool {
    words <= 30 && raw.len() <= 600 && !ends_with_stop(raw) && list_marker_len(raw).is_none()
}

/// Body text: a sentence, or too long for a title.
fn is_body(raw: &str, words: usize) -> bool {
    words > 30 || (words >= 6 && ends_with_stop(raw))
}

fn heading_like(raw: &str, words: usize) -> bool {
    words <= 12 && raw.chars().count() <= 120 && !ends_with_stop(raw)
}

fn quote_like(raw: &str, words: usize) -> bool {
    raw.starts_with(['“', '«', '"', '„']) && words > 12 && {
        let t = raw.trim_end_matches(['.', '،', ',']);
        t.ends_with(['”', '»', '"'])
    }
}

/// Display form of a title: list marker removed, whitespace collapsed.
pub(crate) fn display_title(raw: &str) -> String {
    let s = match list_marker_len(raw) {
        Some(n) => &raw[n..],
        None if raw.starts_with('#') => raw.trim_start_matches('#'),
        None => raw,
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a byline tells.
#[derive(Default)]
struct BylineInfo {
    source: Option<String>,
    date: Option<String>,
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '−')
}

/// Bylines and datelines: "وكالات", "وكالة الناس – …", "دبي - الشرق", "بقلم: …", a date.
fn byline(raw: &str, key: &str, words: usize, rules: &Rules) -> Option<BylineInfo> {
    if words > 12 {
        return None;
    }
    if rules.agencies.contains(key) {
        return Some(BylineInfo {
            source: Some(collapse(raw)),
            date: None,
        });
    }
    // "وكالة الناس – …": agency word, one or two more words, then a dash.
    if rules
        .agency_prefixes
        .iter()
        .any(|p| super::rules::starts_with_word(key, p))
    {
        if let Some(pos) = raw.find(is_dash) {
            let name = raw[..pos].trim();
            let n = word_count(name, 5);
            if (2..=3).contains(&n) {
                return Some(BylineInfo {
                    source: Some(collapse(name)),
                    date: None,
                });
            }
        } else if (2..=3).contains(&words) && !ends_with_stop(raw) {
            return Some(BylineInfo {
                source: Some(collapse(raw)),
                date: None,
            });
        }
    }
    if words <= 8
        && rules
            .author_prefixes
            .iter()
            .any(|p| super::rules::starts_with_word(key, p))
    {
        return Some(BylineInfo::default());
    }
    if let Some(date) = date_line(raw) {
        return Some(BylineInfo {
            source: None,
            date: Some(date),
        });
    }
    // "PLACE - SOURCE": one spaced dash, few words each side, no digits or sentence marks.
    let max = rules.dateline_max_words;
    if words <= 2 * max + 1
        && !raw
            .chars()
            .any(|c| c.is_numeric() || matches!(c, '.' | ':' | '؟' | '?' | '!' | '،' | ','))
    {
        let parts: Vec<&str> = raw.split(|c: char| is_dash(c)).collect();
        if parts.len() == 2 {
            let (place, source) = (parts[0], parts[1]);
            let spaced = place.ends_with(' ') && source.starts_with(' ');
            let (np, ns) = (word_count(place, 10), word_count(source, 10));
            if spaced && (1..=max).contains(&np) && (1..=max).contains(&ns) {
                return Some(BylineInfo {
                    source: Some(collapse(source)),
                    date: None,
                });
            }
        }
    }
    None
}

/// "16/06/2021", "2021-06-16", "16.6.2021": three numeric groups, one of four digits.
fn date_line(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.len() > 24 || t.is_empty() {
        return None;
    }
    let groups: Vec<&str> = t.split(['/', '-', '.']).map(str::trim).collect();
    let ok = groups.len() == 3
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.len() <= 4 && g.chars().all(|c| c.is_ascii_digit()))
        && groups.iter().any(|g| g.len() == 4);
    ok.then(|| t.to_owned())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Photo caption: starts with "صورة:" or ends with " - CREDIT", "| CREDIT", "(CREDIT)".
fn caption(raw: &str, key: &str, words: usize, rules: &Rules) -> bool {
    if rules.caption_prefixes.iter().any(|p| p.matches(raw, key)) {
        return true;
    }
    if !(3..=60).contains(&words) {
        return false;
    }
    let t = raw.trim_end();
    // "(رويترز)" at the very end, not followed by a full stop.
    if let Some(inner) = t.strip_suffix(')') {
        if let Some(open) = inner.rfind('(') {
            return rules.credits.contains(&normalize_key(&inner[open + 1..]));
        }
    }
    // " - REUTERS", " | AFP", " / رويترز" at the end.
    if let Some(pos) = t.rfind([' ', '\u{a0}']) {
        let before = t[..pos].trim_end();
        if before.ends_with(|c: char| is_dash(c) || c == '|' || c == '/') {
            return rules.credits.contains(&normalize_key(&t[pos..]));
        }
        // Two-word credits ("getty images", "أ ف ب") after a separator.
        if let Some(sep) = t.rfind(|c: char| is_dash(c) || c == '|' || c == '/') {
            let tail = &t[sep + t[sep..].chars().next().map_or(1, char::len_utf8)..];
            if t[..sep].ends_with(' ') && tail.starts_with(' ') && word_count(tail, 5) <= 3 {
                return rules.credits.contains(&normalize_key(tail));
            }
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    None,
    Kind(BlockKind),
    Junk(&'static str),
}

/// Classify units and cut them into articles whose blocks tile `range`.
/// With `split`, a title printed twice after some body text starts a new article.
pub(crate) fn build(
    text: &str,
    range: Range<usize>,
    units: Vec<Unit>,
    rules: &Rules,
    arabic: bool,
    split: bool,
) -> Vec<Article> {
    if range.is_empty() {
        return Vec::new();
    }
    let n = units.len();
    let raws: Vec<&str> = units.iter().map(|u| &text[u.range.clone()]).collect();
    // Word counts, capped: every rule below only compares them with small numbers.
    let words: Vec<usize> = raws.iter().map(|r| word_count(r, 64)).collect();
    let keys: Vec<String> = raws
        .iter()
        .map(|r| {
            if r.len() <= MAX_KEY_BYTES {
                normalize_key(r)
            } else {
                String::new()
            }
        })
        .collect();
    let mut labels = vec![Label::None; n];

    // 1. Boilerplate rules.
    let mut i = 0;
    while i < n {
        if units[i].hint != Some(BlockKind::Title) {
            if let Some(rule) = rules.match_boilerplate(raws[i], &keys[i], arabic) {
                labels[i] = Label::Junk(rule.name);
                if rule.next_if_short
                    && Rules::is_bare_marker(rule, &keys[i])
                    && i + 1 < n
                    && words[i + 1] <= 15
                    && !ends_with_stop(raws[i + 1])
                {
                    labels[i + 1] = Label::Junk(rule.name);
                    i += 1;
                }
            }
        }
        i += 1;
    }

    // 2. A title printed twice: the first is junk (a listing link or a repeat), the second
    //    is the title; on a listing page it starts a new article.
    let mut starts = vec![0usize];
    let mut title_of: Vec<Option<usize>> = vec![None];
    let mut body_seen = false;
    for i in 0..n {
        if let Some(Label::Kind(BlockKind::Title)) = labels.get(i).copied() {
            continue;
        }
        let twice = i + 1 < n
            && labels[i] == Label::None
            && labels[i + 1] == Label::None
            && !keys[i].is_empty()
            && keys[i] == keys[i + 1]
            && (2..=30).contains(&words[i + 1])
            && !ends_with_stop(raws[i + 1])
            && !caption(raws[i + 1], &keys[i + 1], words[i + 1], rules);
        if twice {
            if split && body_seen {
                starts.push(i);
                title_of.push(None);
                body_seen = false;
            }
            let current = title_of.len() - 1;
            if title_of[current].is_none() {
                labels[i] = Label::Junk(if list_marker_len(raws[i]).is_some() {
                    "listing-entry"
                } else {
                    "repeated"
                });
                labels[i + 1] = Label::Kind(BlockKind::Title);
                title_of[current] = Some(i + 1);
            }
            continue;
        }
        if labels[i] == Label::None && is_body(raws[i], words[i]) {
            body_seen = true;
        }
    }

    // 3. Per article.
    let mut articles = Vec::with_capacity(starts.len());
    for (k, &first) in starts.iter().enumerate() {
        let last = starts.get(k + 1).copied().unwrap_or(n);
        let a_start = if k == 0 {
            range.start
        } else {
            units[first].range.start
        };
        let a_end = match starts.get(k + 1) {
            Some(&next) => units[next].range.start,
            None => range.end,
        };
        let mut meta = ArticleMeta::default();
        let mut title = title_of[k]
            .or_else(|| (first..last).find(|&i| units[i].hint == Some(BlockKind::Title)));

        // Title: the first unlabelled unit if it looks like one (bylines before it skipped).
        if title.is_none() {
            let mut tries = 0;
            for i in first..last {
                if labels[i] != Label::None {
                    continue;
                }
                if let Some(info) = byline(raws[i], &keys[i], words[i], rules) {
                    labels[i] = Label::Kind(BlockKind::Byline);
                    take_byline(&mut meta, info);
                    tries += 1;
                    if tries < 2 {
                        continue;
                    }
                    break;
                }
                if title_like(raws[i], words[i]) && units[i].hint.is_none_or_heading() {
                    title = Some(i);
                }
                break;
            }
        }
        if let Some(t) = title {
            labels[t] = Label::Kind(BlockKind::Title);
        }
        // One title per article: another unit the HTML marked as a title (a second <h1>,
        // or <title> when a repeated line won) reads as a heading.
        for i in first..last {
            if Some(i) != title
                && labels[i] == Label::None
                && units[i].hint == Some(BlockKind::Title)
            {
                labels[i] = Label::Kind(BlockKind::Heading);
            }
        }

        let mut seen: HashSet<&str> = HashSet::new();
        let mut after_title = 0usize;
        let body_from = title.map_or(first, |t| t + 1);
        for i in first..last {
            let key = keys[i].as_str();
            let repeatable = !key.is_empty() && (key.contains(' ') || key.len() >= 12);
            if labels[i] != Label::None {
                if repeatable {
                    seen.insert(key);
                }
                continue;
            }
            if repeatable && !seen.insert(key) {
                labels[i] = Label::Junk("repeated");
                continue;
            }
            let raw = raws[i];
            let near_top = i < body_from || after_title < rules.search_blocks;
            if i >= body_from {
                after_title += 1;
            }
            if near_top {
                if let Some(info) = byline(raw, key, words[i], rules) {
                    labels[i] = Label::Kind(BlockKind::Byline);
                    take_byline(&mut meta, info);
                    continue;
                }
            }
            if caption(raw, key, words[i], rules) {
                labels[i] = Label::Kind(BlockKind::Caption);
                continue;
            }
            let kind = match units[i].hint {
                Some(h) => h,
                None => {
                    let more_body = (i + 1..last).any(|j| !matches!(labels[j], Label::Junk(_)));
                    if list_marker_len(raw).is_some() {
                        BlockKind::ListItem
                    } else if raw.starts_with('>') {
                        BlockKind::Quote
                    } else if (raw.starts_with('#') && raw.trim_start_matches('#').starts_with(' '))
                        || (heading_like(raw, words[i]) && more_body)
                    {
                        BlockKind::Heading
                    } else if quote_like(raw, words[i]) {
                        BlockKind::Quote
                    } else {
                        BlockKind::Paragraph
                    }
                }
            };
            labels[i] = Label::Kind(kind);
        }

        // 4. Blocks tiling [a_start, a_end).
        let mut blocks = Vec::with_capacity((last - first) * 2 + 1);
        let mut cursor = a_start;
        for i in first..last {
            let r = units[i].range.clone();
            if r.start > cursor {
                blocks.push(Block::new(BlockKind::Blank, cursor..r.start, None));
            }
            let (kind, rule) = match labels[i] {
                Label::Junk(name) => (BlockKind::Boilerplate, Some(name)),
                Label::Kind(k) => (k, None),
                Label::None => (BlockKind::Paragraph, None),
            };
            cursor = r.end;
            blocks.push(Block::new(kind, r, rule));
        }
        if cursor < a_end {
            blocks.push(Block::new(BlockKind::Blank, cursor..a_end, None));
        }
        let title_text = title.map(|t| display_title(raws[t])).unwrap_or_default();
        articles.push(Article {
            title: title_text,
            range: a_start..a_end,
            blocks,
            meta,
        });
    }
    articles
}

fn take_byline(meta: &mut ArticleMeta, info: BylineInfo) {
    if meta.source.is_none() {
        meta.source = info.source;
    }
    if meta.date.is_none() {
        meta.date = info.date;
    }
}

trait HintExt {
    fn is_none_or_heading(&self) -> bool;
}

impl HintExt for Option<BlockKind> {
    fn is_none_or_heading(&self) -> bool {
        matches!(self, None | Some(BlockKind::Heading))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, String)> {
        let arts = structure_plain(text, &Rules::builtin());
        arts.iter()
            .flat_map(|a| a.blocks.iter())
            .filter(|b| b.kind != BlockKind::Blank)
            .map(|b| (b.kind, text[b.range()].to_owned()))
            .collect()
    }

    #[test]
    fn lines_handle_all_line_ends() {
        let t = "a\r\nb\rc\nd";
        let ls: Vec<&str> = lines(t, 0..t.len()).into_iter().map(|r| &t[r]).collect();
        assert_eq!(ls, ["a", "b", "c", "d"]);
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker_len("• نص"), Some("• ".len()));
        assert_eq!(list_marker_len("1. نص"), Some(3));
        assert_eq!(list_marker_len("١) نص"), Some("١) ".len()));
        assert_eq!(list_marker_len("2021 نص"), None);
        assert_eq!(list_marker_len("-"), None);
    }

    #[test]
    fn simple_article() {
        let t = "عنوان الخبر هنا\n\nوكالات\n\nقال المتحدث إن الاجتماع كان مثمرا للغاية وإن الطرفين اتفقا على مواصلة الحوار.\n\nعنوان فرعي\n\nفقرة ثانية طويلة بما يكفي لتكون فقرة من فقرات الخبر المنشور اليوم.\n";
        let k = kinds(t);
        assert_eq!(k[0].0, BlockKind::Title);
        assert_eq!(k[1].0, BlockKind::Byline);
        assert_eq!(k[2].0, BlockKind::Paragraph);
        assert_eq!(k[3].0, BlockKind::Heading);
        assert_eq!(k[4].0, BlockKind::Paragraph);
    }

    #[test]
    fn hard_wrapped_lines_join() {
        let line = "هذا سطر طويل من نص ملفوف يدويا عند عرض ثابت من الأحرف";
        let t = format!("{line}\n{line}\n{line}.\n\n{line}\n{line}\n{line}.\n");
        let units = plain_units(&t, 0..t.len());
        assert_eq!(units.len(), 2);
    }
}
