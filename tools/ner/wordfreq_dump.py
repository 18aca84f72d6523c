#!/usr/bin/env python3
"""Dump the Arabic word frequencies of the `wordfreq` package (data CC BY-SA 4.0) as
`word<TAB>frequency` lines, for `tools/ner/build_wordfreq.rs`:

    pip download --no-deps wordfreq==3.1.1 -d /tmp/wordfreq
    pip install msgpack   # to read the data file
    python3 tools/ner/wordfreq_dump.py /tmp/wordfreq/wordfreq-3.1.1-py3-none-any.whl > /tmp/wordfreq-ar.tsv
    cargo run --release --example build_wordfreq -- /tmp/wordfreq-ar.tsv assets/ner/wordfreq-ar.bin

Only words written entirely in Arabic letters and marks are kept. The data file is
`wordfreq/data/large_ar.msgpack.gz` (format `cB`: list i holds the words whose frequency
is 10^(-i/100)).
"""
import gzip
import io
import re
import sys
import zipfile

import msgpack

ARABIC = re.compile("[\u0621-\u064a\u064b-\u065f\u0670-\u06d3]+")


def main():
    with zipfile.ZipFile(sys.argv[1]) as z:
        raw = z.read("wordfreq/data/large_ar.msgpack.gz")
    data = msgpack.load(gzip.open(io.BytesIO(raw)), raw=False)
    if data[0].get("format") != "cB":
        sys.exit("unexpected wordfreq data format")
    out = sys.stdout
    for i, words in enumerate(data[1:], 1):
        f = 10 ** (-i / 100)
        for w in sorted(words):
            if ARABIC.fullmatch(w):
                out.write(f"{w}\t{f:.6e}\n")


if __name__ == "__main__":
    main()
