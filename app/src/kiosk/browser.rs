//! The kiosk's own browser, for identity-provider logins (NIA, Bank iD, MojeID).
//!
//! Providers need a real browser: their own redirects and cookies, and no framing. The kiosk
//! opens one as a child webview over its window, below a bar with the provider's name and a
//! cancel button, at `/api/auth/{login}/start?next=<handoff>` (see `KioskHandoff` in the wire
//! types). The browser is private (no stored data survives it) and is closed, with its data
//! cleared, as soon as the login is claimed, cancelled, or the visit ends. It opens no other
//! windows and downloads nothing.

use dioxus::desktop::wry::dpi::{LogicalPosition, LogicalSize, Position, Size};
use dioxus::desktop::wry::{NewWindowResponse, Rect, WebView, WebViewBuilder};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The height of the kiosk's bar above the browser, in CSS pixels (see `.kiosk-browser-bar`).
pub const BAR_HEIGHT: f64 = 120.0;

/// Tells the kiosk when the visitor touches or types in the browser (idle detection cannot see
/// inside it otherwise). The message carries nothing else.
const REPORT_ACTIVITY: &str = "['pointerdown', 'keydown'].forEach(function (type) { \
    window.addEventListener(type, function () { \
      try { window.ipc.postMessage('active'); } catch (e) {} \
    }, { capture: true, passive: true }); });";

pub struct ProviderBrowser {
    webview: WebView,
    /// Milliseconds since the Unix epoch of the visitor's last touch or key inside.
    last_activity: Arc<AtomicU64>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

impl ProviderBrowser {
    /// Opens `url` in a private child webview over the kiosk's window, below the bar.
    pub fn open(url: &str) -> Result<ProviderBrowser, String> {
        let desktop = dioxus::desktop::window();
        let last_activity = Arc::new(AtomicU64::new(now_ms()));
        let activity = last_activity.clone();
        let webview = WebViewBuilder::new()
            .with_url(url)
            .with_incognito(true)
            .with_bounds(bounds(&desktop.window))
            .with_initialization_script(REPORT_ACTIVITY)
            .with_ipc_handler(move |_| activity.store(now_ms(), Ordering::Relaxed))
            .with_new_window_req_handler(|_, _| NewWindowResponse::Deny)
            .with_download_started_handler(|_, _| false)
            .build_as_child(&*desktop.window)
            .map_err(|error| error.to_string())?;
        let _ = webview.focus();
        Ok(ProviderBrowser {
            webview,
            last_activity,
        })
    }

    /// Seconds since the visitor last touched the browser.
    pub fn idle_seconds(&self) -> u64 {
        now_ms().saturating_sub(self.last_activity.load(Ordering::Relaxed)) / 1000
    }

    /// Hidden while the kiosk asks "are you still there?" (its dialog is under the browser).
    pub fn set_visible(&self, visible: bool) {
        let _ = self.webview.set_visible(visible);
        if visible {
            let _ = self
                .webview
                .set_bounds(bounds(&dioxus::desktop::window().window));
        }
    }
}

impl Drop for ProviderBrowser {
    fn drop(&mut self) {
        // Private already; cleared anyway in case a platform keeps anything across views.
        let _ = self.webview.clear_all_browsing_data();
        let _ = self.webview.set_visible(false);
    }
}

/// The window's area below the bar.
fn bounds(window: &dioxus::desktop::tao::window::Window) -> Rect {
    let size = window.inner_size().to_logical::<f64>(window.scale_factor());
    Rect {
        position: Position::Logical(LogicalPosition::new(0.0, BAR_HEIGHT)),
        size: Size::Logical(LogicalSize::new(
            size.width,
            (size.height - BAR_HEIGHT).max(1.0),
        )),
    }
}
