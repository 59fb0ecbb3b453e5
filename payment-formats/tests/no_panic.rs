//! Whatever a bank (or an attacker) uploads, the parsers answer Ok or Err: they never panic.

use payment_formats::{abo, camt053, parse_statement};
use proptest::prelude::*;

const FIXTURES: [&[u8]; 8] = [
    include_bytes!("fixtures/abo_czech.gpc"),
    include_bytes!("fixtures/abo_multi.gpc"),
    include_bytes!("fixtures/abo_bad.gpc"),
    include_bytes!("fixtures/abo_cs_reversals.gpc"),
    include_bytes!("fixtures/abo_moneta_utf8.gpc"),
    include_bytes!("fixtures/camt053_v02_csob.xml"),
    include_bytes!("fixtures/camt053_v08_fio.xml"),
    include_bytes!("fixtures/camt053_v06_prtry.xml"),
];

fn parse_all(bytes: &[u8]) {
    let _ = parse_statement(bytes);
    let _ = abo::parse(bytes);
    let _ = camt053::parse(bytes);
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        parse_all(&bytes);
    }

    #[test]
    fn abo_lines(lines in proptest::collection::vec("07[4-9][0-9 +\\-A-Za-zěščřžýáíé]{0,140}", 0..8)) {
        parse_all(lines.join("\r\n").as_bytes());
    }

    #[test]
    fn mutated_fixtures(
        which in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = FIXTURES[which].to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        parse_all(&bytes);
        // Truncated anywhere, too.
        let end = cut.index(bytes.len());
        parse_all(&bytes[..end]);
    }
}
