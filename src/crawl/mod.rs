//! The crawler: fetching with politeness, walls, and the site walker.
