//! Rule `deprecated_name`: not written yet.

use super::{Diagnostic, RuleContext};

pub(crate) fn check(_cx: &RuleContext, _out: &mut Vec<Diagnostic>) {}
