#!/usr/bin/env python3
"""Re-read qari's annotation exports with each field's own parser.

Usage: check_exports.py DIR

DIR holds one export of the same documents in every format:
  DIR/brat/NAME.txt + NAME.ann   brat standoff (read by a minimal reader and, if
                                 installed, pybrat)
  DIR/*.jsonl                    JSONL spans (spaCy Doc.char_span on spacy.blank("ar"))
  DIR/*.conll                    CoNLL IOB2 (seqeval, strict IOB2 scheme)
  DIR/*.ls.json                  Label Studio tasks
  DIR/*.jsonld                   W3C Web Annotation collections

Invariants: Python code point slices of the text equal the exported surfaces; JSONL,
Label Studio and W3C offsets equal brat offsets; IOB2 is strict (every entity starts
with B-) and each IOB2 entity matches a span of the same label. Exits 1 on failure.
Requires seqeval and spacy; pybrat is optional.
"""

import glob
import json
import os
import sys

from seqeval.metrics import f1_score
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, Tokens
import spacy

CONTEXT = 32
errors = []
warnings = []


def fail(msg):
    errors.append(msg)


def read(path):
    # newline="" keeps line ends as they are: offsets count code points of the file.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def read_brat(directory):
    """name -> (text, {T id: (label, [(start, end)], mention)}) with a minimal reader."""
    docs = {}
    for ann_path in sorted(glob.glob(os.path.join(directory, "*.ann"))):
        name = os.path.basename(ann_path)[: -len(".ann")]
        text = read(os.path.join(directory, name + ".txt"))
        if "\r" in text:
            fail(f"{name}.txt: contains CR")
        ents = {}
        for n, line in enumerate(read(ann_path).split("\n"), 1):
            if not line.startswith("T"):
                continue
            tid, mid, mention = line.split("\t")
            label, offs = mid.split(" ", 1)
            frags = [tuple(int(x) for x in f.split(" ")) for f in offs.split(";")]
            got = " ".join(text[s:e] for s, e in frags)
            if got != mention:
                fail(f"{name}.ann:{n}: {mention!r} != text {got!r}")
            for s, e in frags:
                if "\n" in text[s:e]:
                    fail(f"{name}.ann:{n}: fragment contains a line end")
            ents[tid] = (label, frags, mention)
        docs[name] = (text, ents)
    return docs


def check_pybrat(directory, docs):
    try:
        from pybrat.parser import BratParser
    except ImportError:
        print("pybrat not installed: minimal brat reader only")
        return
    examples = BratParser(error="raise").parse(directory)
    seen = 0
    for ex in examples:
        for e in ex.entities:
            seen += 1
            got = " ".join(ex.text[s.start:s.end] for s in e.spans)
            if got != e.mention:
                fail(f"pybrat {ex.id} {e.id}: {e.mention!r} != {got!r}")
    want = sum(len(ents) for _, ents in docs.values())
    if seen != want:
        fail(f"pybrat read {seen} entities, expected {want}")
    print(f"pybrat: {seen} entities")


def brat_spans(docs):
    out = {}
    for name, (_, ents) in docs.items():
        out[name] = sorted((f[0][0], f[-1][1], label) for label, f, _ in ents.values())
    return out


def check_jsonl(path, nlp, brat):
    for n, line in enumerate(read(path).split("\n"), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        name, text = d["meta"]["name"], d["text"]
        doc = nlp.make_doc(text)
        spans = []
        for sp in d["spans"]:
            s, e, label = sp["start"], sp["end"], sp["label"]
            spans.append((s, e, label))
            if text[s:e] != sp["text"]:
                fail(f"{path}:{n}: {sp['text']!r} != text {text[s:e]!r}")
            if doc.char_span(s, e, label=label) is None:
                exp = doc.char_span(s, e, label=label, alignment_mode="expand")
                warnings.append(
                    f"{path}:{n}: {sp['text']!r} is not token-aligned for spaCy "
                    f"(expands to {exp.text if exp is not None else None!r})"
                )
        if name in brat and sorted(spans) != brat[name]:
            fail(f"{path}:{n}: spans {sorted(spans)} != brat {brat[name]}")
        yield name, text, spans


def read_conll(path):
    sentences, cur = [], []
    for n, line in enumerate(read(path).split("\n"), 1):
        if not line.strip():
            if cur:
                sentences.append(cur)
            cur = []
            continue
        tok, tag = line.split("\t")
        if not tok or any(c.isspace() for c in tok):
            fail(f"{path}:{n}: bad token {tok!r}")
        cur.append((tok, tag))
    if cur:
        sentences.append(cur)
    return sentences


def check_conll(path, spans_text):
    sentences = read_conll(path)
    tags = [[t for _, t in s] for s in sentences]
    if f1_score(tags, tags, mode="strict", scheme=IOB2) not in (1.0, 0.0):
        fail(f"{path}: seqeval strict self-F1 is not 1")
    count = 0
    for s, sent_tags in zip(sentences, tags):
        strict = Tokens(sent_tags, scheme=IOB2).entities
        lenient = get_entities(sent_tags)
        if len(strict) != len(lenient):
            fail(f"{path}: not strict IOB2: {sent_tags}")
        for ent in strict:
            count += 1
            joined = "".join(tok for tok, _ in s[ent.start:ent.end])
            ok = any(
                label == ent.tag and (t in joined or joined in t)
                for label, t in spans_text
            )
            if not ok:
                fail(f"{path}: IOB2 entity {ent.tag} {joined!r} matches no span")
    print(f"{os.path.basename(path)}: {len(sentences)} sentences, {count} strict IOB2 entities")


def check_label_studio(path, brat):
    for i, task in enumerate(json.loads(read(path))):
        text = task["data"]["text"]
        spans = []
        for key in ("annotations", "predictions"):
            for a in task.get(key, []):
                for r in a["result"]:
                    v = r["value"]
                    if text[v["start"]:v["end"]] != v["text"]:
                        fail(f"{path}: task {i}: {v['text']!r} != {text[v['start']:v['end']]!r}")
                    if (r["from_name"], r["to_name"], r["type"]) != ("label", "text", "labels"):
                        fail(f"{path}: task {i}: unexpected from_name/to_name/type")
                    spans += [(v["start"], v["end"], l) for l in v["labels"]]
        name = task["data"].get("name")
        if name in brat and sorted(spans) != brat[name]:
            fail(f"{path}: task {i}: {sorted(spans)} != brat {brat[name]}")


def check_w3c(path, brat_docs, brat):
    c = json.loads(read(path))
    name = c["label"]
    if c["type"] != "AnnotationCollection" or name not in brat_docs:
        fail(f"{path}: not a collection of a known document")
        return
    text = brat_docs[name][0]
    spans = []
    for a in c["first"]["items"]:
        pos, quote = a["target"]["selector"]
        s, e = pos["start"], pos["end"]
        if (pos["type"], quote["type"]) != ("TextPositionSelector", "TextQuoteSelector"):
            fail(f"{path}: {a['id']}: selector types")
        if text[s:e] != quote["exact"]:
            fail(f"{path}: {a['id']}: exact {quote['exact']!r} != {text[s:e]!r}")
        if text[max(0, s - CONTEXT):s] != quote["prefix"] or text[e:e + CONTEXT] != quote["suffix"]:
            fail(f"{path}: {a['id']}: prefix/suffix do not match the text")
        tags = [b["value"] for b in a["body"] if b.get("purpose") == "tagging"]
        spans += [(s, e, t) for t in tags]
    if sorted(spans) != brat.get(name):
        fail(f"{path}: {sorted(spans)} != brat {brat.get(name)}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    brat_dir = os.path.join(d, "brat")
    brat_docs = read_brat(brat_dir)
    check_pybrat(brat_dir, brat_docs)
    brat = brat_spans(brat_docs)
    nlp = spacy.blank("ar")
    by_name = {}
    for path in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
        for name, text, spans in check_jsonl(path, nlp, brat):
            # Whitespace-free span surfaces, to match IOB2 entities (joined tokens).
            by_name[name] = [(l, "".join(text[s:e].split())) for s, e, l in spans]
    for path in sorted(glob.glob(os.path.join(d, "*.conll"))):
        name = os.path.basename(path)[: -len(".conll")]
        check_conll(path, by_name.get(name, []))
    for path in sorted(glob.glob(os.path.join(d, "*.ls.json"))):
        check_label_studio(path, brat)
    for path in sorted(glob.glob(os.path.join(d, "*.jsonld"))):
        check_w3c(path, brat_docs, brat)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{len(brat_docs)} documents, {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
