//! Element names as small integers, so that the open-element stack costs no allocation per
//! element and paths match as slices of constants.

use crate::id::FnvBuild;
use std::collections::HashMap;

macro_rules! known_names {
    ($($id:ident = $text:literal),* $(,)?) => {
        known_names!(@consts 0u16, $($id = $text,)*);
        /// The names the parser looks for, in id order.
        const KNOWN: &[&[u8]] = &[$($text),*];
        /// The id of a name the parser looks for (a `match`: no hashing on the hot path).
        fn known(name: &[u8]) -> Option<u16> {
            match name {
                $($text => Some($id),)*
                _ => None,
            }
        }
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
    // Not read, but frequent: known names skip the hash map.
    GRP_HDR = b"GrpHdr",
    MSG_ID = b"MsgId",
    ELCTRNC_SEQ_NB = b"ElctrncSeqNb",
    LGL_SEQ_NB = b"LglSeqNb",
    TXS_SUMMRY = b"TxsSummry",
    BK_TX_CD = b"BkTxCd",
    DOMN = b"Domn",
    FMLY = b"Fmly",
    SUB_FMLY_CD = b"SubFmlyCd",
    BIC = b"BIC",
    BICFI = b"BICFI",
    INSTR_ID = b"InstrId",
    TX_ID = b"TxId",
    PMT_INF_ID = b"PmtInfId",
    OWNR = b"Ownr",
    SVCR = b"Svcr",
    PSTL_ADR = b"PstlAdr",
    ADR_LINE = b"AdrLine",
    CTRY = b"Ctry",
    PURP = b"Purp",
    CHRGS = b"Chrgs",
    RLTD_DTS = b"RltdDts",
}

/// Maps local element names to ids; names the parser does not know get ids too (for paths).
#[derive(Debug)]
pub(super) struct Names {
    ids: HashMap<Vec<u8>, u16, FnvBuild>,
    text: Vec<String>,
}

impl Names {
    pub(super) fn new() -> Names {
        let mut names = Names {
            ids: HashMap::default(),
            text: Vec::new(),
        };
        for name in KNOWN {
            names.intern(name);
        }
        names
    }

    /// The id of a local name, adding it on first sight.
    pub(super) fn id(&mut self, name: &[u8]) -> u16 {
        if let Some(id) = known(name) {
            return id;
        }
        self.intern(name)
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
        assert_eq!(names.id(b"SubFmlyCd"), other);
        assert_eq!(names.text(other), "SubFmlyCd");
    }
}
