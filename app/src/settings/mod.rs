//! "Nastavení": contact details for notifications.

mod form;
mod view;

pub use form::ContactForm;
pub use view::ContactFormView;

use crate::api::ApiClient;
use crate::i18n::use_tr;
use crate::layout::{LoadError, Loading, PageTitle};
use dioxus::prelude::*;

#[component]
pub fn Settings() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut profile = use_resource(move || {
        let api = api.clone();
        async move { api.profile().await }
    });
    rsx! {
        PageTitle { title: tr.t("settings.title") }
        h1 { {tr.t("settings.title")} }
        match &*profile.read() {
            None => rsx! { Loading {} },
            Some(Err(error)) => rsx! {
                LoadError { error: error.clone(), on_retry: move |_| profile.restart() }
            },
            Some(Ok(p)) => rsx! {
                ContactFormView { initial: ContactForm::from_settings(&p.contact) }
            },
        }
    }
}
