//! Shared helpers: a simulated district on loopback and settings that assess it.

use chrono::NaiveDate;
use govscore::config::Settings;
use govscore::sim::{District, SimConfig, SimServer};
use std::path::Path;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// Asserts that the simulator was asked no URL twice since its request log was reset.
pub fn assert_no_url_twice(server: &SimServer) {
    assert_eq!(
        server.repeated_requests(),
        Vec::<(String, u32)>::new(),
        "no URL is requested twice"
    );
}

/// Starts the simulator for `as_of` and loads the config it prints, with paths under `dir`.
pub async fn sim_and_settings(as_of: NaiveDate, dir: &Path) -> (SimServer, Settings) {
    sim_and_settings_of(District::generate(&SimConfig::new(as_of)), dir).await
}

/// Like [`sim_and_settings`], for a district a test has changed.
pub async fn sim_and_settings_of(district: District, dir: &Path) -> (SimServer, Settings) {
    let server = SimServer::start(district, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts on loopback");
    let yaml = server.config_yaml();
    let settings = govscore::config::load_str(&yaml, "sim-config.yaml", dir).unwrap_or_else(|d| {
        panic!(
            "sim config invalid: {}",
            govscore::config::render_diagnostics(&d)
        )
    });
    // The link checks ask every article a list links, and the screening every article of
    // the period (together several times the crawl's requests): tests/it/links.rs and
    // tests/it/screening.rs switch them on (and the README's demo runs both); the tests of
    // everything else need not wait.
    let mut settings = settings;
    settings.screening.dead_links.enabled = false;
    settings.screening.enabled = false;
    (server, settings)
}

/// Options for a run writing its reports to `dir/out` and its database to `dir/db`, as of
/// `day` and observed on that day.
pub fn run_opts(dir: &Path, out: &str, db: &str, day: NaiveDate) -> govscore::pipeline::RunOptions {
    govscore::pipeline::RunOptions {
        out: Some(dir.join(out)),
        db: Some(dir.join(db)),
        observed_on: Some(day),
        ..govscore::pipeline::RunOptions::new(day)
    }
}

/// Serves `router` on a loopback port of its own, in the background; its address.
pub async fn serve(router: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}
