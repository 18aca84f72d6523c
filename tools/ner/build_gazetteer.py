#!/usr/bin/env python3
"""Rebuild assets/gazetteer/cldr.tsv from the Unicode CLDR JSON packages.

Usage (from the repository root):

    mkdir -p /tmp/cldr && (cd /tmp/cldr && npm pack cldr-localenames-full@48.2.0 cldr-dates-full@48.2.0 \
        && for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
    python3 tools/ner/build_gazetteer.py /tmp/cldr > assets/gazetteer/cldr.tsv

Input: main/{ar,en}/territories.json (cldr-localenames-full) and main/{ar,en}/timeZoneNames.json
(cldr-dates-full). Data: Unicode License v3 (see assets/gazetteer/NOTICE.md).

Output: one entry per line, tab separated:
    kind  id  wikidata  english  arabic forms separated by '|' (the first is canonical)
Deterministic: entries sorted by id.
"""
import glob
import json
import os
import sys

# Territory codes that are not places (or not places a news reader wants tagged).
SKIP_TERRITORIES = {"001", "ZZ", "QO", "XA", "XB", "EZ"}
# Territory codes that are organisations.
ORG_TERRITORIES = {"EU", "UN"}
# Exemplar-city spellings that collide with common Arabic words or are too short to trust.
CITY_STOPLIST = {"ترك", "استر", "لوم", "كانتون", "ماو", "نوك", "بون", "غزة"}


def find(root, rel):
    hits = sorted(glob.glob(os.path.join(root, "**", rel), recursive=True))
    if not hits:
        sys.exit(f"build_gazetteer: {rel} not found under {root}")
    return hits[0]


def territories(root, lang):
    with open(find(root, f"main/{lang}/territories.json"), encoding="utf-8") as f:
        return json.load(f)["main"][lang]["localeDisplayNames"]["territories"]


def cities(root, lang):
    with open(find(root, f"main/{lang}/timeZoneNames.json"), encoding="utf-8") as f:
        zones = json.load(f)["main"][lang]["dates"]["timeZoneNames"]["zone"]
    out = {}

    def walk(node, path):
        for key, value in node.items():
            if isinstance(value, dict):
                if "exemplarCity" in value:
                    out["/".join(path + [key])] = value["exemplarCity"]
                else:
                    walk(value, path + [key])

    walk(zones, [])
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    ar, en = territories(root, "ar"), territories(root, "en")
    rows = {}
    for code, name in ar.items():
        base = code.split("-alt-")[0]
        if base in SKIP_TERRITORIES:
            continue
        key = f"cldr:{base}"
        kind = "ORG" if base in ORG_TERRITORIES else "LOC"
        row = rows.setdefault(key, [kind, key, "", en.get(base, base), []])
        if "-alt-" in code:
            row[4].append(name)
        else:
            row[4].insert(0, name)
    ar_c, en_c = cities(root, "ar"), cities(root, "en")
    for zone, name in ar_c.items():
        if name in CITY_STOPLIST or len(name.replace(" ", "")) < 3:
            continue
        english = en_c.get(zone, zone.split("/")[-1].replace("_", " "))
        key = f"cldr-city:{zone}"
        rows[key] = ["LOC", key, "", english, [name]]
    for key in sorted(rows):
        kind, key, wd, english, forms = rows[key]
        seen = []
        for f in forms:
            if f not in seen:
                seen.append(f)
        print("\t".join([kind, key, wd, english, "|".join(seen)]))


if __name__ == "__main__":
    main()
