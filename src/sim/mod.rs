//! The simulated district.
