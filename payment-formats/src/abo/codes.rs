//! The accounting code of a `075` item (column 61): which numbers a bank uses for reversals.
//!
//! Most banks (Fio, ČSOB, Raiffeisenbank; Fio's API documentation, section GPC) write 1 debit,
//! 2 credit, 4 reversed debit, 5 reversed credit. The older ABO description that Česká
//! spořitelna follows writes 1 debit, 2 credit, 3 reversed debit, 4 reversed credit
//! (GitHub jakubzapletal/bank-statements, `doc/abo.md` and its Česká spořitelna parser). Code 4
//! means opposite directions in the two, so the file decides: a file with a code 3 and no code
//! 5 is read the second way, any other file the first way (then a code 3 is refused, naming its
//! line). A reading that still puts a reversal on the wrong side shows in the header turnovers,
//! which are checked.

use crate::statement::ItemKind;

/// How a file numbers reversals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reversals {
    /// 4 reversed debit, 5 reversed credit.
    FourFive,
    /// 3 reversed debit, 4 reversed credit (Česká spořitelna).
    ThreeFour,
}

impl Reversals {
    /// The convention of a file, from the codes of all its `075` records (file order, LF or
    /// CRLF; records too short to have a code are left to the item checks).
    pub(super) fn of_file(bytes: &[u8]) -> Reversals {
        let (mut three, mut five) = (false, false);
        for line in bytes.split(|&b| b == b'\n') {
            if line.starts_with(b"075") {
                match line.get(60) {
                    Some(b'3') => three = true,
                    Some(b'5') => five = true,
                    _ => {}
                }
            }
        }
        if three && !five {
            Reversals::ThreeFour
        } else {
            Reversals::FourFive
        }
    }

    /// The codes column 61 may hold.
    pub(super) fn allowed(self) -> &'static [u8] {
        match self {
            Reversals::FourFive => b"1245",
            Reversals::ThreeFour => b"1234",
        }
    }

    /// What an allowed code means.
    pub(super) fn kind(self, code: u8) -> ItemKind {
        match (self, code) {
            (_, b'1') => ItemKind::Debit,
            (_, b'2') => ItemKind::Credit,
            (Reversals::ThreeFour, b'3') | (Reversals::FourFive, b'4') => ItemKind::DebitReversal,
            _ => ItemKind::CreditReversal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(code: u8) -> Vec<u8> {
        let mut line = vec![b'0'; 128];
        line[..3].copy_from_slice(b"075");
        line[60] = code;
        line
    }

    fn file(codes: &[u8]) -> Vec<u8> {
        codes
            .iter()
            .map(|&c| record(c))
            .collect::<Vec<_>>()
            .join(&b"\r\n"[..])
    }

    #[test]
    fn a_code_three_without_five_is_the_three_four_convention() {
        assert_eq!(Reversals::of_file(&file(b"1243")), Reversals::ThreeFour);
        assert_eq!(Reversals::of_file(&file(b"124")), Reversals::FourFive);
        assert_eq!(Reversals::of_file(&file(b"1235")), Reversals::FourFive);
        assert_eq!(Reversals::of_file(b""), Reversals::FourFive);
    }

    #[test]
    fn code_four_changes_sides() {
        assert_eq!(Reversals::FourFive.kind(b'4'), ItemKind::DebitReversal);
        assert_eq!(Reversals::FourFive.kind(b'5'), ItemKind::CreditReversal);
        assert_eq!(Reversals::ThreeFour.kind(b'3'), ItemKind::DebitReversal);
        assert_eq!(Reversals::ThreeFour.kind(b'4'), ItemKind::CreditReversal);
        assert_eq!(Reversals::ThreeFour.kind(b'2'), ItemKind::Credit);
    }
}
