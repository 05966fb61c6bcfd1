//! score (under construction in this commit).
