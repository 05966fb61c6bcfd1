//! Rules JUDGE: they turn the measurements of `checks` into findings (veto, deduction,
//! warning, bonus) with evidence and a Chinese message. Which rules exist, their numbers and
//! whom they apply to come from YAML (`config`); nothing here hard-codes local policy.
//! Caps and totals are applied later by `score`.

mod eval;
pub mod holidays;

pub use eval::{MANUAL_REVIEW_KIND, RawFinding, SiteAssessment, assess, assess_one};
