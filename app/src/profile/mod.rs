//! "Profil": what the town office knows about the logged-in person.

use crate::api::ApiClient;
mod identities;

use crate::i18n::{format_date, format_psc, use_tr};
use crate::layout::{LoadError, Loading, PageTitle};
use crate::routes::Route;
use dioxus::prelude::*;
pub use identities::Identities;
use portal_domain::PhoneNumber;
use portal_domain::wire::Profile;

#[component]
pub fn ProfilePage() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut profile = use_resource(move || {
        let api = api.clone();
        async move { api.profile().await }
    });
    rsx! {
        PageTitle { title: tr.t("profile.title") }
        h1 { {tr.t("profile.title")} }
        match &*profile.read() {
            None => rsx! { Loading {} },
            Some(Err(error)) => rsx! {
                LoadError { error: error.clone(), on_retry: move |_| profile.restart() }
            },
            Some(Ok(p)) => rsx! { ProfileDetails { profile: p.clone(), on_changed: move |_| profile.restart() } },
        }
    }
}

#[component]
pub fn ProfileDetails(profile: Profile, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    let not_given = tr.t("profile.not_given");
    let birth = profile
        .date_of_birth
        .map(|d| format_date(tr, d))
        .unwrap_or_else(|| not_given.to_string());
    let address = profile
        .address
        .as_ref()
        .map(|a| format!("{}, {} {}", a.street, format_psc(&a.psc), a.city))
        .unwrap_or_else(|| not_given.to_string());
    let email = profile
        .contact
        .email
        .clone()
        .unwrap_or_else(|| not_given.to_string());
    // Shown grouped (+420 777 123 456) when it parses; as stored otherwise.
    let phone = match profile.contact.phone.as_deref() {
        Some(p) => PhoneNumber::parse(p)
            .map(|n| n.display_grouped())
            .unwrap_or_else(|_| p.to_string()),
        None => not_given.to_string(),
    };
    rsx! {
        section { class: "card", aria_labelledby: "profile-personal",
            h2 { id: "profile-personal", {tr.t("profile.personal")} }
            dl { class: "facts",
                dt { {tr.t("profile.name")} }
                dd { "{profile.given_name} {profile.family_name}" }
                dt { {tr.t("profile.date_of_birth")} }
                dd { {birth} }
                dt { {tr.t("profile.address")} }
                dd { {address} }
            }
        }
        section { class: "card", aria_labelledby: "profile-contact",
            h2 { id: "profile-contact", {tr.t("profile.contact")} }
            dl { class: "facts",
                dt { {tr.t("settings.email.label")} }
                dd { {email} }
                dt { {tr.t("settings.phone.label")} }
                dd { {phone} }
            }
            p {
                Link { to: Route::Settings {}, {tr.t("profile.edit_contact")} }
            }
        }
        Identities { identities: profile.identities.clone(), on_changed: move |_| on_changed.call(()) }
        section { class: "card", aria_labelledby: "profile-account",
            h2 { id: "profile-account", {tr.t("profile.account.heading")} }
            p { {tr.tf("profile.account.number", &[("number", &profile.citizen_id.to_string())])} }
            p { class: "hint", {tr.t("profile.account.hint")} }
        }
    }
}
