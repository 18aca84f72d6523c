//! `qari tag --format conll [--model FILE] [--gazetteer-fill] [--no-propagate] [--window N]
//! [FILE|-]`: tag pre-tokenized text for scoring
//! against standard NER data. Input: the first column of each line is a token, a blank
//! line ends a sentence (other columns are ignored). Output: `token TAG` per line, IOB2
//! with the ANERcorp type names `PERS LOC ORG MISC`, a blank line after each sentence.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;

use crate::entities::conll::read_conll;
use crate::entities::gazetteer::Gazetteer;
use crate::entities::Tagger;

/// Sentences before and after each sentence whose entities propagate into it.
pub const WINDOW: usize = 15;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum TagFormat {
    /// `token TAG` lines, blank line between sentences.
    Conll,
}

#[derive(clap::Args, Debug)]
pub struct TagArgs {
    /// Input and output format.
    #[arg(long, value_enum, default_value_t = TagFormat::Conll)]
    pub format: TagFormat,
    /// Use this model file (qari's format, from tools/ner/train.rs) instead of the
    /// embedded one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Also tag multi-word gazetteer matches that the model left entirely untagged, like
    /// the reader's fill (off by default: ANERcorp leaves many institution names untagged,
    /// so on its dev split this measured lower).
    #[arg(long, overrides_with = "no_gazetteer_fill")]
    pub gazetteer_fill: bool,
    /// Do not add gazetteer matches that the model left untagged (the default).
    #[arg(long, overrides_with = "gazetteer_fill")]
    pub no_gazetteer_fill: bool,
    /// Do not propagate entity surfaces to the sentences around them.
    #[arg(long)]
    pub no_propagate: bool,
    /// How many sentences before and after a sentence share its entity surfaces.
    #[arg(long, value_name = "N", default_value_t = WINDOW)]
    pub window: usize,
    /// Input file; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Run the command: 0 ok, 1 the input could not be read, 2 a bad model.
pub fn run(args: &TagArgs) -> anyhow::Result<i32> {
    let mut tagger = match &args.model {
        Some(p) => {
            let loaded = std::fs::read(p).map_err(|e| e.to_string()).and_then(|b| {
                Tagger::from_model_bytes(&b, Gazetteer::builtin()).map_err(|e| e.to_string())
            });
            match loaded {
                Ok(t) => t,
                Err(e) => {
                    super::error_line(format_args!("{}: {e}", p.display()));
                    return Ok(2);
                }
            }
        }
        None => Tagger::shared().clone(),
    };
    // The flags override each other: the last one given wins.
    tagger.options.gazetteer_fill = args.gazetteer_fill;
    tagger.options.propagate = !args.no_propagate;
    let name = args
        .file
        .as_ref()
        .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
    let mut bytes = Vec::new();
    let read = match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut bytes))
        }
        _ => io::stdin().lock().read_to_end(&mut bytes),
    };
    if let Err(e) = read {
        super::error_line(format_args!("{name}: {e}"));
        return Ok(1);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            super::error_line(format_args!("{name}: not UTF-8 ({e})"));
            return Ok(1);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let res = (|| -> io::Result<()> {
        let sentences: Vec<Vec<String>> = read_conll(text).into_iter().map(|s| s.tokens).collect();
        for (s, tags) in sentences
            .iter()
            .zip(tagger.tag_conll_text(&sentences, args.window))
        {
            for (t, tag) in s.iter().zip(tags) {
                writeln!(out, "{} {tag}", crate::layout::visible_controls(t))?;
            }
            writeln!(out)?;
        }
        out.flush()
    })();
    match res {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(0),
    }
}
