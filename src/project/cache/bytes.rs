//! The byte level of the index cache: a writer of little-endian integers, variable-length
//! integers (LEB128: seven bits a byte, small numbers in one byte) and length-prefixed
//! strings, a reader that checks every length against the bytes that are
//! left (it never panics and never allocates more than the input could hold), and the
//! 64-bit hash used for the payload's checksum and for the keys in the header.

/// Why bytes could not be read: they end early or say something impossible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrupt(pub &'static str);

impl std::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A length or an index (every count in the cache fits in 32 bits).
    pub fn len(&mut self, v: usize) {
        self.u32(u32::try_from(v).unwrap_or(u32::MAX));
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// A variable-length integer: one byte below 128, at most ten.
    pub fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// A length or an index as a variable-length integer.
    pub fn var_len(&mut self, v: usize) {
        self.var(v as u64);
    }
}

pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        if n > self.bytes.len() {
            return Err(Corrupt("truncated"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn u8(&mut self) -> Result<u8, Corrupt> {
        Ok(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Result<u32, Corrupt> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self) -> Result<u64, Corrupt> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A count of items of at least `min_bytes` each: never more than the bytes left could
    /// hold, so nothing is allocated for a count the input cannot back.
    pub fn count(&mut self, min_bytes: usize) -> Result<usize, Corrupt> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() {
            return Err(Corrupt("a count larger than the file"));
        }
        Ok(n)
    }

    /// A variable-length integer (one that runs past ten bytes or 64 bits is refused).
    pub fn var(&mut self) -> Result<u64, Corrupt> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(Corrupt("a number too large"));
            }
            v |= bits << (7 * i);
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(Corrupt("a number too large"))
    }

    /// A variable-length number that must fit in 32 bits (offsets, lines, columns, indices).
    pub fn var32(&mut self) -> Result<u32, Corrupt> {
        u32::try_from(self.var()?).map_err(|_| Corrupt("a number too large"))
    }

    /// A variable-length count of items of at least `min_bytes` each (see [`Reader::count`]).
    pub fn var_count(&mut self, min_bytes: usize) -> Result<usize, Corrupt> {
        let n = usize::try_from(self.var()?).map_err(|_| Corrupt("a count larger than the file"))?;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() {
            return Err(Corrupt("a count larger than the file"));
        }
        Ok(n)
    }

    /// A variable-length index below `bound`.
    pub fn var_index(&mut self, bound: usize) -> Result<usize, Corrupt> {
        let i = self.var()?;
        if i >= bound as u64 {
            return Err(Corrupt("an index out of bounds"));
        }
        Ok(i as usize)
    }

    pub fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.count(1)?;
        std::str::from_utf8(self.take(n)?).map_err(|_| Corrupt("a string that is not UTF-8"))
    }
}

/// A 64-bit hash of `bytes` (eight bytes a step; not cryptographic: it detects damage, a
/// changed KB or another program's file, not an attacker).
pub fn hash64(seed: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(29);
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in chunks.by_ref() {
        let mut a = [0; 8];
        a.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(a));
    }
    let mut tail = [0; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = mix(h, u64::from_le_bytes(tail) ^ 0xff);
    // Final avalanche (splitmix64's).
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_beyond_the_input_are_refused() {
        let mut w = Writer::default();
        w.u32(1000);
        w.u8(1);
        assert_eq!(
            Reader::new(&w.bytes).count(1),
            Err(Corrupt("a count larger than the file"))
        );
        assert_eq!(Reader::new(&[1, 0]).u32(), Err(Corrupt("truncated")));
    }

    #[test]
    fn variable_length_numbers_are_read_back_and_bounded() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX), u64::MAX];
        let mut w = Writer::default();
        for v in values {
            w.var(v);
        }
        assert_eq!(w.bytes.len(), 1 + 1 + 1 + 2 + 2 + 2 + 3 + 5 + 10);
        let mut r = Reader::new(&w.bytes);
        for v in values {
            assert_eq!(r.var(), Ok(v));
        }
        assert!(r.is_empty());
        // Eleven bytes, or a tenth byte beyond 64 bits, or one that ends early: refused.
        assert_eq!(Reader::new(&[0xff; 11]).var(), Err(Corrupt("a number too large")));
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(Reader::new(&over).var(), Err(Corrupt("a number too large")));
        assert_eq!(Reader::new(&[0x80]).var(), Err(Corrupt("truncated")));
        let mut big = Writer::default();
        big.var(u64::from(u32::MAX) + 1);
        assert_eq!(Reader::new(&big.bytes).var32(), Err(Corrupt("a number too large")));
        assert_eq!(
            Reader::new(&[100, 1]).var_count(1),
            Err(Corrupt("a count larger than the file"))
        );
        assert_eq!(Reader::new(&[3]).var_index(3), Err(Corrupt("an index out of bounds")));
    }

    #[test]
    fn one_changed_byte_changes_the_hash() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let h = hash64(1, &bytes);
        for i in 0..bytes.len() {
            let mut other = bytes.clone();
            other[i] ^= 1;
            assert_ne!(hash64(1, &other), h, "byte {i}");
        }
        assert_ne!(hash64(1, &bytes[..99]), h);
    }
}
