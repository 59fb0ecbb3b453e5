//! SSR tests of the identity screens: provider names and logos, login failures, linking,
//! step-up, the back office's staff page and the Portál občana help page.

use super::*;
use crate::login::StepUp;
use chrono::{TimeZone, Utc};

fn town_with_providers() -> TownInfo {
    let mut town = town(false);
    town.login_methods = vec![
        LoginMethod {
            id: "nia".into(),
            kind: LoginKind::Nia,
            name: None,
            max_loa: Loa::High,
        },
        LoginMethod {
            id: "mojeid".into(),
            kind: LoginKind::MojeId,
            name: None,
            max_loa: Loa::Low,
        },
        LoginMethod {
            id: "mesto".into(),
            kind: LoginKind::Oidc,
            name: Some("Městská identita".into()),
            max_loa: Loa::Low,
        },
    ];
    town
}

#[component]
fn WithTown(lang: Lang, town: TownInfo, children: Element) -> Element {
    use_context_provider(|| Signal::new(lang));
    use_context_provider(|| ApiClient::new("http://127.0.0.1:9"));
    use_context_provider(|| Signal::new(jana()));
    use_context_provider(|| Signal::new(TownState::Ready(town.clone())));
    children
}

pub(super) fn render_with_town(lang: Lang, element: Element) -> String {
    let props = WithTownProps {
        lang,
        town: town_with_providers(),
        children: element,
    };
    let mut dom = VirtualDom::new_with_props(WithTown, props);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom).replace('\u{a0}', " ")
}

fn identity(id: i64, login_id: &str, kind: LoginKind) -> LinkedIdentity {
    LinkedIdentity {
        id,
        provider: format!("https://{login_id}.example"),
        login_id: Some(login_id.into()),
        kind: Some(kind),
        linked_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        last_login_at: None,
    }
}

/// Event handlers need the runtime: this host creates one inside it.
#[component]
fn IdentitiesHost(identities: Vec<LinkedIdentity>) -> Element {
    rsx! { crate::profile::Identities { identities, on_changed: |_| {} } }
}

#[test]
fn generic_providers_are_listed_by_the_towns_name_with_decorative_logos() {
    let html = render_with_town(
        Lang::Cs,
        rsx! {
            crate::login::methods::ExternalMethods { methods: town_with_providers().login_methods, next: "/" }
        },
    );
    assert!(html.contains("Městská identita"), "{html}");
    assert!(html.contains("MojeID"));
    assert!(
        html.contains(r#"src="http://127.0.0.1:9/assets/logos/oidc.svg""#),
        "{html}"
    );
    assert_eq!(count(&html, r#"alt="""#), 3, "{html}");
}

#[test]
fn new_login_failures_are_explained_in_both_languages() {
    for (code, cs, en) in [
        (
            "session",
            "přihlášení mezitím skončilo",
            "login ended in the meantime",
        ),
        (
            "linked_elsewhere",
            "patří k jinému účtu",
            "belongs to another portal account",
        ),
        ("rate", "příliš mnoho pokusů", "Too many login attempts"),
    ] {
        let path = format!("/prihlaseni?error={code}");
        let html = render_page(Lang::Cs, false, Session::Anonymous, &path);
        assert!(html.contains(cs), "{code}: {html}");
        let html = render_page(Lang::En, false, Session::Anonymous, &path);
        assert!(html.contains(en), "{code}: {html}");
    }
}

#[test]
fn the_profile_offers_to_link_the_providers_not_yet_linked() {
    let identities = vec![identity(7, "mojeid", LoginKind::MojeId)];
    let html = render_with_town(Lang::Cs, rsx! { IdentitiesHost { identities } });
    assert!(html.contains(r#"<ul class="identities">"#), "{html}");
    assert!(html.contains("MojeID – propojeno"), "{html}");
    // The only identity cannot be removed; the other two providers can be linked.
    assert!(!html.contains("identities__remove"), "{html}");
    assert!(html.contains(
        r#"class="link-method" href="http://127.0.0.1:9/api/auth/nia/start?intent=link&#38;next=/profil""#
    ), "{html}");
    assert!(html.contains("/api/auth/mesto/start?intent=link"));
    assert!(!html.contains("/api/auth/mojeid/start"), "already linked");

    let two = vec![
        identity(7, "mojeid", LoginKind::MojeId),
        identity(8, "nia", LoginKind::Nia),
    ];
    let html = render_with_town(Lang::En, rsx! { IdentitiesHost { identities: two } });
    assert_eq!(count(&html, "identities__remove"), 2, "{html}");
    assert!(
        html.contains("Remove this way to log in: MojeID – linked"),
        "{html}"
    );
}

#[test]
fn step_up_offers_only_providers_that_reach_the_level() {
    let html = render_with_town(
        Lang::Cs,
        rsx! { StepUp { required: Loa::Substantial, next: "/profil" } },
    );
    assert!(html.contains(r#"role="alert""#));
    assert!(html.contains("„značná“"), "{html}");
    assert!(
        html.contains("/api/auth/nia/start?intent=step_up&#38;loa=substantial&#38;next=/profil"),
        "{html}"
    );
    assert!(
        !html.contains("/api/auth/mojeid/"),
        "MojeID gives only low here"
    );
}

#[test]
fn the_staff_page_is_for_admins_and_the_help_page_shows_the_entry_url() {
    let html = render_page(Lang::Cs, false, jana(), "/sprava/pracovnici");
    assert!(html.contains("<h1>Pracovníci úřadu</h1>"), "{html}");
    assert!(html.contains("jen správci portálu"), "{html}");
    let html = render_page(Lang::En, false, jana(), "/napoveda/portal-obcana");
    assert!(
        html.contains("http://127.0.0.1:9/vstup/portal-obcana"),
        "{html}"
    );
    assert!(html.contains("Portál občana"));
}
