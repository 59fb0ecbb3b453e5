//! Element names as small integers, so that the open-element stack costs no allocation per
//! element and paths match as slices of constants.

use crate::id::FxBuild;
use std::collections::HashMap;

macro_rules! known_names {
    ($($id:ident = $text:literal),* $(,)?) => {
        known_names!(@consts 0u16, $($id = $text,)*);
        /// The names the parser looks for, in id order.
        const KNOWN: &[&[u8]] = &[$($text),*];
    };
    (@consts $n:expr, $id:ident = $text:literal, $($rest:tt)*) => {
        pub(super) const $id: u16 = $n;
        known_names!(@consts $n + 1u16, $($rest)*);
    };
    (@consts $n:expr,) => {};
}

known_names! {
    DOCUMENT = b"Document",
    BK_TO_CSTMR_STMT = b"BkToCstmrStmt",
    STMT = b"Stmt",
    ID = b"Id",
    ACCT = b"Acct",
    IBAN = b"IBAN",
    OTHR = b"Othr",
    CCY = b"Ccy",
    CRE_DT_TM = b"CreDtTm",
    FR_TO_DT = b"FrToDt",
    TO_DT_TM = b"ToDtTm",
    BAL = b"Bal",
    TP = b"Tp",
    CD_OR_PRTRY = b"CdOrPrtry",
    CD = b"Cd",
    PRTRY = b"Prtry",
    AMT = b"Amt",
    CDT_DBT_IND = b"CdtDbtInd",
    DT = b"Dt",
    DT_TM = b"DtTm",
    NTRY = b"Ntry",
    RVSL_IND = b"RvslInd",
    STS = b"Sts",
    BOOKG_DT = b"BookgDt",
    VAL_DT = b"ValDt",
    ACCT_SVCR_REF = b"AcctSvcrRef",
    NTRY_REF = b"NtryRef",
    ADDTL_NTRY_INF = b"AddtlNtryInf",
    NTRY_DTLS = b"NtryDtls",
    TX_DTLS = b"TxDtls",
    REFS = b"Refs",
    END_TO_END_ID = b"EndToEndId",
    AMT_DTLS = b"AmtDtls",
    TX_AMT = b"TxAmt",
    RLTD_PTIES = b"RltdPties",
    DBTR = b"Dbtr",
    CDTR = b"Cdtr",
    ULTMT_DBTR = b"UltmtDbtr",
    ULTMT_CDTR = b"UltmtCdtr",
    PTY = b"Pty",
    NM = b"Nm",
    DBTR_ACCT = b"DbtrAcct",
    CDTR_ACCT = b"CdtrAcct",
    RLTD_AGTS = b"RltdAgts",
    DBTR_AGT = b"DbtrAgt",
    CDTR_AGT = b"CdtrAgt",
    FIN_INSTN_ID = b"FinInstnId",
    CLR_SYS_MMB_ID = b"ClrSysMmbId",
    MMB_ID = b"MmbId",
    RMT_INF = b"RmtInf",
    USTRD = b"Ustrd",
    STRD = b"Strd",
    CDTR_REF_INF = b"CdtrRefInf",
    REF = b"Ref",
    ADDTL_TX_INF = b"AddtlTxInf",
}

/// A name of up to 16 bytes as two words and a length: compared without a `memcmp` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Short {
    a: u64,
    b: u64,
    len: usize,
}

impl Short {
    fn of(name: &[u8]) -> Option<Short> {
        let len = name.len();
        if len > 16 {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..len].copy_from_slice(name);
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&buf[at..at + 8]);
            u64::from_le_bytes(w)
        };
        Some(Short {
            a: word(0),
            b: word(8),
            len,
        })
    }

    fn slot(self) -> usize {
        let mixed =
            (self.a ^ self.b.rotate_left(29) ^ self.len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> (64 - SLOT_BITS)) as usize
    }
}

/// The open-addressing cache in front of the map holds 2^9 slots, filled at most half.
const SLOT_BITS: u32 = 9;
const SLOTS: usize = 1 << SLOT_BITS;

/// Maps local element names to ids; names the parser does not know get ids too (for paths).
/// Every start tag asks, so short names are answered from a small cache of word compares
/// (a general hash map lookup was a tenth of the parse).
#[derive(Debug)]
pub(super) struct Names {
    cache: Vec<Option<(Short, u16)>>,
    cached: usize,
    ids: HashMap<Vec<u8>, u16, FxBuild>,
    text: Vec<String>,
}

impl Names {
    pub(super) fn new() -> Names {
        let mut names = Names {
            cache: vec![None; SLOTS],
            cached: 0,
            ids: HashMap::default(),
            text: Vec::new(),
        };
        for name in KNOWN {
            names.id(name);
        }
        names
    }

    /// The id of a local name, adding it on first sight.
    pub(super) fn id(&mut self, name: &[u8]) -> u16 {
        let Some(key) = Short::of(name) else {
            return self.intern(name);
        };
        let mut slot = key.slot();
        loop {
            match self.cache[slot] {
                Some((k, id)) if k == key => return id,
                Some(_) => slot = (slot + 1) & (SLOTS - 1),
                None => break,
            }
        }
        let id = self.intern(name);
        if self.cached < SLOTS / 2 {
            self.cache[slot] = Some((key, id));
            self.cached += 1;
        }
        id
    }

    fn intern(&mut self, name: &[u8]) -> u16 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u16::try_from(self.text.len()).unwrap_or(u16::MAX);
        self.ids.insert(name.to_vec(), id);
        self.text.push(String::from_utf8_lossy(name).into_owned());
        id
    }

    pub(super) fn text(&self, id: u16) -> &str {
        self.text.get(usize::from(id)).map_or("?", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_table() {
        let mut names = Names::new();
        assert_eq!(names.id(b"Document"), DOCUMENT);
        assert_eq!(names.id(b"AddtlTxInf"), ADDTL_TX_INF);
        assert_eq!(names.text(NTRY), "Ntry");
        let other = names.id(b"SubFmlyCd");
        let long = names.id(b"AVeryLongElementNameBeyondSixteen");
        assert_eq!(names.id(b"AVeryLongElementNameBeyondSixteen"), long);
        assert_eq!(names.text(long), "AVeryLongElementNameBeyondSixteen");
        // Many distinct names fill the cache halfway, then go to the map; ids stay stable.
        let many: Vec<u16> = (0..1000)
            .map(|i| names.id(format!("N{i}").as_bytes()))
            .collect();
        let again: Vec<u16> = (0..1000)
            .map(|i| names.id(format!("N{i}").as_bytes()))
            .collect();
        assert_eq!(many, again);
        assert_eq!(names.text(many[999]), "N999");
        assert_eq!(names.id(b"SubFmlyCd"), other);
        assert_eq!(names.text(other), "SubFmlyCd");
    }
}
