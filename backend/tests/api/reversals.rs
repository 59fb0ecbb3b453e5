//! Credits the bank takes back (ABO accounting code 5): the payment is taken back, its
//! obligation owes again and says why; a reversal counts once however often it is imported;
//! one with no payment to take back changes nothing and is reported to staff.

use crate::helpers::{TestApp, error_body};
use crate::payments::{jana_and_marie, unpaid, upload};
use reqwest::Method;
use serde_json::{Value, json};

const TOWN_ACCOUNT: &str = "0000192000145399";
const JANA_ACCOUNT: &str = "0000351000345679";

/// One item: ABO accounting code (2 credit, 5 credit reversal), amount, VS, movement id and
/// the counter account.
type Item<'a> = (u8, i64, &'a str, u64, &'a str);

/// An ABO/GPC statement for the demo town (turnovers left zero: not checked).
fn abo(number: u32, items: &[Item<'_>]) -> Vec<u8> {
    let mut text = format!(
        "074{TOWN_ACCOUNT}{:<20}311225{:014}+{:014}+{:014}0{:014}0{number:03}150126{:14}\r\n",
        "Obec Dolni Lhota", 0, 0, 0, 0, ""
    );
    for (code, amount, vs, id, counter) in items {
        text.push_str(&format!(
            "075{TOWN_ACCOUNT}{counter}{id:013}{amount:012}{code}{vs:0>10}0008000308{:0>10}150126{:<20}00203150126\r\n",
            "",
            "Novakova Jana",
        ));
    }
    text.into_bytes()
}

async fn report(marie: &TestApp, file: Vec<u8>) -> Value {
    let response = upload(marie, file).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

async fn detail(jana: &TestApp, id: i64) -> Value {
    jana.get_json(&format!("/api/payments/obligations/{id}"))
        .await
}

#[tokio::test]
async fn a_credit_the_bank_takes_back_is_owed_again_once() {
    let (jana, marie) = jana_and_marie().await;
    let (id, vs, amount) = unpaid(&jana).await[0].clone();
    let paid = report(&marie, abo(1, &[(2, amount, &vs, 11, JANA_ACCOUNT)])).await;
    assert_eq!(paid["credited"], 1, "{paid}");
    assert_eq!(detail(&jana, id).await["obligation"]["status"], "paid");

    let taken_back = report(&marie, abo(2, &[(5, amount, &vs, 12, JANA_ACCOUNT)])).await;
    assert_eq!(taken_back["reversed"], 1, "{taken_back}");
    assert_eq!(taken_back["skipped"], 0, "{taken_back}");
    let after = detail(&jana, id).await;
    assert_eq!(after["obligation"]["status"], "unpaid", "{after}");
    assert_eq!(after["obligation"]["paid_halere"], 0, "{after}");
    assert_eq!(after["payments"][0]["matched_by"], "reversed", "{after}");
    let history = after["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["event"], "reversal", "{after}");
    assert_eq!(last["amount_halere"], -amount, "{after}");
    assert!(
        after["spayd"].is_string(),
        "owed again, so payable: {after}"
    );
    // The accounting export has the reversal as a line of its own, the amounts negative.
    let csv = marie
        .get("/api/staff/payments/export")
        .await
        .text()
        .await
        .unwrap();
    let reversal_line = csv
        .lines()
        .find(|l| l.contains(",reversal,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let minus = format!("-{}.{:02}", amount / 100, amount % 100);
    assert_eq!(reversal_line.matches(&minus).count(), 2, "{csv}");

    // The same reversal in another file (an overlapping export) takes back nothing more, and
    // a payment made again after it is credited as usual.
    let again = report(
        &marie,
        abo(
            3,
            &[
                (5, amount, &vs, 12, JANA_ACCOUNT),
                (2, amount, &vs, 13, JANA_ACCOUNT),
            ],
        ),
    )
    .await;
    assert_eq!(again["duplicates"], 1, "{again}");
    assert_eq!(again["reversed"], 0, "{again}");
    assert_eq!(again["credited"], 1, "{again}");
    let paid_again = detail(&jana, id).await;
    assert_eq!(paid_again["obligation"]["status"], "paid", "{paid_again}");
    assert_eq!(paid_again["obligation"]["paid_halere"], amount);
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_credit_and_its_reversal_in_one_statement_leave_the_obligation_owed() {
    let (jana, marie) = jana_and_marie().await;
    let (id, vs, amount) = unpaid(&jana).await[0].clone();
    let both = report(
        &marie,
        abo(
            1,
            &[
                (2, amount, &vs, 21, JANA_ACCOUNT),
                (5, amount, &vs, 22, JANA_ACCOUNT),
            ],
        ),
    )
    .await;
    assert_eq!(
        (both["credited"].as_u64(), both["reversed"].as_u64()),
        (Some(1), Some(1))
    );
    let after = detail(&jana, id).await;
    assert_eq!(after["obligation"]["status"], "unpaid", "{after}");
    assert_eq!(after["obligation"]["paid_halere"], 0, "{after}");
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_reversal_takes_back_only_a_payment_of_the_same_amount_symbol_and_payer() {
    let (jana, marie) = jana_and_marie().await;
    let (id, vs, amount) = unpaid(&jana).await[0].clone();
    report(&marie, abo(1, &[(2, amount, &vs, 31, JANA_ACCOUNT)])).await;
    let others = report(
        &marie,
        abo(
            2,
            &[
                // Another amount, another symbol, another payer's account: none is Jana's.
                (5, amount - 1, &vs, 32, JANA_ACCOUNT),
                (5, amount, "999999", 33, JANA_ACCOUNT),
                (5, amount, &vs, 34, "0000000000001234"),
            ],
        ),
    )
    .await;
    assert_eq!(others["reversed"], 0, "{others}");
    assert_eq!(others["reversals_unpaired"], 3, "{others}");
    assert_eq!(detail(&jana, id).await["obligation"]["status"], "paid");

    // Staff see them, each with the bank payments of its amount it may reverse, and pair one
    // by hand (the bank confirmed it was Jana's payment under another symbol).
    let unpaired = marie.get_json("/api/staff/payments/reversals").await;
    let list = unpaired.as_array().unwrap();
    assert_eq!(list.len(), 3, "{unpaired}");
    let other_symbol = list
        .iter()
        .find(|r| r["variable_symbol"] == "999999")
        .unwrap();
    let payment = other_symbol["candidates"][0]["payment_id"]
        .as_i64()
        .unwrap();
    let wrong_amount = list
        .iter()
        .find(|r| r["amount_halere"] == amount - 1)
        .unwrap();
    assert_eq!(wrong_amount["candidates"], json!([]), "{unpaired}");
    let pair = |reversal: &Value, payment: i64| {
        let path = format!("/api/staff/payments/reversals/{}/pair", reversal["id"]);
        let body = json!({"payment_id": payment, "reason": "Banka potvrdila storno"});
        let marie = &marie;
        async move { marie.send_json(Method::POST, &path, &body).await }
    };
    let refused = pair(wrong_amount, payment).await;
    assert_eq!(
        error_body(refused, 422).await["fields"][0]["field"],
        "payment_id"
    );
    assert_eq!(pair(other_symbol, payment).await.status(), 204);
    let after = detail(&jana, id).await;
    assert_eq!(after["obligation"]["status"], "unpaid", "{after}");
    let last = after["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "reversal", "{after}");
    assert_eq!(last["note"], "Banka potvrdila storno", "{after}");
    assert_eq!(
        error_body(pair(other_symbol, payment).await, 409).await["code"],
        "already_paired"
    );
    // The payment is taken back once: the third reversal has nothing left to pair with.
    let third = list
        .iter()
        .find(|r| {
            r["counter_account"] != json!(null)
                && r["id"] != other_symbol["id"]
                && r["amount_halere"] == amount
        })
        .unwrap();
    assert_eq!(
        error_body(pair(third, payment).await, 422).await["fields"][0]["field"],
        "payment_id"
    );
    error_body(jana.get("/api/staff/payments/reversals").await, 403).await;
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_reversed_unmatched_payment_leaves_the_staff_queue_and_cannot_be_assigned() {
    let (jana, marie) = jana_and_marie().await;
    let (id, _, _) = unpaid(&jana).await[0].clone();
    report(&marie, abo(1, &[(2, 12_300, "7777777", 41, JANA_ACCOUNT)])).await;
    let queue = marie.get_json("/api/staff/payments/unmatched").await;
    let payment = queue[0]["id"].as_i64().expect("queued");

    let reversal = report(&marie, abo(2, &[(5, 12_300, "7777777", 42, JANA_ACCOUNT)])).await;
    assert_eq!(reversal["reversed"], 1, "{reversal}");
    let queue = marie.get_json("/api/staff/payments/unmatched").await;
    assert_eq!(queue.as_array().unwrap().len(), 0, "{queue}");
    let refused = marie
        .send_json(
            Method::POST,
            &format!("/api/staff/payments/{payment}/assign"),
            &json!({"obligation_id": id, "reason": "Doloženo výpisem"}),
        )
        .await;
    assert_eq!(error_body(refused, 409).await["code"], "payment_reversed");
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_reversed_basket_transfer_leaves_every_obligation_of_the_basket_owed() {
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let ids: Vec<i64> = open.iter().map(|o| o.0).collect();
    let total: i64 = open.iter().map(|o| o.2).sum();
    let basket: Value = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": ids}),
        )
        .await
        .json()
        .await
        .unwrap();
    let vs = basket["variable_symbol"].as_str().unwrap().to_owned();
    report(&marie, abo(1, &[(2, total, &vs, 51, JANA_ACCOUNT)])).await;
    assert!(unpaid(&jana).await.is_empty());

    let reversal = report(&marie, abo(2, &[(5, total, &vs, 52, JANA_ACCOUNT)])).await;
    assert_eq!(reversal["reversed"], 1, "{reversal}");
    assert_eq!(unpaid(&jana).await.len(), ids.len());
    jana.assert_database_consistent();
}
