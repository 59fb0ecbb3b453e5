//! The few things that differ between the browser, the kiosk window and tests.

use crate::i18n::Lang;

#[cfg(all(target_arch = "wasm32", feature = "web"))]
const LANG_KEY: &str = "portal.lang";

/// The language the user chose last time (web only: the kiosk starts fresh for each visitor).
pub fn stored_language() -> Option<Lang> {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    {
        let storage = web_sys::window()?.local_storage().ok()??;
        return storage
            .get_item(LANG_KEY)
            .ok()?
            .and_then(|v| Lang::parse(&v));
    }
    #[allow(unreachable_code)]
    None
}

pub fn store_language(lang: Lang) {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        // Private browsing may refuse storage; the choice then lasts for this visit only.
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    let _ = lang;
}

/// Keeps `<html lang>` in step with the chosen language, so screen readers pronounce it right.
pub fn set_document_language(lang: Lang) {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
    #[cfg(feature = "desktop")]
    {
        // The kiosk's webview has no server CSP, so a one-line script is fine here.
        let _ = dioxus::document::eval(&format!(
            "document.documentElement.lang = '{}';",
            lang.code()
        ));
    }
    let _ = lang;
}

/// Sets the window title. Not `document::Title`: on the web it runs `eval`, which the server's
/// CSP (`script-src 'self' 'wasm-unsafe-eval'`) rightly blocks.
pub fn set_title(title: &str) {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
    #[cfg(feature = "desktop")]
    {
        let _ = dioxus::document::eval(&format!("document.title = {title:?};"));
    }
    let _ = title;
}

/// Leaves the app for another site (a provider's logout page). Web only: the kiosk never
/// follows a provider's pages after logout, it returns to its welcome screen.
pub fn leave_for(url: &str) -> bool {
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    if let Some(window) = web_sys::window() {
        return window.location().assign(url).is_ok();
    }
    let _ = url;
    false
}
