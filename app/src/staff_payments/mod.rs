//! "Platby – úřad": the office's side of payments for officials for payments. An overview with
//! links, bank statement upload, the queue of unmatched payments, a payment entered by hand,
//! arrears with the CSV export, the yearly run and one payer's page. The server decides who may
//! do what; these pages only keep citizens from landing on forms they cannot use.

pub mod arrears;
pub mod assign;
pub mod fees;
pub mod manual;
mod overview;
mod payer;
pub mod payer_view;
pub mod registers;
pub mod reversals;
pub mod statements;
pub mod unmatched;
mod yearly;

pub use arrears::StaffArrears;
pub use manual::StaffManualPayment;
pub use overview::StaffPayments;
pub use payer::StaffPayer;
pub use statements::StaffStatements;
pub use unmatched::StaffUnmatched;
pub use yearly::StaffYearlyRun;

use crate::api::ApiError;
use crate::i18n::{Tr, use_tr};
use crate::layout::{LoadError, PageTitle};
use crate::login::StepUp;
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::Role;

/// Whether the session may see the office's payments pages. The session names roles, not
/// modules: every official sees the link, and the server refuses other modules (403).
pub fn is_payments_official(session: &Session) -> bool {
    session
        .info()
        .is_some_and(|i| i.roles.contains(&Role::Official))
}

/// The frame of every page here: the window title, a link back to the overview (except on the
/// overview itself, and only for officials), one `h1` that takes focus, and the page only for
/// officials (a login link when nobody is logged in).
#[component]
pub fn StaffFrame(title: String, back: bool, children: Element) -> Element {
    let tr = use_tr();
    let session = use_context::<Signal<Session>>();
    let allowed = is_payments_official(&session.read());
    let logged_in = session.read().info().is_some();
    let anonymous = *session.read() == Session::Anonymous;
    let route = use_route::<Route>();
    rsx! {
        PageTitle { title: title.clone() }
        if back && allowed {
            p {
                Link { to: Route::StaffPayments {}, {tr.t("staff_payments.back")} }
            }
        }
        h1 { id: "page-heading", tabindex: "-1", "{title}" }
        if anonymous {
            p { class: "alert alert--info",
                {tr.t("staff_payments.officials_only")}
                " "
                Link { to: Route::login_returning_to(&route), {tr.t("layout.login")} }
            }
        } else if logged_in && !allowed {
            p { class: "alert alert--info", {tr.t("staff_payments.officials_only")} }
        } else {
            {children}
        }
    }
}

/// A list that failed to load: a step-up to a stronger login when the office's level is not
/// reached (staff work at "substantial"), otherwise the usual error with a retry.
#[component]
pub fn StaffLoadError(error: ApiError, on_retry: EventHandler<()>) -> Element {
    let route = use_route::<Route>();
    match error {
        ApiError::LoaRequired(required) => rsx! {
            StepUp { required, next: route.to_string() }
        },
        other => rsx! {
            LoadError { error: other, on_retry }
        },
    }
}

/// The message for an API error, with 403 worded for these pages.
pub fn error_text(tr: Tr, error: &ApiError) -> &'static str {
    match error {
        ApiError::Server { status: 403, .. } => tr.t("staff_payments.officials_only"),
        other => tr.error(other.message_code()),
    }
}

/// The code of the field error the server named for `field`, if any.
pub fn field_code(error: &ApiError, field: &str) -> Option<String> {
    match error {
        ApiError::Invalid { fields, .. } => fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.code.clone()),
        _ => None,
    }
}

/// An error not tied to one of the form's fields, to show above the submit button.
pub fn form_error(error: &ApiError, fields: &[&str]) -> Option<ApiError> {
    match error {
        ApiError::Invalid { fields: named, .. }
            if named.iter().all(|f| fields.contains(&f.field.as_str())) && !named.is_empty() =>
        {
            None
        }
        other => Some(other.clone()),
    }
}

/// A labelled text input with a hint and an inline error linked by `aria-describedby`.
#[component]
pub fn TextField(
    id: String,
    label: String,
    value: Signal<String>,
    #[props(default)] hint: Option<String>,
    #[props(default)] error: Option<String>,
    #[props(default = "text".to_string())] kind: String,
    #[props(default)] inputmode: Option<String>,
) -> Element {
    let tr = use_tr();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id.clone());
    }
    if error.is_some() {
        described.push(error_id.clone());
    }
    let described = described.join(" ");
    let invalid = error.is_some();
    rsx! {
        div { class: if invalid { "field field--invalid" } else { "field" },
            label { r#for: "{id}", "{label}" }
            if let Some(hint) = &hint {
                p { id: "{hint_id}", class: "field__hint", "{hint}" }
            }
            if let Some(code) = &error {
                p { id: "{error_id}", class: "field__error", {tr.error(code)} }
            }
            input {
                id: "{id}",
                r#type: "{kind}",
                inputmode: inputmode.clone(),
                autocomplete: "off",
                aria_invalid: if invalid { "true" } else { "false" },
                aria_describedby: if described.is_empty() { None } else { Some(described.clone()) },
                value: "{value}",
                oninput: move |e| value.set(e.value()),
            }
        }
    }
}

/// Moves keyboard (and screen reader) focus to the element with this id, e.g. a result's
/// heading after a form was sent. Call it from an effect, after the element is rendered.
pub fn focus(id: &str) {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
    #[cfg(feature = "desktop")]
    {
        let _ = dioxus::document::eval(&format!("document.getElementById({id:?})?.focus();"));
    }
    let _ = id;
}

/// A place to ask for focus once the page has rendered: `request.set(Some(id))` after a form
/// found errors moves focus to the first field in error, its message already linked.
pub fn use_focus_request() -> Signal<Option<&'static str>> {
    let request = use_signal(|| None::<&'static str>);
    use_effect(move || {
        if let Some(id) = request() {
            focus(id);
        }
    });
    request
}

/// A key that makes one filled-in form record one payment, however often it is sent. Unique
/// enough for that: the time and a random number (wasm), or the time and a counter.
pub fn fresh_key() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let random = (js_sys::Math::random() * 1e15) as u64;
        return format!("form-{}-{random:x}", js_sys::Date::now() as u64);
    }
    #[allow(unreachable_code)]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        format!("form-{nanos:x}-{}", COUNTER.fetch_add(1, Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_keys_differ() {
        assert_ne!(fresh_key(), fresh_key());
    }
}
