//! A small, fast, platform-independent 64-bit hash for feature names and token keys. Its
//! values are stored in the shipped model, so it must never change without retraining.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of a byte string.
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = (b.len() as u64).wrapping_mul(K) ^ 0x51_7cc1_b727_220a;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(23) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    fmix(h)
}

/// Hash of a sequence of tokens, built one token hash at a time.
#[inline]
pub fn combine(h: u64, token_hash: u64) -> u64 {
    fmix((h.rotate_left(29) ^ token_hash).wrapping_mul(K))
}

/// Start value for [`combine`].
pub const SEQ_SEED: u64 = 0x2545_F491_4F6C_DD1D;

/// A `Hasher` for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not used for u64 keys; fold anything else in.
        self.0 ^= hash_bytes(bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type BuildIdentity = std::hash::BuildHasherDefault<IdentityHasher>;
pub type HashMap64<V> = std::collections::HashMap<u64, V, BuildIdentity>;
pub type HashSet64 = std::collections::HashSet<u64, BuildIdentity>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // The model stores these hashes: a change here needs a retrained model.
        assert_eq!(hash_bytes(b""), hash_bytes(b""));
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"b"));
        assert_ne!(hash_bytes(b"abcdefgh"), hash_bytes(b"abcdefgh\0"));
        assert_eq!(hash_bytes("w=بوتين".as_bytes()), 4_923_691_421_855_388_343);
    }
}
