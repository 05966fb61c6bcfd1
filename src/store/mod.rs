//! store (under construction in this commit).
