//! The lobby kiosk's own calls: the card login and its challenge, the identity-provider login
//! handed over from the kiosk's browser, the logout when the visit ends, and the profile staff
//! set in the back office. Native builds only.

use super::{ApiClient, ApiError, Http, Method, decode};
use portal_domain::wire::{
    CardLoginRequest, KioskChallenge, KioskHandoff, KioskProfileBody, SessionInfo,
};

impl ApiClient {
    /// A client for a registered kiosk: every request carries the device credential.
    pub fn for_kiosk(base_url: &str, pems: &[Vec<u8>], credential: &str) -> ApiClient {
        ApiClient {
            base_url: base_url.trim_end_matches('/').to_string(),
            http: Http::new(pems).with_kiosk_credential(credential),
        }
    }

    /// Forgets the session cookie and every other cookie (a visitor left the kiosk).
    pub fn forget_cookies(&self) {
        self.http.reset();
    }

    pub async fn kiosk_challenge(&self) -> Result<KioskChallenge, ApiError> {
        decode(
            self.send::<()>(Method::Post, "/api/kiosk/challenge", "", None)
                .await?,
        )
        .await
    }

    pub async fn kiosk_login(&self, request: &CardLoginRequest) -> Result<SessionInfo, ApiError> {
        decode(
            self.send(Method::Post, "/api/kiosk/login", "", Some(request))
                .await?,
        )
        .await
    }

    /// Ends every session at this kiosk on the server.
    pub async fn kiosk_logout(&self) -> Result<(), ApiError> {
        self.send::<()>(Method::Post, "/api/kiosk/logout", "", None)
            .await?;
        Ok(())
    }

    pub async fn kiosk_profile(&self) -> Result<KioskProfileBody, ApiError> {
        self.get("/api/kiosk/profile").await
    }

    /// A handoff for an identity-provider login in the kiosk's browser.
    pub async fn kiosk_handoff(&self) -> Result<KioskHandoff, ApiError> {
        decode(
            self.send::<()>(Method::Post, "/api/kiosk/handoff", "", None)
                .await?,
        )
        .await
    }

    /// The handoff's login: `None` while the visitor is still at the provider.
    pub async fn kiosk_claim(
        &self,
        handoff: &KioskHandoff,
    ) -> Result<Option<SessionInfo>, ApiError> {
        let response = self
            .send::<()>(Method::Post, &handoff.claim_path(), "", None)
            .await?;
        if response.status() == 202 {
            return Ok(None);
        }
        decode(response).await.map(Some)
    }
}
