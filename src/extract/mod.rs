//! Pure extraction from fetched pages: dates, lists, pagination, articles, navigation.
pub mod charset;
