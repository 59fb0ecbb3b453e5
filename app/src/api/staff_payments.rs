//! Calls of the office's payments screens (officials for payments only; the server checks).

use super::{ApiClient, ApiError, Method, Request, check, decode};
use portal_domain::wire::{
    Arrear, AssignPayment, EndRegistration, ManualPayment, NewDog, NewHousehold,
    NewHouseholdMember, NewRefund, ObligationBySymbol, PairReversal, PayerOverview,
    StatementImportReport, UnmatchedPayment, UnpairedReversal,
};
use serde::{Deserialize, Serialize};

/// What the yearly run is asked to do: one year, all fees or one fee's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearlyRunRequest {
    pub year: i32,
    pub fee_code: Option<String>,
}

/// What the yearly run did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct YearlyRunReport {
    pub year: i32,
    pub created: u64,
    pub existing: u64,
}

impl ApiClient {
    /// Uploads a bank statement file (ABO/GPC or camt.053) as the raw body.
    pub async fn upload_statement(
        &self,
        csrf: &str,
        file: Vec<u8>,
    ) -> Result<StatementImportReport, ApiError> {
        let request = Request {
            method: Method::Post,
            url: self.url("/api/staff/payments/statements"),
            headers: vec![
                ("Accept", "application/json"),
                ("X-CSRF-Token", csrf),
                ("Content-Type", "application/octet-stream"),
            ],
            body: Some(file),
        };
        decode(check(self.http.send(request).await?).await?).await
    }

    pub async fn unmatched_payments(&self) -> Result<Vec<UnmatchedPayment>, ApiError> {
        self.get("/api/staff/payments/unmatched").await
    }

    pub async fn assign_payment(
        &self,
        csrf: &str,
        payment_id: i64,
        body: &AssignPayment,
    ) -> Result<(), ApiError> {
        let path = format!("/api/staff/payments/{payment_id}/assign");
        self.send(Method::Post, &path, csrf, Some(body)).await?;
        Ok(())
    }

    /// Reversals the import could not pair, each with the payments it may take back.
    pub async fn unpaired_reversals(&self) -> Result<Vec<UnpairedReversal>, ApiError> {
        self.get("/api/staff/payments/reversals").await
    }

    /// Pairs a reversal with the payment it takes back.
    pub async fn pair_reversal(
        &self,
        csrf: &str,
        reversal_id: i64,
        body: &PairReversal,
    ) -> Result<(), ApiError> {
        let path = format!("/api/staff/payments/reversals/{reversal_id}/pair");
        self.send(Method::Post, &path, csrf, Some(body)).await?;
        Ok(())
    }

    /// Records a payment by hand; answers the payment's id (the same one again for a repeated
    /// idempotency key).
    pub async fn enter_payment(&self, csrf: &str, body: &ManualPayment) -> Result<i64, ApiError> {
        let response = self
            .send(Method::Post, "/api/staff/payments/manual", csrf, Some(body))
            .await?;
        decode(response).await
    }

    /// The town's fee types (rates, instalments), as its ordinance sets them.
    pub async fn fee_types(&self) -> Result<Vec<portal_domain::wire::FeeType>, ApiError> {
        self.get("/api/staff/payments/fees").await
    }

    pub async fn arrears(&self) -> Result<Vec<Arrear>, ApiError> {
        self.get("/api/staff/payments/arrears").await
    }

    pub async fn yearly_run(
        &self,
        csrf: &str,
        body: &YearlyRunRequest,
    ) -> Result<YearlyRunReport, ApiError> {
        let response = self
            .send(
                Method::Post,
                "/api/staff/payments/yearly-run",
                csrf,
                Some(body),
            )
            .await?;
        decode(response).await
    }

    pub async fn payer(&self, account: i64) -> Result<PayerOverview, ApiError> {
        self.get(&format!("/api/staff/payments/payers/{account}"))
            .await
    }

    /// The town's obligations with this variable symbol (digits only, checked by the caller).
    pub async fn obligations_by_symbol(
        &self,
        vs: &str,
    ) -> Result<Vec<ObligationBySymbol>, ApiError> {
        self.get(&format!("/api/staff/payments/obligations?vs={vs}"))
            .await
    }

    /// The CSV export of a period's payments (dates `YYYY-MM-DD`, either may be empty); a plain
    /// link, so the browser downloads it with the session cookie.
    pub fn export_url(&self, from: &str, to: &str) -> String {
        self.url(&format!(
            "/api/staff/payments/export?from={}&to={}",
            from.trim(),
            to.trim()
        ))
    }

    /// A register change or a refund, as the payer's page sends it (see [`RegisterChange`]).
    pub async fn change_register(
        &self,
        csrf: &str,
        change: &RegisterChange,
    ) -> Result<(), ApiError> {
        let response = match change {
            RegisterChange::NewHousehold(body) => {
                let path = "/api/staff/payments/registers/households";
                self.send(Method::Post, path, csrf, Some(body)).await?
            }
            RegisterChange::NewMember(household, body) => {
                let path = format!("/api/staff/payments/registers/households/{household}/members");
                self.send(Method::Post, &path, csrf, Some(body)).await?
            }
            RegisterChange::EndMember(member, body) => {
                let path = format!("/api/staff/payments/registers/members/{member}/end");
                self.send(Method::Post, &path, csrf, Some(body)).await?
            }
            RegisterChange::NewDog(body) => {
                let path = "/api/staff/payments/registers/dogs";
                self.send(Method::Post, path, csrf, Some(body)).await?
            }
            RegisterChange::EndDog(dog, body) => {
                let path = format!("/api/staff/payments/registers/dogs/{dog}/end");
                self.send(Method::Post, &path, csrf, Some(body)).await?
            }
            RegisterChange::Refund(card_payment, body) => {
                let path = format!("/api/staff/payments/card/{card_payment}/refund");
                self.send(Method::Post, &path, csrf, Some(body)).await?
            }
        };
        drop(response);
        Ok(())
    }
}

/// What an official changes on a payer's page: the registers the yearly run charges from, and
/// refunds of card payments.
#[derive(Debug, Clone, PartialEq)]
pub enum RegisterChange {
    NewHousehold(NewHousehold),
    NewMember(i64, NewHouseholdMember),
    EndMember(i64, EndRegistration),
    NewDog(NewDog),
    EndDog(i64, EndRegistration),
    Refund(i64, NewRefund),
}
