//! Near misses of known names (トカレフ for トカエフ). Filled in below.
