//! The five seed pages: seven articles with their titles, every junk line classified as
//! boilerplate and nothing else, the structure of each page, and exact tiling.
//!
//! The expectations below were written by reading each seed line by line: `JUNK` lists
//! every line of scraping residue (line number and text), `STRUCTURE` lists every line
//! that is not a paragraph of news text. Every other non-blank line must be a paragraph.

mod sources_common;

use std::path::{Path, PathBuf};

use qari::source::{load_paths, BlockKind, Document, LoadOptions, MetaOrigin};
use sources_common::{assert_tiles, kinds_by_line, line_of};

/// The seed file names, as the binary embeds them.
fn seed_names() -> Vec<&'static str> {
    qari::corpus::SAMPLE.iter().map(|(name, _)| *name).collect()
}

fn seed_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(name)
}

fn load_seeds() -> Vec<Document> {
    let paths: Vec<PathBuf> = seed_names().into_iter().map(seed_path).collect();
    let (docs, errors) = load_paths(&paths, &LoadOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 5);
    docs
}

/// Every junk line of every seed: (seed index, line number, rule, text).
const JUNK: &[(usize, usize, &str, &str)] = &[
    (0, 1, "navigation", "عاجل"),
    (0, 2, "residue", "0020"),
    (0, 3, "foreign-fragment", "moasem"),
    (0, 4, "foreign-fragment", "sum"),
    (0, 5, "residue", "003"),
    (0, 6, "residue", "004"),
    (0, 7, "residue", "006"),
    (0, 8, "residue", "007"),
    (0, 9, "residue", "008"),
    (0, 10, "foreign-fragment", "Bash"),
    (0, 11, "foreign-fragment", "Hofa"),
    (0, 12, "foreign-fragment", "Diamondd"),
    (0, 13, "navigation", "previous arrow"),
    (0, 14, "navigation", "next arrow"),
    (1, 1, "tags", "Tag: قمة بايدن وبوتين"),
    (1, 3, "listing-entry", "• بايدن يجري محادثات عبر الفيديو مع بوتين الثلاثاء بشأن أوكرانيا"),
    (1, 29, "listing-entry", "• “بلومبرغ”: “نصر” بايدن وبوتين في قمة جنيف لا يبدّد خلافاتهما"),
    (1, 76, "listing-entry", "• ما أبرز التوقعات بشأن قمة بايدن وبوتين؟"),
    (2, 33, "comment-form", "اترك تعليقاً"),
    (2, 35, "comment-form", "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"),
    (3, 3, "reading-time", "time reading iconدقائق القراءة - 4"),
    (
        3,
        5,
        "repeated",
        "الرئيس الأميركي جو بايدن يتحدث إلى الصحافيين قبل مغادرته جنيف بعد لقاء نظيره الروسي فلاديمر بوتين - 16 يونيو 2021. - REUTERS",
    ),
    (3, 36, "read-also", "اقرأ أيضاً:"),
];

/// Every line that is neither junk nor a paragraph: (seed index, line number, kind).
const STRUCTURE: &[(usize, usize, BlockKind)] = &[
    (0, 16, BlockKind::Title),
    (0, 22, BlockKind::Byline),
    (0, 30, BlockKind::Heading),
    (0, 38, BlockKind::Heading),
    (0, 50, BlockKind::ListItem),
    (0, 51, BlockKind::ListItem),
    (0, 52, BlockKind::ListItem),
    (0, 54, BlockKind::Heading),
    (0, 60, BlockKind::Heading),
    (0, 68, BlockKind::Heading),
    (1, 5, BlockKind::Title),
    (1, 31, BlockKind::Title),
    (1, 41, BlockKind::Heading),
    (1, 54, BlockKind::Heading),
    (1, 66, BlockKind::Heading),
    (1, 78, BlockKind::Title),
    (1, 86, BlockKind::Heading),
    (2, 1, BlockKind::Title),
    (2, 3, BlockKind::Byline),
    (3, 1, BlockKind::Title),
    (3, 4, BlockKind::Caption),
    (3, 6, BlockKind::Byline),
    (3, 14, BlockKind::Heading),
    (3, 24, BlockKind::Heading),
    (4, 1, BlockKind::Title),
    (4, 9, BlockKind::Heading),
    (4, 18, BlockKind::Heading),
    (4, 27, BlockKind::Heading),
    (4, 30, BlockKind::Heading),
];

#[test]
fn seeds_give_seven_articles_with_their_titles() {
    let docs = load_seeds();
    let titles: Vec<Vec<&str>> = docs
        .iter()
        .map(|d| d.articles.iter().map(|a| a.title.as_str()).collect())
        .collect();
    assert_eq!(
        titles,
        vec![
            vec!["بوتين يعلن الإتفاق مع بايدن على إجراء مشاورات حول الأمن الرقمي (الإلكتروني)"],
            vec![
                "بايدن يجري محادثات عبر الفيديو مع بوتين الثلاثاء بشأن أوكرانيا",
                "“بلومبرغ”: “نصر” بايدن وبوتين في قمة جنيف لا يبدّد خلافاتهما",
                "ما أبرز التوقعات بشأن قمة بايدن وبوتين؟",
            ],
            vec!["تفاصيل لقاء بايدن وبوتين على أرض محايدة.. والرئيس الأمريكي: لا يوجد بديل للحوار وجها لوجه"],
            vec!["الخارجية الأميركية لـ\"الشرق\": بايدن حقق أهدافه من لقاء بوتين"],
            vec!["القمة الأمريكية الروسية 2021.. أجواء ومكاسب لقاء بايدن وبوتين"],
        ]
    );
    assert_eq!(titles.iter().map(Vec::len).sum::<usize>(), 7);
}

#[test]
fn listing_page_articles_start_at_their_entries() {
    let docs = load_seeds();
    let d = &docs[1];
    let starts: Vec<usize> = d
        .articles
        .iter()
        .map(|a| line_of(&d.text, a.range.start))
        .collect();
    // The first article also holds the tag line; the others start at their listing entry.
    assert_eq!(starts, [1, 29, 76]);
    for a in &d.articles {
        let titles = a
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Title)
            .count();
        assert_eq!(titles, 1, "one title block per article");
    }
}

#[test]
fn every_junk_line_is_boilerplate_and_nothing_else_is() {
    let docs = load_seeds();
    for (i, doc) in docs.iter().enumerate() {
        let got: Vec<(usize, &str, &str)> = doc
            .blocks()
            .filter(|b| b.kind == BlockKind::Boilerplate)
            .map(|b| {
                (
                    line_of(&doc.text, b.range().start),
                    b.rule().unwrap_or("?"),
                    b.text(&doc.text),
                )
            })
            .collect();
        let want: Vec<(usize, &str, &str)> = JUNK
            .iter()
            .filter(|j| j.0 == i)
            .map(|&(_, line, rule, text)| (line, rule, text))
            .collect();
        assert_eq!(got, want, "boilerplate of seed {}", seed_names()[i]);
    }
}

#[test]
fn every_other_line_has_its_reviewed_kind() {
    let docs = load_seeds();
    for (i, doc) in docs.iter().enumerate() {
        for (kind, line) in kinds_by_line(doc) {
            if kind == BlockKind::Boilerplate {
                continue; // checked above
            }
            let want = STRUCTURE
                .iter()
                .find(|s| s.0 == i && s.1 == line)
                .map_or(BlockKind::Paragraph, |s| s.2);
            assert_eq!(kind, want, "seed {} line {line}", seed_names()[i]);
        }
        // And every line listed is present with that kind.
        for s in STRUCTURE.iter().filter(|s| s.0 == i) {
            assert!(
                kinds_by_line(doc).contains(&(s.2, s.1)),
                "seed {} line {} should be {:?}",
                seed_names()[i],
                s.1,
                s.2
            );
        }
    }
}

#[test]
fn every_non_blank_line_is_one_block() {
    // The seeds are one paragraph per line: no line is split or merged.
    for (i, doc) in load_seeds().iter().enumerate() {
        let lines = doc.text.lines().filter(|l| !l.trim().is_empty()).count();
        let blocks = doc.blocks().filter(|b| b.kind != BlockKind::Blank).count();
        assert_eq!(lines, blocks, "seed {}", seed_names()[i]);
    }
}

#[test]
fn byte_and_code_point_ranges_tile_the_seeds() {
    for (i, doc) in load_seeds().iter().enumerate() {
        assert_tiles(doc);
        let raw = std::fs::read(seed_path(seed_names()[i])).unwrap();
        assert_eq!(
            doc.text.as_bytes(),
            &raw[..],
            "UTF-8 seeds decode to themselves"
        );
        assert_eq!(doc.encoding, "UTF-8");
    }
}

#[test]
fn sources_come_from_bylines_else_the_file_name() {
    let docs = load_seeds();
    let got: Vec<(&str, MetaOrigin)> = docs
        .iter()
        .map(|d| (d.meta.source.as_str(), d.meta.source_origin))
        .collect();
    assert_eq!(
        got,
        [
            ("وكالة الناس", MetaOrigin::Inferred),
            ("001_05dbd7d067c3b654", MetaOrigin::FileName),
            ("وكالات", MetaOrigin::Inferred),
            ("الشرق", MetaOrigin::Inferred),
            ("004_fcfccb8db0a61b92", MetaOrigin::FileName),
        ]
    );
}

#[test]
fn from_bytes_gives_the_same_document_as_the_file() {
    let opts = LoadOptions::default();
    for (doc, name) in load_seeds().iter().zip(seed_names()) {
        let bytes = std::fs::read(seed_path(name)).unwrap();
        let mem = Document::from_bytes(name, &bytes, &opts).unwrap();
        assert_eq!(mem.text, doc.text);
        assert_eq!(mem.articles, doc.articles);
        assert_eq!(mem.meta.source, doc.meta.source);
    }
}

#[test]
fn hidden_view_keeps_only_news_text() {
    let docs = load_seeds();
    let d = &docs[0];
    let shown: Vec<&str> = d.articles[0]
        .visible_blocks(false)
        .map(|b| b.text(&d.text))
        .collect();
    assert!(
        shown[0].starts_with("بوتين يعلن"),
        "the clean view starts at the title"
    );
    assert!(!shown.contains(&"next arrow"));
    let all = d.articles[0].visible_blocks(true).count();
    assert_eq!(
        all,
        shown.len() + 14,
        "showing boilerplate brings back the 14 junk lines"
    );
}
