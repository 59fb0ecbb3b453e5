//! Lobby kiosks over HTTP: registration by an admin, profile pick-up, and the eObčanka card login
//! with every way a forged or stale login must fail (no session in each case), and the
//! identity-provider login handed over from the kiosk's own browser.

mod admin;
mod card_login;
mod handoff;

use crate::helpers::{TestApp, spawn_with};
use portal_backend::kiosk::settings::KioskSettings;
use portal_backend::kiosk::test_pki::TestCa;
use reqwest::Method;
use serde_json::{Value, json};

pub const ORIGIN: &str = "https://portal.dolni-lhota.example";

pub fn profile(id: &str) -> String {
    format!(
        "id = \"{id}\"\ntown = \"dolni-lhota\"\nbackend_url = \"http://127.0.0.1:8080\"\n\
         enabled_modules = [\"payments\"]\nidle_timeout_seconds = 120\n\
         staff_exit_pin_hash = \"sha256:92f561f5cab1516f1e514920c9099470:92b11c3e2f933f89b8116aa06c3fe70c744a17e027823d892fece3c66fcd5f46\"\n"
    )
}

/// The demo town trusting `ca` for card logins, with Tomáš (admin) logged in.
pub async fn town_trusting(ca: &TestCa) -> TestApp {
    let anchors = vec![ca.cert.clone()];
    let mut admin = spawn_with(move |config| {
        config.demo_kiosk = Some(KioskSettings {
            origin: Some(ORIGIN.into()),
            trust_anchors: anchors,
            ..KioskSettings::default()
        })
    })
    .await;
    admin.login_as("tomas").await;
    admin
}

/// A registered kiosk: an HTTP client that sends its credential with every request.
pub struct Kiosk {
    pub app: TestApp,
    pub credential: String,
}

pub async fn register(admin: &TestApp, id: &str) -> Kiosk {
    let response = admin
        .send_json(
            Method::POST,
            "/api/admin/kiosks",
            &json!({"id": id, "name": format!("Kiosk {id}"), "profile": profile(id)}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let credential = body["credential"].as_str().unwrap().to_owned();
    Kiosk {
        app: admin.another_browser(),
        credential,
    }
}

impl Kiosk {
    pub async fn send(&self, method: Method, path: &str, body: &Value) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .header("Authorization", format!("Kiosk {}", self.credential))
            .json(body);
        if let Some(csrf) = &self.app.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request.send().await.unwrap()
    }

    pub async fn challenge(&self) -> Value {
        let response = self
            .send(Method::POST, "/api/kiosk/challenge", &json!({}))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The status of `GET /api/session` as this kiosk (with its credential).
    pub async fn session_status(&self) -> u16 {
        self.send(Method::GET, "/api/session", &json!({}))
            .await
            .status()
            .as_u16()
    }
}
