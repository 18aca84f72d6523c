//! W3C Web Annotation (JSON-LD): one `AnnotationCollection` per document.
//!
//! ```json
//! {"@context": ["http://www.w3.org/ns/anno.jsonld", {"qari": "urn:qari:vocab#"}],
//!  "id": "urn:qari:doc:NAME/annotations", "type": "AnnotationCollection", "label": "NAME",
//!  "total": 1, "first": {"type": "AnnotationPage", "startIndex": 0, "items": [
//!   {"id": "urn:qari:annotation:NAME:a1", "type": "Annotation", "motivation": "tagging",
//!    "qari:status": "confirmed",
//!    "body": [{"type": "TextualBody", "purpose": "tagging", "value": "ORG"},
//!             {"type": "SpecificResource", "purpose": "identifying",
//!              "source": "http://www.wikidata.org/entity/Q7172"},
//!             {"type": "TextualBody", "purpose": "commenting", "value": "a note"}],
//!    "target": {"source": "urn:qari:doc:NAME", "selector": [
//!      {"type": "TextPositionSelector", "start": 61, "end": 80},
//!      {"type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…"}]}}]}}
//! ```
//! Names and ids in IRIs are percent-encoded where an IRI needs it (spaces, `#`, `?`…).
//! `TextPositionSelector` counts code points of the document's LF text (the brat `.txt`),
//! in logical order; `TextQuoteSelector` carries up to [`super::QUOTE_CONTEXT`] code points
//! of context on each side, so that [`super::Quote::locate`] finds the annotation again in
//! a re-scraped text. Export only.

use serde_json::{json, Value};

use super::{AnnotatedDoc, ExportError, ExportFile, Only, Prepared, Quote};

/// The collection of `doc`'s annotations, as JSON.
pub fn export_collection(doc: &AnnotatedDoc, only: Only) -> Result<Value, ExportError> {
    let p = Prepared::new(doc, only)?;
    let name = iri_escape(&doc.name);
    let source = format!("urn:qari:doc:{name}");
    let mut items = Vec::with_capacity(p.spans.len());
    for &(a, s, e, cs, ce) in &p.spans {
        let q = Quote::new(&p.lf.text, s, e).unwrap_or(Quote {
            exact: String::new(),
            prefix: String::new(),
            suffix: String::new(),
        });
        let mut body = vec![json!({"type": "TextualBody", "purpose": "tagging", "value": a.label})];
        if let Some(id) = &a.wikidata {
            body.push(json!({
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": format!("http://www.wikidata.org/entity/{}", iri_escape(id.trim())),
            }));
        }
        if let Some(n) = &a.note {
            body.push(json!({
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": n,
            }));
        }
        items.push(json!({
            "id": format!("urn:qari:annotation:{name}:{}", iri_escape(&a.id)),
            "type": "Annotation",
            "motivation": "tagging",
            "qari:status": a.status.name(),
            "body": body,
            "target": {
                "source": source,
                "selector": [
                    {"type": "TextPositionSelector", "start": cs, "end": ce},
                    {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix, "suffix": q.suffix},
                ],
            },
        }));
    }
    Ok(json!({
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"qari": "urn:qari:vocab#"}],
        "id": format!("{source}/annotations"),
        "type": "AnnotationCollection",
        "label": doc.name,
        "total": items.len(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }))
}

/// Percent-encode what an IRI cannot contain (ASCII controls, space, `"<>\\^`{|}%#?`);
/// other characters, Arabic included, are valid in an IRI.
fn iri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_control() || c.is_whitespace() || "\"<>\\^`{|}%#?".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `NAME.jsonld`.
pub fn export(doc: &AnnotatedDoc, only: Only) -> Result<ExportFile, ExportError> {
    let v = export_collection(doc, only)?;
    let mut contents = serde_json::to_string_pretty(&v).unwrap_or_default();
    contents.push('\n');
    Ok(ExportFile {
        name: format!("{}.jsonld", doc.name),
        contents,
    })
}
