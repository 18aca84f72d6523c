//! Keys, key sequences, and the table that maps them to actions.
//!
//! A binding is a sequence of keys (`g g` is two), written in the config file as
//! `action = ["j", "down"]`. Resolution is incremental: a key either completes a binding,
//! extends a pending prefix (shown as a which-key hint), or is unbound. Counts (`5j`) are
//! collected before the keys. Under an Arabic keyboard layout the letters arrive as Arabic
//! characters; the langmap turns them back into the Latin keys they sit on, for navigation
//! only (never in the search prompt).

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// One key press, normalised: `Char` keys carry no Shift (the case says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Key {
    pub fn char(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut code = ev.code;
        let mut shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match code {
            KeyCode::Char(c) => {
                shift = false;
                // Some terminals send Ctrl-Shift-x as an upper-case letter.
                if ctrl {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::BackTab => shift = true,
            _ => {}
        }
        Key {
            code,
            ctrl,
            alt: ev.modifiers.contains(KeyModifiers::ALT),
            shift,
        }
    }

    /// Parse one key as written in the config: `j`, `J`, `ctrl-d`, `pagedown`, `space`,
    /// `shift-tab`, `f1`, `alt-x`, `-` (a literal minus).
    pub fn parse(s: &str) -> Result<Key, String> {
        if s.is_empty() {
            return Err("empty key".into());
        }
        let mut key = Key::char(' ');
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                key.ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                key.alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-").filter(|r| !r.is_empty()) {
                key.shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if key.ctrl {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if key.shift && c.is_lowercase() {
                    key.shift = false;
                    KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if key.shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => {
                    key.shift = true;
                    KeyCode::BackTab
                }
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "minus" => KeyCode::Char('-'),
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key `{s}`")),
            },
        };
        if let KeyCode::Char(_) = key.code {
            if !key.ctrl {
                key.shift = false;
            }
        }
        Ok(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if self.shift && self.code != KeyCode::BackTab {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Parse a key sequence: keys separated by spaces (`g g`). A lone space is written `space`.
pub fn parse_sequence(s: &str) -> Result<Vec<Key>, String> {
    let keys: Result<Vec<Key>, String> = s.split_whitespace().map(Key::parse).collect();
    let keys = keys?;
    if keys.is_empty() {
        return Err("empty key".into());
    }
    Ok(keys)
}

pub fn sequence_label(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What one key press led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A binding is complete: run it `count` times (or with `count` as its argument).
    Action(Action, Option<usize>),
    /// The keys so far are a prefix of some binding; the candidates are shown.
    Pending,
    /// The count grew.
    Count,
    /// Nothing is bound to these keys.
    Unbound(String),
}

/// The bindings, in definition order, and the Arabic-layout aliases.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    pub bindings: Vec<(Vec<Key>, Action)>,
    pub langmap: HashMap<char, char>,
}

/// Keys typed so far that did not complete a binding yet, and the count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    pub keys: Vec<Key>,
    pub count: Option<usize>,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.count.is_none()
    }

    pub fn label(&self) -> String {
        let mut s = self.count.map(|c| c.to_string()).unwrap_or_default();
        s.push_str(&sequence_label(&self.keys));
        s
    }
}

impl Keymap {
    /// The keys bound to `action`, for the help overlay and hints.
    pub fn keys_for(&self, action: Action) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| sequence_label(k))
            .collect()
    }

    /// Bindings that continue the pending keys (for the which-key hint).
    pub fn continuations(&self, pending: &[Key]) -> Vec<(Vec<Key>, Action)> {
        self.bindings
            .iter()
            .filter(|(k, _)| k.len() > pending.len() && k.starts_with(pending))
            .cloned()
            .collect()
    }

    /// The Latin key an Arabic-layout character stands for, if it is not bound itself.
    fn alias(&self, key: Key) -> Key {
        if let KeyCode::Char(c) = key.code {
            if !key.ctrl && !key.alt && !self.bindings.iter().any(|(k, _)| k[0] == key) {
                if let Some(&latin) = self.langmap.get(&c) {
                    return Key::char(latin);
                }
            }
        }
        key
    }

    /// Feed one key press in a navigation context.
    pub fn feed(&self, pending: &mut Pending, key: Key) -> Resolved {
        let key = self.alias(key);
        if pending.keys.is_empty() && !key.ctrl && !key.alt {
            if let KeyCode::Char(d @ '0'..='9') = key.code {
                let digit = d as usize - '0' as usize;
                if digit > 0 || pending.count.is_some() {
                    let c = pending.count.unwrap_or(0);
                    pending.count = Some(c.saturating_mul(10).saturating_add(digit).min(1_000_000));
                    return Resolved::Count;
                }
            }
        }
        let mut seq = pending.keys.clone();
        seq.push(key);
        if let Some((_, action)) = self.bindings.iter().find(|(k, _)| *k == seq) {
            let count = pending.count.take();
            pending.keys.clear();
            return Resolved::Action(*action, count);
        }
        if self
            .bindings
            .iter()
            .any(|(k, _)| k.len() > seq.len() && k.starts_with(&seq))
        {
            pending.keys = seq;
            return Resolved::Pending;
        }
        let label = format!("{}{}", pending.label(), key);
        *pending = Pending::default();
        Resolved::Unbound(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Keymap {
        let k = |s: &str| parse_sequence(s).unwrap();
        Keymap {
            bindings: vec![
                (k("j"), Action::ScrollDown),
                (k("g g"), Action::Top),
                (k("G"), Action::Bottom),
                (k("ctrl-d"), Action::HalfPageDown),
                (k("ت"), Action::Help),
            ],
            langmap: [('ت', 'j'), ('ن', 'k'), ('ل', 'g')].into_iter().collect(),
        }
    }

    #[test]
    fn parses_keys_as_written_in_the_config() {
        assert_eq!(Key::parse("j").unwrap(), Key::char('j'));
        assert_eq!(Key::parse("J").unwrap(), Key::char('J'));
        assert_eq!(Key::parse("shift-j").unwrap(), Key::char('J'));
        let c = Key::parse("Ctrl-D").unwrap();
        assert!(c.ctrl && c.code == KeyCode::Char('d'));
        assert_eq!(Key::parse("space").unwrap(), Key::char(' '));
        assert_eq!(Key::parse("-").unwrap(), Key::char('-'));
        assert_eq!(Key::parse("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(Key::parse("f1").unwrap().code, KeyCode::F(1));
        assert_eq!(Key::parse("pagedown").unwrap().code, KeyCode::PageDown);
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("blah").is_err());
        assert!(Key::parse("").is_err());
        assert_eq!(parse_sequence("g g").unwrap().len(), 2);
        assert!(parse_sequence("  ").is_err());
    }

    #[test]
    fn events_normalise_like_parsed_keys() {
        let ev = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::parse("J").unwrap());
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::parse("shift-tab").unwrap());
        let ev = KeyEvent::new(
            KeyCode::Char('D'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&ev), Key::parse("ctrl-d").unwrap());
    }

    #[test]
    fn chords_and_counts_resolve_incrementally() {
        let m = map();
        let mut p = Pending::default();
        assert_eq!(m.feed(&mut p, Key::char('1')), Resolved::Count);
        assert_eq!(m.feed(&mut p, Key::char('2')), Resolved::Count);
        assert_eq!(p.label(), "12");
        assert_eq!(
            m.feed(&mut p, Key::char('j')),
            Resolved::Action(Action::ScrollDown, Some(12))
        );
        assert!(p.is_empty());
        assert_eq!(m.feed(&mut p, Key::char('g')), Resolved::Pending);
        assert_eq!(m.continuations(&p.keys).len(), 1);
        assert_eq!(
            m.feed(&mut p, Key::char('g')),
            Resolved::Action(Action::Top, None)
        );
        assert_eq!(m.feed(&mut p, Key::char('g')), Resolved::Pending);
        assert!(matches!(m.feed(&mut p, Key::char('x')), Resolved::Unbound(s) if s == "gx"));
        assert!(p.is_empty());
        // A leading zero is a key, not a count.
        assert!(matches!(
            m.feed(&mut p, Key::char('0')),
            Resolved::Unbound(_)
        ));
    }

    #[test]
    fn langmap_aliases_arabic_letters_unless_they_are_bound() {
        let m = map();
        let mut p = Pending::default();
        assert_eq!(
            m.feed(&mut p, Key::char('ن')),
            Resolved::Unbound("k".into()),
            "ن is k, which this map leaves unbound"
        );
        assert_eq!(m.feed(&mut p, Key::char('ل')), Resolved::Pending);
        assert_eq!(
            m.feed(&mut p, Key::char('ل')),
            Resolved::Action(Action::Top, None)
        );
        // An explicit binding of the Arabic letter wins over the alias.
        assert_eq!(
            m.feed(&mut p, Key::char('ت')),
            Resolved::Action(Action::Help, None)
        );
    }
}
