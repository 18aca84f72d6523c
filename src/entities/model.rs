//! The sequence model: a linear-chain CRF in a compact format of qari's own (`QNERCRF1`),
//! converted from a CRFsuite model trained with the `crfs` crate (`tools/ner/train.rs`).
//! Attributes are stored as 64-bit hashes of their names ([`super::hash::hash_bytes`]), so
//! tagging never builds or compares feature strings.
//!
//! File layout (little endian): magic `QNERCRF1`; `u32` label count L; L labels (`u8`
//! length + UTF-8); L×L `f32` transition weights (from, to); `u32` attribute count; per
//! attribute: `u64` hash, `u8` count, count × (`u8` label, `f32` weight).

use super::features::{features_at, FeatureSink, Seq};
use super::hash::{hash_bytes, HashMap64};

pub const MAGIC: &[u8; 8] = b"QNERCRF1";

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
    /// Attribute hash → row in `weights`.
    attrs: HashMap64<u32>,
    /// Dense rows of L weights.
    weights: Vec<f32>,
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

/// Adds up the weights of the features it is given.
struct Scorer<'m> {
    model: &'m CrfModel,
    row: Vec<f32>,
}

impl FeatureSink for Scorer<'_> {
    #[inline]
    fn emit(&mut self, name: &str) {
        if let Some(&r) = self.model.attrs.get(&hash_bytes(name.as_bytes())) {
            let l = self.row.len();
            let w = &self.model.weights[r as usize * l..(r as usize + 1) * l];
            for (a, b) in self.row.iter_mut().zip(w) {
                *a += *b;
            }
        }
    }
}

impl CrfModel {
    /// Parse a model file. Never panics on bad input.
    pub fn from_bytes(buf: &[u8]) -> Result<CrfModel, ModelError> {
        let mut r = Reader { buf, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::Magic);
        }
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
        let mut attrs = HashMap64::with_capacity_and_hasher(na, Default::default());
        let mut weights = vec![0f32; na * l];
        for row in 0..na {
            let h = r.u64()?;
            let k = r.u8()?;
            for _ in 0..k {
                let y = r.u8()? as usize;
                let w = r.f32()?;
                if y >= l {
                    return Err(ModelError::Bad("label id"));
                }
                weights[row * l + y] += w;
            }
            attrs.insert(h, row as u32);
        }
        if r.pos != buf.len() {
            return Err(ModelError::Bad("trailing bytes"));
        }
        Ok(CrfModel {
            labels,
            trans,
            attrs,
            weights,
        })
    }

    /// Serialize: labels, transitions (from, to, weight) and state features
    /// (attribute name hash, label, weight).
    pub fn write(
        labels: &[String],
        trans: &[(usize, usize, f32)],
        state: &HashMap64<Vec<(u8, f32)>>,
    ) -> Vec<u8> {
        let l = labels.len();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
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
        out
    }

    pub fn num_attrs(&self) -> usize {
        self.attrs.len()
    }

    /// Best label sequence (label indices) for a prepared sequence.
    pub fn viterbi(&self, seq: &Seq<'_>) -> Vec<usize> {
        let n = seq.len();
        let l = self.labels.len();
        if n == 0 {
            return Vec::new();
        }
        let mut scorer = Scorer {
            model: self,
            row: vec![0f32; l],
        };
        let mut buf = String::with_capacity(64);
        let mut score = vec![0f32; l];
        let mut back = vec![0u8; n * l];
        let mut next = vec![0f32; l];
        for i in 0..n {
            scorer.row.iter_mut().for_each(|x| *x = 0.0);
            features_at(seq, i, &mut buf, &mut scorer);
            if i == 0 {
                score.copy_from_slice(&scorer.row);
                continue;
            }
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
                *nx = best + scorer.row[y];
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
    }
}
