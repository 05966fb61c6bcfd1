//! checks (under construction in this commit).
