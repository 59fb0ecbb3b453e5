//! Scenarios on the card: readers, events, public data, wrong card, mute card, IOK, pcscd restart.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eobcanka::{
    CARD_TIMEOUT, CardError, CardEvent, PinError, Watcher, iok_tries_left, list_readers,
    read_public, verify_iok,
};
use virtual_card::EOBCANKA_ATR;
use zeroize::Zeroizing;

use super::{Env, IOK, eventually, expect, insert_and_wait, remove_and_wait};

pub fn reader_list(env: &Env) {
    let all = list_readers("*").unwrap();
    assert!(all.contains(&env.reader), "{all:?}");
    assert!(
        list_readers("Virtual PCD 00 0?")
            .unwrap()
            .contains(&env.reader)
    );
    assert_eq!(list_readers(&env.reader).unwrap(), vec![env.reader.clone()]);
    assert!(list_readers("Gemalto*").unwrap().is_empty());
}

pub fn insertion_and_removal_events(env: &Env) {
    let (tx, rx) = mpsc::channel();
    let watcher = Watcher::spawn(&env.reader, tx).unwrap();
    expect(&rx, "ServiceUp", |e| *e == CardEvent::ServiceUp);
    expect(&rx, "ReaderAdded", |e| {
        *e == CardEvent::ReaderAdded(env.reader.clone())
    });
    let card = env.card(&env.card_cert);
    card.insert().unwrap();
    let inserted = expect(&rx, "CardInserted", |e| {
        matches!(e, CardEvent::CardInserted { .. })
    });
    let want = CardEvent::CardInserted {
        reader: env.reader.clone(),
        atr: EOBCANKA_ATR.to_vec(),
    };
    assert_eq!(inserted, want);
    card.remove();
    expect(&rx, "CardRemoved", |e| {
        *e == CardEvent::CardRemoved {
            reader: env.reader.clone(),
        }
    });
    card.insert().unwrap();
    expect(&rx, "CardInserted again", |e| {
        matches!(e, CardEvent::CardInserted { .. })
    });
    card.remove();
    expect(&rx, "CardRemoved again", |e| {
        matches!(e, CardEvent::CardRemoved { .. })
    });
    watcher.stop();
}

pub fn no_card_and_no_reader(env: &Env) {
    assert!(matches!(read_public(&env.reader), Err(CardError::NoCard)));
    assert!(matches!(
        read_public("Gemalto PC Twin 00 00"),
        Err(CardError::NoReader)
    ));
}

pub fn public_data(env: &Env) {
    let card = env.card(&env.card_cert);
    let data = insert_and_wait(env, &card);
    assert_eq!(
        data.certificates,
        std::slice::from_ref(&env.card_cert),
        "certificate read back differs from the file"
    );
    assert_eq!(data.card_number, env.card_number);
    assert_eq!(data.iok_tries_left, 3);
    remove_and_wait(env, &card);
}

/// A card that answers like a T=0 card (61 xx + GET RESPONSE) through the real pcscd: the
/// same public data, the certificate larger than one READ BINARY, the IOK checked.
pub fn t0_card(env: &Env) {
    let card = env.card(&env.card_cert);
    card.set_t0(true);
    let data = insert_and_wait(env, &card);
    assert!(
        env.card_cert.len() > 0xD0,
        "the rig's certificate spans chunks"
    );
    assert_eq!(data.certificates, std::slice::from_ref(&env.card_cert));
    assert_eq!(data.iok_tries_left, 3);
    verify(env, IOK).expect("the right IOK");
    remove_and_wait(env, &card);
}

pub fn wrong_card_type(env: &Env) {
    let card = env.card(&env.card_cert);
    // Another T=0 card's ATR (Schlumberger Multiflex).
    card.set_atr(hex_atr("3B021450"));
    card.insert().unwrap();
    let err = eventually("the wrong card is seen", || {
        match read_public(&env.reader) {
            Err(CardError::NoCard) => None,
            other => Some(other),
        }
    });
    assert!(matches!(err, Err(CardError::WrongCardType)), "{err:?}");
    remove_and_wait(env, &card);
    // vpcd artifact: a card inserted within about a second of removing this one is powered
    // down by pcscd and never powered up again (seen in pcscd's log as "Error powering up
    // card: SCARD_W_REMOVED_CARD"); let the reader settle before the next scenario.
    std::thread::sleep(Duration::from_secs(3));
}

fn hex_atr(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
        .collect()
}

pub fn mute_card(env: &Env) {
    let card = env.card(&env.card_cert);
    insert_and_wait(env, &card);
    card.set_muted(true);
    let started = Instant::now();
    let err = read_public(&env.reader);
    assert!(matches!(err, Err(CardError::MuteCard)), "{err:?}");
    assert!(started.elapsed() >= CARD_TIMEOUT && started.elapsed() < CARD_TIMEOUT * 2);
    // Pulling the mute card frees pcscd; the next card works.
    card.remove();
    card.set_muted(false);
    insert_and_wait(env, &card);
    remove_and_wait(env, &card);
}

fn verify(env: &Env, pin: &str) -> Result<(), PinError> {
    let mut pin = Zeroizing::new(pin.to_owned());
    let r = verify_iok(&env.reader, &mut pin);
    assert!(pin.is_empty(), "the PIN was not wiped");
    r
}

pub fn iok_tries(env: &Env) {
    let card = env.card(&env.card_cert);
    insert_and_wait(env, &card);
    assert!(matches!(verify(env, "12"), Err(PinError::BadFormat)));
    assert!(matches!(
        verify(env, "0000"),
        Err(PinError::Wrong {
            tries_left: Some(2)
        })
    ));
    assert_eq!(iok_tries_left(&env.reader).unwrap(), 2);
    assert!(matches!(
        verify(env, "0000"),
        Err(PinError::Wrong {
            tries_left: Some(1)
        })
    ));
    verify(env, IOK).expect("the right IOK");
    assert_eq!(
        iok_tries_left(&env.reader).unwrap(),
        3,
        "the right IOK resets the counter"
    );
    assert!(matches!(
        verify(env, "9999"),
        Err(PinError::Wrong {
            tries_left: Some(2)
        })
    ));
    assert!(matches!(
        verify(env, "9999"),
        Err(PinError::Wrong {
            tries_left: Some(1)
        })
    ));
    assert!(matches!(verify(env, "9999"), Err(PinError::Blocked)));
    assert!(matches!(verify(env, IOK), Err(PinError::Blocked)));
    assert_eq!(read_public(&env.reader).unwrap().iok_tries_left, 0);
    // The counter survives removal, as on a real card.
    card.remove();
    let data = insert_and_wait(env, &card);
    assert_eq!(data.iok_tries_left, 0);
    remove_and_wait(env, &card);
}

fn pcscd_pid(env: &Env) -> String {
    let text = std::fs::read_to_string(env.rig_dir.join("pcscd.pid")).unwrap();
    text.trim().to_owned()
}

/// Kills the rig's pcscd and starts another on the same configuration.
pub fn pcscd_restarted_while_watching(env: &Env) {
    let (tx, rx) = mpsc::channel();
    let watcher = Watcher::spawn(&env.reader, tx).unwrap();
    let card = env.card(&env.card_cert);
    card.insert().unwrap();
    expect(&rx, "CardInserted", |e| {
        matches!(e, CardEvent::CardInserted { .. })
    });

    let pid = pcscd_pid(env);
    assert!(Command::new("kill").arg(&pid).status().unwrap().success());
    expect(&rx, "CardRemoved", |e| {
        matches!(e, CardEvent::CardRemoved { .. })
    });
    expect(&rx, "ReaderRemoved", |e| {
        matches!(e, CardEvent::ReaderRemoved(_))
    });
    expect(&rx, "ServiceDown", |e| *e == CardEvent::ServiceDown);
    let proc_dir = format!("/proc/{pid}");
    eventually("old pcscd gone", || {
        (!std::path::Path::new(&proc_dir).exists()).then_some(())
    });
    std::thread::sleep(Duration::from_millis(300));

    // Started through sh as start.sh does, so it outlives this process (stop.sh ends it).
    let dir = env.rig_dir.display();
    let started = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "pcscd -f -c '{dir}/reader.conf.d' >'{dir}/pcscd-restarted.log' 2>&1 & echo $!"
        ))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let new_pid = String::from_utf8(started.stdout).unwrap();
    std::fs::write(env.rig_dir.join("pcscd.pid"), new_pid.trim()).unwrap();
    expect(&rx, "ServiceUp", |e| *e == CardEvent::ServiceUp);
    expect(&rx, "ReaderAdded", |e| {
        *e == CardEvent::ReaderAdded(env.reader.clone())
    });
    // The old pcscd took the card's connection with it: insert again.
    card.remove();
    card.insert().unwrap();
    expect(&rx, "CardInserted after restart", |e| {
        matches!(e, CardEvent::CardInserted { .. })
    });
    assert_eq!(
        read_public(&env.reader).unwrap().certificates,
        std::slice::from_ref(&env.card_cert)
    );
    remove_and_wait(env, &card);
    watcher.stop();
}
