//! report (under construction in this commit).
