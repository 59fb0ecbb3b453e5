//! The root component: shared state by context, then the router.

use crate::api::{ApiClient, ApiError};
use crate::i18n::Lang;
use crate::platform;
use crate::routes::Route;
use crate::session::{PlatformConfig, Session, TownState};
use dioxus::prelude::*;

#[component]
pub fn App() -> Element {
    let platform = use_hook(|| try_consume_context::<PlatformConfig>().unwrap_or_default());
    use_context_provider(|| platform.clone());
    let lang = use_context_provider(|| Signal::new(initial_language(&platform)));
    let api = use_context_provider(|| client_for(&platform));
    let session = use_context_provider(|| Signal::new(Session::Unknown));
    let town = use_context_provider(|| Signal::new(TownState::Loading));

    use_effect(move || platform::set_document_language(lang()));
    use_hook(|| {
        spawn(load_town(api.clone(), town));
        spawn(load_session(api.clone(), session));
    });

    rsx! {
        Router::<Route> {}
    }
}

/// Stored choice first (web), then the kiosk profile's default, then Czech.
fn initial_language(platform: &PlatformConfig) -> Lang {
    platform::stored_language()
        .or_else(|| platform.default_language.as_deref().and_then(Lang::parse))
        .unwrap_or_default()
}

fn client_for(platform: &PlatformConfig) -> ApiClient {
    if let Some(url) = &platform.backend_url {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(credential) = &platform.kiosk_credential {
            return ApiClient::for_kiosk(url, &platform.trust_anchors_pem, &credential.0);
        }
        return ApiClient::with_trust_anchors(url, &platform.trust_anchors_pem);
    }
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    return ApiClient::same_origin();
    #[allow(unreachable_code)]
    ApiClient::new("http://localhost:8080")
}

/// Fetches the town; the layout shows progress and offers a retry that calls this again.
pub async fn load_town(api: ApiClient, mut town: Signal<TownState>) {
    town.set(TownState::Loading);
    town.set(match api.town().await {
        Ok(info) => TownState::Ready(info),
        Err(error) => TownState::Failed(error),
    });
}

/// Asks the server who is logged in; the layout's retry calls this again.
pub async fn load_session(api: ApiClient, mut session: Signal<Session>) {
    session.set(match api.session().await {
        Ok(info) => Session::Active(info),
        // Anything else is treated as logged out: protected pages get their own 401 and
        // send the user to the login page from there.
        Err(ApiError::Unauthenticated) | Err(_) => Session::Anonymous,
    });
}
