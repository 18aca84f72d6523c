//! What a key can do. Actions are named in the config file's `[keys]` tables by their
//! snake_case names; the help overlay shows their descriptions.

use serde::{Deserialize, Serialize};

/// One user intent. `update` is the only place that turns them into state changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    ForceQuit,
    Back,
    Help,
    Redraw,
    Suspend,
    FocusNext,
    FocusPrev,
    ScrollDown,
    ScrollUp,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextArticle,
    PrevArticle,
    NextSource,
    PrevSource,
    GotoSource,
    GotoArticle,
    ArticleLeft,
    ArticleRight,
    Open,
    Search,
    NextMatch,
    PrevMatch,
    ToggleBoilerplate,
    ToggleShaping,
    NextMention,
    PrevMention,
    Coverage,
    ToggleReveal,
    Annotate,
    Undo,
    Redo,
    History,
    Export,
    NextUnreviewed,
    PrevUnreviewed,
    MarkDone,
    CursorNextWord,
    CursorPrevWord,
    CursorNextChar,
    CursorPrevChar,
    CursorLeft,
    CursorRight,
    CursorDown,
    CursorUp,
    SelectLeft,
    SelectRight,
    ToggleSelection,
    Accept,
    Reject,
    AcceptAll,
    RejectAll,
    Delete,
    SetWikidata,
    SetNote,
    NextAnnotation,
    PrevAnnotation,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Quit,
        Action::ForceQuit,
        Action::Back,
        Action::Help,
        Action::Redraw,
        Action::Suspend,
        Action::FocusNext,
        Action::FocusPrev,
        Action::ScrollDown,
        Action::ScrollUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::NextArticle,
        Action::PrevArticle,
        Action::NextSource,
        Action::PrevSource,
        Action::GotoSource,
        Action::GotoArticle,
        Action::ArticleLeft,
        Action::ArticleRight,
        Action::Open,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::ToggleBoilerplate,
        Action::ToggleShaping,
        Action::NextMention,
        Action::PrevMention,
        Action::Coverage,
        Action::ToggleReveal,
        Action::Annotate,
        Action::Undo,
        Action::Redo,
        Action::History,
        Action::Export,
        Action::NextUnreviewed,
        Action::PrevUnreviewed,
        Action::MarkDone,
        Action::CursorNextWord,
        Action::CursorPrevWord,
        Action::CursorNextChar,
        Action::CursorPrevChar,
        Action::CursorLeft,
        Action::CursorRight,
        Action::CursorDown,
        Action::CursorUp,
        Action::SelectLeft,
        Action::SelectRight,
        Action::ToggleSelection,
        Action::Accept,
        Action::Reject,
        Action::AcceptAll,
        Action::RejectAll,
        Action::Delete,
        Action::SetWikidata,
        Action::SetNote,
        Action::NextAnnotation,
        Action::PrevAnnotation,
    ];

    /// The name used in the config file.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Parse a config-file name.
    pub fn from_name(name: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }

    /// Actions that only mean something in annotation mode (bound in `[annotate_keys]`).
    pub fn annotate_only(self) -> bool {
        matches!(
            self,
            Action::CursorNextWord
                | Action::CursorPrevWord
                | Action::CursorNextChar
                | Action::CursorPrevChar
                | Action::CursorLeft
                | Action::CursorRight
                | Action::CursorDown
                | Action::CursorUp
                | Action::SelectLeft
                | Action::SelectRight
                | Action::ToggleSelection
                | Action::Accept
                | Action::Reject
                | Action::AcceptAll
                | Action::RejectAll
                | Action::Delete
                | Action::SetWikidata
                | Action::SetNote
                | Action::NextAnnotation
                | Action::PrevAnnotation
        )
    }

    /// What the help overlay says the action does.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit (saves reading positions)",
            Action::ForceQuit => "quit at once (positions are still saved)",
            Action::Back => "close a popup, clear the search, or go back",
            Action::Help => "show or hide this help",
            Action::Redraw => "redraw the whole screen",
            Action::Suspend => "suspend to the shell (fg resumes)",
            Action::FocusNext => "focus the next pane",
            Action::FocusPrev => "focus the previous pane",
            Action::ScrollDown => "down one line (count: lines)",
            Action::ScrollUp => "up one line (count: lines)",
            Action::HalfPageDown => "down half a page",
            Action::HalfPageUp => "up half a page",
            Action::PageDown => "down one page",
            Action::PageUp => "up one page",
            Action::Top => "to the top (count: to line N)",
            Action::Bottom => "to the bottom (count: to line N)",
            Action::NextArticle => "next article, into the next source",
            Action::PrevArticle => "previous article",
            Action::NextSource => "next source (count: that many)",
            Action::PrevSource => "previous source",
            Action::GotoSource => "go to source N (the count)",
            Action::GotoArticle => "go to article N of this source (the count)",
            Action::ArticleLeft => {
                "article to the left: next in right-to-left text, previous in left-to-right"
            }
            Action::ArticleRight => {
                "article to the right: previous in right-to-left text, next in left-to-right"
            }
            Action::Open => "open the selected article; in the entities pane, go to the mention",
            Action::Search => {
                "search all sources (Arabic spelling variants match); in the entities pane, filter"
            }
            Action::NextMatch => "next match, into the next sources",
            Action::PrevMatch => "previous match",
            Action::ToggleBoilerplate => "show or hide boilerplate (shown dimmed)",
            Action::ToggleShaping => "Arabic shaping on or off",
            Action::NextMention => "next mention of the selected entity, into the next sources",
            Action::PrevMention => "previous mention of the selected entity",
            Action::Coverage => "coverage: entities × sources, how often each names each",
            Action::ToggleReveal => {
                "show bidi control characters (embeddings, overrides, isolates, marks)"
            }
            Action::Annotate => "annotate: a cursor over the article to select, label and review",
            Action::Undo => "undo the last annotation edit of this document",
            Action::Redo => "redo the edit undone last",
            Action::History => "the edit history of this document (undone edits marked)",
            Action::Export => {
                "export the annotations of every open document (format and folder in the config)"
            }
            Action::NextUnreviewed => "next suggestion not yet reviewed, into the next articles",
            Action::PrevUnreviewed => "previous suggestion not yet reviewed",
            Action::MarkDone => "mark this article's review done, or reopen it",
            Action::CursorNextWord => "cursor to the next word, in reading order",
            Action::CursorPrevWord => "cursor to the previous word, in reading order",
            Action::CursorNextChar => "cursor to the next character, in reading order",
            Action::CursorPrevChar => "cursor to the previous character, in reading order",
            Action::CursorLeft => "cursor one cell left on screen",
            Action::CursorRight => "cursor one cell right on screen",
            Action::CursorDown => "cursor to the line below",
            Action::CursorUp => "cursor to the line above",
            Action::SelectLeft => "grow or shrink the selection one cell left on screen",
            Action::SelectRight => "grow or shrink the selection one cell right on screen",
            Action::ToggleSelection => {
                "start a selection at the cursor (the cursor's moves then grow it), or drop it"
            }
            Action::Accept => "accept the suggestion under the cursor",
            Action::Reject => "reject the annotation or suggestion under the cursor",
            Action::AcceptAll => "accept every suggestion of this entity, in every source",
            Action::RejectAll => "reject every suggestion of this entity, in every source",
            Action::Delete => "delete the annotation under the cursor",
            Action::SetWikidata => "attach a Wikidata id (Q…) to the annotation under the cursor",
            Action::SetNote => "attach a note to the annotation under the cursor",
            Action::NextAnnotation => "next annotation or suggestion",
            Action::PrevAnnotation => "previous annotation or suggestion",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn names_round_trip() {
        for &a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(a), "{a:?}");
        }
        assert_eq!(Action::NextMatch.name(), "next_match");
        assert_eq!(Action::from_name("no_such_action"), None);
    }
}
