//! The kiosk around the portal: the welcome screen until a card logs someone in, the portal
//! while they use it, and a clean slate the moment the card leaves the reader or the visitor
//! walks away (idle, after a visible countdown).

use super::card;
use super::countdown::Countdown;
use super::keyboard::OnScreenKeyboard;
use super::launch::KioskContext;
use super::pin::{PinEntry, PinPad};
use super::welcome::Welcome;
use super::{ReaderStatus, Screen};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{Lang, use_tr};
use crate::layout::{Header, Loading};
use crate::routes::Route;
use crate::session::{Session, TownState};
use dioxus::prelude::*;
use dioxus::router::Navigator;
use eobcanka::{CardEvent, PinError, PublicData, SignError};
use kiosk_config::KioskProfile;
use portal_domain::wire::CardLoginRequest;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Erases what a visit may have left in the webview (the portal keeps nothing there on purpose,
/// but a page might).
const WIPE_WEBVIEW: &str = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} \
    if (window.caches) caches.keys().then(ks => ks.forEach(k => caches.delete(k)));";

/// The card in the reader, and what it says about itself once read.
#[derive(Debug, Clone, PartialEq)]
struct CardSlot {
    reader: String,
    public: Option<PublicData>,
}

/// Handles on the kiosk's state, cheap to copy into tasks.
#[derive(Clone)]
struct Kiosk {
    api: ApiClient,
    session: Signal<Session>,
    lang: Signal<Lang>,
    screen: Signal<Screen>,
    card: Signal<Option<CardSlot>>,
    profile: Signal<KioskProfile>,
    contrast: Signal<bool>,
    large: Signal<bool>,
    last_input: Signal<Instant>,
    countdown: Signal<Option<u64>>,
    nav: Navigator,
    pkcs11_module: PathBuf,
    registered: bool,
}

impl Kiosk {
    /// Ends the visit: the screen first (it must be back within a second), the server after.
    fn end_visit(&self) {
        let mut k = self.clone();
        let csrf = k.session.peek().csrf_token();
        k.session.set(Session::Anonymous);
        k.countdown.set(None);
        let profile = k.profile.peek().clone();
        k.lang
            .set(Lang::parse(&profile.default_language).unwrap_or_default());
        k.contrast.set(profile.accessibility.high_contrast);
        k.large.set(profile.accessibility.large_text);
        k.screen.set(if k.card.peek().is_some() {
            Screen::Problem("kiosk.problem.card_left")
        } else {
            Screen::Welcome
        });
        k.nav.replace(Route::Dashboard {});
        let _ = dioxus::document::eval(WIPE_WEBVIEW);
        let api = k.api.clone();
        spawn(async move {
            let _ = api.kiosk_logout().await;
            // A visitor who logged in another way holds an ordinary session: end it too.
            if let Some(csrf) = csrf {
                let _ = api.logout(&csrf).await;
            }
            api.forget_cookies();
        });
    }

    fn card_inserted(&self, reader: String) {
        let mut k = self.clone();
        k.card.set(Some(CardSlot {
            reader: reader.clone(),
            public: None,
        }));
        if k.session.peek().info().is_some() {
            return;
        }
        if !k.registered {
            k.screen
                .set(Screen::Problem("kiosk.problem.not_registered"));
            return;
        }
        k.screen.set(Screen::Reading);
        spawn(async move {
            let started = Instant::now();
            let read = card::read_public(reader.clone()).await;
            // Timings for the benchmark in tests/desktop (no personal data).
            eprintln!("kiosk: card read in {} ms", started.elapsed().as_millis());
            let still_in = k.card.peek().as_ref().is_some_and(|c| c.reader == reader);
            if !still_in {
                return;
            }
            match read {
                Ok(public) => {
                    let tries_left = public.iok_tries_left;
                    k.card.set(Some(CardSlot {
                        reader,
                        public: Some(public),
                    }));
                    k.last_input.set(Instant::now());
                    k.screen.set(if tries_left == 0 {
                        Screen::Problem("kiosk.problem.blocked")
                    } else {
                        Screen::Pin {
                            tries_left,
                            error: None,
                        }
                    });
                }
                Err(error) => k.screen.set(Screen::Problem(card::card_problem(&error))),
            }
        });
    }

    fn card_removed(&self, reader: &str) {
        let mut k = self.clone();
        if k.card.peek().as_ref().is_some_and(|c| c.reader == reader) {
            let started = Instant::now();
            k.card.set(None);
            k.end_visit();
            // The wall-clock time lets a test measure from the moment it pulled the card.
            let at = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            eprintln!(
                "kiosk: card removed, visit erased in {} ms (at {at})",
                started.elapsed().as_millis()
            );
        }
    }

    fn submit_pin(&self, pin: PinEntry) {
        let mut k = self.clone();
        let Some(CardSlot {
            reader,
            public: Some(public),
        }) = k.card.peek().clone()
        else {
            return;
        };
        k.screen.set(Screen::Busy);
        spawn(async move {
            let started = Instant::now();
            let for_signing = pin.0.clone();
            let tries = public.iok_tries_left;
            let refused = |error: PinError| match error {
                PinError::Wrong { tries_left } => Screen::Pin {
                    tries_left: tries_left.unwrap_or(tries.saturating_sub(1)),
                    error: Some("kiosk.pin.wrong"),
                },
                PinError::Blocked => Screen::Problem("kiosk.problem.blocked"),
                PinError::BadFormat => Screen::Pin {
                    tries_left: tries,
                    error: Some("kiosk.pin.format"),
                },
                PinError::Card(error) => Screen::Problem(card::card_problem(&error)),
            };
            if let Err(error) = card::verify_iok(reader.clone(), pin.0).await {
                k.screen.set(refused(error));
                return;
            }
            let challenge = match k.api.kiosk_challenge().await {
                Ok(challenge) => challenge,
                Err(error) => return k.screen.set(Screen::Problem(api_problem(&error))),
            };
            let signed = card::sign(
                k.pkcs11_module.clone(),
                public.auth_certificate.clone(),
                for_signing,
                challenge.origin.clone(),
                challenge.nonce.clone(),
            )
            .await;
            let token = match signed {
                Ok(token) => token,
                Err(SignError::Pin(error)) => return k.screen.set(refused(error)),
                Err(_) => return k.screen.set(Screen::Problem("kiosk.problem.sign")),
            };
            let request = CardLoginRequest {
                nonce: challenge.nonce,
                token,
            };
            match k.api.kiosk_login(&request).await {
                Ok(info) if k.card.peek().is_some() => {
                    k.session.set(Session::Active(info));
                    k.screen.set(Screen::Welcome);
                    k.last_input.set(Instant::now());
                    k.nav.replace(Route::Dashboard {});
                    eprintln!(
                        "kiosk: PIN confirmed, logged in in {} ms",
                        started.elapsed().as_millis()
                    );
                }
                // The card left while we were logging in: the visit is over already.
                Ok(_) => k.end_visit(),
                Err(error) => k.screen.set(Screen::Problem(api_problem(&error))),
            }
        });
    }
}

fn api_problem(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthenticated => "kiosk.problem.not_registered",
        ApiError::Server { status: 409, .. } => "kiosk.problem.unavailable",
        ApiError::Server { status: 401, .. } => "kiosk.problem.refused",
        _ => "kiosk.problem.network",
    }
}

#[component]
pub fn KioskFrame(children: Element) -> Element {
    let tr = use_tr();
    let context = use_context::<KioskContext>();
    let town = use_context::<Signal<TownState>>();
    let route = use_route::<Route>();
    let mut reader_status = use_signal(|| ReaderStatus::NoReader);
    let mut readers = use_signal(BTreeSet::<String>::new);
    let mut service_up = use_signal(|| true);
    let kiosk = {
        let initial = context.profile.clone();
        Kiosk {
            api: use_context::<ApiClient>(),
            session: use_context::<Signal<Session>>(),
            lang: use_context::<Signal<Lang>>(),
            screen: use_signal(|| Screen::Welcome),
            card: use_signal(|| None),
            contrast: use_signal(|| initial.accessibility.high_contrast),
            large: use_signal(|| initial.accessibility.large_text),
            profile: use_signal(|| initial),
            last_input: use_signal(Instant::now),
            countdown: use_signal(|| None),
            nav: use_navigator(),
            pkcs11_module: context.pkcs11_module.clone(),
            registered: context.registered,
        }
    };

    // The card reader: events from the watcher thread, for as long as the kiosk runs.
    let k = kiosk.clone();
    let _watcher = use_hook(move || {
        let pattern = k.profile.peek().reader_name_pattern.clone();
        let (watcher, mut events) = match card::watch(&pattern) {
            Ok(pair) => pair,
            Err(_) => {
                reader_status.set(ReaderStatus::ServiceDown);
                return Rc::new(RefCell::new(None));
            }
        };
        spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    CardEvent::ServiceUp => service_up.set(true),
                    CardEvent::ServiceDown => service_up.set(false),
                    CardEvent::ReaderAdded(name) => {
                        readers.write().insert(name);
                    }
                    CardEvent::ReaderRemoved(name) => {
                        readers.write().remove(&name);
                        k.card_removed(&name);
                    }
                    CardEvent::CardInserted { reader, .. } => k.card_inserted(reader),
                    CardEvent::CardRemoved { reader } => k.card_removed(&reader),
                }
                let status = if !*service_up.peek() {
                    ReaderStatus::ServiceDown
                } else if readers.peek().is_empty() {
                    ReaderStatus::NoReader
                } else {
                    ReaderStatus::Ready
                };
                reader_status.set(status);
            }
        });
        Rc::new(RefCell::new(Some(watcher)))
    });

    // Idle visits end after a countdown.
    let k = kiosk.clone();
    use_hook(move || {
        let mut k = k;
        spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let visiting = k.session.peek().info().is_some()
                    || matches!(
                        *k.screen.peek(),
                        Screen::Pin { .. } | Screen::StaffExit { .. }
                    );
                if !visiting {
                    if k.countdown.peek().is_some() {
                        k.countdown.set(None);
                    }
                    continue;
                }
                let timeout = u64::from(k.profile.peek().idle_timeout_seconds);
                let idle = k.last_input.peek().elapsed().as_secs();
                // Warn for the last half of the timeout, at least 10 and at most 30 seconds.
                let warn = (timeout / 2).clamp(10, 30);
                if idle >= timeout {
                    k.end_visit();
                } else if timeout - idle <= warn {
                    k.countdown.set(Some(timeout - idle));
                } else if k.countdown.peek().is_some() {
                    k.countdown.set(None);
                }
            }
        });
    });

    // The profile staff set in the back office, applied without a restart.
    let k = kiosk.clone();
    let poll = context.profile_poll;
    use_hook(move || {
        let mut k = k;
        let mut version = 0;
        spawn(async move {
            loop {
                if let Ok(body) = k.api.kiosk_profile().await {
                    if body.version != version {
                        if let Ok(profile) = KioskProfile::parse(&body.profile) {
                            version = body.version;
                            let idle = k.session.peek().info().is_none()
                                && *k.screen.peek() == Screen::Welcome;
                            if idle {
                                k.contrast.set(profile.accessibility.high_contrast);
                                k.large.set(profile.accessibility.large_text);
                                k.lang.set(
                                    Lang::parse(&profile.default_language).unwrap_or_default(),
                                );
                            }
                            k.profile.set(profile);
                        }
                    }
                }
                tokio::time::sleep(poll).await;
            }
        });
    });

    let mut screen_signal = kiosk.screen;
    let mut last_input = kiosk.last_input;
    let mut countdown_signal = kiosk.countdown;
    let logged_in = kiosk.session.read().info().is_some();
    let passthrough = matches!(
        route,
        Route::Login { .. } | Route::HelpPortalObcana {} | Route::Accessibility {}
    );
    let class = format!(
        "kiosk{}{}",
        if (kiosk.contrast)() {
            " kiosk--contrast"
        } else {
            ""
        },
        if (kiosk.large)() { " kiosk--large" } else { "" }
    );
    let mut screen = (kiosk.screen)();
    // Logged out from the menu with the card still in: the card must come out before the next
    // visit can start.
    if screen == Screen::Welcome && !logged_in && kiosk.card.read().is_some() {
        screen = Screen::Problem("kiosk.problem.card_left");
    }
    let body = if logged_in || passthrough {
        rsx! {
            if logged_in {
                p { class: "kiosk-leave-hint", role: "note", {tr.t("kiosk.portal.remove_to_leave")} }
            }
            {children}
            OnScreenKeyboard {}
        }
    } else {
        let k = kiosk.clone();
        let screen_body = match screen {
            Screen::Welcome => match town.read().ready().cloned() {
                Some(town) => {
                    let (k1, k2, k4) = (k.clone(), k.clone(), k.clone());
                    rsx! {
                        Welcome {
                            town,
                            reader: reader_status(),
                            high_contrast: (k.contrast)(),
                            large_text: (k.large)(),
                            on_contrast: move |_| { let mut c = k1.contrast; c.toggle(); },
                            on_large_text: move |_| { let mut l = k2.large; l.toggle(); },
                            on_other_login: move |_| { k4.nav.push(Route::login(String::new())); },
                            on_staff: move |_| screen_signal.set(Screen::StaffExit { error: None }),
                        }
                    }
                }
                None => rsx! { Loading {} },
            },
            Screen::Reading => {
                rsx! { p { class: "kiosk-status", role: "status", {tr.t("kiosk.reading")} } }
            }
            Screen::Busy => {
                rsx! { p { class: "kiosk-status", role: "status", {tr.t("kiosk.busy")} } }
            }
            Screen::Pin { tries_left, error } => {
                let (k1, k2) = (k.clone(), k.clone());
                rsx! {
                    PinPad {
                        title: "kiosk.pin.title",
                        label: "kiosk.pin.label",
                        tries_left: Some(tries_left),
                        error,
                        on_submit: move |pin| k1.submit_pin(pin),
                        on_cancel: move |_| { let mut s = k2.screen; s.set(Screen::Problem("kiosk.problem.card_left")); },
                    }
                }
            }
            Screen::Problem(key) => rsx! {
                section { class: "kiosk-problem", "aria-labelledby": "kiosk-problem-title",
                    h1 { id: "kiosk-problem-title", {tr.t("kiosk.problem.title")} }
                    p { role: "alert", class: "kiosk-problem__text", {tr.t(key)} }
                    p { {tr.t("kiosk.problem.remove_hint")} }
                }
            },
            Screen::StaffExit { error } => {
                let k1 = k.clone();
                rsx! {
                    PinPad {
                        title: "kiosk.exit.title",
                        label: "kiosk.exit.label",
                        tries_left: None,
                        error,
                        on_submit: move |pin: PinEntry| {
                            if k1.profile.peek().verify_pin(&pin.0) {
                                dioxus::desktop::window().close();
                            } else {
                                screen_signal.set(Screen::StaffExit { error: Some("kiosk.exit.wrong") });
                            }
                        },
                        on_cancel: move |_| screen_signal.set(Screen::Welcome),
                    }
                }
            }
        };
        rsx! {
            Header {}
            main { id: "content", class: "kiosk-screen", tabindex: "-1", {screen_body} }
        }
    };
    let countdown = (kiosk.countdown)();
    rsx! {
        div {
            class,
            onpointerdown: move |_| last_input.set(Instant::now()),
            onkeydown: move |_| last_input.set(Instant::now()),
            {body}
            if let Some(seconds_left) = countdown {
                Countdown {
                    seconds_left,
                    on_continue: move |_| {
                        last_input.set(Instant::now());
                        countdown_signal.set(None);
                    },
                }
            }
        }
    }
}
