#!/usr/bin/env bash
# Regenerate tests/golden/fribidi/ from the libfribidi + libunibreak oracle.
# Needs: gcc, libfribidi-dev, libunibreak-dev (Debian: apt-get install -y
# gcc libfribidi-dev libunibreak-dev), and the C.UTF-8 locale (glibc).
# Re-runnable and deterministic: every output is rewritten from scratch.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/tests/golden/fribidi"
widths=(40 60 80)

for h in /usr/include/fribidi/fribidi.h /usr/include/linebreak.h; do
  if [ ! -f "$h" ]; then
    echo "regen.sh: $h missing; apt-get install -y libfribidi-dev libunibreak-dev" >&2
    exit 1
  fi
done

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
oracle="$build/fribidi_oracle"
gcc -O2 -Wall -Wextra -I/usr/include/fribidi -o "$oracle" \
  "$here/fribidi_oracle.c" -lfribidi -lunibreak

mkdir -p "$out"
export LC_ALL=C  # fixed glob order; the oracle sets C.UTF-8 itself

inputs=("$root"/seeds/*.txt "$out/mixed.txt")
for in in "${inputs[@]}"; do
  [ -f "$in" ] || { echo "regen.sh: missing input $in" >&2; exit 1; }
  base="$(basename "$in" .txt)"
  for w in "${widths[@]}"; do
    "$oracle" --width "$w" --direction auto < "$in" > "$out/$base.w$w.txt.tmp"
    mv "$out/$base.w$w.txt.tmp" "$out/$base.w$w.txt"
    "$oracle" --width "$w" --direction auto --noshape < "$in" > "$out/$base.w$w.noshape.txt.tmp"
    mv "$out/$base.w$w.noshape.txt.tmp" "$out/$base.w$w.noshape.txt"
  done
done

# Versions the goldens were made with (glibc matters for wcwidth).
{
  echo "libfribidi $(dpkg-query -W -f='${Version}' libfribidi0 2>/dev/null || echo '?')"
  echo "libunibreak $(dpkg-query -W -f='${Version}' libunibreak1 2>/dev/null || echo '?')"
  echo "glibc $(ldd --version 2>/dev/null | head -n1 | awk '{print $NF}')"
} > "$out/VERSIONS"

echo "regen.sh: wrote $(( ${#inputs[@]} * ${#widths[@]} * 2 )) files to ${out#$root/}"
