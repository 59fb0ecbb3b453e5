//! "One transfer for everything": a basket of the open obligations with its own variable symbol
//! and QR Platba. The town's statement import spreads the transfer over them, oldest first.

use super::money;
use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::layout::use_town;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::Basket;

#[component]
pub fn PayAllByTransfer(obligation_ids: Vec<i64>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut basket = use_signal(|| None::<Basket>);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    // Shown as the detail page shows it: an IBAN in groups of four.
    let account = use_town()
        .and_then(|t| portal_domain::Iban::parse(&t.bank_account).ok())
        .map(|iban| iban.to_string())
        .unwrap_or_default();
    let show = {
        let api = api.clone();
        move |_| {
            let api = api.clone();
            let ids = obligation_ids.clone();
            async move {
                busy.set(true);
                error.set(None);
                let csrf = session.peek().csrf_token().unwrap_or_default();
                match api.create_basket(&csrf, &ids).await {
                    Ok(made) => basket.set(Some(made)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            }
        }
    };
    rsx! {
        div { class: "pay-all-by-transfer",
            button {
                r#type: "button",
                class: "button button--secondary",
                disabled: busy(),
                aria_expanded: if basket.read().is_some() { "true" } else { "false" },
                onclick: show,
                {tr.t("payments.basket.button")}
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {tr.error(e.message_code())} }
            }
            if let Some(b) = basket() {
                section { class: "card pay-by-transfer", aria_labelledby: "basket-title",
                    h3 { id: "basket-title", tabindex: "-1", {tr.t("payments.basket.title")} }
                    p { {tr.t("payments.basket.intro")} }
                    img {
                        class: "qr",
                        src: api.url(&format!("/api/payments/baskets/{}/qr/svg", b.id)),
                        width: "240",
                        height: "240",
                        alt: tr.tf("payments.detail.qr_alt", &[("amount", &money(b.amount_halere)), ("vs", &b.variable_symbol)]),
                    }
                    p {
                        a {
                            href: api.url(&format!("/api/payments/baskets/{}/qr/png", b.id)),
                            download: "qr-platba-{b.variable_symbol}.png",
                            {tr.t("payments.detail.qr_download")}
                        }
                    }
                    dl { class: "facts",
                        dt { {tr.t("payments.detail.account")} }
                        dd { class: "copyable", "{account}" }
                        dt { {tr.t("payments.detail.vs")} }
                        dd { class: "copyable", "{b.variable_symbol}" }
                        dt { {tr.t("payments.basket.amount")} }
                        dd { {money(b.amount_halere)} }
                    }
                }
            }
        }
    }
}
