//! Label Studio tasks for a `<Labels name="label" toName="text">` + `<Text name="text"
//! value="$text">` labeling config.
//!
//! ```json
//! [{"data": {"text": "…", "name": "doc"},
//!   "annotations": [{"result": [{"id": "a1", "from_name": "label", "to_name": "text",
//!     "type": "labels", "value": {"start": 6, "end": 15, "text": "محمد صلاح", "labels": ["PER"]},
//!     "meta": {"wikidata": "Q1354960", "text": ["a note"]}}]}],
//!   "predictions": [{"model_version": "qari", "result": […]}]}]
//! ```
//! For `<Text>`, `start`/`end` are code points of `data.text` (Label Studio indexes the
//! JavaScript string by code points since PR #1559; `<HyperText>` would differ and is not
//! written). Confirmed annotations are the task's one annotation; suggested ones (with
//! [`Only::All`]) are its one prediction. A note is the region's `meta.text` (what Label
//! Studio shows as the region's meta); the Wikidata id is qari's own `meta.wikidata`.
//!
//! Import reads a JSON array of tasks (or one task object): every `labels` result of every
//! annotation is confirmed, every one of every prediction suggested (one annotation per
//! label when a region has several); other result types (relations, choices…) are
//! ignored. JSON syntax errors name their line; other errors name the line where the task
//! starts, the task's index and the result's path (`annotations[0].result[2]`).

use serde_json::{json, Map, Value};

use super::{
    AnnotatedDoc, Annotation, CpMap, ExportError, ExportFile, ImportError, Only, Prepared, Status,
};

/// The task of one document.
pub fn export_task(doc: &AnnotatedDoc, only: Only) -> Result<Value, ExportError> {
    let p = Prepared::new(doc, only)?;
    let mut confirmed = Vec::new();
    let mut suggested = Vec::new();
    for &(a, s, e, cs, ce) in &p.spans {
        let mut r = Map::new();
        r.insert("id".into(), json!(a.id));
        r.insert("from_name".into(), json!("label"));
        r.insert("to_name".into(), json!("text"));
        r.insert("type".into(), json!("labels"));
        r.insert(
            "value".into(),
            json!({"start": cs, "end": ce, "text": &p.lf.text[s..e], "labels": [a.label]}),
        );
        let mut meta = Map::new();
        if let Some(n) = &a.note {
            meta.insert("text".into(), json!([n]));
        }
        if let Some(q) = &a.wikidata {
            meta.insert("wikidata".into(), json!(q));
        }
        if !meta.is_empty() {
            r.insert("meta".into(), Value::Object(meta));
        }
        match a.status {
            Status::Suggested => suggested.push(Value::Object(r)),
            _ => confirmed.push(Value::Object(r)),
        }
    }
    let mut task = Map::new();
    task.insert("data".into(), json!({"text": p.lf.text, "name": doc.name}));
    if !confirmed.is_empty() {
        task.insert("annotations".into(), json!([{ "result": confirmed }]));
    }
    if !suggested.is_empty() {
        task.insert(
            "predictions".into(),
            json!([{ "model_version": "qari", "result": suggested }]),
        );
    }
    Ok(Value::Object(task))
}

/// A JSON file with an array of tasks, one per document.
pub fn export(
    file_name: &str,
    docs: &[AnnotatedDoc],
    only: Only,
) -> Result<ExportFile, ExportError> {
    let tasks = docs
        .iter()
        .map(|d| export_task(d, only))
        .collect::<Result<Vec<_>, _>>()?;
    let mut contents = serde_json::to_string_pretty(&Value::Array(tasks)).unwrap_or_default();
    contents.push('\n');
    Ok(ExportFile {
        name: file_name.to_string(),
        contents,
    })
}

/// Read a Label Studio JSON export (an array of tasks, or one task).
pub fn import(file: &str, contents: &str) -> Result<Vec<AnnotatedDoc>, ImportError> {
    let v: Value = serde_json::from_str(contents)
        .map_err(|e| ImportError::new(file, e.line(), format!("invalid JSON: {e}")))?;
    let tasks: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![&v],
        _ => return Err(ImportError::new(file, 1, "expected an array of tasks")),
    };
    let lines = task_lines(contents);
    tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let line = if lines.len() == tasks.len() {
                lines[i]
            } else {
                0
            };
            import_task(file, line, i, t)
        })
        .collect()
}

/// The 1-based line where each object of the top-level array (or the top-level object)
/// starts: a small scan of the JSON's brackets and strings, for error messages.
fn task_lines(contents: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut line, mut depth) = (1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    let top_is_array = contents.trim_start().starts_with('[');
    for c in contents.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                if c == '{' && depth == usize::from(top_is_array) {
                    out.push(line);
                }
                depth += 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

fn import_task(
    file: &str,
    line: usize,
    index: usize,
    task: &Value,
) -> Result<AnnotatedDoc, ImportError> {
    let err = |m: String| ImportError::new(file, line, format!("task {index}: {m}"));
    let text = task
        .pointer("/data/text")
        .and_then(Value::as_str)
        .ok_or_else(|| err("no string data.text".into()))?;
    let name = task
        .pointer("/data/name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| task.get("id").map(|id| id.to_string()))
        .unwrap_or_else(|| format!("{file}#{index}"));
    let map = CpMap::new(text);
    let mut annotations = Vec::new();
    for (key, status) in [
        ("annotations", Status::Confirmed),
        ("predictions", Status::Suggested),
    ] {
        let Some(list) = task.get(key) else { continue };
        let list = list
            .as_array()
            .ok_or_else(|| err(format!("{key} is not an array")))?;
        for (j, an) in list.iter().enumerate() {
            let results = an
                .get("result")
                .and_then(Value::as_array)
                .ok_or_else(|| err(format!("{key}[{j}] has no result array")))?;
            for (k, r) in results.iter().enumerate() {
                let where_ = format!("{key}[{j}].result[{k}]");
                if r.get("type").and_then(Value::as_str) != Some("labels") {
                    continue;
                }
                let val = r
                    .get("value")
                    .ok_or_else(|| err(format!("{where_}: no value")))?;
                let g = |f: &str| val.get(f).and_then(Value::as_u64).map(|x| x as usize);
                let (Some(s), Some(e)) = (g("start"), g("end")) else {
                    return Err(err(format!("{where_}: value needs integer start and end")));
                };
                if s > e {
                    return Err(err(format!("{where_}: start {s} is after end {e}")));
                }
                let (Some(bs), Some(be)) = (map.to_byte(s), map.to_byte(e)) else {
                    return Err(err(format!(
                        "{where_}: offsets {s}..{e} are past the end of the text ({} code points)",
                        map.len_chars()
                    )));
                };
                if let Some(t) = val.get("text").and_then(Value::as_str) {
                    if t != &text[bs..be] {
                        return Err(err(format!(
                            "{where_}: text {t:?} does not match the text at {s}..{e} ({:?})",
                            &text[bs..be]
                        )));
                    }
                }
                let labels = val
                    .get("labels")
                    .and_then(Value::as_array)
                    .ok_or_else(|| err(format!("{where_}: no labels array")))?;
                let id = r
                    .get("id")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{key}{j}.{k}"), str::to_string);
                for l in labels {
                    let Some(l) = l
                        .as_str()
                        .filter(|l| !l.is_empty() && !l.chars().any(char::is_whitespace))
                    else {
                        return Err(err(format!("{where_}: bad label {l}")));
                    };
                    let mut a = Annotation::new(id.clone(), bs, be, l);
                    a.status = status;
                    a.note = r
                        .pointer("/meta/text/0")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    a.wikidata = r
                        .pointer("/meta/wikidata")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    annotations.push(a);
                }
            }
        }
    }
    Ok(AnnotatedDoc {
        name,
        text: text.to_string(),
        annotations,
    })
}
