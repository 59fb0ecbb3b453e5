//! SSR tests of the back office's kiosk page: only admins get it, the list as a captioned table,
//! the registration form with its template, profile problems linked by line, the credential
//! shown once, the revoke confirmation.

use super::*;
use crate::i18n::Tr;
use crate::kiosks::profile::{ProfileEditForm, ProfileField, problem_text};
use crate::kiosks::register::{CredentialNotice, profile_template};
use crate::kiosks::table::{KioskTable, RevokeConfirm};
use chrono::{TimeZone, Utc};

fn tomas() -> Session {
    Session::Active(SessionInfo {
        citizen_id: 4,
        display_name: "Tomáš Král".into(),
        roles: vec![Role::Citizen, Role::Admin],
        loa: Loa::Substantial,
        csrf_token: "token".into(),
        demo: true,
    })
}

fn kiosk(id: &str, contact: bool, revoked: bool) -> KioskSummary {
    KioskSummary {
        id: id.into(),
        name: format!("Vestibul {id}"),
        profile_version: 3,
        last_contact: contact.then(|| Utc.with_ymd_and_hms(2026, 11, 26, 13, 5, 0).unwrap()),
        registered_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
        revoked,
    }
}

fn problem(code: &str, message: &str) -> FieldErrorBody {
    FieldErrorBody {
        field: "profile".into(),
        code: code.into(),
        message: message.into(),
    }
}

// Event handlers need the runtime: these hosts create them inside it.
#[component]
fn TableHost(kiosks: Vec<KioskSummary>) -> Element {
    rsx! { KioskTable { kiosks, on_edit: |_| {}, on_revoked: |_| {} } }
}

#[component]
fn CredentialHost(credential: KioskCredential) -> Element {
    rsx! { CredentialNotice { credential, on_dismiss: |_| {} } }
}

#[component]
fn RevokeHost(kiosk: KioskSummary) -> Element {
    rsx! { RevokeConfirm { kiosk, on_done: |_| {}, on_cancel: |_| {} } }
}

#[component]
fn EditorHost(body: KioskProfileBody) -> Element {
    rsx! { ProfileEditForm { body, on_saved: |_| {}, on_cancel: |_| {} } }
}

#[test]
fn an_admin_gets_the_registration_form_with_a_template_for_this_town() {
    let html = render_page(Lang::Cs, true, tomas(), "/sprava/kiosky");
    assert!(
        html.contains(r#"<h1 id="page-heading" tabindex="-1">Kiosky</h1>"#),
        "{html}"
    );
    assert_eq!(count(&html, "<h1"), 1);
    for id in ["kiosk-id", "kiosk-name", "kiosk-profile"] {
        assert!(html.contains(&format!(r#"for="{id}""#)), "{id}: {html}");
    }
    assert!(html.contains(r#"aria-describedby="kiosk-profile-hint""#));
    assert!(html.contains("town = &#34;lhota&#34;"), "{html}");
    assert!(
        html.contains("backend_url = &#34;http://127.0.0.1:9&#34;"),
        "{html}"
    );
    assert!(html.contains("JEN DEMO"), "the demo town's PIN: {html}");
    // The menu links the page for an admin.
    assert!(html.contains(r#"href="/sprava/kiosky""#), "{html}");
    let html = render_page(Lang::En, false, tomas(), "/sprava/kiosky");
    assert!(html.contains(">Kiosks</h1>"), "{html}");
    assert!(html.contains("Register a kiosk"), "{html}");
}

#[test]
fn citizens_get_no_form_and_nobody_logged_in_gets_a_login_link() {
    let html = render_page(Lang::Cs, false, jana(), "/sprava/kiosky");
    assert!(html.contains("jen správci portálu"), "{html}");
    assert!(!html.contains("<form"), "{html}");
    assert!(
        !html.contains(r#"href="/sprava/kiosky""#),
        "menu link for a citizen"
    );
    let html = render_page(Lang::Cs, false, Session::Anonymous, "/sprava/kiosky");
    assert!(!html.contains("<form"), "{html}");
    assert!(html.contains("href=\"/prihlaseni?next="), "{html}");
}

#[test]
fn a_real_towns_template_leaves_the_pin_hash_to_the_admin() {
    let mut lhota = town(false);
    lhota.modules = vec![Module::Payments, Module::Bookings];
    let text = profile_template(
        Tr::new(Lang::Cs),
        "lobby-2",
        &lhota,
        "https://portal.lhota.cz",
    );
    assert!(text.contains("id = \"lobby-2\"\n"), "{text}");
    assert!(text.contains("town = \"lhota\"\n"), "{text}");
    assert!(text.contains("backend_url = \"https://portal.lhota.cz\"\n"));
    assert!(text.contains("enabled_modules = [\"payments\", \"bookings\"]\n"));
    assert!(text.contains("staff_exit_pin_hash = \"\"\n"), "{text}");
    assert!(text.contains("kiosk-config hash-pin"), "{text}");
    assert!(text.contains("[window]\n"));
}

#[test]
fn the_list_is_a_captioned_table_with_czech_times_and_states() {
    let kiosks = vec![kiosk("lobby-1", true, false), kiosk("old", false, true)];
    let html = render(Lang::Cs, rsx! { TableHost { kiosks } });
    assert!(
        html.contains("<caption>Zaregistrované kiosky</caption>"),
        "{html}"
    );
    assert!(html.contains(r#"<th scope="row">Vestibul lobby-1</th>"#));
    assert!(html.contains("<code>lobby-1</code>"));
    assert!(html.contains("26. 11. 2026, 14:05"), "{html}");
    assert!(html.contains(">nikdy</td>"), "{html}");
    assert!(html.contains(">v provozu</td>") && html.contains(">zneplatněn</td>"));
    // Buttons named after their kiosk, none for the revoked one.
    assert!(html.contains(r#"aria-label="Upravit profil kiosku Vestibul lobby-1""#));
    assert!(html.contains(r#"aria-label="Zneplatnit kiosek Vestibul lobby-1""#));
    assert!(!html.contains("kiosku Vestibul old"), "{html}");
    let html = render(Lang::En, rsx! { TableHost { kiosks: vec![] } });
    assert!(html.contains("No kiosk is registered yet."), "{html}");
}

#[test]
fn profile_problems_are_listed_by_line_and_linked_to_the_text_area() {
    #[component]
    fn Host() -> Element {
        let value = use_signal(|| "id = 1\n".to_string());
        let touched = use_signal(|| false);
        let problems = vec![
            problem(
                "kiosk.profile_invalid",
                "profile: line 5: idle_timeout_seconds: must be between 30 and 1800 seconds, found 5",
            ),
            problem(
                "kiosk.profile_invalid",
                "profile: line 0: backend_url: missing required key (the portal's address)",
            ),
            problem(
                "kiosk.profile_town",
                "profile: town: must be \"lhota\", this town",
            ),
        ];
        rsx! { ProfileField { id: "edit-profile", value, problems, touched } }
    }
    let html = render(Lang::Cs, rsx! { Host {} });
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(
        html.contains(r#"aria-describedby="edit-profile-hint edit-profile-error""#),
        "{html}"
    );
    assert!(html.contains(r#"<div id="edit-profile-error" class="field__error">"#));
    assert!(
        html.contains("<li>Řádek 5: idle_timeout_seconds: must be between 30 and 1800"),
        "{html}"
    );
    assert!(
        html.contains("<li>backend_url: missing required key"),
        "{html}"
    );
    assert!(
        html.contains("<li>Hodnota town v profilu musí být"),
        "{html}"
    );
    let tr = Tr::new(Lang::En);
    let line = problem(
        "kiosk.profile_invalid",
        "profile: line 12: window.width: too small",
    );
    assert_eq!(problem_text(tr, &line), "Line 12: window.width: too small");
}

#[test]
fn the_credential_is_shown_with_where_to_save_it() {
    let credential = KioskCredential {
        id: "lobby-1".into(),
        credential: "ab".repeat(32),
    };
    let html = render(Lang::Cs, rsx! { CredentialHost { credential } });
    assert!(
        html.contains(
            r#"<h2 id="credential-heading" tabindex="-1">Kiosek lobby-1 je zaregistrován</h2>"#
        ),
        "{html}"
    );
    assert!(html.contains(&"ab".repeat(32)));
    assert!(html.contains("do souboru credential vedle"), "{html}");
    assert!(html.contains("Znovu už zobrazen nebude"), "{html}");
    let credential = KioskCredential {
        id: "lobby-1".into(),
        credential: "cd".repeat(32),
    };
    let html = render(Lang::En, rsx! { CredentialHost { credential } });
    assert!(html.contains("It will not be shown again."), "{html}");
}

#[test]
fn revoking_asks_first_and_says_what_it_does() {
    let html = render(
        Lang::Cs,
        rsx! { RevokeHost { kiosk: kiosk("lobby-1", true, false) } },
    );
    assert!(
        html.contains("Opravdu zneplatnit kiosek Vestibul lobby-1 (lobby-1)?"),
        "{html}"
    );
    assert!(html.contains("přestane platit"), "{html}");
    assert!(html.contains(">Ano, zneplatnit</button>"), "{html}");
    assert!(html.contains(">Ne, ponechat</button>"), "{html}");
}

#[test]
fn the_editor_shows_the_current_profile_and_its_version() {
    let body = KioskProfileBody {
        kiosk: "lobby-1".into(),
        version: 4,
        profile: "id = \"lobby-1\"\n".into(),
    };
    let html = render(Lang::Cs, rsx! { EditorHost { body } });
    assert!(
        html.contains(
            r#"<h2 id="edit-heading" tabindex="-1">Profil kiosku lobby-1 (verze 4)</h2>"#
        ),
        "{html}"
    );
    assert!(html.contains("id = &#34;lobby-1&#34;"), "{html}");
    assert!(html.contains(r#"for="edit-profile""#));
    assert!(html.contains(">Uložit profil</button>"));
}
