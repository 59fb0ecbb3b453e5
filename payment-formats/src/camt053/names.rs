//! Element names as small integers, so that the open-element stack costs no allocation per
//! element and paths match as slices of constants.

use std::collections::HashMap;

macro_rules! known_names {
    ($($id:ident = $text:literal),* $(,)?) => {
        known_names!(@consts 0u16, $($id = $text,)*);
        /// The names the parser looks for, in id order.
        const KNOWN: &[&str] = &[$($text),*];
    };
    (@consts $n:expr, $id:ident = $text:literal, $($rest:tt)*) => {
        pub(super) const $id: u16 = $n;
        known_names!(@consts $n + 1u16, $($rest)*);
    };
    (@consts $n:expr,) => {};
}

known_names! {
    DOCUMENT = "Document",
    BK_TO_CSTMR_STMT = "BkToCstmrStmt",
    STMT = "Stmt",
    ID = "Id",
    ACCT = "Acct",
    IBAN = "IBAN",
    OTHR = "Othr",
    CCY = "Ccy",
    CRE_DT_TM = "CreDtTm",
    FR_TO_DT = "FrToDt",
    TO_DT_TM = "ToDtTm",
    BAL = "Bal",
    TP = "Tp",
    CD_OR_PRTRY = "CdOrPrtry",
    CD = "Cd",
    PRTRY = "Prtry",
    AMT = "Amt",
    CDT_DBT_IND = "CdtDbtInd",
    DT = "Dt",
    DT_TM = "DtTm",
    NTRY = "Ntry",
    RVSL_IND = "RvslInd",
    STS = "Sts",
    BOOKG_DT = "BookgDt",
    VAL_DT = "ValDt",
    ACCT_SVCR_REF = "AcctSvcrRef",
    NTRY_REF = "NtryRef",
    ADDTL_NTRY_INF = "AddtlNtryInf",
    NTRY_DTLS = "NtryDtls",
    TX_DTLS = "TxDtls",
    REFS = "Refs",
    END_TO_END_ID = "EndToEndId",
    AMT_DTLS = "AmtDtls",
    TX_AMT = "TxAmt",
    RLTD_PTIES = "RltdPties",
    DBTR = "Dbtr",
    CDTR = "Cdtr",
    ULTMT_DBTR = "UltmtDbtr",
    ULTMT_CDTR = "UltmtCdtr",
    PTY = "Pty",
    NM = "Nm",
    DBTR_ACCT = "DbtrAcct",
    CDTR_ACCT = "CdtrAcct",
    RLTD_AGTS = "RltdAgts",
    DBTR_AGT = "DbtrAgt",
    CDTR_AGT = "CdtrAgt",
    FIN_INSTN_ID = "FinInstnId",
    CLR_SYS_MMB_ID = "ClrSysMmbId",
    MMB_ID = "MmbId",
    RMT_INF = "RmtInf",
    USTRD = "Ustrd",
    STRD = "Strd",
    CDTR_REF_INF = "CdtrRefInf",
    REF = "Ref",
    ADDTL_TX_INF = "AddtlTxInf",
}

/// Maps local element names to ids; names the parser does not know get ids too (for paths).
#[derive(Debug)]
pub(super) struct Names {
    ids: HashMap<Vec<u8>, u16>,
    text: Vec<String>,
}

impl Names {
    pub(super) fn new() -> Names {
        let mut names = Names {
            ids: HashMap::new(),
            text: Vec::new(),
        };
        for name in KNOWN {
            names.id(name.as_bytes());
        }
        names
    }

    /// The id of a local name, adding it on first sight.
    pub(super) fn id(&mut self, name: &[u8]) -> u16 {
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
