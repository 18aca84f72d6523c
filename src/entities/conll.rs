//! CoNLL reading and entity-level scoring (strict IOB2, as seqeval's `mode="strict"` with
//! `scheme=IOB2`): an entity is a `B-X` followed by `I-X`s; an `I-X` that does not continue
//! an entity of type X starts nothing; predicted and gold entities must match exactly in
//! type, start and end.

use std::collections::{BTreeMap, HashSet};

/// One sentence of a CoNLL file: first column of each line, and the last column when the
/// line has at least two.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllSentence {
    pub tokens: Vec<String>,
    /// Empty when the input had a single column.
    pub tags: Vec<String>,
}

/// Read sentences separated by blank lines. Columns are split on whitespace; lines that
/// start with `-DOCSTART-` are skipped.
pub fn read_conll(text: &str) -> Vec<ConllSentence> {
    let mut out = Vec::new();
    let mut cur = ConllSentence::default();
    let mut has_tags = true;
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let Some(tok) = cols.next() else {
            if !cur.tokens.is_empty() {
                if !has_tags {
                    cur.tags.clear();
                }
                out.push(std::mem::take(&mut cur));
            }
            has_tags = true;
            continue;
        };
        if tok == "-DOCSTART-" {
            continue;
        }
        cur.tokens.push(tok.to_owned());
        match cols.last() {
            Some(tag) => cur.tags.push(tag.to_owned()),
            None => has_tags = false,
        }
    }
    if !cur.tokens.is_empty() {
        if !has_tags {
            cur.tags.clear();
        }
        out.push(cur);
    }
    out
}

/// Entities of a strict IOB2 tag sequence: (type, start, end exclusive).
pub fn entities(tags: &[impl AsRef<str>]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(String, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (prefix, kind) = match t.split_once('-') {
            Some((p, k)) => (p, k),
            None => ("O", ""),
        };
        match prefix {
            "I" if cur.as_ref().is_some_and(|(k, _)| k == kind) => {}
            _ => {
                if let Some((k, s)) = cur.take() {
                    out.push((k, s, i));
                }
                if prefix == "B" {
                    cur = Some((kind.to_owned(), i));
                }
            }
        }
    }
    if let Some((k, s)) = cur {
        out.push((k, s, tags.len()));
    }
    out
}

/// Counts for one type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.pred == 0 {
            0.0
        } else {
            self.tp as f64 / self.pred as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Entity-level scores, per type and overall (micro).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub per_type: BTreeMap<String, Counts>,
    pub overall: Counts,
}

impl Score {
    /// Add one sentence's gold and predicted tags (same length).
    pub fn add(&mut self, gold: &[impl AsRef<str>], pred: &[impl AsRef<str>]) {
        let g: HashSet<_> = entities(gold).into_iter().collect();
        let p: HashSet<_> = entities(pred).into_iter().collect();
        for e in &g {
            self.per_type.entry(e.0.clone()).or_default().gold += 1;
            self.overall.gold += 1;
        }
        for e in &p {
            let c = self.per_type.entry(e.0.clone()).or_default();
            c.pred += 1;
            self.overall.pred += 1;
            if g.contains(e) {
                c.tp += 1;
                self.overall.tp += 1;
            }
        }
    }

    /// A seqeval-like report.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7}\n",
            "type", "precision", "recall", "f1", "gold", "pred"
        );
        let row = |name: &str, c: &Counts| {
            format!(
                "{:<8} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7}\n",
                name,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.gold,
                c.pred
            )
        };
        for (k, c) in &self.per_type {
            s.push_str(&row(k, c));
        }
        s.push_str(&row("overall", &self.overall));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_iob2_entities() {
        let t = [
            "B-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "I-ORG", "B-ORG", "I-ORG",
        ];
        assert_eq!(
            entities(&t),
            vec![
                ("PERS".to_owned(), 0, 2),
                ("LOC".to_owned(), 4, 5),
                ("ORG".to_owned(), 6, 8)
            ]
        );
        let none: [&str; 0] = [];
        assert!(entities(&none).is_empty());
    }

    #[test]
    fn hand_scored_example() {
        // Gold: PERS(0..2), LOC(3..4), ORG(5..7). Pred: PERS(0..2) right, LOC typed ORG,
        // ORG cut short.
        let gold = ["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "I-ORG"];
        let pred = ["B-PERS", "I-PERS", "O", "B-ORG", "O", "B-ORG", "O"];
        let mut s = Score::default();
        s.add(&gold, &pred);
        assert_eq!(
            s.overall,
            Counts {
                tp: 1,
                pred: 3,
                gold: 3
            }
        );
        assert_eq!(
            s.per_type["PERS"],
            Counts {
                tp: 1,
                pred: 1,
                gold: 1
            }
        );
        assert_eq!(
            s.per_type["LOC"],
            Counts {
                tp: 0,
                pred: 0,
                gold: 1
            }
        );
        assert_eq!(
            s.per_type["ORG"],
            Counts {
                tp: 0,
                pred: 2,
                gold: 1
            }
        );
        assert!((s.overall.f1() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.per_type["LOC"].f1(), 0.0);
        assert!(s.report().contains("overall"));
    }

    #[test]
    fn reads_one_or_two_columns() {
        let s = read_conll("a B-LOC\nb O\n\n\nc\nd\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, ["B-LOC", "O"]);
        assert_eq!(s[1].tokens, ["c", "d"]);
        assert!(s[1].tags.is_empty());
    }
}
