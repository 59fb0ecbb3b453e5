use super::*;
use crate::scripted::{Scripted, der};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn read_cert(card: &Scripted) -> Result<Vec<u8>, CardError> {
    let s = card.session();
    s.select_application(&AID_FILE_MANAGEMENT)?;
    s.read_der_file(FILE_AUTH_CERTIFICATE)
}

#[test]
fn atr_of_the_2018_card_and_of_other_interface_bytes() {
    // The 2018 card (T=0 only: no TD1).
    assert!(is_eobcanka_atr(&hex(
        "3B7E9400008025D20310010056000000020200"
    )));
    // The same historical bytes behind other interface bytes: TA1 96, TD1 T=1, TA3/TB3, TCK.
    assert!(is_eobcanka_atr(&hex(
        "3BDE96008131FE458025D2031001005600000002020012"
    )));
    // The 2012 card, and the variant pcsc-tools lists with 02 03 10 01.
    assert!(is_eobcanka_atr(&hex(
        "3B7E9400008025D20310010056000000010100"
    )));
    assert!(is_eobcanka_atr(&hex(
        "3B7E9400008025020310010056000000010100"
    )));
    // Česká spořitelna's certificate card: same interface bytes, another issuer.
    assert!(!is_eobcanka_atr(&hex(
        "3B7E9400008025A00000002856801008000114"
    )));
    // A bank card (EMV), a cut ATR, nothing at all.
    assert!(!is_eobcanka_atr(&hex(
        "3B8F8001804F0CA000000306030001000000006A"
    )));
    assert!(!is_eobcanka_atr(&hex("3B7E9400008025D203")));
    assert!(!is_eobcanka_atr(&hex("3B")));
    assert!(!is_eobcanka_atr(&[]));
    // TD bytes that promise more than there is.
    assert!(!is_eobcanka_atr(&hex("3B8080808080")));
}

#[test]
fn historical_bytes_follow_the_interface_bytes() {
    let atr = hex("3B7E940000" /* TA1 TB1 TC1 */);
    assert_eq!(historical_bytes(&atr), None, "14 historical bytes missing");
    let atr = hex("3B0280FF");
    assert_eq!(historical_bytes(&atr), Some(&[0x80, 0xFF][..]));
}

#[test]
fn certificates_of_many_sizes_read_in_chunks() {
    for len in [200, 255, 256, 257, 0xD0 * 2, 0xD0 * 2 + 1, 1300, 3000] {
        let cert = der(len);
        let card = Scripted::new(cert.clone());
        assert_eq!(read_cert(&card).unwrap(), cert, "{len} bytes");
        let chunks = card.log.borrow().iter().filter(|a| a[1] == 0xB0).count();
        assert_eq!(chunks, len.div_ceil(CHUNK), "{len} bytes");
    }
}

#[test]
fn a_t0_card_answers_through_get_response() {
    let cert = der(1100);
    let card = Scripted::new(cert.clone()).t0();
    assert_eq!(read_cert(&card).unwrap(), cert);
    assert!(card.log.borrow().iter().any(|a| a[1] == 0xC0));
}

#[test]
fn a_t1_card_that_wants_le_on_select_gets_it() {
    let cert = der(700);
    // Without Le the card answers 90 00 and no FCP (T=1 case 3); with Le its FCP.
    let card = Scripted::new(cert.clone()).rewrite(|apdu, answer| {
        Ok(if apdu[..3] == [0x00, 0xA4, 0x08] && apdu.len() == 7 {
            vec![0x90, 0x00]
        } else {
            answer
        })
    });
    assert_eq!(read_cert(&card).unwrap(), cert);
}

#[test]
fn a_file_bigger_than_its_certificate_is_cut_to_the_der_length() {
    let cert = der(600);
    let mut file = cert.clone();
    file.extend(std::iter::repeat_n(0xFF, 400));
    let card = Scripted::new(file);
    assert_eq!(read_cert(&card).unwrap(), cert);
    // It stopped reading at the certificate's end (600 bytes: 3 chunks of 0xD0).
    let chunks = card.log.borrow().iter().filter(|a| a[1] == 0xB0).count();
    assert_eq!(chunks, 3);
}

#[test]
fn a_file_of_unknown_size_is_read_to_the_certificate_end() {
    let cert = der(500);
    // The SELECT answer says nothing about the size.
    let card = Scripted::new(cert.clone()).rewrite(|apdu, answer| {
        Ok(if apdu[..3] == [0x00, 0xA4, 0x08] {
            vec![0x90, 0x00]
        } else {
            answer
        })
    });
    assert_eq!(read_cert(&card).unwrap(), cert);
}

#[test]
fn garbled_files_are_refused_without_reading_forever() {
    // A size far beyond any certificate.
    let card = Scripted::new(der(500)).rewrite(|apdu, answer| {
        Ok(if apdu[..3] == [0x00, 0xA4, 0x08] {
            vec![0x62, 0x04, 0x80, 0x02, 0xFF, 0xF0, 0x90, 0x00]
        } else {
            answer
        })
    });
    assert!(matches!(read_cert(&card), Err(CardError::Garbled)));
    // Not a DER object.
    let card = Scripted::new(vec![0xFF; 300]);
    assert!(matches!(read_cert(&card), Err(CardError::Garbled)));
    // A DER header that promises more than the file holds.
    let mut short = der(900);
    short.truncate(400);
    let card = Scripted::new(short);
    assert!(matches!(read_cert(&card), Err(CardError::Garbled)));
    // READ BINARY answering 90 00 and no bytes.
    let card = Scripted::new(der(500)).rewrite(|apdu, answer| {
        Ok(if apdu[1] == 0xB0 {
            vec![0x90, 0x00]
        } else {
            answer
        })
    });
    assert!(matches!(read_cert(&card), Err(CardError::Garbled)));
    assert!(card.log.borrow().len() < 10);
}

#[test]
fn a_missing_certificate_file_means_no_identification() {
    let card = Scripted::new(der(500)).rewrite(|apdu, answer| {
        Ok(if apdu[..3] == [0x00, 0xA4, 0x08] {
            vec![0x6A, 0x82]
        } else {
            answer
        })
    });
    assert!(matches!(read_cert(&card), Err(CardError::NoIdentification)));
}

#[test]
fn a_card_pulled_mid_read_is_no_card() {
    let mut reads = 0;
    let card = Scripted::new(der(1000)).rewrite(move |apdu, answer| {
        if apdu[1] == 0xB0 {
            reads += 1;
            if reads == 3 {
                return Err(CardError::NoCard);
            }
        }
        Ok(answer)
    });
    assert!(matches!(read_cert(&card), Err(CardError::NoCard)));
}

#[test]
fn endless_get_response_and_wrong_le_loops_end() {
    let card = Scripted::new(der(300)).rewrite(|_, _| Ok(vec![0x61, 0x01]));
    assert!(matches!(
        card.session().transmit(&[0x80, 0xCA, 0x01, 0x01, 0x00]),
        Err(CardError::Garbled)
    ));
    assert!(card.log.borrow().len() <= MAX_GET_RESPONSE + 1);
    let card = Scripted::new(der(300)).rewrite(|_, _| Ok(vec![0x6C, 0x05]));
    assert!(matches!(
        card.session().transmit(&[0x80, 0xCA, 0x01, 0x01, 0x00]),
        Err(CardError::Garbled)
    ));
    assert_eq!(card.log.borrow().len(), 2);
}

#[test]
fn wrong_le_is_corrected_only_on_commands_with_le() {
    // GET DATA (case 2): sent again with the card's length.
    let card = Scripted::new(der(300));
    card.session()
        .select_application(&AID_CARD_MANAGEMENT)
        .unwrap();
    let r = card
        .session()
        .transmit(&[0x80, 0xCA, 0x01, 0x01, 0x03])
        .unwrap();
    assert_eq!((r.data.as_slice(), r.sw), (&b"000123456"[..], SW_OK));
    // SELECT by AID (case 3, no Le): a 6C xx must not rewrite the AID's last byte.
    let card = Scripted::new(der(300)).rewrite(|_, _| Ok(vec![0x6C, 0x10]));
    assert!(matches!(
        card.session().select_application(&AID_CARD_MANAGEMENT),
        Err(CardError::NoIdentification)
    ));
    assert_eq!(card.log.borrow().len(), 1);
}

#[test]
fn truncated_answers_are_garbled_not_a_panic() {
    for raw in [vec![], vec![0x90]] {
        let card = Scripted::new(der(300)).rewrite(move |_, _| Ok(raw.clone()));
        assert!(matches!(
            card.session().transmit(&[0x80, 0xCA, 0x01, 0x01, 0x00]),
            Err(CardError::Garbled)
        ));
    }
}

#[test]
fn fcp_sizes() {
    assert_eq!(file_size(&hex("62088002013283020132")), Some(0x0132));
    assert_eq!(file_size(&hex("62810581020400")), Some(0x0400));
    assert_eq!(file_size(&hex("620482020121")), None);
    assert_eq!(file_size(&hex("6204800A")), None);
    assert_eq!(file_size(&hex("000000000200")), Some(0x0200));
    assert_eq!(file_size(&[]), None);
}
