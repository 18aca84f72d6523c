#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets from the repository's own material.

Usage (from the repository root):
    python3 fuzz/tools/make_seeds.py OUT EXPORTS

OUT gets one folder per target (layout, load, import, ui). EXPORTS is a folder holding the
output of `qari export --only all --format brat|jsonl|labelstudio --out EXPORTS/<format>`
on a few seeds (see fuzz/README.md). Seeds are kept small (a few KB each): the fuzzer
grows them itself, and `cargo fuzz cmin` trims the result before it is committed.
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT, EXPORTS = sys.argv[1], sys.argv[2]


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def seeds():
    d = os.path.join(ROOT, "seeds")
    return [open(os.path.join(d, n), encoding="utf-8").read()
            for n in sorted(os.listdir(d)) if n.endswith(".txt")]


# Paragraphs from the seeds, plus the fixed cases of tests/layout_props.rs.
PROPS = [
    "",
    " ",
    "قال الرئيس: «لا تراجع» عن خطة 2030 [المرحلة 3].",
    "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "\u202eabc\u202c \u2067لا\u2069\x1b[0m\x85x\r\ny\x00",
    "漢字 مرحبا ab 👨\u200d👩\u200d👧 🇸🇦",
    "\u064e\u0651لا\u200dب\u200cـــا",
    " a", "!a )", "و نعم  )", "!a\u2060漢", ")\u0020\u3000)",
    "\u200f(١٢) 50% +1 -2 ٢٠٢١ 3.5 \u061c\u2066abc\u2069",
    "👍🏽 ❤\ufe0f 🏳\ufe0f\u200d🌈 ｶﾀ あ 한국어 \t\u00a0\u2009\u2028x",
]


def paragraphs():
    out = []
    for text in seeds():
        for p in re.split(r"\n\s*\n", text):
            p = p.strip("\n")
            if len(p.encode()) > 40:
                out.append(p[:1200])
    return out


def layout():
    paras = paragraphs()
    # Header: width byte, flags byte, extra width byte.
    headers = [(79, 1, 0), (9, 0, 0), (0, 3, 0), (39, 5, 0), (19, 9, 0), (59, 17, 0),
               (4, 19, 0), (120, 33, 0), (2, 2, 0), (255, 1, 44)]
    for i, p in enumerate(paras[::3][:24]):
        put("layout", bytes(headers[i % len(headers)]) + p.encode())
    for i, p in enumerate(PROPS):
        for h in [(0, 1, 0), (4, 3, 0), (19, 21, 0), (7, 6, 0)]:
            put("layout", bytes(h) + p.encode())


def ui():
    paras = paragraphs()
    for i, p in enumerate(paras[:12]):
        put("ui", bytes([[1, 2, 10, 40, 80, 200][i % 6]]) + p[:300].encode())
    for p in PROPS:
        put("ui", bytes([12]) + p.encode())
    put("ui", b"\x01\xe6\xbc\xa2")
    put("ui", bytes([30]) + "qari — ٣ مقالات \u2068«بوتين»\u2069 (12 entities)".encode())


def load():
    texts = seeds()
    # sel: bits 0-1 extension (txt, html, jsonl, none), bits 2-4 encoding
    # (0 detect, 1 windows-1256, 2 utf-16le, 3 iso-8859-6, 4 utf-8, 5 utf-16be).
    for t in texts:
        body = t[:2500]
        put("load", bytes([0]) + body.encode())
        put("load", bytes([3]) + body.replace("\n", "\r\n").encode())
        put("load", bytes([0]) + body.encode("cp1256", "replace"))
        put("load", bytes([4]) + body.encode("cp1256", "replace"))
        put("load", bytes([8]) + body[:800].encode("utf-16-le"))
        put("load", bytes([0]) + b"\xff\xfe" + body[:800].encode("utf-16-le"))
        put("load", bytes([0]) + b"\xef\xbb\xbf" + body[:800].encode())
        put("load", bytes([12]) + body[:800].encode("iso8859_6", "replace"))
    paras = paragraphs()
    # HTML pages built from seed paragraphs.
    for i in range(0, min(len(paras), 30), 6):
        ps = "".join(f"<p>{p}</p>\n" for p in paras[i:i + 4])
        page = (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
                f"<title>{paras[i][:40]}</title><meta property=\"og:site_name\" content=\"الناس\">"
                f"</head><body><nav><a href=/>الرئيسية</a> | <a href=/x>أخبار</a></nav>"
                f"<article><h1>{paras[i][:60]}</h1><time datetime=\"2021-06-16\">16 يونيو</time>{ps}"
                f"<figure><img src=a.jpg><figcaption>صورة: أ ف ب</figcaption></figure>"
                f"<ul><li>اقرأ أيضا</li><li>شارك</li></ul></article><footer>© 2021</footer>"
                f"<script>var x = '<p>';</script></body></html>")
        put("load", bytes([1]) + page.encode())
        put("load", bytes([3]) + page.encode())
        put("load", bytes([1]) + page.replace("utf-8", "windows-1256").encode("cp1256", "replace"))
    # JSON Lines records.
    for i in range(0, min(len(paras), 30), 5):
        recs = [json.dumps({"title": p[:50], "text": p, "url": f"https://example.org/{k}",
                            "source": "الناس", "date": "2021-06-16"}, ensure_ascii=(k % 2 == 0))
                for k, p in enumerate(paras[i:i + 3])]
        recs.insert(1, "{not json")
        put("load", bytes([2]) + "\n".join(recs).encode())
        put("load", bytes([3]) + "\r\n".join(recs).encode())
    put("load", bytes([0]) + b"a\x00b")
    put("load", bytes([0]) + b"")


def cp_slice(text, n):
    """The first n code points, cut after a line end if there is one near."""
    cut = text.rfind("\n", 0, n)
    return text[: cut + 1 if cut > n // 2 else n]


def imports():
    # brat: .txt 0xFF .ann, the text cut short and the .ann filtered to what fits.
    bdir = os.path.join(EXPORTS, "brat")
    for name in sorted(os.listdir(bdir)):
        if not name.endswith(".ann"):
            continue
        txt = open(os.path.join(bdir, name[:-4] + ".txt"), encoding="utf-8").read()
        ann = open(os.path.join(bdir, name), encoding="utf-8").read().splitlines()
        for n in (300, 900):
            t = cp_slice(txt, n)
            keep = set()
            lines = []
            for line in ann:
                f = line.split("\t")
                if line.startswith("T"):
                    offs = [int(x) for fr in f[1].split(" ", 1)[1].split(";") for x in fr.split()]
                    if max(offs) <= len(t):
                        keep.add(f[0])
                        lines.append(line)
                elif f[1].split(" ")[1] in keep:
                    lines.append(line)
            put("import", b"\x00" + t.encode() + b"\xff" + "\n".join(lines).encode() + b"\n")
    # Hand-made brat: fragments over a line end, a note with escapes, CRLF, emoji.
    put("import", b"\x00" + "🇸🇦 محمد\nصلاح لاعب\r\n".encode() + b"\xff" +
        "T1\tPER 3 7;8 12\tمحمد صلاح\nA1\tSuggested T1\nN1\tReference T1 Wikidata:Q1354960\tمحمد صلاح\n"
        "#1\tAnnotatorNotes T1\tا\\tب\\\\ج\\n\nR1\tRel Arg1:T1 Arg2:T1\n*\tEquiv T1 T1\n".encode())
    put("import", b"\x00" + "abc".encode() + b"\xff" + b"T1\tX 0 3\tabc\nT1\tX 0 1\ta\n")
    # JSONL: export lines cut short, plus doccano forms.
    for line in open(os.path.join(EXPORTS, "jsonl", "annotations.jsonl"), encoding="utf-8"):
        v = json.loads(line)
        for n in (300, 900):
            t = v["text"][:n]
            spans = [s for s in v["spans"] if s["end"] <= n]
            w = dict(v, text=t, spans=spans)
            put("import", b"\x01" + json.dumps(w, ensure_ascii=False).encode() + b"\n")
    put("import", b"\x01" + json.dumps({"id": 7, "text": "قال بوتين\r\nفي جنيف 👍🏽",
        "label": [[4, 9, "PER"], [13, 17, "LOC"]]}, ensure_ascii=False).encode() + b"\n\n" +
        json.dumps({"text": "ab", "entities": [{"start_offset": 0, "end_offset": 2, "label": "ORG",
                    "id": 3, "note": "n"}]}).encode())
    # Label Studio: tasks cut short.
    tasks = json.load(open(os.path.join(EXPORTS, "labelstudio", "labelstudio.json"), encoding="utf-8"))
    for task in tasks:
        for n in (300, 900):
            t = dict(task)
            t["data"] = dict(task["data"], text=task["data"]["text"][:n])
            for key in ("annotations", "predictions"):
                if key in task:
                    t[key] = [dict(a, result=[r for r in a["result"] if r["value"]["end"] <= n])
                              for a in task[key]]
            put("import", b"\x02" + json.dumps([t], ensure_ascii=False, indent=2).encode())
    put("import", b"\x02" + json.dumps({"id": 1, "data": {"text": "x 🇸🇦 y"},
        "annotations": [{"result": [{"type": "labels", "value": {"start": 2, "end": 4,
        "labels": ["LOC", "GPE"]}, "meta": {"text": ["note"], "wikidata": "Q851"}},
        {"type": "choices", "value": {}}]}]}).encode())


layout()
ui()
load()
imports()
for t in ("layout", "ui", "load", "import"):
    d = os.path.join(OUT, t)
    n = len(os.listdir(d))
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{t}: {n} seeds, {size} bytes")
