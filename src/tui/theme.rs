//! Colours and text attributes. Meaning never rides on colour alone: the mono theme uses
//! only bold, underline, dim and reverse, and every theme marks search hits and the
//! selection with an attribute too.

use ratatui::style::{Color, Modifier, Style};

use super::config::ThemeName;

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: ThemeName,
    pub text: Style,
    pub title: Style,
    pub heading: Style,
    pub byline: Style,
    pub caption: Style,
    pub quote: Style,
    pub boilerplate: Style,
    pub header: Style,
    pub border: Style,
    pub selection: Style,
    pub current: Style,
    pub hit: Style,
    pub hit_current: Style,
    pub status: Style,
    pub status_key: Style,
    pub message: Style,
    pub error: Style,
    pub popup: Style,
    pub popup_title: Style,
    pub dim: Style,
    /// Entity types, in the order PER, LOC, ORG, MISC.
    pub kinds: [Style; 4],
    /// Mentions of the selected entity.
    pub mention_selected: Style,
    /// Added to a confirmed annotation's type style.
    pub confirmed: Style,
    /// A rejected suggestion (shown while annotating).
    pub rejected: Style,
    /// The annotation cursor and the selection.
    pub caret: Style,
    pub annotate_selection: Style,
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        let m = Style::default();
        match name {
            ThemeName::Mono => Theme {
                name,
                text: m,
                title: m.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                heading: m.add_modifier(Modifier::BOLD),
                byline: m.add_modifier(Modifier::ITALIC),
                caption: m.add_modifier(Modifier::ITALIC),
                quote: m.add_modifier(Modifier::ITALIC),
                boilerplate: m.add_modifier(Modifier::DIM),
                header: m.add_modifier(Modifier::BOLD),
                border: m,
                selection: m.add_modifier(Modifier::REVERSED),
                current: m.add_modifier(Modifier::BOLD),
                hit: m.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
                hit_current: m.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                status: m.add_modifier(Modifier::REVERSED),
                status_key: m.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                message: m.add_modifier(Modifier::REVERSED),
                error: m.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                popup: m,
                popup_title: m.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                dim: m.add_modifier(Modifier::DIM),
                kinds: [m; 4],
                mention_selected: m.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
                confirmed: m.add_modifier(Modifier::BOLD),
                rejected: m.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT),
                caret: m.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED | Modifier::BOLD),
                annotate_selection: m.add_modifier(Modifier::REVERSED),
            },
            ThemeName::Dark | ThemeName::Light => {
                let dark = name == ThemeName::Dark;
                let (fg, bg, accent, accent2, muted, hl, bar) = if dark {
                    (
                        Color::Rgb(0xdc, 0xdc, 0xd6),
                        Color::Reset,
                        Color::Rgb(0x7a, 0xb8, 0xe8),
                        Color::Rgb(0xe8, 0xc0, 0x7a),
                        Color::Rgb(0x8a, 0x8a, 0x86),
                        Color::Rgb(0x5a, 0x4a, 0x10),
                        Color::Rgb(0x2a, 0x30, 0x3a),
                    )
                } else {
                    (
                        Color::Rgb(0x20, 0x20, 0x24),
                        Color::Reset,
                        Color::Rgb(0x10, 0x50, 0x90),
                        Color::Rgb(0x90, 0x50, 0x00),
                        Color::Rgb(0x70, 0x70, 0x70),
                        Color::Rgb(0xff, 0xe8, 0x90),
                        Color::Rgb(0xdd, 0xe2, 0xea),
                    )
                };
                // Body text keeps the terminal's own colours: readable on any background.
                let base = Style::default().bg(bg);
                let bar_style = Style::default().fg(fg).bg(bar);
                Theme {
                    name,
                    text: base,
                    title: base.fg(accent2).add_modifier(Modifier::BOLD),
                    heading: base.fg(accent).add_modifier(Modifier::BOLD),
                    byline: base.fg(muted).add_modifier(Modifier::ITALIC),
                    caption: base.fg(muted).add_modifier(Modifier::ITALIC),
                    quote: base.add_modifier(Modifier::ITALIC),
                    boilerplate: base.fg(muted).add_modifier(Modifier::DIM),
                    header: base.fg(accent).add_modifier(Modifier::BOLD),
                    border: base.fg(muted),
                    selection: base.add_modifier(Modifier::REVERSED),
                    current: base.fg(accent2).add_modifier(Modifier::BOLD),
                    hit: base.bg(hl).add_modifier(Modifier::UNDERLINED),
                    hit_current: base
                        .bg(accent2)
                        .fg(Color::Black)
                        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    status: bar_style,
                    status_key: bar_style.fg(accent).add_modifier(Modifier::BOLD),
                    message: bar_style.fg(accent2),
                    error: bar_style
                        .fg(Color::Rgb(0xf0, 0x60, 0x60))
                        .add_modifier(Modifier::BOLD),
                    popup: base.fg(fg).bg(bar),
                    popup_title: base.fg(accent2).add_modifier(Modifier::BOLD),
                    dim: base.fg(muted),
                    kinds: if dark {
                        [
                            base.fg(Color::Rgb(0xf0, 0x9a, 0x60)),
                            base.fg(Color::Rgb(0x78, 0xc8, 0x78)),
                            base.fg(Color::Rgb(0xa8, 0x98, 0xf0)),
                            base.fg(Color::Rgb(0xe0, 0x80, 0xb0)),
                        ]
                    } else {
                        [
                            base.fg(Color::Rgb(0xa0, 0x40, 0x00)),
                            base.fg(Color::Rgb(0x1a, 0x70, 0x1a)),
                            base.fg(Color::Rgb(0x50, 0x30, 0xb0)),
                            base.fg(Color::Rgb(0x90, 0x20, 0x60)),
                        ]
                    },
                    mention_selected: base.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                    confirmed: base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    rejected: base.fg(muted).add_modifier(Modifier::CROSSED_OUT),
                    caret: base.add_modifier(Modifier::REVERSED),
                    annotate_selection: base.bg(if dark {
                        Color::Rgb(0x30, 0x48, 0x68)
                    } else {
                        Color::Rgb(0xc8, 0xdc, 0xf0)
                    }),
                }
            }
        }
    }
}

/// Whether the environment asks for no colour: `NO_COLOR` set and not empty
/// (no-color.org), or `TERM=dumb`.
pub fn env_wants_mono() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}
