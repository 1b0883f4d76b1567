//! Which attendance shard holds a member's records (rule V4).

use crate::kernel::crypto::sha256_hex;

/// Stable across deploys for a fixed shard count.
pub fn shard_of(member_id: &str, shards: usize) -> usize {
    let h = sha256_hex(&[member_id.as_bytes()]);
    usize::from_str_radix(&h[..8], 16).unwrap_or(0) % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_shards_are_stable_and_spread() {
        assert_eq!(shard_of("mem_a", 4), shard_of("mem_a", 4));
        let used: std::collections::BTreeSet<_> =
            (0..64).map(|i| shard_of(&format!("mem_{i}"), 4)).collect();
        assert_eq!(used.len(), 4);
    }
}
