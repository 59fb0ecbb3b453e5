//! What a session check adds to an authenticated request (issue #3's target: at most 10 %).
//!
//! The dashboard's work is done two ways against the same demo database, through the same
//! database worker: (a) the tile queries alone, as an unauthenticated request would run them;
//! (b) the session check followed by the same queries in one job, which is what
//! `GET /api/dashboard` does. HTTP parsing, routing and JSON are left out on purpose: they
//! would be the same on both sides and only dilute the ratio, so this overstates the share.
//! Rounds alternate (a) and (b) so machine noise hits both alike.
//!
//! `cargo run --release -p portal-backend --example session_check [ROUNDS] [PER_ROUND]`

use portal_backend::config::Config;
use portal_backend::identity::session::{self, SessionClaim};
use portal_backend::startup::Application;
use portal_domain::wire::Loa;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rounds = args.first().copied().unwrap_or(10);
    let per_round = args.get(1).copied().unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_owned(),
        demo: true,
        ..Config::default()
    };
    let app = Application::build(config).await.expect("app builds");
    let state = app.state().clone();
    let town = state.towns.for_host(None).expect("the demo town");
    let (town_id, modules) = (town.id, town.info.modules.clone());
    let app_state = state.clone();
    let (token, citizen_id) = state
        .db
        .write(move |tx| {
            let citizen_id: i64 = tx.query_row(
                "SELECT citizen_id FROM identities WHERE provider = 'demo' AND subject = 'jana'",
                [],
                |r| r.get(0),
            )?;
            let login = session::Login {
                previous_token: None,
                citizen_id,
                town_id,
                provider: "demo",
                loa: Loa::Substantial,
                ip: "127.0.0.1",
                detail: None,
                kiosk_id: None,
            };
            Ok::<_, portal_backend::db::DbError>((
                session::open(tx, &app_state, &login)?,
                citizen_id,
            ))
        })
        .await
        .unwrap();

    let (mut plain_ns, mut checked_ns) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let began = Instant::now();
        for _ in 0..per_round {
            let modules = modules.clone();
            let tiles = state
                .db
                .read(move |conn| {
                    portal_backend::dashboard::tiles(conn, town_id, citizen_id, &modules)
                })
                .await
                .unwrap();
            assert!(!tiles.is_empty());
        }
        plain_ns.push(began.elapsed().as_nanos() as f64 / per_round as f64);

        let began = Instant::now();
        for _ in 0..per_round {
            let modules = modules.clone();
            let (_, tiles) = SessionClaim::for_token(&token, town_id)
                .authenticate_then(&state, move |conn, s| {
                    portal_backend::dashboard::tiles(conn, town_id, s.citizen_id(), &modules)
                })
                .await
                .unwrap();
            assert!(!tiles.is_empty());
        }
        checked_ns.push(began.elapsed().as_nanos() as f64 / per_round as f64);
    }
    // For the reader of the figures: a round trip to the database worker that does nothing,
    // and the session check alone.
    let began = Instant::now();
    for _ in 0..per_round {
        state
            .db
            .read(|_| Ok::<_, portal_backend::db::DbError>(()))
            .await
            .unwrap();
    }
    let empty_trip = began.elapsed().as_nanos() as f64 / per_round as f64;
    let began = Instant::now();
    for _ in 0..per_round {
        SessionClaim::for_token(&token, town_id)
            .authenticate_then(&state, |_, _| Ok(()))
            .await
            .unwrap();
    }
    let check_only = began.elapsed().as_nanos() as f64 / per_round as f64;
    println!("empty database round trip: {:.1} µs", empty_trip / 1000.0);
    println!(
        "session check alone (one round trip): {:.1} µs",
        check_only / 1000.0
    );
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (plain, checked) = (median(&mut plain_ns), median(&mut checked_ns));
    println!(
        "tiles only:            {:.1} µs per request (median of {rounds} rounds)",
        plain / 1000.0
    );
    println!(
        "session check + tiles: {:.1} µs per request",
        checked / 1000.0
    );
    println!(
        "session check adds {:.1} µs = {:.1} % (target ≤ 10 %)",
        (checked - plain) / 1000.0,
        (checked / plain - 1.0) * 100.0
    );
}
