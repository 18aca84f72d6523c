//! Encodings, line ends, HTML, JSON Lines, bad input, folders and sidecars. Every fixture
//! is made by the test itself in a temporary folder.

mod sources_common;

use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use qari::cli::outline::outline_document;
use qari::source::{
    list_paths, load_each, load_paths, spawn_loader, BlockKind, Document, EncodingOrigin,
    ErrorKind, Format, LineEnds, LoadEvent, LoadOptions, MetaOrigin, Rules,
};
use sources_common::{assert_tiles, kinds};

fn seed(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(name),
    )
    .unwrap()
}

fn seed002() -> String {
    seed("002_22cd7a0e0513d5f9.txt")
}

fn load(path: &Path) -> Document {
    let (mut docs, errors) = load_paths(&[path.to_path_buf()], &LoadOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, bytes).unwrap();
    p
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// The outline of a document minus its path and encoding: what must not depend on them.
fn shape(doc: &Document) -> String {
    let mut o = outline_document(doc);
    o.path.clear();
    o.encoding.clear();
    serde_json::to_string(&o).unwrap()
}

#[test]
fn windows_1256_is_detected_and_gives_the_same_outline() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed002();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&text);
    assert!(!unmappable);
    let doc = load(&write(dir.path(), "cp1256.txt", &bytes));
    let utf8 = load(&write(dir.path(), "utf8.txt", text.as_bytes()));
    assert_eq!(doc.encoding, "windows-1256");
    assert_eq!(doc.encoding_origin, EncodingOrigin::Detected);
    assert_eq!(doc.text, text);
    assert_eq!(
        shape(&doc),
        shape(&utf8),
        "same articles, kinds and code point offsets"
    );
    assert_tiles(&doc);
}

#[test]
fn iso_8859_6_is_detected_or_forced() {
    let dir = tempfile::tempdir().unwrap();
    // ISO-8859-6 has Arabic letters but no Latin quotes, dashes or harakat.
    let text = "اتفق الرئيسان على عودة السفيرين الى واشنطن وموسكو، وعلى بدء مشاورات حول الامن الالكتروني.\nوقال بوتين ان المحادثات كانت بناءة وخالية من العدائية، وان الطرفين اظهرا رغبة في فهم بعضهما.\n";
    let (bytes, _, unmappable) = encoding_rs::ISO_8859_6.encode(text);
    assert!(!unmappable);
    let path = write(dir.path(), "iso.txt", &bytes);
    let detected = load(&path);
    // The two legacy encodings share the Arabic letters of this text; either reading is right.
    assert_eq!(detected.text, text);
    assert!(
        ["ISO-8859-6", "windows-1256"].contains(&detected.encoding),
        "{}",
        detected.encoding
    );
    let opts = LoadOptions::default()
        .with_encoding_label("iso-8859-6")
        .unwrap();
    let (docs, errors) = load_paths(&[path], &opts);
    assert!(errors.is_empty());
    assert_eq!(docs[0].encoding, "ISO-8859-6");
    assert_eq!(docs[0].encoding_origin, EncodingOrigin::Forced);
    assert_eq!(docs[0].text, text);
}

#[test]
fn utf16_with_bom_both_byte_orders() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed002();
    let utf8 = load(&write(dir.path(), "utf8.txt", text.as_bytes()));
    for (name, be, enc) in [("le.txt", false, "UTF-16LE"), ("be.txt", true, "UTF-16BE")] {
        let doc = load(&write(dir.path(), name, &utf16(&text, be)));
        assert_eq!(doc.encoding, enc);
        assert_eq!(doc.encoding_origin, EncodingOrigin::Bom);
        assert_eq!(doc.text, text, "the BOM is not part of the text");
        assert_eq!(shape(&doc), shape(&utf8));
        assert_tiles(&doc);
    }
}

#[test]
fn utf8_bom_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed002();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let doc = load(&write(dir.path(), "bom.txt", &bytes));
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.encoding_origin, EncodingOrigin::Bom);
    assert_eq!(doc.text, text);
    assert_tiles(&doc);
}

#[test]
fn crlf_and_cr_line_ends_are_kept_and_understood() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed("003_990989e30db10d51.txt");
    let lf = load(&write(dir.path(), "lf.txt", text.as_bytes()));
    for (name, end, kind) in [
        ("crlf.txt", "\r\n", LineEnds::CrLf),
        ("cr.txt", "\r", LineEnds::Cr),
    ] {
        let converted = text.replace('\n', end);
        let doc = load(&write(dir.path(), name, converted.as_bytes()));
        assert_eq!(doc.line_ends, kind);
        assert_eq!(doc.text, converted, "line ends are not rewritten");
        assert_eq!(kinds(&doc), kinds(&lf), "{name}: same blocks as with LF");
        for b in doc.blocks().filter(|b| b.kind != BlockKind::Blank) {
            assert!(
                !b.text(&doc.text).contains('\r'),
                "no line end inside a one-line block"
            );
        }
        let titles: Vec<&str> = doc.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            ["الخارجية الأميركية لـ\"الشرق\": بايدن حقق أهدافه من لقاء بوتين"]
        );
        assert_tiles(&doc);
    }
}

#[test]
fn undecodable_file_is_one_clear_error_and_the_others_load() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("قمة جنيف");
    let bad = write(dir.path(), "legacy.txt", &bytes);
    let good = write(dir.path(), "good.txt", "نص سليم".as_bytes());
    let opts = LoadOptions::default().with_encoding_label("utf-8").unwrap();
    let (docs, errors) = load_paths(&[bad.clone(), good], &opts);
    assert_eq!(docs.len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::Undecodable);
    let line = errors[0].to_string();
    assert!(line.starts_with(&bad.display().to_string()), "{line}");
    assert!(
        line.contains("not valid UTF-8") && line.contains("offset 0"),
        "{line}"
    );
    // A malformed UTF-16 file (unpaired surrogate) is undecodable too.
    let (_, errors) = load_paths(
        &[write(
            dir.path(),
            "u16.txt",
            &[0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8],
        )],
        &LoadOptions::default(),
    );
    assert_eq!(errors[0].kind, ErrorKind::Undecodable, "{}", errors[0]);
    assert!(LoadOptions::default()
        .with_encoding_label("klingon")
        .unwrap_err()
        .contains("klingon"));
}

#[test]
fn binary_empty_and_missing() {
    let dir = tempfile::tempdir().unwrap();
    let bin = write(dir.path(), "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let empty = write(dir.path(), "empty.txt", b"");
    let spaces = write(dir.path(), "spaces.txt", b" \n\n\t\n");
    let missing = dir.path().join("nowhere.txt");
    let good = write(dir.path(), "good.txt", "عنوان\n\nفقرة من الخبر.".as_bytes());
    let (docs, errors) = load_paths(
        &[bin.clone(), empty, missing.clone(), spaces, good],
        &LoadOptions::default(),
    );
    // Listing errors (the missing path) come first, then loading errors.
    let reasons: Vec<(ErrorKind, String)> = errors
        .iter()
        .rev()
        .map(|e| (e.kind, e.to_string()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, ErrorKind::Binary);
    assert!(
        reasons[0].1.starts_with(&bin.display().to_string())
            && reasons[0].1.contains("NUL byte at offset 8")
    );
    assert_eq!(reasons[1].0, ErrorKind::Missing);
    assert_eq!(
        reasons[1].1,
        format!("{}: no such file or folder", missing.display())
    );

    assert_eq!(docs.len(), 3);
    let (empty, spaces, good) = (&docs[0], &docs[1], &docs[2]);
    assert_eq!(empty.text, "");
    assert!(empty.articles.is_empty(), "an empty file loads as empty");
    assert_eq!(spaces.articles.len(), 1);
    assert_eq!(
        kinds(spaces),
        Vec::<BlockKind>::new(),
        "whitespace only: a single blank block"
    );
    assert_eq!(kinds(good), [BlockKind::Title, BlockKind::Paragraph]);
    for d in &docs {
        assert_tiles(d);
    }
}

#[test]
fn folders_recurse_in_natural_order_and_skip_what_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in [
        "10.txt",
        "2.txt",
        "1.txt",
        "sub/3.txt",
        "sub/deeper/x.jsonl",
        "a/page.html",
        "noext",
    ] {
        write(d, name, "نص".as_bytes());
    }
    for name in [
        ".hidden.txt",
        ".git/config.txt",
        "1.txt.meta.toml",
        "photo.png",
        "data.bin",
    ] {
        write(d, name, b"x");
    }
    let (entries, errors) = list_paths(&[d.to_path_buf()]);
    assert!(errors.is_empty());
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            e.path
                .strip_prefix(d)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        names,
        [
            "1.txt",
            "2.txt",
            "10.txt",
            "a/page.html",
            "noext",
            "sub/3.txt",
            "sub/deeper/x.jsonl"
        ]
    );
    // A file named on the command line loads whatever its extension.
    let (entries, _) = list_paths(&[d.join("photo.png")]);
    assert_eq!(entries.len(), 1);
}

#[test]
fn sidecar_metadata_wins() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "story.txt", seed002().as_bytes());
    write(
        dir.path(),
        "story.meta.toml",
        "source = \"الغد\"\nurl = \"https://example.org/a\"\ndate = 2021-06-16\ntitle = \"قمة جنيف\"\n".as_bytes(),
    );
    let doc = load(&p);
    assert_eq!(doc.meta.source, "الغد");
    assert_eq!(doc.meta.source_origin, MetaOrigin::Sidecar);
    assert_eq!(doc.meta.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(doc.meta.date.as_deref(), Some("2021-06-16"));
    assert_eq!(doc.articles[0].title, "قمة جنيف");

    // NAME.txt.meta.toml is found too; an invalid sidecar is a warning, not a failure.
    let q = write(dir.path(), "other.txt", seed002().as_bytes());
    write(dir.path(), "other.txt.meta.toml", b"source = [unclosed");
    let doc = load(&q);
    assert_eq!(doc.meta.source, "وكالات", "falls back to the byline");
    assert_eq!(doc.warnings.len(), 1);
    assert_eq!(doc.warnings[0].kind, ErrorKind::BadSidecar);
    assert!(doc.warnings[0].to_string().contains("other.txt.meta.toml"));
}

#[test]
fn html_page_body_and_title_are_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let body = seed002();
    let paras: Vec<&str> = body
        .lines()
        .skip(4)
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"windows-1256\">\
         <title>قمة جنيف: لا بديل للحوار وجها لوجه | موقع الأخبار</title>\
         <meta property=\"og:site_name\" content=\"موقع الأخبار\"></head><body>\
         <nav><ul><li><a href=\"/\">الرئيسية</a></li><li><a href=\"/world\">عالم</a></li></ul></nav>\
         <article><h1>قمة جنيف: لا بديل للحوار وجها لوجه</h1>\
         <figure><img src=\"a.jpg\"><figcaption>بايدن وبوتين في جنيف - رويترز</figcaption></figure>",
    );
    for (i, p) in paras.iter().enumerate() {
        if i == 3 {
            html.push_str("<h2>ما بعد القمة</h2>");
        }
        if i == 5 {
            html.push_str("<blockquote><p>لا يوجد بديل للحوار وجها لوجه بين القادة، لا شيء، وأنا والرئيس بوتين نتشارك مسؤولية فريدة.</p></blockquote>");
            html.push_str("<ul><li>الحد من التسلح وتمديد معاهدة ستارت الجديدة</li><li>الأمن السيبراني والبنية التحتية الحيوية</li></ul>");
        }
        html.push_str(&format!("<p>{p}<br>\n  </p>\n"));
    }
    html.push_str(
        "</article><footer><p>اترك تعليقاً</p><script>var x = 1;</script></footer></body></html>",
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&html);
    assert!(!unmappable);
    let doc = load(&write(dir.path(), "page.html", &bytes));
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.encoding, "windows-1256");
    assert_eq!(doc.encoding_origin, EncodingOrigin::Declared);
    assert_eq!(doc.articles.len(), 1);
    let a = &doc.articles[0];
    assert!(a.title.contains("قمة جنيف"), "{}", a.title);
    let ks = kinds(&doc);
    assert_eq!(ks[0], BlockKind::Title);
    for k in [
        BlockKind::Paragraph,
        BlockKind::Heading,
        BlockKind::Quote,
        BlockKind::ListItem,
        BlockKind::Caption,
    ] {
        assert!(ks.contains(&k), "{k:?} in {ks:?}");
    }
    assert!(!doc.text.contains("var x"), "scripts are not text");
    assert!(!doc.text.contains('<'), "no markup in the text");
    assert!(doc.text.contains(paras[0]), "paragraphs keep their text");
    assert_eq!(doc.meta.source, "موقع الأخبار");
    assert_tiles(&doc);
}

#[test]
fn html_without_readable_article_falls_back_to_the_body() {
    let doc = Document::from_bytes(
        "tiny.htm",
        "<html><body><p>سطر واحد</p></body></html>".as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Html);
    assert!(doc.text.contains("سطر واحد"), "{:?}", doc.text);
    assert_tiles(&doc);
}

#[test]
fn jsonl_records_are_articles_and_bad_lines_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let body = seed002();
    let r1 = serde_json::json!({"title": "قمة جنيف", "text": body, "source": "وكالات", "url": "https://example.org/1", "date": "2021-06-16"});
    let r2 = serde_json::json!({"text": "عنوان ثان\n\nفقرة أولى من الخبر الثاني.\nفقرة ثانية."});
    let content = format!("{r1}\r\n{{\"title\": \"بلا نص\"}}\nnot json\n\n{r2}\n");
    let doc = load(&write(dir.path(), "crawl.jsonl", content.as_bytes()));
    assert_eq!(doc.format, Format::Jsonl);
    assert_eq!(doc.articles.len(), 2);
    assert_eq!(doc.articles[0].title, "قمة جنيف");
    assert_eq!(doc.articles[1].title, "عنوان ثان");
    assert_eq!(
        doc.articles[0].meta.url.as_deref(),
        Some("https://example.org/1")
    );
    assert_eq!(doc.articles[0].meta.date.as_deref(), Some("2021-06-16"));
    assert_eq!(doc.meta.source, "وكالات");
    assert_eq!(doc.meta.source_origin, MetaOrigin::Embedded);
    let warnings: Vec<String> = doc.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("crawl.jsonl: line 2:"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("crawl.jsonl: line 3:"),
        "{}",
        warnings[1]
    );
    // The record's own title line ("تفاصيل لقاء …") is a heading-like line after the given title.
    let first = &doc.articles[0];
    assert_eq!(
        first
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Title)
            .count(),
        1
    );
    assert!(first.blocks.iter().any(|b| b.kind == BlockKind::Byline));
    assert!(first
        .blocks
        .iter()
        .any(|b| b.rule() == Some("comment-form")));
    assert_tiles(&doc);

    // Sniffed without the extension; a file of only bad lines is an error.
    let sniffed = load(&write(dir.path(), "crawl", format!("{r2}\n").as_bytes()));
    assert_eq!(sniffed.format, Format::Jsonl);
    let (_, errors) = load_paths(
        &[write(dir.path(), "bad.jsonl", b"{\"x\": 1}\n")],
        &LoadOptions::default(),
    );
    assert_eq!(errors[0].kind, ErrorKind::BadRecord);
}

#[test]
fn ten_megabyte_single_line_loads_in_linear_time() {
    let unit = "بايدن وبوتين في جنيف ";
    let line = unit.repeat(10 * 1024 * 1024 / unit.len());
    assert!(line.len() > 10_000_000 - 64);
    let opts = LoadOptions::default();
    let small = &line[..line.len() / 10 / unit.len() * unit.len()];
    let t = Instant::now();
    let d_small = Document::from_bytes("small.txt", small.as_bytes(), &opts).unwrap();
    let t_small = t.elapsed();
    let t = Instant::now();
    let doc = Document::from_bytes("line.txt", line.as_bytes(), &opts).unwrap();
    let t_big = t.elapsed();
    assert_eq!(doc.articles.len(), 1);
    assert_eq!(kinds(&doc), [BlockKind::Paragraph]);
    assert_eq!(kinds(&d_small), [BlockKind::Paragraph]);
    assert_tiles(&doc);
    // Ten times the input may not take a hundred times as long (quadratic); allow noise.
    assert!(
        t_big < t_small * 40 + Duration::from_millis(500),
        "1 MB: {t_small:?}, 10 MB: {t_big:?}"
    );
}

#[test]
fn background_loader_reports_every_entry_in_order_and_can_stop() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        write(
            dir.path(),
            &format!("{i}.txt"),
            format!("عنوان {i}\n\nفقرة من الخبر رقم {i}.").as_bytes(),
        );
    }
    write(dir.path(), "5b.txt", b"\0binary");
    let (entries, _) = list_paths(&[dir.path().to_path_buf()]);
    assert_eq!(entries.len(), 13);
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = spawn_loader(entries.clone(), LoadOptions::default(), move |ev| {
        if tx.send(ev).is_ok() {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
    .unwrap();
    let events: Vec<LoadEvent> = rx.iter().collect();
    handle.join().unwrap();
    assert_eq!(events.len(), 13);
    for (i, ev) in events.iter().enumerate() {
        match ev {
            LoadEvent::Loaded {
                index, document, ..
            } => {
                assert_eq!(*index, i);
                assert_eq!(document.path, entries[i].path);
            }
            LoadEvent::Failed { index, error } => {
                assert_eq!(*index, i);
                assert_eq!(error.kind, ErrorKind::Binary);
                assert!(entries[i].path.ends_with("5b.txt"));
            }
        }
    }
    let mut seen = 0;
    load_each(&entries, &LoadOptions::default(), |_| {
        seen += 1;
        if seen == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert_eq!(seen, 3);
}

#[test]
fn rules_are_extendable() {
    let text = "عنوان الخبر\n\nاضغط هنا للاشتراك\n\nفقرة من الخبر تكفي لتكون نصا.\n";
    let plain = Document::from_bytes("a.txt", text.as_bytes(), &LoadOptions::default()).unwrap();
    assert_eq!(kinds(&plain)[1], BlockKind::Heading);
    let mut rules = (*Rules::builtin()).clone();
    rules
        .extend_from_toml("[[boilerplate]]\nname = \"subscribe\"\nabout = \"newsletter prompts\"\nprefix = [\"اضغط هنا\"]\n")
        .unwrap();
    let opts = LoadOptions {
        rules: std::sync::Arc::new(rules),
        ..LoadOptions::default()
    };
    let doc = Document::from_bytes("a.txt", text.as_bytes(), &opts).unwrap();
    let junk: Vec<_> = doc
        .blocks()
        .filter(|b| b.kind == BlockKind::Boilerplate)
        .map(|b| b.rule())
        .collect();
    assert_eq!(junk, [Some("subscribe")]);
}

#[test]
fn garbage_never_panics() {
    // A few hostile inputs: lone surrogates in UTF-16, stray CRs, bullets alone, only
    // punctuation, deeply nested HTML, truncated JSON.
    let opts = LoadOptions::default();
    let mut nested = "<div>".repeat(3000);
    nested.push_str("نص");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a.txt", b"\r\r\r\n\n\r".to_vec()),
        ("b.txt", "•\n- \n* *\n١.\n#\n>".as_bytes().to_vec()),
        ("c.txt", "“”«»\n...\n—".as_bytes().to_vec()),
        ("d.html", nested.into_bytes()),
        ("e.jsonl", b"{\"text\": \"\\ud800\"}\n{\"text\":".to_vec()),
        ("f.txt", vec![0xFE, 0xFF, 0xD8, 0x00]),
        ("g.txt", vec![0xC3]),
        (
            "h.html",
            b"<html><head><meta charset=\"utf-16\"></head><body>\xff</body></html>".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        if let Ok(doc) = Document::from_bytes(name, &bytes, &opts) {
            assert_tiles(&doc);
        }
    }
}

#[test]
fn html_nested_too_deep_to_parse_loads_as_text() {
    // html5ever is quadratic in nesting depth: 100 000 levels would take minutes.
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let html = format!(
        "<html><head><title>عنوان</title></head><body>{}<p>نص عربي طويل</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let doc = load(&write(dir.path(), "deep.html", html.as_bytes()));
    assert_eq!(doc.articles.len(), 1);
    assert!(
        doc.text.contains("نص عربي طويل"),
        "{}",
        &doc.text[..200.min(doc.text.len())]
    );
    assert_tiles(&doc);
}

#[test]
fn a_few_stray_controls_do_not_make_a_short_file_binary() {
    let dir = tempfile::tempdir().unwrap();
    let doc = load(&write(
        dir.path(),
        "bell.txt",
        "عنوان\n\nنص فيه جرس \u{7} واحد.\n".as_bytes(),
    ));
    assert!(doc.text.contains('\u{7}'));
}

#[test]
fn a_large_plain_text_file_loads_in_parts_cut_at_paragraph_ends() {
    use qari::source::{list_paths, load_each, LoadEvent};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let para = "قال الرئيس إن المحادثات كانت بناءة، وأضاف أن الوفدين سيلتقيان مجدداً.\n\n";
    let text: String = para.repeat(400); // about 50 KB
    std::fs::write(&path, &text).unwrap();
    let opts = LoadOptions {
        part_bytes: Some(8 << 10),
        ..LoadOptions::default()
    };
    let (entries, _) = list_paths(std::slice::from_ref(&path));
    let mut parts = Vec::new();
    load_each(&entries, &opts, |ev| {
        if let LoadEvent::Loaded { document, more, .. } = ev {
            parts.push((*document, more));
        }
        std::ops::ControlFlow::Continue(())
    });
    assert!(parts.len() >= 5, "{} parts", parts.len());
    // All but the last say more are coming; numbers and offsets follow each other.
    let mut offset = 0;
    for (i, (doc, more)) in parts.iter().enumerate() {
        assert_eq!(*more, i + 1 < parts.len());
        let p = doc.part.expect("a part");
        assert_eq!(p.number, i + 1);
        assert_eq!(p.offset, offset);
        assert_eq!(doc.key_name(), format!("{}#part{}", path.display(), i + 1));
        // Cut at a paragraph end, and no part far over its size.
        if i + 1 < parts.len() {
            assert!(
                doc.text.ends_with("\n\n"),
                "part {} ends mid-paragraph",
                i + 1
            );
        }
        assert!(doc.text.len() <= 2 * (8 << 10) + para.len());
        assert!(!doc.articles.is_empty());
        offset += doc.text.len();
    }
    // Together they are the file's text, byte for byte.
    let joined: String = parts.iter().map(|(d, _)| d.text.as_str()).collect();
    assert_eq!(joined, text);
    // Without part_bytes (what `qari outline` uses): one document.
    let mut n = 0;
    load_each(&entries, &LoadOptions::default(), |ev| {
        if let LoadEvent::Loaded { document, more, .. } = ev {
            assert!(!more && document.part.is_none());
            n += 1;
        }
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(n, 1);
    // A file with no line end at all is still cut, on character boundaries.
    std::fs::write(&path, "كلمة ".repeat(10_000).replace(' ', "")).unwrap();
    let mut texts = Vec::new();
    load_each(&entries, &opts, |ev| {
        if let LoadEvent::Loaded { document, .. } = ev {
            texts.push(document.text.to_string());
        }
        std::ops::ControlFlow::Continue(())
    });
    assert!(texts.len() >= 3);
    assert_eq!(texts.concat(), "كلمة".repeat(10_000));
}

#[test]
fn an_article_has_at_most_one_title_block() {
    // Found by fuzzing (fuzz/regressions/load/two-title-blocks-html): a page's <title>
    // and a repeated line both became titles.
    let bytes = b"<title>\xe6 </title>\xc3\xce\xc8\xc7\xd1<nav>| <\xc3\xce\xc8\xc7\xd1";
    let doc = Document::from_bytes("doc.html", bytes, &LoadOptions::default()).unwrap();
    for a in &doc.articles {
        let titles = a
            .blocks
            .iter()
            .filter(|b| b.kind == qari::source::BlockKind::Title)
            .count();
        assert!(titles <= 1, "{:?}", a.blocks);
    }
}

#[test]
fn an_html_pre_block_starts_and_ends_on_text() {
    // Found by fuzzing (fuzz/regressions/load/untrimmed-paragraph-html).
    let doc = Document::from_bytes("doc.html", b"<pre> m", &LoadOptions::default()).unwrap();
    for a in &doc.articles {
        for b in &a.blocks {
            if b.kind != BlockKind::Blank {
                let t = b.text(&doc.text);
                assert_eq!(t, t.trim(), "{:?}", a.blocks);
            }
        }
    }
    let doc = Document::from_bytes(
        "doc.html",
        b"<body><pre>\n  code\n    indented\n</pre></body>",
        &LoadOptions::default(),
    )
    .unwrap();
    assert!(doc.text.contains("code\n    indented"), "{:?}", doc.text);
}
