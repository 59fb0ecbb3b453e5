//! The payer's page: `GET /pay/{id}` shows the payment, `POST /pay/{id}` with
//! `action=pay|decline|cancel` decides it and sends the browser back to the merchant (303).

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;

use super::App;
use super::notify;
use super::store::PaymentRecord;
use crate::protocol::PaymentStatus;
use crate::protocol::sign::sign_return;

pub fn router() -> axum::Router<Arc<App>> {
    axum::Router::new().route("/pay/{id}", get(show).post(decide))
}

#[derive(Deserialize)]
struct Decision {
    action: Option<String>,
}

/// The return URL with `payment_id`, `merchant_order_id`, `status` and `signature` added.
pub fn return_url(app: &App, record: &PaymentRecord) -> String {
    let secret = app
        .merchants
        .get(&record.merchant_id)
        .map(|m| m.secret.as_bytes())
        .unwrap_or_default();
    let order_id = &record.request.merchant_order_id;
    let signature = sign_return(
        &record.merchant_id,
        secret,
        &record.payment_id,
        order_id,
        record.status,
    );
    let Ok(mut url) = url::Url::parse(&record.request.return_url) else {
        return record.request.return_url.clone();
    };
    url.query_pairs_mut()
        .append_pair("payment_id", &record.payment_id)
        .append_pair("merchant_order_id", order_id)
        .append_pair("status", record.status.as_str())
        .append_pair("signature", &signature);
    url.into()
}

/// Loads a payment, expiring it first when its time is up.
fn load(app: &Arc<App>, id: &str) -> Option<PaymentRecord> {
    let now = Utc::now();
    let (record, expired) = app.store.update_if(|s| match s.payments.get_mut(id) {
        Some(p) => {
            let expired = p.expire_if_due(now);
            (Some((p.clone(), expired)), expired.is_some())
        }
        None => (None, false),
    })?;
    if let Some(version) = expired {
        notify::status_changed(app, &record, version);
    }
    Some(record)
}

async fn show(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match load(&app, &id) {
        Some(record) => Html(page(&app, &record)).into_response(),
        None => not_found(),
    }
}

async fn decide(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Form(decision): Form<Decision>,
) -> Response {
    let status = match decision.action.as_deref() {
        Some("pay") => PaymentStatus::Paid,
        Some("decline") => PaymentStatus::Declined,
        Some("cancel") => PaymentStatus::Cancelled,
        _ => {
            let body = shell(
                "Neplatná volba",
                "<p>Neznámá akce. Použijte tlačítko Zaplatit, Zamítnout nebo Zrušit.</p>",
            );
            return (StatusCode::BAD_REQUEST, Html(body)).into_response();
        }
    };
    if load(&app, &id).is_none() {
        return not_found();
    }
    let now = Utc::now();
    let changed = app.store.update(|s| {
        let p = s.payments.get_mut(&id)?;
        // Only a payment still waiting can be decided; otherwise the payer goes back with the
        // status it already has.
        let version = (p.status == PaymentStatus::Created).then(|| p.change(status, now));
        Some((p.clone(), version))
    });
    let Some((record, version)) = changed else {
        return not_found();
    };
    if let Some(version) = version {
        notify::status_changed(&app, &record, version);
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, return_url(&app, &record))],
    )
        .into_response()
}

fn not_found() -> Response {
    let body = shell(
        "Platba nenalezena",
        "<p>Tato platba neexistuje. Vraťte se prosím do obchodu a zkuste platbu znovu.</p>",
    );
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

/// "1 234,50 Kč" with no-break spaces, as Czech writes amounts.
pub fn format_czk(halere: i64) -> String {
    let crowns = (halere / 100).abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in crowns.chars().enumerate() {
        if i > 0 && (crowns.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    let sign = if halere < 0 { "-" } else { "" };
    format!("{sign}{grouped},{:02}\u{a0}Kč", (halere % 100).abs())
}

fn status_cs(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Created => "čeká na zaplacení",
        PaymentStatus::Paid => "zaplacena",
        PaymentStatus::Declined => "zamítnuta",
        PaymentStatus::Cancelled => "zrušena",
        PaymentStatus::Expired => "vypršela",
        PaymentStatus::Refunded => "vrácena",
        PaymentStatus::PartiallyRefunded => "částečně vrácena",
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(app: &App, record: &PaymentRecord) -> String {
    let req = &record.request;
    let mut body = format!(
        "<p class=\"note\">Testovací platební brána: žádné skutečné peníze se nepřevádějí.</p>\
         <dl>\
         <dt>Obchodník</dt><dd>{}</dd>\
         <dt>Účel platby</dt><dd>{}</dd>\
         <dt>Číslo objednávky</dt><dd>{}</dd>\
         <dt>Částka</dt><dd class=\"amount\">{}</dd>\
         </dl>",
        escape(&record.merchant_id),
        escape(&req.description),
        escape(&req.merchant_order_id),
        format_czk(req.amount_halere),
    );
    if !req.items.is_empty() {
        body.push_str(
            "<table><caption>Položky</caption><thead><tr><th scope=\"col\">Položka</th>\
             <th scope=\"col\">Počet</th><th scope=\"col\">Částka</th></tr></thead><tbody>",
        );
        for item in &req.items {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&item.name),
                item.quantity,
                format_czk(item.amount_halere)
            ));
        }
        body.push_str("</tbody></table>");
    }
    if record.status == PaymentStatus::Created {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/pay/{}\">\
             <button type=\"submit\" name=\"action\" value=\"pay\" class=\"primary\">Zaplatit</button>\
             <button type=\"submit\" name=\"action\" value=\"decline\">Zamítnout</button>\
             <button type=\"submit\" name=\"action\" value=\"cancel\">Zrušit</button>\
             </form>\
             <p class=\"hint\">Zamítnout: simuluje, že banka platbu kartou odmítla. \
             Zrušit: vrátíte se do obchodu bez placení.</p>",
            escape(&record.payment_id)
        ));
    } else {
        body.push_str(&format!(
            "<p role=\"status\">Platba je {}.</p><p><a href=\"{}\">Zpět do obchodu</a></p>",
            status_cs(record.status),
            escape(&return_url(app, record))
        ));
    }
    shell("Platba kartou", &body)
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"cs\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – simulátor platební brány</title><style>{STYLE}</style></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#1a1a1a;\
line-height:1.5}main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;\
border:1px solid #ccc;border-radius:.5rem}.note{background:#fff4ce;padding:.5rem;\
border-left:4px solid #8a6d00}dt{font-weight:bold}dd{margin:0 0 .5rem}.amount{font-size:1.5rem}\
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{text-align:left;\
border-bottom:1px solid #ccc;padding:.25rem}form{display:flex;gap:.5rem;flex-wrap:wrap}\
button{font-size:1rem;padding:.75rem 1.25rem;min-height:44px;border:2px solid #1a4d8f;\
border-radius:.25rem;background:#fff;color:#1a4d8f;cursor:pointer}button.primary{\
background:#1a4d8f;color:#fff}button:focus-visible,a:focus-visible{outline:3px solid #000;\
outline-offset:2px}a{color:#1a4d8f}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn czech_amounts() {
        assert_eq!(format_czk(5), "0,05\u{a0}Kč");
        assert_eq!(format_czk(123_456), "1\u{a0}234,56\u{a0}Kč");
        assert_eq!(format_czk(100_000_000), "1\u{a0}000\u{a0}000,00\u{a0}Kč");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
