#!/usr/bin/env python3
"""Make the large inputs of RELIABILITY.md from the seed pages, in DIR (default /tmp/huge):

  big100.txt   the seeds' text repeated to 100 MB (one plain-text file)
  para1m.txt   one paragraph of about 1 MB (no line end)
  many/        100,000 files of 2,000 to 5,000 characters in 100 folders (about 500 MB)
  names/       20,000 such files in which each file names people of its own (a
               surname made for it follows every فلاديمير and جو), so that the corpus
               has tens of thousands of distinct entities, as real archives do

    python3 tools/reliability/gen_huge.py [DIR]
"""
import glob
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/huge"
here = os.path.dirname(os.path.abspath(__file__))
seeds_dir = os.path.join(here, "..", "..", "seeds")
seeds = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(seeds_dir, "*")))]
os.makedirs(out, exist_ok=True)

body = "\n\n".join(seeds)
with open(os.path.join(out, "big100.txt"), "w", encoding="utf-8") as f:
    n = 0
    while n < 100 * 1024 * 1024:
        f.write(body)
        f.write("\n\n")
        n += len(body.encode()) + 2

para = " ".join(s.replace("\n", " ") for s in seeds)
text = (para + " ") * (1024 * 1024 // len(para.encode()) + 1)
with open(os.path.join(out, "para1m.txt"), "w", encoding="utf-8") as f:
    f.write(text[: 1024 * 1024 // 2])

for i in range(100_000):
    d = os.path.join(out, "many", f"{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    s = seeds[i % len(seeds)]
    with open(os.path.join(d, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
        f.write(s[: 2000 + (i * 37) % 3000])

# Surnames made from the file number: distinct, Arabic-looking, and after a given name
# the tagger knows, so that they are tagged as people.
letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
def surname(i, salt):
    n = i * 7 + salt
    s = ""
    for _ in range(4):
        s += letters[n % len(letters)]
        n //= len(letters)
    return s + "وف"

for i in range(20_000):
    d = os.path.join(out, "names", f"{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    s = seeds[i % len(seeds)][: 2000 + (i * 37) % 3000]
    s = s.replace("بوتين", surname(i, 1)).replace("بايدن", surname(i, 2))
    with open(os.path.join(d, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
        f.write(s)
