//! Data-driven rules: boilerplate, bylines, captions (`assets/boilerplate.toml`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Deserialize;

const BUILTIN: &str = include_str!("../../assets/boilerplate.toml");

/// An error in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid rules: {0}")]
pub struct RulesError(pub String);

/// Shapes a block can have that mark it as junk without any word list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Shape {
    /// Digits and punctuation only.
    NoLetters,
    /// A short fragment without any Arabic letter, inside an Arabic text.
    NoArabic,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    limits: Option<LimitsSpec>,
    #[serde(default)]
    boilerplate: Vec<RuleSpec>,
    #[serde(default)]
    bylines: Option<BylineSpec>,
    #[serde(default)]
    captions: Option<CaptionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSpec {
    max_bytes: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    #[serde(default)]
    about: Option<String>,
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    prefix: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    shape: Option<Shape>,
    #[serde(default)]
    max_words: Option<usize>,
    #[serde(default)]
    max_chars: Option<usize>,
    #[serde(default)]
    next_if_short: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BylineSpec {
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    agencies: Vec<String>,
    #[serde(default)]
    agency_prefixes: Vec<String>,
    #[serde(default)]
    author_prefixes: Vec<String>,
    dateline_max_words: Option<usize>,
    search_blocks: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptionSpec {
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    credits: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
}

/// One boilerplate rule, with its patterns already normalised.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub name: &'static str,
    pub about: String,
    exact: HashSet<String>,
    prefix: Vec<Prefix>,
    contains: Vec<String>,
    /// All `contains` patterns in one automaton (rebuilt when rules are extended).
    finder: Option<aho_corasick::AhoCorasick>,
    shape: Option<Shape>,
    max_words: usize,
    max_chars: usize,
    pub next_if_short: bool,
}

/// The rule set used to classify blocks. Build it with [`Rules::builtin`] (the rules in
/// `assets/boilerplate.toml`, compiled into the binary) and extend it with
/// [`Rules::extend_from_toml`].
#[derive(Clone, Debug)]
pub struct Rules {
    pub(crate) max_bytes: usize,
    pub(crate) boilerplate: Vec<Rule>,
    pub(crate) agencies: HashSet<String>,
    pub(crate) agency_prefixes: Vec<String>,
    pub(crate) author_prefixes: Vec<String>,
    pub(crate) dateline_max_words: usize,
    pub(crate) search_blocks: usize,
    pub(crate) credits: HashSet<String>,
    pub(crate) caption_prefixes: Vec<Prefix>,
}

/// A prefix pattern. Written with a final colon ("Tag:"), it only matches a block whose
/// text before its first colon is that prefix; otherwise it matches a block whose key starts
/// with it at a word boundary.
#[derive(Clone, Debug)]
pub(crate) struct Prefix {
    key: String,
    colon: bool,
}

impl Prefix {
    fn new(pattern: &str) -> Option<Prefix> {
        let key = normalize_key(pattern);
        let colon = pattern.trim_end().ends_with([':', '：']);
        (!key.is_empty()).then_some(Prefix { key, colon })
    }

    pub(crate) fn matches(&self, raw: &str, key: &str) -> bool {
        if !starts_with_word(key, &self.key) {
            return false;
        }
        if self.colon {
            match raw.find([':', '：']) {
                Some(pos) => normalize_key(&raw[..pos]) == self.key,
                None => false,
            }
        } else {
            true
        }
    }
}

impl Rules {
    /// The built-in rules (parsed once).
    pub fn builtin() -> Arc<Rules> {
        static BUILT: OnceLock<Arc<Rules>> = OnceLock::new();
        BUILT
            .get_or_init(|| {
                Arc::new(Rules::from_toml(BUILTIN).expect("assets/boilerplate.toml is valid"))
            })
            .clone()
    }

    /// An empty rule set.
    pub fn empty() -> Rules {
        Rules {
            max_bytes: 600,
            boilerplate: Vec::new(),
            agencies: HashSet::new(),
            agency_prefixes: Vec::new(),
            author_prefixes: Vec::new(),
            dateline_max_words: 3,
            search_blocks: 4,
            credits: HashSet::new(),
            caption_prefixes: Vec::new(),
        }
    }

    /// Parse a rules file (same shape as `assets/boilerplate.toml`).
    pub fn from_toml(src: &str) -> Result<Rules, RulesError> {
        let mut r = Rules::empty();
        r.extend_from_toml(src)?;
        Ok(r)
    }

    /// Add the rules of a file: lists are appended to the rule of the same name, new names
    /// become new rules, numbers replace the current ones.
    pub fn extend_from_toml(&mut self, src: &str) -> Result<(), RulesError> {
        let file: RulesFile = toml::from_str(src).map_err(|e| RulesError(e.to_string()))?;
        if let Some(l) = file.limits {
            if let Some(m) = l.max_bytes {
                self.max_bytes = m;
            }
        }
        for spec in file.boilerplate {
            if spec.name.trim().is_empty() {
                return Err(RulesError(
                    "a [[boilerplate]] rule has an empty name".into(),
                ));
            }
            let pos = match self.boilerplate.iter().position(|r| r.name == spec.name) {
                Some(p) => p,
                None => {
                    self.boilerplate.push(Rule {
                        name: intern(&spec.name),
                        about: String::new(),
                        exact: HashSet::new(),
                        prefix: Vec::new(),
                        contains: Vec::new(),
                        finder: None,
                        shape: None,
                        max_words: 3,
                        max_chars: 30,
                        next_if_short: false,
                    });
                    self.boilerplate.len() - 1
                }
            };
            let rule = &mut self.boilerplate[pos];
            if let Some(a) = spec.about {
                rule.about = a;
            }
            rule.exact.extend(
                spec.exact
                    .iter()
                    .map(|s| normalize_key(s))
                    .filter(|k| !k.is_empty()),
            );
            rule.prefix
                .extend(spec.prefix.iter().filter_map(|s| Prefix::new(s)));
            rule.contains.extend(
                spec.contains
                    .iter()
                    .map(|s| normalize_key(s))
                    .filter(|k| !k.is_empty()),
            );
            rule.finder = if rule.contains.is_empty() {
                None
            } else {
                Some(
                    aho_corasick::AhoCorasick::new(&rule.contains)
                        .map_err(|e| RulesError(format!("rule {}: {e}", rule.name)))?,
                )
            };
            if spec.shape.is_some() {
                rule.shape = spec.shape;
            }
            if let Some(m) = spec.max_words {
                rule.max_words = m;
            }
            if let Some(m) = spec.max_chars {
                rule.max_chars = m;
            }
            if let Some(n) = spec.next_if_short {
                rule.next_if_short = n;
            }
        }
        if let Some(b) = file.bylines {
            self.agencies
                .extend(b.agencies.iter().map(|s| normalize_key(s)));
            self.agency_prefixes
                .extend(b.agency_prefixes.iter().map(|s| normalize_key(s)));
            self.author_prefixes
                .extend(b.author_prefixes.iter().map(|s| normalize_key(s)));
            if let Some(m) = b.dateline_max_words {
                self.dateline_max_words = m;
            }
            if let Some(m) = b.search_blocks {
                self.search_blocks = m;
            }
        }
        if let Some(c) = file.captions {
            self.credits
                .extend(c.credits.iter().map(|s| normalize_key(s)));
            self.caption_prefixes
                .extend(c.prefixes.iter().filter_map(|s| Prefix::new(s)));
        }
        Ok(())
    }

    /// Names and descriptions of the boilerplate rules, in order (for help screens).
    pub fn describe(&self) -> Vec<(&'static str, &str)> {
        self.boilerplate
            .iter()
            .map(|r| (r.name, r.about.as_str()))
            .collect()
    }

    /// The first boilerplate rule that matches a block, given its raw text and its key
    /// ([`normalize_key`]). `arabic` tells whether the document is mostly Arabic.
    pub(crate) fn match_boilerplate(&self, raw: &str, key: &str, arabic: bool) -> Option<&Rule> {
        if raw.len() > self.max_bytes {
            return None;
        }
        self.boilerplate
            .iter()
            .find(|r| r.matches(raw, key, arabic))
    }

    /// True when the key is one of a rule's markers alone ("اقرأ أيضاً:" with nothing after).
    pub(crate) fn is_bare_marker(rule: &Rule, key: &str) -> bool {
        rule.exact.contains(key) || rule.prefix.iter().any(|p| p.key == key)
    }
}

impl Rule {
    fn matches(&self, raw: &str, key: &str, arabic: bool) -> bool {
        if self.exact.contains(key) {
            return true;
        }
        if self.prefix.iter().any(|p| p.matches(raw, key)) {
            return true;
        }
        if self.finder.as_ref().is_some_and(|f| f.is_match(key)) {
            return true;
        }
        match self.shape {
            Some(Shape::NoLetters) => !raw.chars().any(char::is_alphabetic),
            Some(Shape::NoArabic) => {
                arabic
                    && raw.chars().any(char::is_alphabetic)
                    && !raw.chars().any(is_arabic_letter)
                    && raw.split_whitespace().count() <= self.max_words
                    && raw.chars().count() <= self.max_chars
            }
            None => false,
        }
    }
}

/// `key` starts with `prefix` and the next character (if any) is not a letter or digit.
pub(crate) fn starts_with_word(key: &str, prefix: &str) -> bool {
    key.starts_with(prefix)
        && !matches!(key[prefix.len()..].chars().next(), Some(c) if c.is_alphanumeric())
}

/// Distinct rule names, each kept once as a `&'static str` however often rules are
/// loaded, and numbered so that a block can name its rule in two bytes.
#[derive(Default)]
struct Names {
    ids: HashMap<&'static str, u16>,
    names: Vec<&'static str>,
}

fn names() -> std::sync::MutexGuard<'static, Names> {
    static NAMES: OnceLock<Mutex<Names>> = OnceLock::new();
    NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Keep one `&'static str` per distinct rule name, however often rules are loaded.
fn intern(name: &str) -> &'static str {
    let mut n = names();
    if let Some((&s, _)) = n.ids.get_key_value(name) {
        return s;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    // Numbered from 1; past 65,535 names (which no rules file has) the last number is
    // shared, so `RuleId::name` says "(more rules)" for those.
    let id = u16::try_from(n.names.len() + 1).unwrap_or(u16::MAX);
    if id < u16::MAX {
        n.names.push(leaked);
    }
    n.ids.insert(leaked, id);
    leaked
}

/// A rule name in two bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RuleId(std::num::NonZeroU16);

impl RuleId {
    pub(crate) fn of(name: &'static str) -> RuleId {
        // The guard must be gone before `intern` locks again.
        let known = names().ids.get(name).copied();
        let id = known.unwrap_or_else(|| {
            intern(name);
            names().ids.get(name).copied().unwrap_or(u16::MAX)
        });
        RuleId(std::num::NonZeroU16::new(id).unwrap_or(std::num::NonZeroU16::MAX))
    }

    pub(crate) fn name(self) -> &'static str {
        names()
            .names
            .get(usize::from(self.0.get()) - 1)
            .copied()
            .unwrap_or("(more rules)")
    }
}

/// Arabic letters (not digits or punctuation) of the Arabic blocks.
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
        && c != '\u{0640}'
}

fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

/// The comparison key of a text: harakat, tatweel and invisible marks removed, أ إ آ ٱ → ا,
/// ى → ي, ة → ه, Arabic-Indic digits → ASCII, lowercase, spaces collapsed, punctuation,
/// quotes and bullets trimmed at both ends. Linear in the text length.
pub fn normalize_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_ignorable(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            // Other Arabic letters and marks: no case (and the common path, kept cheap).
            '\u{0600}'..='\u{06FF}' => out.push(c),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    let trimmed = out.trim_matches(|c: char| !c.is_alphanumeric() && c != '*');
    // A lone "*" (required-field marker) is kept inside keys like "الاسم *", but not alone.
    let trimmed = if trimmed.chars().all(|c| c == '*' || c == ' ') {
        ""
    } else {
        trimmed
    };
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        let r = Rules::builtin();
        assert!(r.boilerplate.iter().any(|r| r.name == "navigation"));
        assert!(r.agencies.contains("وكالات"));
    }

    #[test]
    fn keys() {
        assert_eq!(normalize_key("  اقرأ أيضاً: "), "اقرا ايضا");
        assert_eq!(
            normalize_key("“حوار بين قوتين عظميَيْن”"),
            "حوار بين قوتين عظميين"
        );
        assert_eq!(normalize_key("  • Previous   Arrow"), "previous arrow");
        assert_eq!(normalize_key("٢٠٢١"), "2021");
        assert_eq!(normalize_key("الاسم *"), "الاسم *");
        assert_eq!(normalize_key("***"), "");
    }

    #[test]
    fn unknown_fields_are_errors() {
        assert!(Rules::from_toml("[[boilerplate]]\nname = \"x\"\nexactly = [\"a\"]\n").is_err());
        assert!(Rules::from_toml("[[boilerplate]]\nname = \"x\"\nexact = [\"a\"]\n").is_ok());
    }

    #[test]
    fn extend_appends_to_same_name() {
        let mut r = (*Rules::builtin()).clone();
        let n = r.boilerplate.len();
        r.extend_from_toml("[[boilerplate]]\nname = \"navigation\"\nexact = [\"اضغط هنا\"]\n")
            .unwrap();
        assert_eq!(r.boilerplate.len(), n);
        assert_eq!(
            r.match_boilerplate("اضغط هنا", &normalize_key("اضغط هنا"), true)
                .map(|r| r.name),
            Some("navigation")
        );
    }
}
