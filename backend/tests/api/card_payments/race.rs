//! The same obligation paid by card and by bank transfer at once: both payments are kept and
//! the obligation ends overpaid, whichever transaction comes first.

use super::*;

/// The demo town's account (19-2000145399/0800) as an ABO file writes it.
const TOWN_ACCOUNT: &str = "0000192000145399";

/// An ABO/GPC statement for the demo town with credits (amount in haléř, VS).
fn abo(number: u32, credits: &[(i64, &str)]) -> Vec<u8> {
    let total: i64 = credits.iter().map(|c| c.0).sum();
    let mut text = format!(
        "074{TOWN_ACCOUNT}{:<20}311225{:014}+{:014}+{:014}0{:014}0{number:03}150126{:14}\r\n",
        "Obec Dolni Lhota", 0, total, 0, total, ""
    );
    for (i, (amount, vs)) in credits.iter().enumerate() {
        text.push_str(&format!(
            "075{TOWN_ACCOUNT}0000351000345679{:013}{amount:012}2{vs:0>10}0008000308{:0>10}150126{:<20}00203150126\r\n",
            number as usize * 1000 + i + 1,
            "",
            "Novakova Jana",
        ));
    }
    text.into_bytes()
}

/// More obligations for Jana, so that the race runs several times.
fn more_obligations(app: &TestApp, n: usize) {
    let conn = db(app);
    let jana: i64 = conn
        .query_row(
            "SELECT id FROM citizens WHERE given_name = 'Jana'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for i in 0..n {
        conn.execute(
            "INSERT INTO obligations (town_id, payer_id, item, description, period, amount_halere,
                                      paid_halere, due_date, variable_symbol, status, created_at)
             VALUES (1, ?1, 'fine', 'Pokuta', '2026', ?2, 0, '2026-12-31', ?3, 'unpaid', 'now')",
            rusqlite::params![jana, 10_000 + i as i64, format!("77{i:04}")],
        )
        .unwrap();
    }
}

#[tokio::test]
async fn a_card_payment_and_a_bank_transfer_at_once_end_overpaid_never_lost() {
    let (sim, jana) = setup_quiet().await;
    let mut marie = jana.another_browser();
    marie.login_as("marie").await;
    more_obligations(&jana, 6);
    // The portal hears of the card payment only when it asks (below), at the moment we choose.
    faults(&sim, json!({"drop_notifications": true})).await;
    for (round, (id, vs, amount)) in open_obligations(&jana).await.into_iter().enumerate() {
        let attempt = started(&jana, &[id]).await;
        payer_acts(&attempt, "pay").await;
        let statement = abo(round as u32 + 1, &[(amount, &vs)]);
        let upload = marie
            .client
            .post(marie.url("/api/staff/payments/statements"))
            .header("X-CSRF-Token", marie.csrf.clone().unwrap())
            .header("Content-Type", "application/octet-stream")
            .body(statement)
            .send();
        // The citizen's status check asks the gateway, which says paid: credited now.
        let status_path = format!("/api/payments/card/{}", attempt["id"]);
        let check = jana.get(&status_path);
        let (bank, card) = tokio::join!(upload, check);
        assert_eq!(bank.unwrap().status(), 200);
        let card: Value = card.json().await.unwrap();
        assert_eq!(card["status"], "paid", "{card}");

        let detail = jana
            .get_json(&format!("/api/payments/obligations/{id}"))
            .await;
        assert_eq!(detail["obligation"]["status"], "overpaid", "{detail}");
        assert_eq!(detail["obligation"]["paid_halere"], 2 * amount);
        let mut sources: Vec<&str> = (detail["payments"].as_array().unwrap().iter())
            .map(|p| p["source"].as_str().unwrap())
            .collect();
        sources.sort_unstable();
        assert_eq!(sources, ["bank", "card"], "{detail}");
    }
    // Every haléř received sits on some obligation.
    let received = count(&jana, "SELECT sum(amount_halere) FROM payments");
    let allocated = count(&jana, "SELECT sum(amount_halere) FROM payment_allocations");
    let paid = count(
        &jana,
        "SELECT sum(paid_halere) FROM obligations WHERE paid_halere > 0 AND id IN
           (SELECT obligation_id FROM payment_allocations)",
    );
    assert_eq!((received, allocated), (paid, paid));
    assert_eq!(card_payments_of(&jana).0, 8);
    jana.assert_database_consistent();
}
