//! Component tests: whole pages and single components rendered to HTML without a browser.

use crate::api::ApiClient;
use crate::dashboard::Tiles;
use crate::i18n::Lang;
use crate::routes::Route;
use crate::session::{Session, TownState};
use crate::settings::{ContactForm, ContactFormView};
use chrono::NaiveDate;
use dioxus::history::{History, MemoryHistory};
use dioxus::prelude::*;
use portal_domain::wire::*;
use std::rc::Rc;

fn town(demo: bool) -> TownInfo {
    TownInfo {
        slug: "lhota".into(),
        name: "Horní Lhota".into(),
        ico: "00012345".into(),
        address: Address {
            street: "Náměstí 1".into(),
            city: "Horní Lhota".into(),
            psc: "12345".into(),
        },
        coat_of_arms_url: Some("/assets/towns/lhota.svg".into()),
        bank_account: "CZ6508000000192000145399".into(),
        modules: vec![Module::Payments, Module::Notifications, Module::Bookings],
        login_methods: vec![
            LoginMethod {
                id: "nia".into(),
                kind: LoginKind::Nia,
                name: None,
                max_loa: Loa::High,
            },
            LoginMethod {
                id: "demo".into(),
                kind: LoginKind::Demo,
                name: None,
                max_loa: Loa::Substantial,
            },
        ],
        opening_hours: vec!["Po, St: 8:00–17:00".into()],
        demo,
    }
}

fn jana() -> Session {
    Session::Active(SessionInfo {
        citizen_id: 1,
        display_name: "Jana Nováková".into(),
        roles: vec![Role::Citizen],
        loa: Loa::Substantial,
        csrf_token: "token".into(),
        demo: true,
    })
}

/// Provides what `App` provides, with fixed values, and renders the router at `path`.
#[derive(Props, Clone, PartialEq)]
struct PageProps {
    lang: Lang,
    town: TownInfo,
    session: Session,
    path: String,
}

#[allow(non_snake_case)]
fn Page(props: PageProps) -> Element {
    use_context_provider(|| Signal::new(props.lang));
    use_context_provider(|| ApiClient::new("http://127.0.0.1:9"));
    use_context_provider(|| Signal::new(props.session.clone()));
    use_context_provider(|| Signal::new(TownState::Ready(props.town.clone())));
    use_hook(|| {
        let history: Rc<dyn History> = Rc::new(MemoryHistory::with_initial_path(&props.path));
        provide_context(history)
    });
    rsx! {
        Router::<Route> {}
    }
}

fn render_page(lang: Lang, demo: bool, session: Session, path: &str) -> String {
    let props = PageProps {
        lang,
        town: town(demo),
        session,
        path: path.into(),
    };
    let mut dom = VirtualDom::new_with_props(Page, props);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom).replace('\u{a0}', " ")
}

/// Provides the contexts a single component needs and renders it.
#[component]
fn Bare(lang: Lang, children: Element) -> Element {
    use_context_provider(|| Signal::new(lang));
    use_context_provider(|| ApiClient::new("http://127.0.0.1:9"));
    use_context_provider(|| Signal::new(jana()));
    children
}

pub(crate) fn render(lang: Lang, element: Element) -> String {
    let mut dom = VirtualDom::new_with_props(
        Bare,
        BareProps {
            lang,
            children: element,
        },
    );
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom).replace('\u{a0}', " ")
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn layout_renders_landmarks_and_one_heading() {
    let html = render_page(Lang::Cs, false, jana(), "/");
    assert!(html.contains(r##"<a class="skip-link" href="#content">Přeskočit na obsah</a>"##));
    assert_eq!(count(&html, "<header"), 1, "{html}");
    assert_eq!(count(&html, "<main"), 1);
    assert_eq!(count(&html, "<footer"), 1);
    assert_eq!(count(&html, "<h1"), 1);
    assert!(html.contains("Horní Lhota"));
    assert!(html.contains("Prohlášení o přístupnosti"));
    assert!(html.contains(r#"href="/prohlaseni-o-pristupnosti""#));
    assert!(html.contains("Jana Nováková"));
    assert!(html.contains(r#"src="http://127.0.0.1:9/assets/towns/lhota.svg""#));
    // The dashboard waits for the network: it says so.
    assert!(html.contains(r#"aria-busy="true""#));
    assert!(html.contains("Načítám…"));
    // Not the demo town: no banner.
    assert!(!html.contains("DEMO"));
}

#[test]
fn demo_banner_is_on_every_page_of_the_demo_town() {
    for path in ["/", "/prihlaseni", "/nastaveni", "/profil", "/platby"] {
        let html = render_page(Lang::Cs, true, Session::Anonymous, path);
        assert!(
            html.contains("DEMO – fiktivní město a smyšlená data"),
            "{path}: {html}"
        );
        assert_eq!(count(&html, "<h1"), 1, "{path}");
    }
    let html = render_page(Lang::En, true, Session::Anonymous, "/");
    assert!(html.contains("DEMO – fictitious town and made-up data"));
}

#[test]
fn language_switch_marks_the_current_language() {
    let html = render_page(Lang::En, false, Session::Anonymous, "/");
    assert!(html.contains(r#"lang="cs" aria-pressed="false""#), "{html}");
    assert!(html.contains(r#"lang="en" aria-pressed="true""#));
    assert!(html.contains(">Čeština<") && html.contains(">English<"));
    assert!(html.contains("Skip to content"));
    assert!(html.contains(">Log in<"));
}

#[test]
fn a_failed_provider_login_is_explained_in_the_users_language() {
    let html = render_page(
        Lang::Cs,
        true,
        Session::Anonymous,
        "/prihlaseni?next=&error=cancelled",
    );
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Přihlášení bylo zrušeno"), "{html}");
    let html = render_page(
        Lang::En,
        true,
        Session::Anonymous,
        "/prihlaseni?error=garbage",
    );
    assert!(html.contains("The login failed"), "{html}");
}

#[test]
fn login_page_lists_methods_and_marks_the_demo() {
    let html = render_page(
        Lang::Cs,
        true,
        Session::Anonymous,
        "/prihlaseni?next=%2Fprofil",
    );
    assert!(html.contains("<h1>Přihlášení</h1>"), "{html}");
    // The provider login returns to where the citizen was going.
    assert!(html.contains(r#"href="http://127.0.0.1:9/api/auth/nia/start?next=/profil""#));
    assert!(html.contains("Identita občana (NIA)"));
    assert!(html.contains("Demo přihlášení"));
    assert!(html.contains("Lidé níže jsou smyšlení"));
}

#[test]
fn not_found_page() {
    let html = render_page(Lang::En, false, jana(), "/neni-tu");
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
}

fn dashboard() -> Dashboard {
    Dashboard {
        tiles: vec![
            Tile {
                module: Module::Payments,
                summary: TileSummary::Payments {
                    unpaid_count: 2,
                    unpaid_total_halere: 150_000,
                    next_due: NaiveDate::from_ymd_opt(2027, 3, 31),
                },
            },
            Tile {
                module: Module::Notifications,
                summary: TileSummary::Notifications { unread: 3 },
            },
        ],
    }
}

fn render_tiles(lang: Lang) -> String {
    let modules = vec![Module::Payments, Module::Notifications, Module::Filing];
    render(
        lang,
        rsx! {
            Tiles { modules, dashboard: dashboard() }
        },
    )
}

#[test]
fn dashboard_tiles_in_czech() {
    let html = render_tiles(Lang::Cs);
    assert!(
        html.contains("<h2 class=\"tile__title\"><a href=\"/platby\">Platby a poplatky</a></h2>"),
        "{html}"
    );
    assert!(html.contains("2 nezaplacené poplatky · 1 500,00 Kč, splatnost 31. 3. 2027"));
    assert!(html.contains("<h2 class=\"tile__title\">Zprávy z úřadu</h2>"));
    assert!(html.contains("3 nepřečtené zprávy"));
    // An enabled module the server sent no summary for still gets its card.
    assert!(html.contains("Podání a formuláře"));
    assert!(html.contains("Přehled teď není k dispozici."));
    // Only the payments card links: the other modules have no page yet.
    assert_eq!(html.matches("<a ").count(), 1);
}

#[test]
fn dashboard_tiles_in_english() {
    let html = render_tiles(Lang::En);
    assert!(html.contains("Payments and fees"), "{html}");
    assert!(html.contains("2 unpaid fees · 1 500,00 Kč, due 31 March 2027"));
    assert!(html.contains("3 unread messages"));
}

fn render_form(lang: Lang, email: &str) -> String {
    let mut form = ContactForm {
        email: email.into(),
        ..ContactForm::default()
    };
    // What leaving the field does.
    form.validate_email();
    render(
        lang,
        rsx! {
            ContactFormView { initial: form }
        },
    )
}

#[test]
fn settings_form_shows_translated_inline_error() {
    let html = render_form(Lang::Cs, "jana.example.cz");
    assert!(
        html.contains("E-mailové adrese chybí zavináč (@)."),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"aria-describedby="email-hint email-error""#));
    assert!(html.contains(r#"id="email-error""#));
    assert!(html.contains(r#"<label class="field__label" for="email">E-mail</label>"#));
    // The phone was not touched: no error there.
    assert_eq!(count(&html, r#"aria-invalid="true""#), 1);
    assert!(html.contains(r#"role="status""#));

    let html = render_form(Lang::En, "jana@example");
    assert!(
        html.contains("This is not a valid e-mail address."),
        "{html}"
    );
}

#[test]
fn settings_form_without_errors_is_plain() {
    let html = render_form(Lang::Cs, "jana@example.cz");
    assert!(!html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(r#"aria-describedby="email-hint""#));
    assert!(html.contains(r#"value="jana@example.cz""#));
}

#[path = "tests_identity.rs"]
mod identity;

#[path = "tests_payments.rs"]
mod payments;

#[cfg(feature = "office")]
#[path = "tests_staff_payments.rs"]
mod staff_payments;

#[cfg(feature = "office")]
#[path = "tests_kiosks.rs"]
mod kiosks;
