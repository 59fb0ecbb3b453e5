//! One visit at the kiosk: the state the screens are drawn from, and what happens when a card
//! goes in, the IOK is typed, or the visit ends (card out, idle, logout) and is erased.

use super::Screen;
use super::card;
use super::pin::PinEntry;
use super::provider::ProviderLogins;
use crate::api::{ApiClient, ApiError};
use crate::i18n::Lang;
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;
use dioxus::router::Navigator;
use eobcanka::{PinError, PublicData, SignError};
use kiosk_config::KioskProfile;
use portal_domain::wire::CardLoginRequest;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Erases what a visit may have left in the webview (the portal keeps nothing there on purpose,
/// but a page might).
const WIPE_WEBVIEW: &str = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} \
    if (window.caches) caches.keys().then(ks => ks.forEach(k => caches.delete(k)));";

/// The card in the reader, and what it says about itself once read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CardSlot {
    pub(super) reader: String,
    /// Which insertion this is: a task that outlived its card (taken out, another one put in
    /// the same reader) must not act on the next card's visit.
    pub(super) insertion: u64,
    pub(super) public: Option<PublicData>,
}

/// Card insertions seen by this kiosk.
static INSERTIONS: AtomicU64 = AtomicU64::new(0);

/// Handles on the kiosk's state, cheap to copy into tasks.
#[derive(Clone)]
pub(super) struct Kiosk {
    pub(super) api: ApiClient,
    pub(super) session: Signal<Session>,
    pub(super) lang: Signal<Lang>,
    pub(super) screen: Signal<Screen>,
    pub(super) card: Signal<Option<CardSlot>>,
    pub(super) profile: Signal<KioskProfile>,
    pub(super) contrast: Signal<bool>,
    pub(super) large: Signal<bool>,
    pub(super) last_input: Signal<Instant>,
    pub(super) countdown: Signal<Option<u64>>,
    pub(super) nav: Navigator,
    pub(super) providers: ProviderLogins,
    pub(super) pkcs11_module: PathBuf,
    pub(super) registered: bool,
}

impl Kiosk {
    /// Ends the visit: the screen first (it must be back within a second), the server after.
    pub(super) fn end_visit(&self) {
        let mut k = self.clone();
        let csrf = k.session.peek().csrf_token();
        k.session.set(Session::Anonymous);
        k.countdown.set(None);
        k.providers.close();
        k.providers.problem.set(None);
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

    pub(super) fn card_inserted(&self, reader: String) {
        let mut k = self.clone();
        let current = k.card.peek().as_ref().map(|c| c.reader.clone());
        if !super::takes_card(current.as_deref(), &reader) {
            // A second reader's card must not replace the visit's: its removal would no longer
            // end the visit.
            eprintln!("kiosk: a card in a second reader ignored while another card is in");
            return;
        }
        let insertion = INSERTIONS.fetch_add(1, Ordering::Relaxed) + 1;
        k.card.set(Some(CardSlot {
            reader: reader.clone(),
            insertion,
            public: None,
        }));
        if k.session.peek().info().is_some() {
            return;
        }
        // A visitor on the "log in another way" page chose the card after all: the card's
        // screens replace that page and any provider login under way.
        k.providers.close();
        k.providers.problem.set(None);
        k.nav.replace(Route::Dashboard {});
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
            if !k.holds(insertion) {
                return;
            }
            match read {
                Ok(public) => {
                    let tries_left = public.iok_tries_left;
                    k.card.set(Some(CardSlot {
                        reader,
                        insertion,
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

    pub(super) fn card_removed(&self, reader: &str) {
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

    /// Whether the card of `insertion` is still the kiosk's card.
    fn holds(&self, insertion: u64) -> bool {
        self.card
            .peek()
            .as_ref()
            .is_some_and(|c| c.insertion == insertion)
    }

    /// The IOK goes to the card's PKCS#11 module only (the state's middleware verifies it with
    /// `C_Login`); a VERIFY of our own beside it would send the PIN in a form the real card may
    /// not take and reset the card under the middleware. After a wrong IOK the card tells the
    /// tries left (GET DATA, no PIN).
    pub(super) fn submit_pin(&self, pin: PinEntry) {
        let mut k = self.clone();
        let Some(CardSlot {
            reader,
            insertion,
            public: Some(public),
        }) = k.card.peek().clone()
        else {
            return;
        };
        k.screen.set(Screen::Busy);
        spawn(async move {
            let started = Instant::now();
            let tries = public.iok_tries_left;
            let challenge = match k.api.kiosk_challenge().await {
                Ok(challenge) => challenge,
                Err(error) => return k.screen.set(Screen::Problem(api_problem(&error))),
            };
            if !k.holds(insertion) {
                return;
            }
            let signed = card::sign(
                k.pkcs11_module.clone(),
                public.certificates.clone(),
                pin.0,
                challenge.origin.clone(),
                challenge.nonce.clone(),
            )
            .await;
            if !k.holds(insertion) {
                // The card left (or another came) while the module worked: the visit is over.
                return;
            }
            let token = match signed {
                Ok(token) => token,
                Err(SignError::Pin(PinError::Wrong { tries_left })) => {
                    let counted = card::iok_tries_left(reader.clone()).await.ok();
                    if !k.holds(insertion) {
                        return;
                    }
                    let left = super::tries_after_wrong_pin(tries, tries_left, counted);
                    let mut slot = k.card.peek().clone();
                    if let Some(p) = slot.as_mut().and_then(|c| c.public.as_mut()) {
                        p.iok_tries_left = left;
                    }
                    k.card.set(slot);
                    return k.screen.set(if left == 0 {
                        Screen::Problem("kiosk.problem.blocked")
                    } else {
                        Screen::Pin {
                            tries_left: left,
                            error: Some("kiosk.pin.wrong"),
                        }
                    });
                }
                Err(SignError::Pin(PinError::Blocked)) => {
                    return k.screen.set(Screen::Problem("kiosk.problem.blocked"));
                }
                Err(SignError::Pin(PinError::BadFormat)) => {
                    return k.screen.set(Screen::Pin {
                        tries_left: tries,
                        error: Some("kiosk.pin.format"),
                    });
                }
                Err(SignError::Pin(PinError::Card(error))) => {
                    return k.screen.set(Screen::Problem(card::card_problem(&error)));
                }
                Err(_) => return k.screen.set(Screen::Problem("kiosk.problem.sign")),
            };
            let request = CardLoginRequest {
                nonce: challenge.nonce,
                token,
            };
            match k.api.kiosk_login(&request).await {
                Ok(info) if k.holds(insertion) => {
                    k.session.set(Session::Active(info));
                    k.screen.set(Screen::Welcome);
                    k.last_input.set(Instant::now());
                    k.nav.replace(Route::Dashboard {});
                    eprintln!(
                        "kiosk: PIN confirmed, logged in in {} ms",
                        started.elapsed().as_millis()
                    );
                }
                // The card left while we were logging in: the visit is over already, and the
                // session just opened must not stay for whoever comes next.
                Ok(_) if k.card.peek().is_none() => k.end_visit(),
                // Another card is in already: end the session without disturbing its visit.
                Ok(_) => {
                    let api = k.api.clone();
                    spawn(async move {
                        let _ = api.kiosk_logout().await;
                        api.forget_cookies();
                    });
                }
                Err(error) => k.screen.set(Screen::Problem(api_problem(&error))),
            }
        });
    }
}

pub(super) fn api_problem(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthenticated => "kiosk.problem.not_registered",
        ApiError::Server { status: 409, .. } => "kiosk.problem.unavailable",
        ApiError::Server { status: 401, .. } => "kiosk.problem.refused",
        _ => "kiosk.problem.network",
    }
}
