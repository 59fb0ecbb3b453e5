//! The kiosk ends a visitor's session after a while without input, so the next person in the
//! lobby never finds someone else logged in. Desktop only: the web leaves that to the server.

use crate::api::ApiClient;
use crate::i18n::Lang;
use crate::routes::Route;
use crate::session::{PlatformConfig, Session};
use dioxus::prelude::*;
use std::time::{Duration, Instant};

#[component]
pub fn IdleWatch(children: Element) -> Element {
    let timeout = try_consume_context::<PlatformConfig>()
        .and_then(|p| p.idle_timeout_seconds)
        .map(|s| Duration::from_secs(u64::from(s)));
    let mut last_input = use_signal(Instant::now);
    let api = use_context::<ApiClient>();
    let mut session = use_context::<Signal<Session>>();
    let mut lang = use_context::<Signal<Lang>>();
    let nav = use_navigator();

    use_hook(move || {
        let Some(timeout) = timeout else { return };
        let start_lang = *lang.peek();
        spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if last_input.peek().elapsed() < timeout {
                    continue;
                }
                // Not `if let` on the peek: the read guard must not live across the await.
                let csrf = session.peek().csrf_token();
                if let Some(csrf) = csrf {
                    let _ = api.logout(&csrf).await;
                    session.set(Session::Anonymous);
                    lang.set(start_lang);
                    nav.replace(Route::login(String::new()));
                }
                last_input.set(Instant::now());
            }
        });
    });

    rsx! {
        div {
            class: "app",
            onpointerdown: move |_| last_input.set(Instant::now()),
            onkeydown: move |_| last_input.set(Instant::now()),
            {children}
        }
    }
}
