//! Identity-provider logins at the kiosk: a handoff from the backend, the provider's pages in
//! the kiosk's own browser ([`ProviderBrowser`]), and the claim that turns the visitor's login
//! there into the kiosk's session (the backend binds it to this kiosk).

use super::browser::{BAR_HEIGHT, ProviderBrowser};
use super::visit::api_problem;
use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::login::methods::{Start, start_path};
use dioxus::prelude::*;
use portal_domain::wire::{KioskHandoff, LoginMethod, SessionInfo};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// How often the kiosk asks whether the visitor has finished logging in.
const CLAIM_INTERVAL: Duration = Duration::from_millis(700);

/// The login under way: which provider, under which handoff.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenLogin {
    pub provider: String,
    handoff: KioskHandoff,
}

/// Handles on the provider login, cheap to clone into tasks.
#[derive(Clone)]
pub struct ProviderLogins {
    api: ApiClient,
    pub open: Signal<Option<OpenLogin>>,
    /// An i18n key: why the last provider login ended without a session.
    pub problem: Signal<Option<&'static str>>,
    browser: Rc<RefCell<Option<ProviderBrowser>>>,
}

impl ProviderLogins {
    pub fn new(api: ApiClient) -> ProviderLogins {
        ProviderLogins {
            api,
            open: Signal::new(None),
            problem: Signal::new(None),
            browser: Rc::new(RefCell::new(None)),
        }
    }

    /// Opens the provider's login in the kiosk's browser and waits for the visitor there;
    /// `on_login` gets the kiosk's new session.
    pub fn start(&self, method: LoginMethod, provider: String, on_login: Callback<SessionInfo>) {
        self.close();
        let mut logins = self.clone();
        logins.problem.set(None);
        spawn(async move {
            let handoff = match logins.api.kiosk_handoff().await {
                Ok(handoff) => handoff,
                Err(error) => return logins.problem.set(Some(api_problem(&error))),
            };
            let url = logins.api.url(&start_path(
                &method.id,
                Start::Login,
                &handoff.complete_path(),
            ));
            match ProviderBrowser::open(&url) {
                Ok(browser) => *logins.browser.borrow_mut() = Some(browser),
                Err(error) => {
                    eprintln!("kiosk: the login browser did not open: {error}");
                    return logins.problem.set(Some("kiosk.provider.no_browser"));
                }
            }
            let open = OpenLogin { provider, handoff };
            logins.open.set(Some(open.clone()));
            loop {
                tokio::time::sleep(CLAIM_INTERVAL).await;
                if logins.open.peek().as_ref() != Some(&open) {
                    return; // cancelled, or the visit ended
                }
                match logins.api.kiosk_claim(&open.handoff).await {
                    Ok(Some(info)) => {
                        logins.close();
                        on_login.call(info);
                        return;
                    }
                    Ok(None) => {}
                    Err(ApiError::NotFound) => {
                        logins.close();
                        return logins.problem.set(Some("kiosk.provider.expired"));
                    }
                    // The office may be unreachable for a moment: keep asking until it answers.
                    Err(_) => {}
                }
            }
        });
    }

    /// Closes the browser (its data cleared) and forgets the login under way.
    pub fn close(&self) {
        let mut open = self.open;
        if open.peek().is_some() {
            open.set(None);
        }
        self.browser.borrow_mut().take();
    }

    /// Seconds since the visitor last touched the browser; `None` when none is open.
    pub fn idle_seconds(&self) -> Option<u64> {
        self.browser
            .borrow()
            .as_ref()
            .map(ProviderBrowser::idle_seconds)
    }

    pub fn set_visible(&self, visible: bool) {
        if let Some(browser) = self.browser.borrow().as_ref() {
            browser.set_visible(visible);
        }
    }
}

/// The bar above the kiosk's browser: whose login it is, and the way back.
#[component]
pub fn BrowserBar(provider: String, on_cancel: EventHandler<()>) -> Element {
    let tr = use_tr();
    rsx! {
        div { class: "kiosk-browser-bar", style: "height: {BAR_HEIGHT}px",
            h1 { class: "kiosk-browser-bar__title",
                {tr.tf("kiosk.provider.title", &[("provider", &provider)])}
            }
            button {
                r#type: "button",
                class: "button button--secondary kiosk-button",
                onclick: move |_| on_cancel.call(()),
                {tr.t("kiosk.provider.cancel")}
            }
        }
    }
}
