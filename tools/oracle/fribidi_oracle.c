/*
 * fribidi_oracle.c -- independent layout oracle for qari's RTL engine.
 *
 * Reads UTF-8 from stdin, one paragraph per line, and prints the visual rows
 * of each paragraph: bidi (libfribidi) on the whole paragraph, Arabic shaping
 * (libfribidi), greedy logical line breaking (libunibreak, UAX #14) measured
 * with wcwidth() on the shaped text, per-line reordering (L1-L3 + NSM),
 * removal of zero-width format characters, left padding of RTL rows.
 * See README.md beside this file for the exact algorithm.
 *
 * Build: gcc -O2 -o fribidi_oracle fribidi_oracle.c -lfribidi -lunibreak
 * Usage: fribidi_oracle [--width N] [--direction auto|rtl|ltr]
 *                       [--noshape] [--nopad] < input > output
 */
#define _GNU_SOURCE
#include <fribidi.h>
#include <linebreak.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int opt_width = 80;
static FriBidiParType opt_dir = FRIBIDI_PAR_ON; /* auto: P2/P3 */
static int opt_shape = 1;
static int opt_pad = 1;

/* Per-paragraph work arrays, grown as needed. */
static size_t cap;
static FriBidiChar *logical;     /* original code points */
static FriBidiChar *shaped;      /* shaped (or only mirrored) code points */
static FriBidiChar *visual;      /* reordered copy of `shaped` */
static FriBidiCharType *types;
static FriBidiBracketType *btypes;
static FriBidiLevel *levels;
static FriBidiArabicProp *props;
static FriBidiStrIndex *map;
static int *cells;
static char *brks;
static size_t *line_start;       /* line k is [line_start[k], line_start[k+1]) */
static char *outbuf;

static void *xrealloc(void *p, size_t n)
{
  p = realloc(p, n ? n : 1);
  if (!p) { perror("realloc"); exit(2); }
  return p;
}

static void grow(size_t n)
{
  if (n <= cap) return;
  cap = n * 2;
  logical = xrealloc(logical, cap * sizeof *logical);
  shaped = xrealloc(shaped, cap * sizeof *shaped);
  visual = xrealloc(visual, cap * sizeof *visual);
  types = xrealloc(types, cap * sizeof *types);
  btypes = xrealloc(btypes, cap * sizeof *btypes);
  levels = xrealloc(levels, cap * sizeof *levels);
  props = xrealloc(props, cap * sizeof *props);
  map = xrealloc(map, cap * sizeof *map);
  cells = xrealloc(cells, cap * sizeof *cells);
  brks = xrealloc(brks, cap * sizeof *brks);
  line_start = xrealloc(line_start, (cap + 1) * sizeof *line_start);
  outbuf = xrealloc(outbuf, cap * 4 + (size_t)opt_width + 2);
}

/* Hanging whitespace: U+0020, the other Zs characters except the no-break
 * spaces (U+00A0, U+2007, U+202F: glue, drawn like letters), tab.  The characters
 * UAX #14 treats as mandatory breaks inside a line (VT, FF, CR, NEL, LS, PS)
 * are treated the same way, so a line ending in one does not print it. */
static int is_ws(FriBidiChar c)
{
  return c == 0x20 || c == 0x09 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A && c != 0x2007) || c == 0x205F ||
         c == 0x3000 ||
         c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

/* Zero-width format characters dropped from the visual string. */
static int is_dropped(FriBidiChar c)
{
  return c == 0xFEFF || c == 0x200B || c == 0x200C || c == 0x200D ||
         c == 0x200E || c == 0x200F || c == 0x061C ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static int cell_width(FriBidiChar c)
{
  int w;
  if (c == 0xFEFF) return 0;
  w = wcwidth((wchar_t)c);
  return w < 0 ? 0 : w; /* control characters: 0 cells */
}

static int is_mark(FriBidiStrIndex i) { return types[i] == FRIBIDI_TYPE_NSM; }

/* Arabic joining + shaping of logical[off, off+len) into shaped[off, ...].
 * The range ends are non-joining boundaries. */
static void shape_range(size_t off, size_t len)
{
  if (len == 0) return;
  memcpy(shaped + off, logical + off, len * sizeof *shaped);
  if (opt_shape) {
    fribidi_get_joining_types(logical + off, (FriBidiStrIndex)len, props + off);
    fribidi_join_arabic(types + off, (FriBidiStrIndex)len, levels + off, props + off);
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels + off,
                  (FriBidiStrIndex)len, props + off, shaped + off);
  } else {
    memset(props + off, 0, len * sizeof *props);
    fribidi_shape(FRIBIDI_FLAG_SHAPE_MIRRORING, levels + off,
                  (FriBidiStrIndex)len, props + off, shaped + off);
  }
}

/* Greedy logical line breaking.  Returns the number of lines; fills
 * line_start[0..lines]. */
static size_t break_lines(size_t n)
{
  size_t lines = 0, start = 0;
  const int W = opt_width;
  while (start < n) {
    size_t i = start, end;
    long run = 0;    /* width of [start, i), pending whitespace included */
    int stopped = 0; /* stopped before a non-whitespace char that does not fit */
    int must = 0;
    while (i < n) {
      int cw = cells[i];
      if (!is_ws(logical[i]) && cw > 0 && run + cw > W && i > start) {
        stopped = 1;
        break;
      }
      run += cw;
      i++;
      if (i < n && brks[i - 1] == LINEBREAK_MUSTBREAK) { must = 1; break; }
    }
    end = i;
    if (stopped && !must) {
      if (brks[i - 1] == LINEBREAK_ALLOWBREAK) {
        end = i;
      } else {
        size_t e = i - 1;
        while (e > start && brks[e - 1] != LINEBREAK_ALLOWBREAK) e--;
        if (e > start) {
          end = e;           /* last allowed opportunity in the line */
        } else {
          /* Forced split before logical[i]: never between a base and its
           * marks, never between a lam (filler) and its ligated alef. */
          e = i;
          while (e > start && (is_mark((FriBidiStrIndex)e) ||
                               (props[e - 1] & FRIBIDI_MASK_LIGATURED)))
            e--;
          if (e == start) { /* one unsplittable cluster wider than the line */
            e = i;
            while (e < n && (is_mark((FriBidiStrIndex)e) ||
                             (props[e - 1] & FRIBIDI_MASK_LIGATURED)))
              e++;
          }
          end = e;
        }
      }
    }
    line_start[lines++] = start;
    start = end;
  }
  line_start[lines] = n;
  return lines;
}

static size_t put_utf8(char *o, FriBidiChar c)
{
  if (c < 0x80) { o[0] = (char)c; return 1; }
  if (c < 0x800) { o[0] = (char)(0xC0 | (c >> 6)); o[1] = (char)(0x80 | (c & 0x3F)); return 2; }
  if (c < 0x10000) {
    o[0] = (char)(0xE0 | (c >> 12)); o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F)); return 3;
  }
  o[0] = (char)(0xF0 | (c >> 18)); o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static void do_paragraph(const char *s, size_t bytes, FILE *out)
{
  size_t n, lines, k, i;
  FriBidiParType base = opt_dir;

  grow(bytes + 1);
  n = (size_t)fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s,
                                         (FriBidiStrIndex)bytes, logical);
  if (n == 0) { fputc('\n', out); return; }

  /* b. bidi on the whole paragraph */
  fribidi_get_bidi_types(logical, (FriBidiStrIndex)n, types);
  fribidi_get_bracket_types(logical, (FriBidiStrIndex)n, types, btypes);
  if (!fribidi_get_par_embedding_levels_ex(types, btypes, (FriBidiStrIndex)n,
                                           &base, levels)) {
    fprintf(stderr, "fribidi_get_par_embedding_levels_ex failed\n");
    exit(2);
  }

  /* c. shaping of the whole logical paragraph (used for measuring) */
  shape_range(0, n);
  for (i = 0; i < n; i++) cells[i] = cell_width(shaped[i]);

  /* d. break opportunities on the ORIGINAL logical text, greedy breaking */
  set_linebreaks_utf32((const utf32_t *)logical, n, NULL, brks);
  lines = break_lines(n);

  /* Re-shape each line on its own, so a line boundary is a non-joining
   * boundary.  Identical to the whole-paragraph shaping except where a
   * boundary falls between two joining characters (forced mid-word split). */
  if (opt_shape && lines > 1)
    for (k = 0; k < lines; k++)
      shape_range(line_start[k], line_start[k + 1] - line_start[k]);

  /* e. per line: reorder, drop hanging whitespace and format chars, pad */
  memcpy(visual, shaped, n * sizeof *visual);
  for (i = 0; i < n; i++) map[i] = (FriBidiStrIndex)i;
  for (k = 0; k < lines; k++) {
    size_t a = line_start[k], b = line_start[k + 1], hang = b, o = 0;
    long w = 0;
    FriBidiStrIndex p;
    while (hang > a && is_ws(logical[hang - 1])) hang--;
    if (!fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, types, (FriBidiStrIndex)(b - a),
                              (FriBidiStrIndex)a, base, levels, visual, map)) {
      fprintf(stderr, "fribidi_reorder_line failed\n");
      exit(2);
    }
    for (p = (FriBidiStrIndex)a; p < (FriBidiStrIndex)b; p++) {
      FriBidiChar c = visual[p];
      if ((size_t)map[p] >= hang || is_dropped(c)) continue;
      w += cell_width(c);
    }
    if (opt_pad && FRIBIDI_IS_RTL(base))
      for (; w < opt_width; w++) outbuf[o++] = ' ';
    for (p = (FriBidiStrIndex)a; p < (FriBidiStrIndex)b; p++) {
      FriBidiChar c = visual[p];
      if ((size_t)map[p] >= hang || is_dropped(c)) continue;
      o += put_utf8(outbuf + o, c);
    }
    outbuf[o++] = '\n';
    fwrite(outbuf, 1, o, out);
  }
}

static void usage(void)
{
  fprintf(stderr, "usage: fribidi_oracle [--width N] [--direction auto|rtl|ltr] "
                  "[--noshape] [--nopad] < in > out\n");
  exit(2);
}

int main(int argc, char **argv)
{
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int a;

  for (a = 1; a < argc; a++) {
    if (!strcmp(argv[a], "--width") && a + 1 < argc) {
      opt_width = atoi(argv[++a]);
      if (opt_width < 1) usage();
    } else if (!strcmp(argv[a], "--direction") && a + 1 < argc) {
      const char *d = argv[++a];
      if (!strcmp(d, "auto")) opt_dir = FRIBIDI_PAR_ON;
      else if (!strcmp(d, "rtl")) opt_dir = FRIBIDI_PAR_RTL;
      else if (!strcmp(d, "ltr")) opt_dir = FRIBIDI_PAR_LTR;
      else usage();
    } else if (!strcmp(argv[a], "--noshape")) {
      opt_shape = 0;
    } else if (!strcmp(argv[a], "--nopad")) {
      opt_pad = 0;
    } else {
      usage();
    }
  }
  if (!setlocale(LC_ALL, "C.UTF-8")) {
    fprintf(stderr, "cannot set locale C.UTF-8\n");
    return 2;
  }
  init_linebreak();

  while ((len = getline(&line, &lcap, stdin)) >= 0) {
    if (len > 0 && line[len - 1] == '\n') len--;
    if (len > 0 && line[len - 1] == '\r') len--;
    do_paragraph(line, (size_t)len, stdout);
  }
  free(line);
  return ferror(stdout) ? 1 : 0;
}
