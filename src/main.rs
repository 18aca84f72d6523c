//! The `qari` command line: a thin layer that parses arguments and calls the library.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use qari::layout::{Direction, LayoutOptions};
use qari::render::{render_stream, RenderOptions};

#[derive(Parser, Debug)]
#[command(name = "qari", version, about = "Read Arabic news in the terminal")]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files or folders to open (default: the embedded sample corpus).
    paths: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the visual rows of each input line (one paragraph per line).
    Render(RenderArgs),
    /// List documents, their encoding and source, and the articles and blocks recovered.
    Outline(qari::cli::outline::OutlineArgs),
    /// List the named entities (people, places, organisations) of each article.
    Entities(qari::cli::entities::EntitiesArgs),
    /// Tag pre-tokenized text (CoNLL) with IOB2 entity tags.
    Tag(qari::cli::tag::TagArgs),
}

#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// Width in terminal cells (1 to 65535).
    #[arg(long, default_value_t = 80,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=65_535))]
    width: usize,
    /// Shape Arabic into presentation forms (off for terminals that shape by themselves).
    #[arg(long, value_enum, default_value_t = OnOff::On)]
    shaping: OnOff,
    /// Paragraph direction: from the first strong character, or forced.
    #[arg(long, value_enum, default_value_t = DirectionArg::Auto)]
    direction: DirectionArg,
    /// Do not pad right-to-left rows to the width.
    #[arg(long)]
    no_pad: bool,
    /// Show bidi format characters (LRM, embeddings, overrides, isolates) as visible markers.
    #[arg(long)]
    reveal_format: bool,
    /// Input files; `-` or nothing reads standard input.
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DirectionArg {
    Auto,
    Rtl,
    Ltr,
}

impl From<DirectionArg> for Direction {
    fn from(d: DirectionArg) -> Self {
        match d {
            DirectionArg::Auto => Direction::Auto,
            DirectionArg::Rtl => Direction::Rtl,
            DirectionArg::Ltr => Direction::Ltr,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Render(args)) => render(&args),
        Some(Command::Outline(args)) => qari::cli::outline::run(&args)
            .map(|code| ExitCode::from(u8::try_from(code).unwrap_or(2))),
        Some(Command::Entities(args)) => qari::cli::entities::run(&args)
            .map(|code| ExitCode::from(u8::try_from(code).unwrap_or(2))),
        Some(Command::Tag(args)) => {
            qari::cli::tag::run(&args).map(|code| ExitCode::from(u8::try_from(code).unwrap_or(2)))
        }
        None => show_sample(&cli.paths),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            qari::cli::error_line(format_args!("{e:#}"));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn render(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let opts = RenderOptions {
        layout: LayoutOptions {
            width: Some(args.width.max(1)),
            direction: args.direction.into(),
            shaping: matches!(args.shaping, OnOff::On),
            reveal_format: args.reveal_format,
        },
        pad: !args.no_pad,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    let files: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    for path in &files {
        if path.as_os_str() == "-" {
            render_stream(io::stdin().lock(), &mut out, &opts)?;
            continue;
        }
        match File::open(path) {
            Ok(f) => {
                if let Err(e) = render_stream(BufReader::with_capacity(1 << 16, f), &mut out, &opts)
                {
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        return Err(e.into());
                    }
                    out.flush()?;
                    qari::cli::error_line(format_args!("{}: {e}", path.display()));
                    failed = true;
                }
            }
            Err(e) => {
                out.flush()?;
                qari::cli::error_line(format_args!("{}: {e}", path.display()));
                failed = true;
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Until the reader exists: print the sample corpus laid out for this terminal.
fn show_sample(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    if !paths.is_empty() {
        anyhow::bail!(
            "opening files needs the reader, which is not built yet; try `qari render FILE`"
        );
    }
    let width = if io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(80, |(w, _)| w as usize)
    } else {
        80
    };
    let opts = RenderOptions {
        layout: LayoutOptions {
            width: Some(width.max(1)),
            ..LayoutOptions::default()
        },
        pad: true,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Tell a bidi-aware terminal not to reorder what is already in visual order.
    if io::stdout().is_terminal() {
        out.write_all(b"\x1b[8l\x1b[1 k")?;
    }
    for (name, text) in qari::corpus::SAMPLE {
        writeln!(out, "── {name} ──")?;
        render_stream(text.as_bytes(), &mut out, &opts)?;
    }
    if io::stdout().is_terminal() {
        out.write_all(b"\x1b[8h\x1b[0 k")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
