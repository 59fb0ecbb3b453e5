//! Signed requests to the gateway: create a payment, ask for its status.

use super::settings::GatewaySettings;
use gateway_sim::protocol::{self, CreatePayment, Payment};
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("gateway unreachable: {0}")]
    Transport(String),
    #[error("gateway answered {status} {code}: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("gateway answer unreadable: {0}")]
    Body(String),
    #[error("gateway answered for another payment ({0})")]
    Mismatch(String),
}

/// One client for every gateway: no redirects (an API answer is never one), each request with
/// its gateway's time limit.
fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client builds")
    })
}

pub struct Gateway<'a> {
    pub settings: &'a GatewaySettings,
}

impl<'a> Gateway<'a> {
    pub fn new(settings: &'a GatewaySettings) -> Gateway<'a> {
        Gateway { settings }
    }

    /// Creates the payment, or (same `merchant_order_id`, same content) gets the existing one.
    pub async fn create(&self, request: &CreatePayment) -> Result<Payment, GatewayError> {
        let body = serde_json::to_vec(request).map_err(|e| GatewayError::Body(e.to_string()))?;
        let payment: Payment = self.send("POST", "/api/payments", body).await?;
        if payment.merchant_order_id != request.merchant_order_id {
            return Err(GatewayError::Mismatch(payment.merchant_order_id));
        }
        Ok(payment)
    }

    /// The payment as the gateway has it now.
    pub async fn status(&self, payment_id: &str) -> Result<Payment, GatewayError> {
        let ok_id = payment_id.len() <= 64
            && payment_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !ok_id {
            return Err(GatewayError::Mismatch(payment_id.to_owned()));
        }
        let payment: Payment = self
            .send("GET", &format!("/api/payments/{payment_id}"), Vec::new())
            .await?;
        if payment.payment_id != payment_id {
            return Err(GatewayError::Mismatch(payment.payment_id));
        }
        Ok(payment)
    }

    /// Returns part or all of a paid payment; `refund_id` makes a retry the same refund.
    pub async fn refund(
        &self,
        payment_id: &str,
        request: &protocol::CreateRefund,
    ) -> Result<protocol::RefundResponse, GatewayError> {
        let body = serde_json::to_vec(request).map_err(|e| GatewayError::Body(e.to_string()))?;
        let answer: protocol::RefundResponse = self
            .send("POST", &format!("/api/payments/{payment_id}/refunds"), body)
            .await?;
        if answer.payment.payment_id != payment_id || answer.refund.refund_id != request.refund_id {
            return Err(GatewayError::Mismatch(answer.payment.payment_id));
        }
        Ok(answer)
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> Result<T, GatewayError> {
        let url = reqwest::Url::parse(&format!("{}{path}", self.settings.url))
            .map_err(|e| GatewayError::Transport(e.to_string()))?;
        // The signature covers the request target as the gateway receives it.
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let headers = protocol::sign::sign_request(
            &self.settings.merchant_id,
            self.settings.secret.expose().as_bytes(),
            method,
            &target,
            &body,
            chrono::Utc::now().timestamp(),
            &crate::identity::session::random_token(),
        );
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| GatewayError::Transport(e.to_string()))?;
        let mut request = http().request(method, url).timeout(self.settings.timeout);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        if !body.is_empty() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| GatewayError::Transport(e.to_string()))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| GatewayError::Transport(e.to_string()))?;
        if !status.is_success() {
            let error: protocol::ErrorBody =
                serde_json::from_slice(&bytes).unwrap_or(protocol::ErrorBody {
                    error: "unknown".into(),
                    message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
                });
            return Err(GatewayError::Refused {
                status: status.as_u16(),
                code: error.error,
                message: error.message,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| GatewayError::Body(e.to_string()))
    }
}
