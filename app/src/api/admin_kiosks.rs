//! Calls of the back office's kiosk page (admins only; the server checks).

use super::{ApiClient, ApiError, Method, decode};
use portal_domain::wire::{KioskCredential, KioskProfileBody, KioskSummary, NewKiosk};
use serde::Serialize;

/// Body of `PUT /api/admin/kiosks/{id}/profile`.
#[derive(Serialize)]
struct ProfileUpdate<'a> {
    profile: &'a str,
}

impl ApiClient {
    pub async fn kiosks(&self) -> Result<Vec<KioskSummary>, ApiError> {
        self.get("/api/admin/kiosks").await
    }

    /// Registers a kiosk; the answer's credential is shown this once.
    pub async fn register_kiosk(
        &self,
        csrf: &str,
        kiosk: &NewKiosk,
    ) -> Result<KioskCredential, ApiError> {
        let response = self
            .send(Method::Post, "/api/admin/kiosks", csrf, Some(kiosk))
            .await?;
        decode(response).await
    }

    /// The kiosk's current profile text and version.
    pub async fn admin_kiosk_profile(&self, id: &str) -> Result<KioskProfileBody, ApiError> {
        self.get(&format!("/api/admin/kiosks/{id}/profile")).await
    }

    /// Replaces the kiosk's profile; the kiosk applies it at its next poll.
    pub async fn update_kiosk_profile(
        &self,
        csrf: &str,
        id: &str,
        profile: &str,
    ) -> Result<KioskSummary, ApiError> {
        let path = format!("/api/admin/kiosks/{id}/profile");
        let body = ProfileUpdate { profile };
        decode(self.send(Method::Put, &path, csrf, Some(&body)).await?).await
    }

    /// Revokes the kiosk: its credential stops working and its session ends.
    pub async fn revoke_kiosk(&self, csrf: &str, id: &str) -> Result<(), ApiError> {
        let path = format!("/api/admin/kiosks/{id}");
        self.send::<()>(Method::Delete, &path, csrf, None).await?;
        Ok(())
    }
}
