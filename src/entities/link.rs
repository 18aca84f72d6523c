//! Linking the entities of many articles into corpus-level entities.
//!
//! Entities with the same key (gazetteer id, else normalized canonical form) are one
//! corpus entity; then a one-word person (`بوتين`) joins the one multi-word person whose
//! last word it is (`فلاديمير بوتين`), when that person is unique in the corpus. The type is
//! the one with most mentions (ties: first seen). Ids are the keys, so they are stable for
//! the same input; the list is sorted by mention count, then id.

use std::collections::{BTreeMap, HashMap};

use super::normalize::norm;
use super::{ArticleEntities, EntityKind};

/// Where a corpus entity occurs. Small and flat (16 bytes): a corpus of 100,000 articles
/// has millions of these. The mentions themselves are the article entity's
/// [`super::Entity::mentions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub document: u32,
    pub article: u32,
    /// Index into that article's [`ArticleEntities::entities`].
    pub entity: u32,
    /// How many mentions the entity has in that article.
    pub mentions: u32,
}

impl Occurrence {
    pub fn document(&self) -> usize {
        self.document as usize
    }
    pub fn article(&self) -> usize {
        self.article as usize
    }
    pub fn entity(&self) -> usize {
        self.entity as usize
    }
}

impl CorpusEntity {
    /// Mentions of this entity in document `d` (the occurrences are sorted by document).
    pub fn mentions_in(&self, d: usize) -> usize {
        let from = self.occurrences.partition_point(|o| o.document() < d);
        self.occurrences[from..]
            .iter()
            .take_while(|o| o.document() == d)
            .map(|o| o.mentions as usize)
            .sum()
    }
}

/// An entity across the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusEntity {
    /// Stable id: the linking key.
    pub id: String,
    pub kind: EntityKind,
    pub canonical: String,
    pub wikidata: Option<String>,
    pub english: Option<String>,
    /// Total mentions.
    pub mention_count: usize,
    /// Per (document, article), in input order.
    pub occurrences: Vec<Occurrence>,
}

/// One article's entities with its position in the corpus.
#[derive(Clone, Copy, Debug)]
pub struct ArticleRef<'a> {
    pub document: usize,
    pub article: usize,
    pub entities: &'a ArticleEntities,
}

fn last_word(key: &str) -> Option<&str> {
    let mut it = key.rsplit(' ');
    let last = it.next()?;
    it.next().map(|_| last)
}

/// Link per-article entities into corpus entities.
pub fn link_corpus(articles: &[ArticleRef<'_>]) -> Vec<CorpusEntity> {
    let mut linker = Linker::default();
    for a in articles {
        linker.add(*a);
    }
    linker.finish()
}

// key → (kind counts, first kind, canonical, wikidata, english, occurrences)
struct Acc {
    counts: BTreeMap<EntityKind, usize>,
    first: EntityKind,
    canonical: String,
    wikidata: Option<String>,
    english: Option<String>,
    occ: Vec<Occurrence>,
    multiword: bool,
    order: usize,
}

/// [`link_corpus`] one article at a time, so that the caller need not hold every
/// article's entities at once (the reader keeps them packed and unpacks one document at
/// a time).
#[derive(Default)]
pub struct Linker {
    accs: HashMap<String, Acc>,
    n: usize,
}

impl Linker {
    pub fn add(&mut self, a: ArticleRef<'_>) {
        let n = &mut self.n;
        for (ei, e) in a.entities.entities.iter().enumerate() {
            let acc = match self.accs.get_mut(&e.key) {
                Some(acc) => acc,
                None => {
                    *n += 1;
                    self.accs.entry(e.key.clone()).or_insert_with(|| Acc {
                        counts: BTreeMap::new(),
                        first: e.kind,
                        canonical: e.canonical.clone(),
                        wikidata: e.wikidata.clone(),
                        english: e.english.clone(),
                        occ: Vec::new(),
                        multiword: e.canonical.split_whitespace().nth(1).is_some(),
                        order: *n,
                    })
                }
            };
            *acc.counts.entry(e.kind).or_default() += e.mentions.len();
            if e.canonical.chars().count() > acc.canonical.chars().count() && e.wikidata.is_none() {
                acc.canonical = e.canonical.clone();
                acc.multiword |= e.canonical.split_whitespace().nth(1).is_some();
            }
            acc.occ.push(Occurrence {
                document: a.document as u32,
                article: a.article as u32,
                entity: ei as u32,
                mentions: e.mentions.len() as u32,
            });
        }
    }

    pub fn finish(self) -> Vec<CorpusEntity> {
        let mut accs = self.accs;
        // One-word persons → the unique multi-word person ending with that word.
        let mut by_last: HashMap<String, Option<String>> = HashMap::new();
        for (k, acc) in &accs {
            if !is_person(acc.counts.iter().map(|(k, v)| (*k, *v)), acc.first) {
                continue;
            }
            let c = norm(&acc.canonical);
            if let Some(lw) = last_word(&c) {
                let e = by_last
                    .entry(lw.to_owned())
                    .or_insert_with(|| Some(k.clone()));
                if e.as_deref() != Some(k.as_str()) {
                    *e = None;
                }
            }
        }
        let mut moves: Vec<(String, String)> = Vec::new();
        for (k, acc) in &accs {
            if k.contains(' ') || k.contains(':') || acc.multiword {
                continue;
            }
            if !is_person(acc.counts.iter().map(|(k, v)| (*k, *v)), acc.first) {
                continue;
            }
            if let Some(Some(target)) = by_last.get(k.as_str()) {
                moves.push((k.clone(), target.clone()));
            }
        }
        for (from, to) in moves {
            if let Some(src) = accs.remove(&from) {
                if let Some(dst) = accs.get_mut(&to) {
                    for (k, v) in src.counts {
                        *dst.counts.entry(k).or_default() += v;
                    }
                    dst.occ.extend(src.occ);
                    dst.order = dst.order.min(src.order);
                }
            }
        }
        let mut out: Vec<(usize, CorpusEntity)> = accs
            .into_iter()
            .map(|(id, mut acc)| {
                acc.occ.sort_by_key(|o| (o.document, o.article, o.entity));
                acc.occ.shrink_to_fit();
                let best = acc.counts.values().copied().max().unwrap_or(0);
                let kind = if acc.counts.get(&acc.first) == Some(&best) {
                    acc.first
                } else {
                    acc.counts
                        .iter()
                        .find(|(_, &v)| v == best)
                        .map_or(acc.first, |(k, _)| *k)
                };
                let mention_count = acc.occ.iter().map(|o| o.mentions as usize).sum();
                (
                    acc.order,
                    CorpusEntity {
                        id,
                        kind,
                        canonical: acc.canonical,
                        wikidata: acc.wikidata,
                        english: acc.english,
                        mention_count,
                        occurrences: acc.occ,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| {
            b.1.mention_count
                .cmp(&a.1.mention_count)
                .then_with(|| a.1.id.cmp(&b.1.id))
        });
        out.into_iter().map(|(_, e)| e).collect()
    }
}

fn is_person(counts: impl Iterator<Item = (EntityKind, usize)>, first: EntityKind) -> bool {
    let v: Vec<(EntityKind, usize)> = counts.collect();
    let best = v.iter().map(|x| x.1).max().unwrap_or(0);
    let per = v.iter().find(|x| x.0 == EntityKind::Per).map_or(0, |x| x.1);
    per == best && (per > 0 || first == EntityKind::Per)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::{Entity, Mention};

    fn art(ents: &[(&str, EntityKind, usize)]) -> ArticleEntities {
        let mut a = ArticleEntities::default();
        for (i, (key, kind, n)) in ents.iter().enumerate() {
            let mut e = Entity {
                kind: *kind,
                canonical: key.to_string(),
                key: key.to_string(),
                wikidata: None,
                english: None,
                mentions: Vec::new(),
            };
            for _ in 0..*n {
                e.mentions.push(a.mentions.len());
                a.mentions.push(Mention {
                    range: 0..1,
                    kind: *kind,
                    entity: i,
                });
            }
            a.entities.push(e);
        }
        a
    }

    #[test]
    fn links_by_key_and_last_name() {
        let a = art(&[
            ("فلاديمير بوتين", EntityKind::Per, 2),
            ("جنيف", EntityKind::Loc, 1),
        ]);
        let b = art(&[("بوتين", EntityKind::Per, 3), ("جنيف", EntityKind::Org, 1)]);
        let c = art(&[("جنيف", EntityKind::Loc, 1)]);
        let refs = [
            ArticleRef {
                document: 0,
                article: 0,
                entities: &a,
            },
            ArticleRef {
                document: 1,
                article: 0,
                entities: &b,
            },
            ArticleRef {
                document: 1,
                article: 1,
                entities: &c,
            },
        ];
        let linked = link_corpus(&refs);
        assert_eq!(linked.len(), 2);
        assert_eq!(linked[0].id, "فلاديمير بوتين");
        assert_eq!(linked[0].mention_count, 5);
        assert_eq!(linked[0].occurrences.len(), 2);
        assert_eq!(linked[1].id, "جنيف");
        assert_eq!(linked[1].kind, EntityKind::Loc);
        assert_eq!(linked[1].occurrences.len(), 3);
        // Stable for the same input.
        assert_eq!(link_corpus(&refs), linked);
    }

    #[test]
    fn ambiguous_last_names_stay_apart() {
        let a = art(&[
            ("جو بايدن", EntityKind::Per, 1),
            ("هانتر بايدن", EntityKind::Per, 1),
        ]);
        let b = art(&[("بايدن", EntityKind::Per, 1)]);
        let refs = [
            ArticleRef {
                document: 0,
                article: 0,
                entities: &a,
            },
            ArticleRef {
                document: 0,
                article: 1,
                entities: &b,
            },
        ];
        assert_eq!(link_corpus(&refs).len(), 3);
        assert!(link_corpus(&[]).is_empty());
    }
}
