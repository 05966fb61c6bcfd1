//! rules (under construction in this commit).
