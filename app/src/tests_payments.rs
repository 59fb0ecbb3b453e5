//! SSR tests of the payments pages: the card payment outcome banner, an obligation with its QR
//! Platba, bank details and how each payment was matched.

use super::identity::render_with_town;
use super::*;
use crate::payments::detail::ObligationView;

fn detail(paid: i64, spayd: Option<&str>) -> ObligationDetail {
    ObligationDetail {
        obligation: Obligation {
            id: 5,
            item: "dog_fee".into(),
            description: "Poplatek ze psa".into(),
            period: Some("2026".into()),
            amount_halere: 60_000,
            paid_halere: paid,
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            variable_symbol: "2600012".into(),
            specific_symbol: None,
            constant_symbol: None,
            status: if paid == 0 { "unpaid" } else { "partly_paid" }.into(),
        },
        payments: if paid == 0 {
            vec![]
        } else {
            vec![PaymentShare {
                payment_id: 9,
                source: "bank".into(),
                received_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
                amount_halere: paid,
                payment_halere: paid,
                matched_by: "partial".into(),
            }]
        },
        history: vec![],
        spayd: spayd.map(str::to_owned),
    }
}

#[component]
fn DetailHost(detail: ObligationDetail) -> Element {
    rsx! { ObligationView { detail } }
}

#[test]
fn an_open_obligation_shows_its_qr_platba_and_bank_details() {
    let html = render_with_town(
        Lang::Cs,
        rsx! { DetailHost { detail: detail(0, Some("SPD*1.0*ACC:CZ6508000000192000145399*AM:600.00")) } },
    );
    assert!(html.contains("<h1>Poplatek ze psa 2026</h1>"), "{html}");
    assert!(
        html.contains(r#"src="http://127.0.0.1:9/api/payments/obligations/5/qr/svg""#),
        "{html}"
    );
    assert!(
        html.contains(r#"alt="QR Platba na 600,00 Kč, variabilní symbol 2600012""#),
        "{html}"
    );
    assert!(html.contains("CZ65 0800 0000 1920 0014 5399"), "{html}");
    assert!(html.contains("Zatím jsme neobdrželi žádnou platbu."));
    assert!(html.contains("Zaplatit kartou 600,00 Kč"), "{html}");
}

#[test]
fn a_payment_says_how_it_was_matched() {
    let html = render_with_town(
        Lang::En,
        rsx! { DetailHost { detail: detail(30_000, None) } },
    );
    assert!(
        html.contains("bank transfer: 300.00 CZK") || html.contains("bank transfer: 300,00 Kč"),
        "{html}"
    );
    assert!(
        html.contains("matched by variable symbol, part paid"),
        "{html}"
    );
    assert!(
        !html.contains("qr/svg"),
        "nothing to pay by QR when the server sends no SPAYD"
    );
}

#[test]
fn the_card_outcome_is_announced_on_the_payments_page() {
    let html = render_page(Lang::Cs, false, jana(), "/platby?platba=zamitnuto");
    assert!(html.contains("Banka platbu kartou zamítla"), "{html}");
    assert!(html.contains(r#"role="status""#));
    let html = render_page(Lang::Cs, false, jana(), "/platby?platba=chyba");
    assert!(html.contains("nepodařilo ověřit"), "{html}");
    let html = render_page(Lang::En, false, jana(), "/platby");
    assert!(html.contains("<h1>Payments and fees</h1>"), "{html}");
}

#[component]
fn ListHost(list: ObligationList) -> Element {
    rsx! { crate::payments::ObligationsView { list } }
}

#[test]
fn several_open_obligations_offer_one_transfer_for_all() {
    let one = detail(0, None).obligation;
    let mut two = one.clone();
    two.id = 6;
    let list = |obligations: Vec<Obligation>| ObligationList {
        owed_halere: obligations.iter().map(|o| o.amount_halere).sum(),
        overpaid_halere: 0,
        obligations,
    };
    let html = render_with_town(
        Lang::Cs,
        rsx! { ListHost { list: list(vec![one.clone(), two]) } },
    );
    assert!(html.contains("Zaplatit vše jedním převodem"), "{html}");
    let html = render_with_town(Lang::Cs, rsx! { ListHost { list: list(vec![one]) } });
    assert!(!html.contains("jedním převodem"), "{html}");
}

#[test]
fn the_history_says_what_happened_how_a_payment_matched_and_the_office_s_reason() {
    let at = |day| {
        chrono::NaiveDate::from_ymd_opt(2026, 1, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
    };
    let event = |day, event: &str, amount, note: Option<&str>| ObligationEvent {
        at: at(day),
        event: event.into(),
        amount_halere: Some(amount),
        note: note.map(str::to_owned),
    };
    let mut with_history = detail(30_000, None);
    with_history.history = vec![
        event(2, "created", 60_000, Some("yearly_run:2026")),
        event(15, "payment", 30_000, Some("partial")),
        event(16, "manual_payment", 10_000, Some("Hotově na pokladně")),
        event(17, "refund", -10_000, Some("Zaplaceno omylem")),
        event(18, "reversal", -30_000, None),
    ];
    let html = render_with_town(Lang::Cs, rsx! { DetailHost { detail: with_history } });
    assert!(html.contains("Předpis vytvořen: 600,00"), "{html}");
    assert!(!html.contains("yearly_run"), "{html}");
    assert!(
        html.contains(
            "Platba přijata: 300,00 Kč (spárováno podle variabilního symbolu, zaplacena část)"
        ),
        "{html}"
    );
    assert!(
        html.contains("Platba zapsaná úřadem: 100,00 Kč (Hotově na pokladně)"),
        "{html}"
    );
    assert!(
        html.contains("Platba vrácena: 100,00 Kč (Zaplaceno omylem)"),
        "{html}"
    );
    assert!(
        html.contains("Platba stornována bankou: 300,00 Kč"),
        "{html}"
    );
}
