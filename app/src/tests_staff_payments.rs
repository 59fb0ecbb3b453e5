//! SSR tests of the office's payments pages: who sees them, labels and error links on every
//! input, tables with captions and headers, the import summary, a payer's page.

use super::*;
use crate::staff_payments::TextField;
use crate::staff_payments::arrears::ArrearsTable;
use crate::staff_payments::assign::AssignForm;
use crate::staff_payments::manual::ManualPaymentForm;
use crate::staff_payments::payer_view::PayerView;
use crate::staff_payments::statements::ImportSummary;
use crate::staff_payments::unmatched::UnmatchedTable;
use portal_domain::wire::PayerCardPayment;

fn marie() -> Session {
    Session::Active(SessionInfo {
        citizen_id: 3,
        display_name: "Marie Dvořáková".into(),
        roles: vec![Role::Citizen, Role::Official],
        loa: Loa::Substantial,
        csrf_token: "token".into(),
        demo: true,
    })
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every `<input id="X"` has a `<label for="X"`.
fn assert_inputs_labelled(html: &str) {
    for part in html.split("<input").skip(1) {
        let id = part
            .split("id=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an input without an id");
        assert!(
            html.contains(&format!(r#"for="{id}""#)),
            "no label for {id}: {html}"
        );
    }
}

#[test]
fn the_overview_links_every_task_for_an_official() {
    let html = render_page(Lang::Cs, false, marie(), "/sprava/platby");
    assert!(
        html.contains("<h1 id=\"page-heading\" tabindex=\"-1\">Platby – úřad</h1>"),
        "{html}"
    );
    for href in [
        "/sprava/platby/vypisy",
        "/sprava/platby/nesparovane",
        "/sprava/platby/rucni-platba",
        "/sprava/platby/nedoplatky",
        "/sprava/platby/rocni-predpis",
        "/sprava/platby/platce",
    ] {
        assert!(html.contains(&format!(r#"href="{href}"#)), "{href}: {html}");
    }
    assert_eq!(count(&html, "<h1"), 1);
    let html = render_page(Lang::En, false, marie(), "/sprava/platby");
    assert!(html.contains(">Payments – office</h1>"), "{html}");
}

#[test]
fn citizens_get_no_forms_and_no_menu_link() {
    for path in [
        "/sprava/platby",
        "/sprava/platby/rucni-platba",
        "/sprava/platby/vypisy",
    ] {
        let html = render_page(Lang::Cs, false, jana(), path);
        assert!(
            html.contains("jen pracovníci úřadu s agendou plateb"),
            "{path}: {html}"
        );
        assert!(!html.contains("<form"), "{path}: {html}");
        assert!(
            !html.contains(r#"href="/sprava/platby""#),
            "menu link for a citizen"
        );
    }
    let html = render_page(Lang::Cs, false, marie(), "/");
    assert!(
        html.contains(r#"href="/sprava/platby""#),
        "menu link for an official: {html}"
    );
}

#[test]
fn nobody_logged_in_gets_a_login_link_instead_of_a_form() {
    let html = render_page(
        Lang::Cs,
        false,
        Session::Anonymous,
        "/sprava/platby/rucni-platba",
    );
    assert!(!html.contains("<form"), "{html}");
    assert!(html.contains("href=\"/prihlaseni?next="), "{html}");
    assert!(html.contains("rucni-platba"), "{html}");
}

#[test]
fn every_form_page_labels_its_inputs() {
    for path in [
        "/sprava/platby/vypisy",
        "/sprava/platby/rucni-platba",
        "/sprava/platby/rocni-predpis",
        "/sprava/platby/platce",
        "/sprava/platby/nedoplatky",
    ] {
        let html = render_page(Lang::Cs, false, marie(), path);
        assert!(html.contains("<input"), "{path}: {html}");
        assert_inputs_labelled(&html);
        assert_eq!(count(&html, "<h1"), 1, "{path}");
        assert!(
            html.contains(r#"href="/sprava/platby""#),
            "{path}: back link"
        );
    }
    let html = render_page(Lang::Cs, false, marie(), "/sprava/platby/vypisy");
    assert!(html.contains(r#"type="file""#));
    assert!(
        html.contains(r#"aria-describedby="statement-file-hint""#),
        "{html}"
    );
}

#[test]
fn a_field_error_is_linked_to_its_input() {
    #[component]
    fn Host() -> Element {
        let value = use_signal(|| "12,345".to_string());
        rsx! {
            TextField {
                id: "amount",
                label: "Částka v Kč".to_string(),
                hint: "Např. 1 500,50".to_string(),
                error: Some("amount.too_precise".to_string()),
                inputmode: "decimal".to_string(),
                value,
            }
        }
    }
    let html = render(Lang::Cs, rsx! { Host {} });
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(
        html.contains(r#"aria-describedby="amount-hint amount-error""#),
        "{html}"
    );
    assert!(html.contains(r#"id="amount-error""#));
    assert!(html.contains("nejvýše dvě desetinná místa"), "{html}");
    assert!(html.contains(r#"value="12,345""#));
    assert!(html.contains(r#"inputmode="decimal""#));
}

#[test]
fn the_manual_payment_form_asks_for_everything_with_a_decimal_comma() {
    let html = render(Lang::Cs, rsx! { ManualPaymentForm {} });
    for label in ["Číslo závazku", "Částka v Kč", "Datum přijetí", "Důvod"] {
        assert!(html.contains(label), "{label}: {html}");
    }
    assert!(html.contains("1 500,50"), "{html}");
    assert!(html.contains(r#"type="date""#));
    assert!(!html.contains(r#"aria-invalid="true""#));
    assert_inputs_labelled(&html);
}

#[test]
fn the_import_summary_is_a_captioned_table() {
    let report = StatementImportReport {
        format: "abo".into(),
        items: 12,
        credited: 9,
        unmatched: 2,
        duplicates: 1,
        skipped: 0,
        reversed: 1,
        reversals_unpaired: 1,
        already_imported: false,
    };
    let html = render(Lang::Cs, rsx! { ImportSummary { report } });
    assert!(
        html.contains(r#"<h2 id="statement-result" tabindex="-1">"#),
        "{html}"
    );
    assert!(html.contains("<caption>Souhrn načtení</caption>"), "{html}");
    assert!(
        html.contains(r#"<th scope="row">Spárováno a připsáno</th><td>9</td>"#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<th scope="row">Storna bez dohledané platby (prověřte v bance)</th><td>1</td>"#
        ),
        "{html}"
    );
    assert!(html.contains("Výpis (abo) byl načten."));
}

#[test]
fn unmatched_payments_offer_a_named_assign_button() {
    let payments = vec![UnmatchedPayment {
        id: 4,
        source: "bank".into(),
        amount_halere: 60_000,
        received_on: day(2026, 11, 21),
        variable_symbol: None,
        specific_symbol: None,
        counter_account: Some("123456789/0800".into()),
        counter_name: Some("Jana Nováková".into()),
        message: Some("pes Alík".into()),
        reason: "no_symbol".into(),
    }];
    #[component]
    fn Host(payments: Vec<UnmatchedPayment>) -> Element {
        rsx! { UnmatchedTable { payments, on_pick: |_| {} } }
    }
    let html = render(Lang::Cs, rsx! { Host { payments } });
    assert!(
        html.contains("<caption>Platby čekající na přiřazení</caption>"),
        "{html}"
    );
    assert!(html.contains(r#"<th scope="col">"#));
    assert!(html.contains("bez variabilního symbolu"));
    assert!(
        html.contains(r#"aria-label="Přiřadit platbu 600,00 Kč ze dne 21. 11. 2026""#),
        "{html}"
    );
}

#[test]
fn arrears_link_to_the_payer_and_add_up() {
    let arrears = vec![
        Arrear {
            obligation_id: 7,
            payer_account: 1,
            payer_name: "Jana Nováková".into(),
            description: "Nájem".into(),
            due_date: day(2025, 6, 30),
            owed_halere: 30_000,
            variable_symbol: "7700123".into(),
        },
        Arrear {
            obligation_id: 8,
            payer_account: 2,
            payer_name: "Petr Svoboda".into(),
            description: "Poplatek ze psa".into(),
            due_date: day(2026, 3, 31),
            owed_halere: 1_050,
            variable_symbol: "2600022".into(),
        },
    ];
    let html = render(Lang::Cs, rsx! { ArrearsTable { arrears } });
    assert!(html.contains("Celkem po splatnosti: 310,50 Kč"), "{html}");
    assert!(
        html.contains(r#"href="/sprava/platby/platce?ucet=1""#),
        "{html}"
    );
    assert!(html.contains("30. 6. 2025"));
}

#[test]
fn a_payer_page_shows_obligations_payments_and_registers() {
    let payer = PayerOverview {
        account: 1,
        name: "Jana Nováková".into(),
        obligations: vec![Obligation {
            id: 5,
            item: "dog_fee".into(),
            description: "Poplatek ze psa".into(),
            period: Some("2026".into()),
            amount_halere: 60_000,
            paid_halere: 60_000,
            due_date: day(2026, 3, 31),
            variable_symbol: "2600012".into(),
            specific_symbol: None,
            constant_symbol: None,
            status: "paid".into(),
        }],
        owed_halere: 0,
        payments: vec![PayerPayment {
            payment_id: 9,
            obligation_id: 5,
            source: "manual".into(),
            received_on: day(2026, 11, 20),
            amount_halere: 60_000,
            matched_by: "manual".into(),
        }],
        households: vec![PayerHousehold {
            id: 1,
            address: "Náměstí Míru 12".into(),
            members: vec![PayerHouseholdMember {
                id: 3,
                name: "Jana Nováková".into(),
                date_of_birth: day(1985, 3, 14),
                rate_class: None,
                valid_from: day(2010, 1, 1),
                valid_to: None,
            }],
        }],
        dogs: vec![PayerDog {
            id: 1,
            name: "Bára".into(),
            registered_on: day(2021, 4, 1),
            ended_on: None,
            exempt: false,
        }],
        card_payments: vec![PayerCardPayment {
            id: 7,
            paid_on: day(2026, 11, 2),
            amount_halere: 60_000,
            refunded_halere: 10_000,
        }],
    };
    #[component]
    fn Host(payer: PayerOverview) -> Element {
        rsx! { PayerView { payer, on_changed: |_| {} } }
    }
    let html = render(Lang::Cs, rsx! { Host { payer } });
    assert!(
        html.contains(r#"<h2 id="payer-result" tabindex="-1">Jana Nováková (1)</h2>"#),
        "{html}"
    );
    assert!(html.contains("Poplatek ze psa 2026"));
    assert!(html.contains("přiřazeno pracovníkem úřadu"), "{html}");
    assert!(
        html.contains("<caption>Domácnost Náměstí Míru 12</caption>"),
        "{html}"
    );
    assert!(html.contains("Bára"));
    assert!(html.contains("podle věku"));
    assert_eq!(count(&html, "<caption"), 5, "{html}");
    // Every change is a button that opens its form: the registers and the refund.
    for (id, text) in [
        ("end-member-3-form", "Ukončit evidenci"),
        ("new-member-1-form", "Přidat člena domácnosti"),
        ("new-household-form", "Založit domácnost"),
        ("end-dog-1-form", "Odhlásit psa"),
        ("new-dog-form", "Přihlásit psa"),
        ("refund-7-form", "Vrátit peníze"),
    ] {
        assert!(
            html.contains(&format!(r#"aria-controls="{id}""#)) && html.contains(text),
            "{id}: {html}"
        );
    }
    assert!(html.contains("Platby kartou"));
}

#[test]
fn a_refund_form_checks_the_amount_before_sending() {
    use crate::staff_payments::registers::ChangeForm;
    let form = ChangeForm::Refund {
        card_payment: 7,
        left_halere: 50_000,
    };
    assert!(form.check(&["0".into(), "why".into()]).is_err());
    assert!(form.check(&["12,5x".into(), "why".into()]).is_err());
    assert!(form.check(&["120,50".into(), "why".into()]).is_ok());
}

#[test]
fn the_assign_form_takes_an_obligation_number_or_a_variable_symbol() {
    #[component]
    fn Host(payment: UnmatchedPayment) -> Element {
        rsx! {
            AssignForm { payment, on_assigned: |_| {}, on_cancel: |_| {} }
        }
    }
    let payment = UnmatchedPayment {
        id: 4,
        source: "bank".into(),
        amount_halere: 60_000,
        received_on: day(2026, 11, 21),
        variable_symbol: None,
        specific_symbol: None,
        counter_account: None,
        counter_name: None,
        message: None,
        reason: "no_symbol".into(),
    };
    let html = render(Lang::Cs, rsx! { Host { payment } });
    assert!(
        html.contains("<legend>Závazek určím podle</legend>"),
        "{html}"
    );
    assert!(html.contains(r#"type="radio""#));
    assert!(html.contains("variabilního symbolu"));
    assert!(
        html.contains(r#"<label for="assign-obligation">Číslo závazku</label>"#),
        "{html}"
    );
    assert!(html.contains("Přiřadit platbu 600,00 Kč ze dne 21. 11. 2026"));
    assert_inputs_labelled(&html);
}

#[test]
fn the_yearly_run_page_lists_the_fee_types_with_rates_and_instalments() {
    let fee = FeeType {
        code: "dog".into(),
        name: "Poplatek ze psa".into(),
        kind: "per_dog".into(),
        rates: [
            ("first".to_string(), 60_000),
            ("further".to_string(), 90_000),
        ]
        .into_iter()
        .collect(),
        instalments: vec![FeeInstalment {
            due: "03-31".into(),
            share_percent: 100,
        }],
    };
    let html = render(
        Lang::Cs,
        rsx! { crate::staff_payments::fees::FeeTable { fees: vec![fee] } },
    );
    let html = html.replace('\u{a0}', " ");
    assert!(
        html.contains("Druhy poplatků podle vyhlášky obce"),
        "{html}"
    );
    assert!(html.contains("první pes: 600,00 Kč"), "{html}");
    assert!(html.contains("31. 3. – 100 %"), "{html}");
}

#[test]
fn an_unpaired_reversal_offers_its_candidate_payments_as_labelled_radios() {
    use crate::staff_payments::reversals::PairForm;
    use portal_domain::wire::{ReversalCandidate, UnpairedReversal};
    #[component]
    fn Host(reversal: UnpairedReversal) -> Element {
        rsx! { PairForm { reversal, on_paired: |_| {} } }
    }
    let reversal = UnpairedReversal {
        id: 7,
        received_on: day(2026, 11, 25),
        amount_halere: 60_000,
        variable_symbol: Some("999999".into()),
        counter_account: Some("35-1000345679/0800".into()),
        candidates: vec![ReversalCandidate {
            payment_id: 41,
            received_on: day(2026, 11, 20),
            variable_symbol: Some("2600012".into()),
            counter_account: Some("35-1000345679/0800".into()),
            counter_name: Some("Nováková Jana".into()),
        }],
    };
    let html = render(Lang::Cs, rsx! { Host { reversal } });
    assert!(
        html.contains("<legend>Kterou platbu banka vrátila?</legend>"),
        "{html}"
    );
    assert!(html.contains("VS 2600012, Nováková Jana (#41)"), "{html}");
    assert!(html.contains("Storno 600,00"), "{html}");
    assert_inputs_labelled(&html);
}
