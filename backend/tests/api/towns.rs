//! Several towns in one installation, told apart by host name.

use crate::helpers::{error_body, spawn_with};
use portal_backend::towns::settings::{RawTown, TownSettings};
use serde_json::json;

fn town(slug: &str, name: &str, host: &str) -> TownSettings {
    TownSettings::parse(
        0,
        RawTown {
            slug: slug.into(),
            name: name.into(),
            ico: "00298760".into(),
            street: "Náměstí 1".into(),
            city: name.into(),
            psc: "51234".into(),
            bank_account: "CZ6508000000192000145399".into(),
            coat_of_arms_url: None,
            modules: vec!["payments".into()],
            hostnames: vec![host.into()],
            login: vec![],
            gateway: None,
            fee: vec![],
            kiosk: None,
            opening_hours: vec![],
        },
    )
    .unwrap()
}

#[tokio::test]
async fn each_host_name_gets_its_own_town() {
    let app = spawn_with(|c| {
        c.demo = false;
        c.towns = vec![
            town("horni", "Horní Lhota", "horni.example"),
            town("dolni", "Dolní Ves", "dolni.example"),
        ];
    })
    .await;
    for (host, name) in [
        ("horni.example", "Horní Lhota"),
        ("DOLNI.example:8080", "Dolní Ves"),
    ] {
        let response = app
            .client
            .get(app.url("/api/town"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        let info: serde_json::Value = response.json().await.unwrap();
        assert_eq!(info["name"], name, "{host}");
        assert_eq!(info["demo"], false);
        assert_eq!(info["modules"], json!(["payments"]));
    }
    // With two towns and no match there is no fallback: better a 404 than the wrong town.
    let response = app
        .client
        .get(app.url("/api/town"))
        .header("host", "unknown.example")
        .send()
        .await
        .unwrap();
    error_body(response, 404).await;
}

#[tokio::test]
async fn a_session_from_one_town_is_no_key_to_another() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_owned();
    let mut demo = spawn_with(|c| c.data_dir = dir.clone()).await;
    demo.login_as("jana").await;

    // The same database served again with a second town beside the demo town.
    let app = spawn_with(|c| {
        c.data_dir = dir.clone();
        c.demo = false;
        c.towns = vec![town("jina", "Jiná Obec", "jina.example")];
    })
    .await;
    let session_cookie = format!(
        "portal_session={}",
        demo.session_token().await.expect("demo session token")
    );
    let ask = |host: &'static str| {
        app.client
            .get(app.url("/api/dashboard"))
            .header("host", host)
            .header("cookie", session_cookie.clone())
            .send()
    };
    // The demo town is the fallback for unknown hosts; there the session is valid...
    assert_eq!(ask("127.0.0.1").await.unwrap().status(), 200);
    // ...but not in the other town.
    error_body(ask("jina.example").await.unwrap(), 401).await;
}
