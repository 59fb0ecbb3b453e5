//! The kiosk around the portal: the welcome screen until a card logs someone in, the portal
//! while they use it, and a clean slate the moment the card leaves the reader or the visitor
//! walks away (idle, after a visible countdown).

use super::card;
use super::countdown::Countdown;
use super::exit::{ExitGuard, ExitVerdict};
use super::keyboard::OnScreenKeyboard;
use super::launch::KioskContext;
use super::pin::{PinEntry, PinPad};
use super::provider::{BrowserBar, ProviderLogins};
use super::visit::Kiosk;
use super::welcome::Welcome;
use super::{ReaderStatus, Screen};
use crate::api::ApiClient;
use crate::i18n::{Lang, use_tr};
use crate::layout::{Header, Loading};
use crate::login::methods::{KioskProviderLogin, method_title};
use crate::routes::Route;
use crate::session::{Session, TownState};
use dioxus::prelude::*;
use eobcanka::CardEvent;
use kiosk_config::KioskProfile;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::{Duration, Instant};

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
            providers: {
                let api = use_context::<ApiClient>();
                use_hook(move || ProviderLogins::new(api))
            },
            pkcs11_module: context.pkcs11_module.clone(),
            registered: context.registered,
        }
    };

    // "Log in another way": the provider's pages in the kiosk's own browser.
    let k = kiosk.clone();
    use_context_provider(move || KioskProviderLogin {
        start: Callback::new(move |method: portal_domain::wire::LoginMethod| {
            let provider = method_title(crate::i18n::Tr::new(*k.lang.peek()), &method);
            let mut on = k.clone();
            let on_login = Callback::new(move |info| {
                on.session.set(Session::Active(info));
                on.screen.set(Screen::Welcome);
                on.last_input.set(Instant::now());
                on.nav.replace(Route::Dashboard {});
            });
            k.providers.start(method, provider, on_login);
        }),
    });

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
                let browsing = k.providers.idle_seconds();
                let visiting = k.session.peek().info().is_some()
                    || browsing.is_some()
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
                // Touches inside the provider's pages count too (the browser reports them).
                let idle = browsing.map_or(idle, |b| b.min(idle));
                // Warn for the last half of the timeout, at least 10 and at most 30 seconds.
                let warn = (timeout / 2).clamp(10, 30);
                if idle >= timeout {
                    k.end_visit();
                } else if timeout - idle <= warn {
                    k.countdown.set(Some(timeout - idle));
                } else if k.countdown.peek().is_some() {
                    k.countdown.set(None);
                }
                // The question is asked under the browser: hide it meanwhile.
                k.providers.set_visible(k.countdown.peek().is_none());
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
    let mut exit_guard = use_signal(ExitGuard::default);
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
    let providers = kiosk.providers.clone();
    let open_login = (kiosk.providers.open)();
    let provider_problem = (kiosk.providers.problem)();
    let leave_hint = if kiosk.card.read().is_some() {
        "kiosk.portal.remove_to_leave"
    } else {
        "kiosk.portal.logout_to_leave"
    };
    let body = if logged_in || passthrough {
        rsx! {
            if logged_in {
                p { class: "kiosk-leave-hint", role: "note", {tr.t(leave_hint)} }
            }
            if let Some(open) = open_login {
                BrowserBar {
                    provider: open.provider,
                    on_cancel: move |_| providers.close(),
                }
            }
            if let Some(key) = provider_problem {
                p { class: "kiosk-provider-problem", role: "alert", {tr.t(key)} }
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
                            let verdict = exit_guard
                                .write()
                                .check(Instant::now(), || k1.profile.peek().verify_pin(&pin.0));
                            let error = match verdict {
                                ExitVerdict::Open => return dioxus::desktop::window().close(),
                                ExitVerdict::Wrong => "kiosk.exit.wrong",
                                ExitVerdict::Locked(seconds) => {
                                    let failures = exit_guard.peek().failures();
                                    eprintln!("kiosk: staff exit locked for {seconds} s after {failures} wrong PINs");
                                    "kiosk.exit.locked"
                                }
                            };
                            screen_signal.set(Screen::StaffExit { error: Some(error) });
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
