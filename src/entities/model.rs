//! The sequence model: a linear-chain CRF in a compact format of qari's own (`QNERCRF1`),
//! converted from a CRFsuite model trained with the `crfs` crate (`tools/ner/train.rs`).
//! Attributes are stored as 64-bit hashes of their names ([`super::hash::hash_bytes`]), so
//! tagging never builds or compares feature strings.
//!
//! File layout (little endian): magic `QNERCRF1`; `u32` label count L; L labels (`u8`
//! length + UTF-8); L×L `f32` transition weights (from, to); `u32` attribute count; per
//! attribute: `u64` hash, `u8` count, count × (`u8` label, `f32` weight). Magic
//! `QNERCRF2`: the same, then the training [`Lexicon`]: `u32` count, count × (`u64` word
//! hash, `u8` code).

use super::features::{position_features, role_features, FeatureSink, Lexicon, Role, Seq};
use super::hash::{combine, hash_bytes, HashMap64};

pub const MAGIC: &[u8; 8] = b"QNERCRF1";
/// A model with a lexicon.
pub const MAGIC2: &[u8; 8] = b"QNERCRF2";
/// A stacked model: `QNERCRF3`, `u32` length + a first-pass model file (`QNERCRF1`/`2`),
/// `u32` length + a second-pass model file (`QNERCRF1`, same labels; features of
/// [`super::stack`]).
pub const MAGIC3: &[u8; 8] = b"QNERCRF3";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a qari NER model (bad magic)")]
    Magic,
    #[error("truncated model file")]
    Truncated,
    #[error("bad model file: {0}")]
    Bad(&'static str),
}

/// A trained CRF.
#[derive(Clone, Debug)]
pub struct CrfModel {
    pub labels: Vec<String>,
    /// L×L, `trans[from * L + to]`.
    trans: Vec<f32>,
    /// Open-addressing table (linear probing, at most half full) of attribute hashes with
    /// their first weight inline: one memory access per feature for most attributes.
    slots: Vec<Slot>,
    /// Further (label, weight) pairs of attributes with more than one.
    extra: Vec<(u8, f32)>,
    num_attrs: usize,
    /// The training lexicon of a `QNERCRF2` model (its features are used only then).
    pub lexicon: Option<Lexicon>,
    /// The second pass of a stacked (`QNERCRF3`) model.
    pub stage2: Option<Box<CrfModel>>,
    /// For a second pass: the names of its features and their weight rows
    /// (`names × labels`), computed once at load.
    pub stage2_rows: Option<(super::stack::Names, Vec<f32>)>,
    /// Unique per loaded model (clones share it): keys the per-thread [`RoleCache`].
    id: u64,
}

/// A table slot (16 bytes); `key == 0` is empty. The slot index comes from the low bits of
/// the 64-bit hash and `key` holds its high 32 bits (never 0), so a lookup compares about
/// 49 bits of the hash.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u32,
    weight: f32,
    label: u8,
    n_extra: u8,
    extra: u32,
}

#[inline]
fn slot_key(h: u64) -> u32 {
    let k = (h >> 32) as u32;
    if k == 0 {
        1
    } else {
        k
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or(ModelError::Truncated)?;
        let s = self.buf.get(self.pos..end).ok_or(ModelError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Adds up the weights of the features it is given: [`FeatureSink::emit`] hashes the name
/// and prefetches its table slot, [`Scorer::flush`] adds the weights of all features
/// emitted since the last flush to `row` (the table's cache misses overlap instead of
/// coming one after the other).
struct Scorer<'m> {
    model: &'m CrfModel,
    row: Vec<f32>,
    pending: Vec<u64>,
}

#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is only a hint (it never faults, whatever the address), and
        // SSE, its target feature, is part of every x86_64 target.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

impl FeatureSink for Scorer<'_> {
    #[inline]
    fn emit(&mut self, name: &str) {
        let h = hash_bytes(name.as_bytes());
        let slots = &self.model.slots;
        prefetch(&slots[h as usize & (slots.len() - 1)]);
        self.pending.push(h);
    }
}

impl Scorer<'_> {
    /// Add the weights of the pending features to `row`.
    fn flush(&mut self) {
        let m = self.model;
        let mask = m.slots.len() - 1;
        for &h in &self.pending {
            let key = slot_key(h);
            let mut i = h as usize & mask;
            loop {
                let s = &m.slots[i];
                if s.key == key {
                    self.row[s.label as usize] += s.weight;
                    if s.n_extra > 0 {
                        let e = s.extra as usize;
                        for &(y, w) in &m.extra[e..e + s.n_extra as usize] {
                            self.row[y as usize] += w;
                        }
                    }
                    break;
                }
                if s.key == 0 {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        self.pending.clear();
    }
}

/// Weights of (word, role) features already computed, shared by the sentences of one call.
#[derive(Default)]
pub struct RoleCache {
    index: HashMap64<u32>,
    rows: Vec<f32>,
}

impl RoleCache {
    /// Forget everything (e.g. when it grows large).
    pub fn clear(&mut self) {
        self.index.clear();
        self.rows.clear();
    }
}

thread_local! {
    /// One cache per thread, for the model it was filled by (at most 8 MB: cleared when
    /// larger). Words recur across articles, so most feature weights come from here.
    static CACHE: std::cell::RefCell<(u64, RoleCache)> = std::cell::RefCell::new((0, RoleCache::default()));
}

impl CrfModel {
    /// Parse a model file. Never panics on bad input.
    pub fn from_bytes(buf: &[u8]) -> Result<CrfModel, ModelError> {
        if buf.starts_with(MAGIC3) {
            let mut r = Reader { buf, pos: 8 };
            let n1 = r.u32()? as usize;
            let b1 = r.take(n1)?;
            let n2 = r.u32()? as usize;
            let b2 = r.take(n2)?;
            if r.pos != buf.len() {
                return Err(ModelError::Bad("trailing bytes"));
            }
            if b1.starts_with(MAGIC3) || !b2.starts_with(MAGIC) {
                return Err(ModelError::Bad("stacked model parts"));
            }
            let mut m1 = CrfModel::from_bytes(b1)?;
            let m2 = CrfModel::from_bytes(b2)?;
            if m1.labels != m2.labels {
                return Err(ModelError::Bad("stacked model labels"));
            }
            let names = super::stack::Names::new(&m2.labels);
            let l = m2.labels.len();
            let mut rows = vec![0f32; names.names.len() * l];
            for (name, row) in names.names.iter().zip(rows.chunks_exact_mut(l)) {
                m2.add_feature(name, 1.0, row);
            }
            m1.stage2_rows = Some((names, rows));
            m1.stage2 = Some(Box::new(m2));
            return Ok(m1);
        }
        let mut r = Reader { buf, pos: 0 };
        let magic = r.take(8)?;
        let with_lexicon = if magic == MAGIC {
            false
        } else if magic == MAGIC2 {
            true
        } else {
            return Err(ModelError::Magic);
        };
        let l = r.u32()? as usize;
        if l == 0 || l > 64 {
            return Err(ModelError::Bad("label count"));
        }
        let mut labels = Vec::with_capacity(l);
        for _ in 0..l {
            let n = r.u8()? as usize;
            let s = std::str::from_utf8(r.take(n)?).map_err(|_| ModelError::Bad("label"))?;
            labels.push(s.to_owned());
        }
        let mut trans = Vec::with_capacity(l * l);
        for _ in 0..l * l {
            trans.push(r.f32()?);
        }
        let na = r.u32()? as usize;
        if na > buf.len() / 9 {
            return Err(ModelError::Bad("attribute count"));
        }
        let cap = (na.max(1) * 2).next_power_of_two();
        let mut slots = vec![Slot::default(); cap];
        let mut extra: Vec<(u8, f32)> = Vec::new();
        let mask = cap - 1;
        for _ in 0..na {
            let h = r.u64()?;
            let key = slot_key(h);
            let k = r.u8()?;
            let mut pairs: Vec<(u8, f32)> = Vec::with_capacity(k as usize);
            for _ in 0..k {
                let y = r.u8()?;
                let w = r.f32()?;
                if y as usize >= l {
                    return Err(ModelError::Bad("label id"));
                }
                pairs.push((y, w));
            }
            let Some((&(y0, w0), rest)) = pairs.split_first() else {
                continue;
            };
            let mut i = h as usize & mask;
            while slots[i].key != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot {
                key,
                weight: w0,
                label: y0,
                n_extra: rest.len() as u8,
                extra: extra.len() as u32,
            };
            extra.extend_from_slice(rest);
        }
        let lexicon = if with_lexicon {
            let n = r.u32()? as usize;
            if n > buf.len() / 9 {
                return Err(ModelError::Bad("lexicon size"));
            }
            let mut map = HashMap64::default();
            map.reserve(n);
            for _ in 0..n {
                let h = r.u64()?;
                map.insert(h, r.u8()?);
            }
            Some(Lexicon { map })
        } else {
            None
        };
        if r.pos != buf.len() {
            return Err(ModelError::Bad("trailing bytes"));
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(CrfModel {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            labels,
            trans,
            lexicon,
            stage2: None,
            stage2_rows: None,
            num_attrs: slots.iter().filter(|s| s.key != 0).count(),
            slots,
            extra,
        })
    }

    /// Serialize: labels, transitions (from, to, weight) and state features
    /// (attribute name hash, label, weight).
    pub fn write(
        labels: &[String],
        trans: &[(usize, usize, f32)],
        state: &HashMap64<Vec<(u8, f32)>>,
    ) -> Vec<u8> {
        CrfModel::write_with_lexicon(labels, trans, state, None)
    }

    /// [`CrfModel::write`], plus a lexicon (a `QNERCRF2` file) if given.
    pub fn write_with_lexicon(
        labels: &[String],
        trans: &[(usize, usize, f32)],
        state: &HashMap64<Vec<(u8, f32)>>,
        lexicon: Option<&Lexicon>,
    ) -> Vec<u8> {
        let l = labels.len();
        let mut out = Vec::new();
        out.extend_from_slice(if lexicon.is_some() { MAGIC2 } else { MAGIC });
        out.extend_from_slice(&(l as u32).to_le_bytes());
        for s in labels {
            out.push(s.len() as u8);
            out.extend_from_slice(s.as_bytes());
        }
        let mut t = vec![0f32; l * l];
        for &(a, b, w) in trans {
            t[a * l + b] += w;
        }
        for w in t {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let mut keys: Vec<&u64> = state.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let v = &state[k];
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v.len() as u8);
            for &(y, w) in v {
                out.push(y);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        if let Some(lex) = lexicon {
            let mut entries: Vec<(&u64, &u8)> = lex.map.iter().collect();
            entries.sort();
            out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
            for (h, c) in entries {
                out.extend_from_slice(&h.to_le_bytes());
                out.push(*c);
            }
        }
        out
    }

    /// A stacked (`QNERCRF3`) model file of a first-pass and a second-pass model file.
    pub fn write_stacked(pass1: &[u8], pass2: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + pass1.len() + pass2.len());
        out.extend_from_slice(MAGIC3);
        out.extend_from_slice(&(pass1.len() as u32).to_le_bytes());
        out.extend_from_slice(pass1);
        out.extend_from_slice(&(pass2.len() as u32).to_le_bytes());
        out.extend_from_slice(pass2);
        out
    }

    /// A copy of the model file `bytes` with `delta` added to the weight of attribute
    /// `attr` for label `label` (the attribute is created if the model lacks it). The
    /// trainer uses it to bias the always-on `b` attribute against `O`, trading
    /// precision for recall.
    pub fn add_weight(
        bytes: &[u8],
        attr: &str,
        label: &str,
        delta: f32,
    ) -> Result<Vec<u8>, ModelError> {
        if bytes.starts_with(MAGIC3) {
            return Err(ModelError::Bad("cannot bias a stacked model"));
        }
        let m = CrfModel::from_bytes(bytes)?;
        let y = m
            .labels
            .iter()
            .position(|l| l == label)
            .ok_or(ModelError::Bad("unknown label"))? as u8;
        let l = m.labels.len();
        // Re-read the attribute table in file order (hashes are needed, slots keep 32 bits).
        let mut r = Reader { buf: bytes, pos: 8 };
        r.u32()?;
        for _ in 0..l {
            let n = r.u8()? as usize;
            r.take(n)?;
        }
        let mut trans = Vec::with_capacity(l * l);
        for a in 0..l {
            for b in 0..l {
                trans.push((a, b, r.f32()?));
            }
        }
        let na = r.u32()? as usize;
        let mut state: HashMap64<Vec<(u8, f32)>> = HashMap64::default();
        for _ in 0..na {
            let h = r.u64()?;
            let k = r.u8()?;
            let v = state.entry(h).or_default();
            for _ in 0..k {
                let yy = r.u8()?;
                v.push((yy, r.f32()?));
            }
        }
        let v = state.entry(hash_bytes(attr.as_bytes())).or_default();
        match v.iter_mut().find(|(yy, _)| *yy == y) {
            Some(p) => p.1 += delta,
            None => v.push((y, delta)),
        }
        Ok(CrfModel::write_with_lexicon(
            &m.labels,
            &trans,
            &state,
            m.lexicon.as_ref(),
        ))
    }

    pub fn num_attrs(&self) -> usize {
        self.num_attrs
    }

    /// Best label sequence (label indices) for a prepared sequence.
    pub fn viterbi(&self, seq: &Seq<'_>) -> Vec<usize> {
        self.with_cache(|c| self.viterbi_cached(seq, c))
    }

    /// Empty this thread's feature-weight cache (benchmarks measure cold starts with it).
    pub fn clear_thread_cache() {
        CACHE.with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                c.1.clear();
            }
        });
    }

    /// Run `f` with this thread's cache for this model (a fresh one if it is in use).
    pub fn with_cache<R>(&self, f: impl FnOnce(&mut RoleCache) -> R) -> R {
        let mut f = Some(f);
        let out = CACHE.with(|c| {
            let mut c = c.try_borrow_mut().ok()?;
            if c.0 != self.id {
                c.1.clear();
                c.0 = self.id;
            }
            let f = f.take()?;
            Some(f(&mut c.1))
        });
        match (out, f) {
            (Some(r), _) => r,
            (None, Some(f)) => f(&mut RoleCache::default()),
            (None, None) => unreachable!("the closure runs at most once"),
        }
    }

    /// [`CrfModel::viterbi`] with a cache of per-word feature weights (valid for this
    /// model and gazetteer only).
    pub fn viterbi_cached(&self, seq: &Seq<'_>, cache: &mut RoleCache) -> Vec<usize> {
        let state = self.state_cached(seq, cache);
        self.decode(&state)
    }

    /// The state scores (`n × labels`) of a prepared sequence.
    pub fn state_cached(&self, seq: &Seq<'_>, cache: &mut RoleCache) -> Vec<f32> {
        let n = seq.len();
        let l = self.labels.len();
        if n == 0 {
            return Vec::new();
        }
        if cache.rows.len() > (1 << 21) {
            cache.clear();
        }
        let mut scorer = Scorer {
            model: self,
            row: vec![0f32; l],
            pending: Vec::with_capacity(64),
        };
        let mut buf = String::with_capacity(64);
        // Cached role rows for each token.
        let word_hash: Vec<u64> = seq.words.iter().map(|w| hash_bytes(w.as_bytes())).collect();
        let role_row = |j: usize,
                        role: Role,
                        scorer: &mut Scorer<'_>,
                        buf: &mut String,
                        cache: &mut RoleCache|
         -> usize {
            let key = combine(word_hash[j], role as u64 + 1);
            if let Some(&r) = cache.index.get(&key) {
                return r as usize;
            }
            scorer.row.iter_mut().for_each(|x| *x = 0.0);
            role_features(seq, j, role, buf, scorer);
            scorer.flush();
            let r = cache.rows.len() / l;
            cache.rows.extend_from_slice(&scorer.row);
            cache.index.insert(key, r as u32);
            r
        };
        let mut rows: Vec<usize> = Vec::with_capacity(5);
        let mut state = vec![0f32; n * l];
        for i in 0..n {
            rows.clear();
            rows.push(role_row(i, Role::Cur, &mut scorer, &mut buf, cache));
            if i > 0 {
                rows.push(role_row(i - 1, Role::Prev1, &mut scorer, &mut buf, cache));
            }
            if i > 1 {
                rows.push(role_row(i - 2, Role::Prev2, &mut scorer, &mut buf, cache));
            }
            if i + 1 < n {
                rows.push(role_row(i + 1, Role::Next1, &mut scorer, &mut buf, cache));
            }
            if i + 2 < n {
                rows.push(role_row(i + 2, Role::Next2, &mut scorer, &mut buf, cache));
            }
            scorer.row.iter_mut().for_each(|x| *x = 0.0);
            position_features(seq, i, &mut buf, &mut scorer);
            scorer.flush();
            let st = &mut state[i * l..(i + 1) * l];
            st.copy_from_slice(&scorer.row);
            for &r in &rows {
                for (a, b) in st.iter_mut().zip(&cache.rows[r * l..(r + 1) * l]) {
                    *a += *b;
                }
            }
        }
        state
    }

    /// Add `value` × the weights of attribute `name` to `row` (a second-pass feature).
    #[inline]
    pub fn add_feature(&self, name: &str, value: f32, row: &mut [f32]) {
        let h = hash_bytes(name.as_bytes());
        let key = slot_key(h);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.key == key {
                row[s.label as usize] += s.weight * value;
                if s.n_extra > 0 {
                    let e = s.extra as usize;
                    for &(y, w) in &self.extra[e..e + s.n_extra as usize] {
                        row[y as usize] += w * value;
                    }
                }
                return;
            }
            if s.key == 0 {
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The best label sequence for state scores (`n × labels`).
    pub fn decode(&self, state: &[f32]) -> Vec<usize> {
        let l = self.labels.len();
        let n = state.len() / l;
        if n == 0 {
            return Vec::new();
        }
        let mut score = state[..l].to_vec();
        let mut back = vec![0u8; n * l];
        let mut next = vec![0f32; l];
        for i in 1..n {
            let row = &state[i * l..(i + 1) * l];
            for (y, nx) in next.iter_mut().enumerate() {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0usize;
                for (p, s) in score.iter().enumerate() {
                    let v = s + self.trans[p * l + y];
                    if v > best {
                        best = v;
                        arg = p;
                    }
                }
                *nx = best + row[y];
                back[i * l + y] = arg as u8;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut y = score
            .iter()
            .enumerate()
            .fold(
                (0, f32::NEG_INFINITY),
                |b, (k, &v)| if v > b.1 { (k, v) } else { b },
            )
            .0;
        let mut out = vec![0usize; n];
        for i in (0..n).rev() {
            out[i] = y;
            if i > 0 {
                y = back[i * l + y] as usize;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_are_errors() {
        assert!(matches!(
            CrfModel::from_bytes(b""),
            Err(ModelError::Truncated)
        ));
        assert!(matches!(
            CrfModel::from_bytes(b"NOTAMODEL..."),
            Err(ModelError::Magic)
        ));
        let labels = vec!["O".to_owned(), "B-PERS".to_owned()];
        let mut state = HashMap64::default();
        state.insert(hash_bytes(b"w=x"), vec![(1u8, 2.0f32)]);
        let bytes = CrfModel::write(&labels, &[(0, 1, 0.5)], &state);
        let m = CrfModel::from_bytes(&bytes).unwrap();
        assert_eq!(m.labels, labels);
        assert_eq!(m.num_attrs(), 1);
        for cut in 0..bytes.len() {
            assert!(CrfModel::from_bytes(&bytes[..cut]).is_err());
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(CrfModel::from_bytes(&extra).is_err());
        // Biasing: an existing pair changes, a missing one is added.
        let b = CrfModel::add_weight(&bytes, "w=x", "B-PERS", 1.0).unwrap();
        let b = CrfModel::add_weight(&b, "b", "O", -0.5).unwrap();
        let m = CrfModel::from_bytes(&b).unwrap();
        assert_eq!(m.num_attrs(), 2);
        let mut state = HashMap64::default();
        state.insert(hash_bytes(b"w=x"), vec![(1u8, 3.0f32)]);
        state.insert(hash_bytes(b"b"), vec![(0u8, -0.5f32)]);
        assert_eq!(b, CrfModel::write(&labels, &[(0, 1, 0.5)], &state));
        assert!(CrfModel::add_weight(&bytes, "b", "B-XYZ", 1.0).is_err());
        // A lexicon makes a QNERCRF2 file that keeps it through add_weight.
        let mut lex = Lexicon::default();
        lex.map.insert(Lexicon::key("x"), 7);
        let with = CrfModel::write_with_lexicon(&labels, &[(0, 1, 0.5)], &state, Some(&lex));
        assert!(with.starts_with(MAGIC2));
        let with = CrfModel::add_weight(&with, "b", "O", 0.5).unwrap();
        let m = CrfModel::from_bytes(&with).unwrap();
        assert_eq!(m.lexicon.unwrap().map.get(&Lexicon::key("x")), Some(&7));
        for cut in 0..with.len() {
            assert!(CrfModel::from_bytes(&with[..cut]).is_err());
        }
        // A stacked model: first pass with its lexicon, second pass; its feature rows are
        // computed at load.
        let mut st2 = HashMap64::default();
        st2.insert(hash_bytes(b"p=B-PERS"), vec![(1u8, 4.0f32)]);
        let pass2 = CrfModel::write(&labels, &[], &st2);
        let stacked = CrfModel::write_stacked(&with, &pass2);
        assert!(stacked.starts_with(MAGIC3));
        let m = CrfModel::from_bytes(&stacked).unwrap();
        assert!(m.lexicon.is_some());
        let (names, rows) = m.stage2_rows.as_ref().unwrap();
        let k = names.names.iter().position(|n| n == "p=B-PERS").unwrap();
        assert_eq!(&rows[k * 2..k * 2 + 2], &[0.0, 4.0]);
        assert!(CrfModel::add_weight(&stacked, "b", "O", 1.0).is_err());
        for cut in 0..stacked.len() {
            assert!(CrfModel::from_bytes(&stacked[..cut]).is_err());
        }
        // Parts must be a one-pass model and a `QNERCRF1` second pass with the same labels.
        assert!(CrfModel::from_bytes(&CrfModel::write_stacked(&stacked, &pass2)).is_err());
        assert!(CrfModel::from_bytes(&CrfModel::write_stacked(&with, &with)).is_err());
        let other = CrfModel::write(&["O".to_owned()], &[], &st2);
        assert!(CrfModel::from_bytes(&CrfModel::write_stacked(&with, &other)).is_err());
    }
}
