#!/usr/bin/env python3
"""Measure a hard title-trigger rule on top of `qari tag` output (why qari keeps triggers
as CRF features only).

    python3 tools/ner/trigger_rule_check.py GOLD PRED

Rule tried: a token the model left `O`, right after a title (الرئيس، وزير، المتحدث، السفير،
المعارض…) and optional nisba adjectives (الروسي، الأمريكي…), not a stop word and not an
`ال` word, becomes `B-PERS` ("two": the next such token also becomes `I-PERS`). Prints
strict entity-level F1 (same definition as qari::entities::conll) before and after.
"""
import re
import sys


def norm(s):
    s = re.sub("[\u064B-\u065F\u0670\u0640]", "", s)
    return re.sub("[أإآٱ]", "ا", s).replace("ى", "ي").replace("ة", "ه")


def read(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((cols[0], cols[-1]))
    if cur:
        sents.append(cur)
    return sents


def ents(tags):
    out, cur = set(), None
    for i, t in enumerate(tags + ["O"]):
        p, _, k = t.partition("-")
        if p == "I" and cur and cur[0] == k:
            continue
        if cur:
            out.add((cur[0], cur[1], i))
            cur = None
        if p == "B":
            cur = (k, i)
    return out


TITLES = set(map(norm, "الرئيس رئيس وزير الوزير المتحدث السفير المعارض الملك الأمير الشيخ السيد "
                 "الجنرال المستشار النائب الأمين مدير المدير المبعوث الدكتور الزعيم القائد الصحفي "
                 "الناشط الكاتب المحلل الخبير المفوض المندوب".split()))
NISBA = set(map(norm, "الأمريكي الأميركي الروسي الأوكراني الفرنسي الألماني البريطاني الإيراني "
                "العراقي السوري المصري السعودي التركي الإسرائيلي الفلسطيني اللبناني الأردني "
                "القطري الأوروبي السابق الخارجية الدفاع العام".split()))
STOP = set(map(norm, "في من إلى على عن أن إن ان الذي التي و قد لم لا ما هو هي كان الى".split()))
WORD = re.compile("^[\u0621-\u064A]{2,}$")


def f1(gold, pred):
    tp = pp = gg = 0
    for g, p in zip(gold, pred):
        a, b = ents(g), ents(p)
        tp, pp, gg = tp + len(a & b), pp + len(b), gg + len(a)
    pr, rc = tp / max(pp, 1), tp / max(gg, 1)
    return 100 * 2 * pr * rc / max(pr + rc, 1e-9), tp, pp, gg


def main():
    gold, pred = read(sys.argv[1]), read(sys.argv[2])
    G = [[t for _, t in s] for s in gold]
    P = [[t for _, t in s] for s in pred]
    print("model          F1 %.2f (tp %d, pred %d, gold %d)" % f1(G, P))
    for variant in ("one", "two"):
        out = []
        for s, p in zip(gold, P):
            p = list(p)
            toks = [norm(t) for t, _ in s]
            for i, w in enumerate(toks):
                j = i - 1
                while j >= 0 and toks[j] in NISBA:
                    j -= 1
                ok = w not in STOP and w not in TITLES and w not in NISBA
                if j >= 0 and toks[j] in TITLES and p[i] == "O" and ok and WORD.match(w) \
                        and not w.startswith("ال"):
                    p[i] = "B-PERS"
                    if variant == "two" and i + 1 < len(toks) and p[i + 1] == "O" \
                            and WORD.match(toks[i + 1]) and toks[i + 1] not in STOP:
                        p[i + 1] = "I-PERS"
            out.append(p)
        print("+ rule (%s)   F1 %.2f (tp %d, pred %d, gold %d)" % ((variant,) + f1(G, out)))


if __name__ == "__main__":
    main()
