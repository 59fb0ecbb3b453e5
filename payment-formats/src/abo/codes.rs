//! The accounting code of a `075` item (column 61): which numbers a bank uses for reversals.
//!
//! Most banks write 1 debit, 2 credit, 4 reversed debit, 5 reversed credit (Fio's API
//! documentation, section GPC; Raiffeisenbank per GitHub jakubzapletal/bank-statements). The
//! older ABO description that Česká spořitelna follows writes 1 debit, 2 credit, 3 reversed
//! debit, 4 reversed credit (the same repository: `doc/abo.md` and its Česká spořitelna
//! parser). Code 4
//! means opposite directions in the two, so the file decides: a file with a code 3 and no code
//! 5 is read the second way, any other file the first way (then a code 3 is refused, naming its
//! line), except a file whose only reversal code is 4 and whose statements' balances add up the
//! second way but not the first. A reading that still puts a reversal on the wrong side shows in
//! the header turnovers, which are checked.

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
        let (mut three, mut four, mut five) = (false, false, false);
        for line in bytes.split(|&b| b == b'\n') {
            if line.starts_with(b"075") {
                match line.get(60) {
                    Some(b'3') => three = true,
                    Some(b'4') => four = true,
                    Some(b'5') => five = true,
                    _ => {}
                }
            }
        }
        let only_four = four && !three && !five;
        if (three && !five)
            || (only_four
                && Reversals::FourFive.balances_add_up(bytes) == Some(false)
                && Reversals::ThreeFour.balances_add_up(bytes) == Some(true))
        {
            Reversals::ThreeFour
        } else {
            Reversals::FourFive
        }
    }

    /// Whether every statement's old balance plus its items is its new balance when the codes
    /// are read this way; `None` when a header or an item cannot be read (the record checks
    /// then report it).
    fn balances_add_up(self, bytes: &[u8]) -> Option<bool> {
        let number = |digits: &[u8]| {
            (!digits.is_empty() && digits.iter().all(u8::is_ascii_digit)).then(|| {
                digits
                    .iter()
                    .fold(0i64, |v, b| v * 10 + i64::from(b - b'0'))
            })
        };
        // Columns `from+1..=to` and the sign in column `to+1`.
        let signed = |line: &[u8], from: usize, to: usize| match line.get(to)? {
            b'+' => number(line.get(from..to)?),
            b'-' => number(line.get(from..to)?).map(|v| -v),
            _ => None,
        };
        let mut all = true;
        // The current statement: its old balance plus the items so far, and its new balance.
        let mut current: Option<(i64, i64)> = None;
        for line in bytes.split(|&b| b == b'\n') {
            if line.starts_with(b"074") {
                if let Some((sum, new)) = current {
                    all &= sum == new;
                }
                current = Some((signed(line, 45, 59)?, signed(line, 60, 74)?));
            } else if line.starts_with(b"075") {
                let (sum, _) = current.as_mut()?;
                let code = *line.get(60)?;
                if !self.allowed().contains(&code) {
                    return None;
                }
                let amount = number(line.get(48..60)?)?;
                *sum = sum.checked_add(self.kind(code).sign() * amount)?;
            }
        }
        let (sum, new) = current?;
        Some(all && sum == new)
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

    /// A header with balances `old` and `new` and items of 1.00 with the given codes.
    fn statement(old: &str, new: &str, codes: &[u8]) -> Vec<u8> {
        let mut header = vec![b'0'; 128];
        header[..3].copy_from_slice(b"074");
        header[45..60].copy_from_slice(old.as_bytes());
        header[60..75].copy_from_slice(new.as_bytes());
        let mut lines = vec![header];
        for &code in codes {
            let mut item = record(code);
            item[48..60].copy_from_slice(b"000000000100");
            lines.push(item);
        }
        lines.join(&b"\r\n"[..])
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
    fn a_file_with_only_code_four_goes_by_its_balances() {
        // Two credits and a reversal: +1 +1 -1 only when 4 is a reversed credit.
        let cs = statement("00000000000000+", "00000000000100+", b"224");
        assert_eq!(Reversals::of_file(&cs), Reversals::ThreeFour);
        let others = statement("00000000000000+", "00000000000300+", b"224");
        assert_eq!(Reversals::of_file(&others), Reversals::FourFive);
        // Balances of another period (a "movements since the last download" export) or an
        // unreadable header: the usual reading.
        let neither = statement("00000000000000+", "00000000099900+", b"224");
        assert_eq!(Reversals::of_file(&neither), Reversals::FourFive);
        let unreadable = statement("0000000000000x+", "00000000000100+", b"224");
        assert_eq!(Reversals::of_file(&unreadable), Reversals::FourFive);
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
