use super::use_town;
use crate::i18n::{format_psc, use_tr};
use crate::routes::Route;
use dioxus::prelude::*;

#[component]
pub fn Footer() -> Element {
    let tr = use_tr();
    let town = use_town();
    rsx! {
        footer { class: "gov-footer",
            div { class: "container gov-footer__inner",
                if let Some(town) = town {
                    div { class: "gov-footer__office",
                        p { class: "gov-footer__name", "{town.name}" }
                        p { "{town.address.street}, {format_psc(&town.address.psc)} {town.address.city}" }
                        p { {tr.tf("layout.footer.ico", &[("ico", &town.ico)])} }
                    }
                }
                nav { class: "gov-footer__links", aria_label: tr.t("layout.footer.nav"),
                    ul {
                        li {
                            Link { to: Route::Accessibility {}, {tr.t("layout.footer.accessibility")} }
                        }
                        li {
                            Link { to: Route::HelpPortalObcana {}, {tr.t("layout.footer.portal_obcana")} }
                        }
                    }
                }
                p { class: "gov-footer__note", {tr.t("layout.footer.note")} }
            }
        }
    }
}
