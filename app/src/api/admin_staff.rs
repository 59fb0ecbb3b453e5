//! Calls of the back office's staff page (admins only; the server checks).

use super::{ApiClient, ApiError, Method, decode};
use portal_domain::wire::{NewStaffGrant, StaffGrant};

impl ApiClient {
    pub async fn staff(&self) -> Result<Vec<StaffGrant>, ApiError> {
        self.get("/api/admin/staff").await
    }

    pub async fn grant_role(
        &self,
        csrf: &str,
        grant: &NewStaffGrant,
    ) -> Result<StaffGrant, ApiError> {
        let response = self
            .send(Method::Post, "/api/admin/staff", csrf, Some(grant))
            .await?;
        decode(response).await
    }

    pub async fn revoke_role(&self, csrf: &str, id: i64) -> Result<(), ApiError> {
        let path = format!("/api/admin/staff/{id}");
        self.send::<()>(Method::Delete, &path, csrf, None).await?;
        Ok(())
    }
}
