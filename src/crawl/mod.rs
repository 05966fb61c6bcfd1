//! The crawler: fetching with politeness, walls, and the site walker.
pub mod observe;
pub mod walker;
