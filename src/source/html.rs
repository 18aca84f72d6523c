//! HTML pages: the article body and title are extracted with dom_smoothie (a port of
//! Mozilla's Readability), then the kept elements become blocks of the matching kind
//! (h1–h6 → heading, li → list item, blockquote → quote, figcaption → caption, the rest →
//! paragraph). A page readability cannot handle falls back to the whole `<body>`.
//!
//! The document text is the extracted text: the title, then each block's text with its
//! whitespace collapsed as a browser shows it (`<br>` kept as a line end), separated by
//! blank lines. The boilerplate rules then apply as for plain text.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::NodeRef;

use super::meta::Extracted;
use super::rules::Rules;
use super::structure::{build, mostly_arabic, Unit};
use super::{Article, BlockKind};

pub(crate) struct Parsed {
    pub text: String,
    pub articles: Vec<Article>,
    pub meta: Extracted,
}

struct Readable {
    title: String,
    blocks: Vec<(BlockKind, String)>,
    meta: Extracted,
}

/// Pages nested deeper than this, or with more elements, skip readability (its scoring
/// grows much faster than linearly with depth) and fall back to the whole body. Real news
/// pages stay far below both.
const MAX_READABILITY_DEPTH: usize = 120;
const MAX_READABILITY_ELEMENTS: usize = 50_000;

/// Deeper than this, the block walker takes an element's text as inline text.
const MAX_WALK_DEPTH: usize = 200;

/// Estimated nesting past which the page is not parsed at all: html5ever's tree builder is
/// quadratic in the depth (8 000 levels take half a second, 100 000 over a minute).
const MAX_PARSE_DEPTH: usize = 1_000;

pub(crate) fn extract(src: &str, rules: &Rules) -> Parsed {
    // Readability must not take the loader down, whatever the page holds.
    let readable = if estimated_depth(src) > MAX_PARSE_DEPTH {
        Some(stripped_text(src))
    } else {
        None
    };
    let readable = readable
        .or_else(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let doc = dom_query::Document::from(src);
                let (depth, elements) = measure(&doc);
                if depth <= MAX_READABILITY_DEPTH && elements <= MAX_READABILITY_ELEMENTS {
                    readability(doc)
                } else {
                    None
                }
            }))
            .ok()
            .flatten()
            .filter(|r| !r.blocks.is_empty())
        })
        .or_else(|| catch_unwind(AssertUnwindSafe(|| whole_body(src))).ok())
        .unwrap_or(Readable {
            title: String::new(),
            blocks: Vec::new(),
            meta: Extracted::default(),
        });

    let mut text = String::new();
    let mut units = Vec::new();
    let title = readable
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !title.is_empty() {
        text.push_str(&title);
        units.push(Unit {
            range: 0..text.len(),
            hint: Some(BlockKind::Title),
        });
    }
    for (kind, t) in &readable.blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(t);
        units.push(Unit {
            range: start..text.len(),
            hint: Some(*kind),
        });
    }
    let arabic = mostly_arabic(&text);
    let len = text.len();
    let articles = build(&text, 0..len, units, rules, arabic, false);
    Parsed {
        text,
        articles,
        meta: readable.meta,
    }
}

/// An upper estimate of the element nesting, from the tags alone (void and self-closing
/// elements do not nest; unclosed optional tags count, which only errs toward caution).
fn estimated_depth(src: &str) -> usize {
    const VOID: [&[u8]; 14] = [
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr", b"param",
    ];
    let bytes = src.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        let at = i + off + 1;
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| at + e);
        let tag = &bytes[at..end];
        if tag.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
        } else if tag.first().is_some_and(u8::is_ascii_alphabetic) && tag.last() != Some(&b'/') {
            let name_len = tag
                .iter()
                .position(|b| b.is_ascii_whitespace())
                .unwrap_or(tag.len());
            let name = tag[..name_len].to_ascii_lowercase();
            if !VOID.contains(&name.as_slice()) {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = end.min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    max
}

/// The page's text with the tags taken out, for pages too deep to parse: one paragraph,
/// whitespace collapsed, the `<title>` as title.
fn stripped_text(src: &str) -> Readable {
    let lower = src.to_ascii_lowercase();
    let title = lower
        .find("<title")
        .and_then(|t| Some((t, lower[t..].find('>')? + t + 1)))
        .and_then(|(_, from)| Some((from, lower[from..].find("</title")? + from)))
        .map(|(from, to)| {
            src[from..to]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let mut text = String::new();
    let mut in_tag = false;
    for c in src.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let body = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Readable {
        title,
        blocks: if body.is_empty() {
            Vec::new()
        } else {
            vec![(BlockKind::Paragraph, body)]
        },
        meta: Extracted::default(),
    }
}

/// Maximum element depth and number of elements, without recursion.
fn measure(doc: &dom_query::Document) -> (usize, usize) {
    let mut stack = vec![(doc.root(), 0usize)];
    let (mut max_depth, mut elements) = (0, 0);
    while let Some((node, depth)) = stack.pop() {
        if node.is_element() {
            elements += 1;
            max_depth = max_depth.max(depth);
        }
        stack.extend(node.children_it(false).map(|c| (c, depth + 1)));
    }
    (max_depth, elements)
}

fn readability(doc: dom_query::Document) -> Option<Readable> {
    let mut r = dom_smoothie::Readability::with_document(doc, None, None).ok()?;
    let article = r.parse().ok()?;
    let doc = dom_query::Document::from(article.content.as_ref());
    let mut blocks = Vec::new();
    let mut buf = String::new();
    walk(&doc.root(), BlockKind::Paragraph, &mut buf, &mut blocks, 0);
    flush(&mut buf, BlockKind::Paragraph, &mut blocks);
    Some(Readable {
        title: article.title,
        blocks,
        meta: Extracted {
            source: article.site_name,
            url: article.url,
            date: article.published_time,
        },
    })
}

fn whole_body(src: &str) -> Readable {
    let doc = dom_query::Document::from(src);
    let title = doc.select("title").text().to_string();
    let mut blocks = Vec::new();
    let mut buf = String::new();
    if let Some(body) = doc.body() {
        walk(&body, BlockKind::Paragraph, &mut buf, &mut blocks, 0);
    } else {
        walk(&doc.root(), BlockKind::Paragraph, &mut buf, &mut blocks, 0);
    }
    flush(&mut buf, BlockKind::Paragraph, &mut blocks);
    Readable {
        title,
        blocks,
        meta: Extracted::default(),
    }
}

/// Marks a `<br>` in the collected text (source newlines are only whitespace).
const LINE_BREAK: char = '\u{2028}';

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "hr"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "body"
            | "html"
    )
}

fn kind_for(name: &str, ctx: BlockKind) -> BlockKind {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "li" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        "figcaption" | "caption" => BlockKind::Caption,
        _ if matches!(
            ctx,
            BlockKind::Quote | BlockKind::ListItem | BlockKind::Caption
        ) =>
        {
            ctx
        }
        _ => BlockKind::Paragraph,
    }
}

fn walk(
    node: &NodeRef,
    ctx: BlockKind,
    buf: &mut String,
    out: &mut Vec<(BlockKind, String)>,
    depth: usize,
) {
    for child in node.children_it(false) {
        if child.is_text() {
            buf.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        if depth >= MAX_WALK_DEPTH {
            buf.push(' ');
            buf.push_str(&child.text());
            continue;
        }
        let name = child
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            "script" | "style" | "noscript" | "template" | "svg" | "head" | "iframe" | "object"
            | "canvas" | "select" | "option" | "button" | "input" | "textarea" => {}
            "br" => buf.push(LINE_BREAK),
            "pre" => {
                flush(buf, ctx, out);
                let t = child.text();
                // Inner lines keep their indentation; the block itself starts and ends on
                // text, like every content block (found by fuzzing: `<pre> m`).
                let t = t.trim();
                if !t.trim().is_empty() {
                    out.push((BlockKind::Paragraph, t.to_owned()));
                }
            }
            n if is_block(n) => {
                flush(buf, ctx, out);
                let kind = kind_for(n, ctx);
                walk(&child, kind, buf, out, depth + 1);
                flush(buf, kind, out);
            }
            _ => walk(&child, ctx, buf, out, depth + 1),
        }
    }
}

/// Emit the collected inline text as one block: whitespace collapsed per line.
fn flush(buf: &mut String, kind: BlockKind, out: &mut Vec<(BlockKind, String)>) {
    if buf.trim().is_empty() {
        buf.clear();
        return;
    }
    let lines: Vec<String> = buf
        .split(LINE_BREAK)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    buf.clear();
    if !lines.is_empty() {
        out.push((kind, lines.join("\n")));
    }
}
