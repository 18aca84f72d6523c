//! Entities packed for keeping a whole corpus of them in memory: offsets as `u32`, names
//! interned once per corpus, an entity's mention list implied by the mentions that point
//! to it. About a sixth of the size of [`ArticleEntities`] (measured by
//! `tools/reliability/mem_probe.rs`); [`PackedEntities::unpack`] gives the plain form back
//! exactly.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use super::{ArticleEntities, Entity, EntityKind, Mention};

/// Interned strings: each distinct name is stored once.
#[derive(Debug, Default)]
pub struct Names {
    ids: HashMap<Rc<str>, u32>,
    strings: Vec<Rc<str>>,
}

/// No string (an absent Wikidata id or English name).
const NONE: u32 = u32::MAX;

impl Names {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        let rc: Rc<str> = Rc::from(s);
        self.strings.push(rc.clone());
        self.ids.insert(rc, id);
        id
    }

    fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }

    fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    fn get_opt(&self, id: u32) -> Option<String> {
        (id != NONE).then(|| self.get(id).to_owned())
    }

    /// Distinct strings held.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

#[derive(Clone, Copy, Debug)]
struct PMention {
    start: u32,
    end: u32,
    entity: u32,
    kind: EntityKind,
}

#[derive(Clone, Copy, Debug)]
struct PEntity {
    kind: EntityKind,
    canonical: u32,
    key: u32,
    wikidata: u32,
    english: u32,
}

#[derive(Clone, Debug)]
struct PArticle {
    mentions: Box<[PMention]>,
    entities: Box<[PEntity]>,
}

/// The entities of one document's articles, packed. Offsets that do not fit `u32` (a
/// text over 4 GiB, which the loader's limits rule out) keep the plain form.
#[derive(Clone, Debug)]
pub enum PackedEntities {
    Packed(Box<[PArticleHandle]>),
    Plain(Vec<ArticleEntities>),
}

/// One packed article (opaque).
#[derive(Clone, Debug)]
pub struct PArticleHandle(PArticle);

impl PackedEntities {
    /// Pack. Falls back to the plain form when an entity's mention list is not exactly
    /// the mentions pointing to it in text order, so unpacking is always exact.
    pub fn pack(arts: Vec<ArticleEntities>, names: &mut Names) -> PackedEntities {
        let mut out = Vec::with_capacity(arts.len());
        for a in &arts {
            match pack_article(a, names) {
                Some(p) => out.push(PArticleHandle(p)),
                None => return PackedEntities::Plain(arts),
            }
        }
        PackedEntities::Packed(out.into_boxed_slice())
    }

    /// Articles.
    pub fn len(&self) -> usize {
        match self {
            PackedEntities::Packed(a) => a.len(),
            PackedEntities::Plain(a) => a.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The plain form of every article.
    pub fn unpack(&self, names: &Names) -> Vec<ArticleEntities> {
        match self {
            PackedEntities::Plain(a) => a.clone(),
            PackedEntities::Packed(arts) => {
                arts.iter().map(|a| unpack_article(&a.0, names)).collect()
            }
        }
    }

    /// Whether some mention of type `kind` is `len` bytes long (a cheap test before
    /// unpacking).
    pub fn has_mention(&self, kind: EntityKind, len: usize) -> bool {
        match self {
            PackedEntities::Plain(a) => a
                .iter()
                .flat_map(|a| &a.mentions)
                .any(|m| m.kind == kind && m.range.len() == len),
            PackedEntities::Packed(arts) => arts
                .iter()
                .flat_map(|a| a.0.mentions.iter())
                .any(|m| m.kind == kind && (m.end - m.start) as usize == len),
        }
    }

    /// Mention ranges of entity `entity` of article `article`, in text order, without
    /// unpacking.
    pub fn mention_ranges(&self, article: usize, entity: usize) -> Vec<Range<usize>> {
        match self {
            PackedEntities::Plain(a) => a.get(article).map_or_else(Vec::new, |a| {
                a.entities.get(entity).map_or_else(Vec::new, |e| {
                    e.mentions
                        .iter()
                        .filter_map(|&m| a.mentions.get(m).map(|m| m.range.clone()))
                        .collect()
                })
            }),
            PackedEntities::Packed(arts) => arts.get(article).map_or_else(Vec::new, |a| {
                a.0.mentions
                    .iter()
                    .filter(|m| m.entity as usize == entity)
                    .map(|m| m.start as usize..m.end as usize)
                    .collect()
            }),
        }
    }
}

fn pack_article(a: &ArticleEntities, names: &mut Names) -> Option<PArticle> {
    let mut mentions = Vec::with_capacity(a.mentions.len());
    for m in &a.mentions {
        mentions.push(PMention {
            start: u32::try_from(m.range.start).ok()?,
            end: u32::try_from(m.range.end).ok()?,
            entity: u32::try_from(m.entity).ok()?,
            kind: m.kind,
        });
    }
    let mut entities = Vec::with_capacity(a.entities.len());
    for (i, e) in a.entities.iter().enumerate() {
        let implied = a
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.entity == i)
            .map(|(j, _)| j);
        if !implied.eq(e.mentions.iter().copied()) {
            return None;
        }
        entities.push(PEntity {
            kind: e.kind,
            canonical: names.intern(&e.canonical),
            key: names.intern(&e.key),
            wikidata: names.intern_opt(e.wikidata.as_deref()),
            english: names.intern_opt(e.english.as_deref()),
        });
    }
    Some(PArticle {
        mentions: mentions.into_boxed_slice(),
        entities: entities.into_boxed_slice(),
    })
}

fn unpack_article(a: &PArticle, names: &Names) -> ArticleEntities {
    let mut entities: Vec<Entity> = a
        .entities
        .iter()
        .map(|e| Entity {
            kind: e.kind,
            canonical: names.get(e.canonical).to_owned(),
            key: names.get(e.key).to_owned(),
            wikidata: names.get_opt(e.wikidata),
            english: names.get_opt(e.english),
            mentions: Vec::new(),
        })
        .collect();
    let mentions = a
        .mentions
        .iter()
        .enumerate()
        .map(|(j, m)| {
            if let Some(e) = entities.get_mut(m.entity as usize) {
                e.mentions.push(j);
            }
            Mention {
                range: m.start as usize..m.end as usize,
                kind: m.kind,
                entity: m.entity as usize,
            }
        })
        .collect();
    ArticleEntities { mentions, entities }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::Tagger;

    #[test]
    fn unpacks_exactly_what_was_packed() {
        let mut names = Names::default();
        let mut all = Vec::new();
        for (name, text) in crate::corpus::SAMPLE {
            let doc =
                crate::source::Document::from_bytes(*name, text.as_bytes(), &Default::default())
                    .unwrap();
            let ents = Tagger::shared().tag_document(&doc);
            assert!(ents.iter().any(|a| !a.mentions.is_empty()));
            let packed = PackedEntities::pack(ents.clone(), &mut names);
            assert!(matches!(packed, PackedEntities::Packed(_)), "{name}");
            assert_eq!(packed.unpack(&names), ents);
            for (a, art) in ents.iter().enumerate() {
                for (e, ent) in art.entities.iter().enumerate() {
                    let want: Vec<_> = ent
                        .mentions
                        .iter()
                        .map(|&m| art.mentions[m].range.clone())
                        .collect();
                    assert_eq!(packed.mention_ranges(a, e), want);
                }
            }
            all.push(packed);
        }
        // Names are shared across documents: fewer strings than entities.
        let entities: usize = all
            .iter()
            .map(|p| {
                p.unpack(&names)
                    .iter()
                    .map(|a| a.entities.len())
                    .sum::<usize>()
            })
            .sum();
        assert!(
            names.len() < entities * 2,
            "{} names for {entities} entities",
            names.len()
        );
    }

    #[test]
    fn inconsistent_lists_stay_plain_and_exact() {
        let mut a = ArticleEntities::default();
        a.mentions.push(Mention {
            range: 0..4,
            kind: EntityKind::Per,
            entity: 0,
        });
        a.entities.push(Entity {
            kind: EntityKind::Per,
            canonical: "x".into(),
            key: "x".into(),
            wikidata: None,
            english: None,
            mentions: vec![],
        });
        let mut names = Names::default();
        let p = PackedEntities::pack(vec![a.clone()], &mut names);
        assert!(matches!(p, PackedEntities::Plain(_)));
        assert_eq!(p.unpack(&names), vec![a]);
        let big = ArticleEntities {
            mentions: vec![Mention {
                range: 0..(u32::MAX as usize + 2),
                kind: EntityKind::Loc,
                entity: 0,
            }],
            entities: vec![],
        };
        assert!(matches!(
            PackedEntities::pack(vec![big], &mut names),
            PackedEntities::Plain(_)
        ));
    }
}
