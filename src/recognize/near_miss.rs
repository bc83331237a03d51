//! Near misses of known names (トカレフ for トカエフ). Filled in below.

use crate::kb::Kb;
use crate::recognize::Recognition;
use crate::workspace::WorkspaceFacts;

pub fn add_near_misses(_text: &str, _kb: &Kb, _recognition: &mut Recognition, _workspace: &WorkspaceFacts) {}
