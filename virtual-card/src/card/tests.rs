use super::*;

fn card() -> CardState {
    let cert: Vec<u8> = (0..500u32).map(|i| (i % 251) as u8).collect();
    CardState::new(CardProfile {
        card_number: "123456789".into(),
        certificate_serial: vec![1, 2, 3, 4],
        auth_certificate: cert.clone(),
        ident_certificate: cert,
        iok: Zeroizing::new("1234".into()),
    })
}

fn select(card: &mut CardState, aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
    apdu.extend_from_slice(aid);
    card.respond(&apdu)
}

fn verify(card: &mut CardState, pin: &str) -> Vec<u8> {
    let mut apdu = vec![0x00, 0x20, 0x00, IOK_REFERENCE, PIN_BLOCK_LEN as u8];
    let mut block = [0xFFu8; PIN_BLOCK_LEN];
    block[..pin.len()].copy_from_slice(pin.as_bytes());
    apdu.extend_from_slice(&block);
    card.respond(&apdu)
}

#[test]
fn selects_known_applications_only() {
    let mut c = card();
    assert_eq!(select(&mut c, &AID_CARD_MANAGEMENT), SW_OK);
    assert_eq!(select(&mut c, &AID_FILE_MANAGEMENT), SW_OK);
    assert_eq!(select(&mut c, &[0xA0, 0, 0, 0, 1]), SW_NOT_FOUND);
}

#[test]
fn get_data_answers_tags_and_corrects_le() {
    let mut c = card();
    assert_eq!(
        c.respond(&[0x80, 0xCA, 0x01, 0x01, 0x00]),
        SW_DATA_NOT_FOUND
    );
    select(&mut c, &AID_CARD_MANAGEMENT);
    assert_eq!(
        c.respond(&[0x80, 0xCA, 0x01, 0x01, 0x00]),
        b"123456789\x90\x00"
    );
    assert_eq!(c.respond(&[0x80, 0xCA, 0x01, 0x01, 0x20]), [0x6C, 9]);
    assert_eq!(c.respond(&[0x80, 0xCA, 0x01, 0x83, 0x00]), [3, 0x90, 0x00]);
    assert_eq!(c.respond(&[0x80, 0xCA, 0x01, 0x82, 0x00]), [1, 0x90, 0x00]);
}

#[test]
fn reads_certificate_in_chunks() {
    let mut c = card();
    select(&mut c, &AID_FILE_MANAGEMENT);
    let fcp = c.respond(&[0x00, 0xA4, 0x08, 0x00, 0x02, 0x01, 0x32]);
    assert_eq!(u16::from_be_bytes([fcp[4], fcp[5]]), 500);
    let mut read = Vec::new();
    while read.len() < 500 {
        let off = (read.len() as u16).to_be_bytes();
        let want = (500 - read.len()).min(MAX_CHUNK) as u8;
        let r = c.respond(&[0x00, 0xB0, off[0], off[1], want]);
        assert_eq!(&r[r.len() - 2..], SW_OK);
        read.extend_from_slice(&r[..r.len() - 2]);
    }
    assert_eq!(read, c.profile.auth_certificate);
    assert_eq!(c.respond(&[0x00, 0xB0, 0x01, 0xF4, 0x10]), SW_WRONG_P1P2);
    assert_eq!(c.respond(&[0x00, 0xB0, 0x00, 0x00, 0xD1]), SW_WRONG_LENGTH);
    assert_eq!(
        c.respond(&[0x00, 0xA4, 0x08, 0x00, 0x02, 0x0F, 0x0F]),
        SW_NOT_FOUND
    );
}

#[test]
fn iok_counts_down_blocks_and_resets() {
    let mut c = card();
    assert_eq!(verify(&mut c, "9999"), [0x63, 0xC2]);
    assert_eq!(verify(&mut c, "1234"), SW_OK);
    assert_eq!(c.tries_left(), 3);
    assert_eq!(verify(&mut c, "0000"), [0x63, 0xC2]);
    assert_eq!(verify(&mut c, "0000"), [0x63, 0xC1]);
    assert_eq!(verify(&mut c, "0000"), [0x63, 0xC0]);
    assert_eq!(verify(&mut c, "1234"), SW_BLOCKED);
    assert_eq!(c.respond(&[0x00, 0x20, 0x00, IOK_REFERENCE]), SW_BLOCKED);
}

#[test]
fn unknown_commands_are_refused() {
    let mut c = card();
    assert_eq!(c.respond(&[0x00, 0x88, 0x00, 0x00]), SW_INS_UNKNOWN);
    assert_eq!(c.respond(&[0xA0, 0x88, 0x00, 0x00]), SW_CLA_UNKNOWN);
    assert_eq!(c.respond(&[0x00]), SW_WRONG_LENGTH);
}

#[test]
fn as_a_t0_card_data_comes_through_get_response() {
    let mut c = card();
    c.set_t0(true);
    // SELECT by AID has no answer data: plain 90 00.
    assert_eq!(select(&mut c, &AID_FILE_MANAGEMENT), SW_OK);
    let fcp = c.respond(&[0x00, 0xA4, 0x08, 0x00, 0x02, 0x01, 0x32]);
    assert_eq!(fcp, [0x61, 10]);
    // Asking for more than waits: 6C with the length; then in two parts.
    assert_eq!(c.respond(&[0x00, 0xC0, 0x00, 0x00, 0x20]), [0x6C, 10]);
    let first = c.respond(&[0x00, 0xC0, 0x00, 0x00, 4]);
    assert_eq!(first, [0x62, 0x08, 0x80, 0x02, 0x61, 6]);
    let rest = c.respond(&[0x00, 0xC0, 0x00, 0x00, 6]);
    assert_eq!(&rest[..2], [0x01, 0xF4]);
    assert_eq!(&rest[rest.len() - 2..], SW_OK);
    // Nothing waits any more; READ BINARY (case 2) answers directly.
    assert_eq!(c.respond(&[0x00, 0xC0, 0x00, 0x00, 0x00]), SW_CONDITIONS);
    let r = c.respond(&[0x00, 0xB0, 0x00, 0x00, 0x10]);
    assert_eq!(r.len(), 0x12);
    c.set_t0(false);
    let fcp = c.respond(&[0x00, 0xA4, 0x08, 0x00, 0x02, 0x01, 0x32]);
    assert_eq!(&fcp[..2], [0x62, 0x08]);
}
