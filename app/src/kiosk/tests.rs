//! The kiosk's screens rendered without a window (the card-driven frame needs the desktop
//! build; tests/desktop checks it under Xvfb with a virtual card).

use super::ReaderStatus;
use super::countdown::Countdown;
use super::keyboard::OnScreenKeyboard;
use super::pin::PinPad;
use super::welcome::Welcome;
use crate::i18n::Lang;
use dioxus::prelude::*;
use portal_domain::wire::{Address, Module, TownInfo};

fn town() -> TownInfo {
    TownInfo {
        slug: "dolni-lhota".into(),
        name: "Dolní Lhota".into(),
        ico: "00012345".into(),
        address: Address {
            street: "Náměstí 1".into(),
            city: "Dolní Lhota".into(),
            psc: "12345".into(),
        },
        coat_of_arms_url: None,
        bank_account: "CZ6508000000192000145399".into(),
        modules: vec![Module::Payments, Module::Bookings],
        login_methods: vec![],
        opening_hours: vec!["Po, St: 8:00–17:00".into()],
        demo: true,
    }
}

use crate::tests::render;

// Event handlers are made inside the runtime, so each screen gets a small host component.
#[component]
fn WelcomeHost(reader: ReaderStatus) -> Element {
    rsx! {
        Welcome {
            town: town(),
            reader,
            high_contrast: true,
            large_text: false,
            on_contrast: |_| {},
            on_large_text: |_| {},
            on_other_login: |_| {},
            on_staff: |_| {},
        }
    }
}

#[test]
fn the_welcome_screen_shows_hours_services_and_the_card_prompt_in_both_languages() {
    let html = render(
        Lang::Cs,
        rsx! { WelcomeHost { reader: ReaderStatus::Ready } },
    );
    assert!(html.contains("Vítejte na úřadě"), "{html}");
    assert!(html.contains("Dolní Lhota"));
    assert!(html.contains("Vložte občanský průkaz do čtečky"));
    assert!(html.contains("Po, St: 8:00–17:00"));
    assert!(html.contains("Platby a poplatky"));
    assert!(!html.contains("Čtečka karet není připojena"));
    // The contrast switch says it is on.
    assert!(html.contains(r#"aria-pressed="true""#));
    let html = render(
        Lang::En,
        rsx! { WelcomeHost { reader: ReaderStatus::NoReader } },
    );
    assert!(
        html.contains("Insert your ID card into the reader"),
        "{html}"
    );
    assert!(html.contains("The card reader is not connected"));
}

#[component]
fn PinHost(tries_left: u8, error: Option<&'static str>) -> Element {
    rsx! {
        PinPad {
            title: "kiosk.pin.title",
            label: "kiosk.pin.label",
            tries_left: Some(tries_left),
            error,
            on_submit: |_| {},
            on_cancel: |_| {},
        }
    }
}

#[component]
fn CountdownHost(seconds_left: u64) -> Element {
    rsx! { Countdown { seconds_left, on_continue: |_| {} } }
}

#[test]
fn the_pin_pad_warns_before_the_last_try_and_names_a_refusal() {
    let html = render(
        Lang::Cs,
        rsx! { PinHost { tries_left: 1, error: Some("kiosk.pin.wrong") } },
    );
    assert!(
        html.contains("Zadejte identifikační osobní kód (IOK)"),
        "{html}"
    );
    assert!(html.contains("Zbývající pokusy: 1"));
    assert!(html.contains("poslední pokus"));
    assert!(html.contains("Nesprávný IOK."));
    assert!(html.contains("Zadáno číslic: 0"));
    for digit in 0..=9 {
        assert!(
            html.contains(&format!(">{digit}</button>")),
            "digit {digit}"
        );
    }
    let html = render(Lang::En, rsx! { PinHost { tries_left: 3, error: None } });
    assert!(html.contains("Tries left: 3"));
    assert!(!html.contains("last try"));
}

#[test]
fn the_countdown_and_the_keyboard_speak_the_visitors_language() {
    let html = render(Lang::Cs, rsx! { CountdownHost { seconds_left: 12 } });
    assert!(html.contains("Za 12 s vás odhlásíme"), "{html}");
    assert!(html.contains(r#"role="alertdialog""#));
    let html = render(Lang::En, rsx! { OnScreenKeyboard {} });
    assert!(html.contains("On-screen keyboard"), "{html}");
}

#[test]
fn kiosk_catalogs_have_the_same_keys() {
    let cs: std::collections::BTreeMap<String, String> =
        serde_json::from_str(include_str!("../../../assets/i18n/kiosk.cs.json")).unwrap();
    let en: std::collections::BTreeMap<String, String> =
        serde_json::from_str(include_str!("../../../assets/i18n/kiosk.en.json")).unwrap();
    assert_eq!(cs.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
}

#[test]
fn a_second_readers_card_does_not_take_over_the_visit() {
    use super::takes_card;
    assert!(takes_card(None, "Reader A"));
    assert!(takes_card(Some("Reader A"), "Reader A"));
    assert!(!takes_card(Some("Reader A"), "Reader B"));
}

#[test]
fn tries_after_a_wrong_iok_take_the_lowest_count() {
    use super::tries_after_wrong_pin as after;
    // The card counts (production): its count wins.
    assert_eq!(after(3, None, Some(2)), 2);
    assert_eq!(after(2, None, Some(0)), 0);
    // The card cannot be asked: one less than before.
    assert_eq!(after(3, None, None), 2);
    // The module's "final try" flag; a token with a counter of its own (the rig).
    assert_eq!(after(3, Some(1), Some(3)), 1);
    assert_eq!(after(3, None, Some(3)), 2);
    assert_eq!(after(0, None, None), 0);
}

/// Every card problem the kiosk can show is worded in both kiosk catalogs.
#[cfg(feature = "desktop")]
#[test]
fn every_card_problem_has_a_text_in_czech_and_english() {
    use eobcanka::CardError;
    let catalogs = [
        include_str!("../../../assets/i18n/kiosk.cs.json"),
        include_str!("../../../assets/i18n/kiosk.en.json"),
    ];
    for error in [
        CardError::NoReader,
        CardError::NoCard,
        CardError::MuteCard,
        CardError::WrongCardType,
        CardError::NoIdentification,
        CardError::Garbled,
        CardError::Status(0x6F00),
    ] {
        let key = super::card::card_problem(&error);
        for catalog in catalogs {
            assert!(
                catalog.contains(&format!("\"{key}\"")),
                "{key} for {error:?}"
            );
        }
    }
}
