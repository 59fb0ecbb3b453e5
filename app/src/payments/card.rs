//! "Pay by card": starts a card payment for some obligations and sends the browser to the
//! town's payment gateway, which brings it back to `/platby?platba=…`.

use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::login::StepUp;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::Loa;

#[component]
pub fn PayByCard(obligation_ids: Vec<i64>, label: String, next: String) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    let mut step_up = use_signal(|| None::<Loa>);
    let pay = move |_| {
        let api = api.clone();
        let ids = obligation_ids.clone();
        async move {
            busy.set(true);
            error.set(None);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            match api.start_card_payment(&csrf, &ids).await {
                Ok(Some(url)) if crate::platform::leave_for(&url) => {}
                Ok(_) => error.set(Some(ApiError::Server {
                    status: 409,
                    code: Some("card_here_unavailable".into()),
                })),
                Err(ApiError::LoaRequired(loa)) => step_up.set(Some(loa)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        }
    };
    rsx! {
        div { class: "pay-by-card",
            button {
                r#type: "button",
                class: "button",
                disabled: busy(),
                aria_busy: if busy() { "true" } else { "false" },
                onclick: pay,
                "{label}"
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {tr.error(e.message_code())} }
            }
            if let Some(required) = step_up() {
                StepUp { required, next: next.clone() }
            }
        }
    }
}
