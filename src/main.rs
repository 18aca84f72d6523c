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
    #[command(flatten)]
    reader: ReaderArgs,
}

/// Options of the reader (`qari [PATH...]`).
#[derive(clap::Args, Debug)]
struct ReaderArgs {
    /// Who reorders right-to-left text: qari (app), or a bidi-aware terminal (terminal).
    #[arg(long, value_enum)]
    bidi: Option<BidiArg>,
    /// Shape Arabic into presentation forms (default: on with --bidi app).
    #[arg(long, value_enum)]
    shaping: Option<OnOff>,
    /// Colour theme (NO_COLOR or TERM=dumb always give mono).
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
    /// Read this config file instead of $XDG_CONFIG_HOME/qari/config.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Leave the mouse to the terminal (native selection).
    #[arg(long)]
    no_mouse: bool,
    /// Decode every file with this encoding instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Keep annotations in this SQLite file instead of
    /// $XDG_DATA_HOME/qari/annotations.db (created at the first edit).
    #[arg(long, value_name = "FILE")]
    store: Option<PathBuf>,
    /// Files or folders to open (default: the embedded sample corpus).
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum BidiArg {
    App,
    Terminal,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ThemeArg {
    Dark,
    Light,
    Mono,
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
    /// Write annotations as brat, JSONL, CoNLL, Label Studio or W3C files.
    Export(qari::cli::export::ExportArgs),
    /// Add annotations from brat, JSONL or Label Studio files to the store.
    Import(qari::cli::import::ImportArgs),
    /// Show whether this terminal will scramble Arabic, and what to set if it does.
    CheckTerminal(CheckArgs),
    /// Print the configuration file with every default, commented.
    Config(ConfigArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Do not ask the terminal about its bidi mode (no escape-sequence probe).
    #[arg(long)]
    no_probe: bool,
}

#[derive(clap::Args, Debug)]
struct ConfigArgs {
    /// Print the built-in defaults (a complete, commented config.toml).
    #[arg(long)]
    default: bool,
    /// Print where qari looks for its config file and keeps its state.
    #[arg(long)]
    paths: bool,
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
        Some(Command::Export(args)) => qari::cli::export::run(&args)
            .map(|code| ExitCode::from(u8::try_from(code).unwrap_or(2))),
        Some(Command::Import(args)) => qari::cli::import::run(&args)
            .map(|code| ExitCode::from(u8::try_from(code).unwrap_or(2))),
        Some(Command::CheckTerminal(args)) => qari::tui::check::run(!args.no_probe)
            .map(|_| ExitCode::SUCCESS)
            .map_err(Into::into),
        Some(Command::Config(args)) => config_command(&args),
        None => reader(&cli.reader),
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

fn config_command(args: &ConfigArgs) -> anyhow::Result<ExitCode> {
    use qari::tui::config;
    if args.paths {
        let show = |p: Option<PathBuf>| p.map_or("(no HOME)".into(), |p| p.display().to_string());
        println!("config: {}", show(config::default_config_path()));
        println!("state:  {}", show(config::state_dir()));
        return Ok(ExitCode::SUCCESS);
    }
    if args.default {
        print!("{}", config::DEFAULT_CONFIG);
        return Ok(ExitCode::SUCCESS);
    }
    // Without a flag: check the file in force and print its warnings.
    let (_, warnings) = qari::tui::effective_config(&qari::tui::Overrides::default());
    for w in &warnings {
        qari::cli::error_line(format_args!("warning: {w}"));
    }
    if warnings.is_empty() {
        println!("configuration OK (qari config --default prints every setting)");
    }
    Ok(if warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `qari [PATH...]`: the reader on a terminal; laid-out text when output is not one.
fn reader(args: &ReaderArgs) -> anyhow::Result<ExitCode> {
    use qari::tui::config::{BidiMode, ThemeName};
    let overrides = qari::tui::Overrides {
        config: args.config.clone(),
        bidi: args.bidi.map(|b| match b {
            BidiArg::App => BidiMode::App,
            BidiArg::Terminal => BidiMode::Terminal,
        }),
        shaping: args.shaping.map(|s| matches!(s, OnOff::On)),
        theme: args.theme.map(|t| match t {
            ThemeArg::Dark => ThemeName::Dark,
            ThemeArg::Light => ThemeName::Light,
            ThemeArg::Mono => ThemeName::Mono,
        }),
        no_mouse: args.no_mouse,
    };
    let mut load_opts = qari::source::LoadOptions::default();
    if let Some(label) = &args.encoding {
        load_opts = load_opts
            .with_encoding_label(label)
            .map_err(|e| anyhow::anyhow!("--encoding: {e}"))?;
    }
    if !io::stdout().is_terminal() {
        return print_articles(&args.paths, &load_opts);
    }
    // The reader opens a huge plain-text file part by part, without waiting for the rest.
    load_opts.part_bytes = Some(qari::tui::PART_BYTES);
    let (config, warnings) = qari::tui::effective_config(&overrides);
    if config.theme == ThemeName::Mono {
        // crossterm's NO_COLOR handling resets attributes too; qari's mono theme has no
        // colour to suppress.
        crossterm::style::force_color_output(true);
    }
    let theme = qari::tui::theme::Theme::new(config.theme);
    let store_path = qari::tui::config::state_dir().map(|d| d.join("positions.json"));
    let (store, store_warning) = qari::tui::store::PositionStore::open(store_path);
    let mut app = qari::tui::app::App::new(config, theme, store);
    app.warnings.extend(warnings);
    app.warnings.extend(store_warning);
    let at = match &args.store {
        Some(p) => qari::tui::annotate::StoreAt::Path(p.clone()),
        None => qari::tui::annotate::StoreAt::Default,
    };
    if let Some(w) = app.use_store(at) {
        app.warnings.push(w);
    }
    // Lay the first article out at the real size straight away.
    if let Ok((w, h)) = crossterm::terminal::size() {
        app.size = (w, h);
    }
    let mut loader = None;
    if args.paths.is_empty() {
        for doc in qari::tui::sample_documents() {
            app.add_document(doc);
        }
    } else {
        let (entries, errors) = qari::source::list_paths(&args.paths);
        for e in errors {
            app.load_errors.push(e);
        }
        if entries.is_empty() && !app.load_errors.is_empty() {
            for e in &app.load_errors {
                qari::cli::error_line(format_args!("{e}"));
            }
            return Ok(ExitCode::from(1));
        }
        app.loading = Some((0, entries.len()));
        let (tx, rx) = std::sync::mpsc::channel();
        // Entities are found on the loader thread, so the screen never waits for them.
        qari::source::spawn_loader(entries, load_opts, move |ev| {
            if tx.send(qari::tui::app::Arrival::tagged(ev)).is_ok() {
                std::ops::ControlFlow::Continue(())
            } else {
                std::ops::ControlFlow::Break(())
            }
        })?;
        loader = Some(rx);
    }
    if let Some(first) = app.warnings.first().cloned() {
        let more = app.warnings.len() - 1;
        app.set_error(if more > 0 {
            format!("{first} (and {more} more warnings)")
        } else {
            first
        });
    } else if let Some(e) = app.load_errors.first() {
        app.set_error(e.to_string());
    }
    qari::tui::run::run(app, loader)?;
    Ok(ExitCode::SUCCESS)
}

/// Not on a terminal: print the articles laid out at 80 columns, like a pager would.
fn print_articles(
    paths: &[PathBuf],
    load_opts: &qari::source::LoadOptions,
) -> anyhow::Result<ExitCode> {
    let (docs, errors) = if paths.is_empty() {
        (qari::tui::sample_documents(), Vec::new())
    } else {
        qari::source::load_paths(paths, load_opts)
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let opts = LayoutOptions::default();
    let mut buf = Vec::new();
    for doc in &docs {
        writeln!(
            out,
            "── {} ──",
            qari::layout::visible_controls(&doc.display_path())
        )?;
        for article in &doc.articles {
            for block in article.visible_blocks(false) {
                buf.clear();
                qari::layout::write_paragraph(block.text(&doc.text), &opts, true, &mut buf);
                out.write_all(&buf)?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    drop(out);
    for e in &errors {
        qari::cli::error_line(format_args!("{e}"));
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
