//! Fee types as the town's ordinance sets them, declared in the config file as `[[town.fee]]`
//! tables and checked here before anything is stored; every problem names its key as
//! `town[I].fee[J].KEY`.
//!
//! The variable symbol is a template of digits and placeholders, at most 10 digits in all:
//! `{year2}` (the year's last two digits), `{year4}`, `{instalment}` (1 or 2), `{payer:N}` (the
//! payer's citizen id, zero-padded to N digits) and `{subject:N}` (the household member's or
//! dog's register id, zero-padded to N digits). E.g. `"{year2}1{subject:5}{instalment}"` gives
//! `271001232` for member 123's second instalment of 2027 (9 digits).

use chrono::NaiveDate;
use portal_domain::{ConstantSymbol, SpecificSymbol};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `[[town.fee]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFee {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub rates: BTreeMap<String, i64>,
    #[serde(default)]
    pub instalments: Vec<RawInstalment>,
    pub variable_symbol: String,
    pub specific_symbol: Option<String>,
    pub constant_symbol: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstalment {
    /// `MM-DD` in the year of the run.
    pub due: String,
    pub share_percent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    PerPerson,
    PerDog,
}

impl FeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::PerPerson => "per_person",
            FeeKind::PerDog => "per_dog",
        }
    }

    /// The rates this kind needs, in haléř per year.
    pub fn rate_keys(self) -> &'static [&'static str] {
        match self {
            FeeKind::PerPerson => &["adult", "child", "pensioner"],
            FeeKind::PerDog => &["first", "further", "pensioner_first", "pensioner_further"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub month: u32,
    pub day: u32,
    pub share_percent: u32,
}

/// One piece of a variable-symbol template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VsPart {
    Digits(String),
    Year2,
    Year4,
    Instalment,
    Payer(usize),
    Subject(usize),
}

/// A fee whose every key parsed (stored as JSON in `fee_types.settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSettings {
    pub code: String,
    pub name: String,
    pub kind: FeeKind,
    /// Exactly [`FeeKind::rate_keys`]; `exempt` is always 0.
    pub rates: BTreeMap<String, i64>,
    pub instalments: Vec<Instalment>,
    pub variable_symbol: Vec<VsPart>,
    pub specific_symbol: Option<String>,
    pub constant_symbol: Option<String>,
}

impl FeeSettings {
    /// Every problem, each as `PREFIX.KEY: reason` (PREFIX like `town[0].fee[1]`).
    pub fn parse(prefix: &str, raw: RawFee) -> Result<FeeSettings, Vec<String>> {
        let mut errors = Vec::new();
        let mut fail = |key: &str, reason: &str| errors.push(format!("{prefix}.{key}: {reason}"));
        let code_ok = !raw.code.is_empty()
            && raw.code.len() <= 32
            && raw
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            fail("code", "use 1-32 lowercase letters, digits and underscores");
        }
        if raw.name.trim().is_empty() {
            fail("name", "must not be empty");
        }
        let kind = match raw.kind.as_str() {
            "per_person" => Some(FeeKind::PerPerson),
            "per_dog" => Some(FeeKind::PerDog),
            other => {
                fail("kind", &format!("{other:?} is not per_person or per_dog"));
                None
            }
        };
        if let Some(kind) = kind {
            for key in kind.rate_keys() {
                match raw.rates.get(*key) {
                    None => fail(&format!("rates.{key}"), "missing (haléř per year)"),
                    Some(v) if *v < 0 => fail(&format!("rates.{key}"), "must not be negative"),
                    Some(_) => {}
                }
            }
            for key in raw.rates.keys() {
                if !kind.rate_keys().contains(&key.as_str()) {
                    let expected = kind.rate_keys().join(", ");
                    fail(
                        &format!("rates.{key}"),
                        &format!("unknown rate for {} (use {expected})", kind.as_str()),
                    );
                }
            }
        }
        let mut instalments = Vec::new();
        if !(1..=2).contains(&raw.instalments.len()) {
            fail("instalments", "give one or two instalments");
        }
        for (i, inst) in raw.instalments.iter().enumerate() {
            let due = inst
                .due
                .split_once('-')
                .filter(|(m, d)| m.len() == 2 && d.len() == 2)
                .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
                // Valid in every year: 2001 is not a leap year, so 02-29 is refused.
                .filter(|(m, d)| NaiveDate::from_ymd_opt(2001, *m, *d).is_some());
            match due {
                Some((month, day)) => instalments.push(Instalment {
                    month,
                    day,
                    share_percent: inst.share_percent,
                }),
                None => fail(
                    &format!("instalments[{i}].due"),
                    &format!("{:?} is not a date MM-DD", inst.due),
                ),
            }
            if !(1..=100).contains(&inst.share_percent) {
                fail(&format!("instalments[{i}].share_percent"), "use 1-100");
            }
        }
        let total: u32 = raw.instalments.iter().map(|i| i.share_percent).sum();
        if !raw.instalments.is_empty() && total != 100 {
            fail(
                "instalments",
                &format!("shares add up to {total} %, not 100 %"),
            );
        }
        if instalments.len() == 2
            && (instalments[0].month, instalments[0].day)
                >= (instalments[1].month, instalments[1].day)
        {
            fail("instalments[1].due", "must come after the first instalment");
        }
        let variable_symbol = parse_vs(&raw.variable_symbol)
            .map_err(|reason| fail("variable_symbol", &reason))
            .ok();
        let specific_symbol = match raw.specific_symbol.as_deref() {
            None => None,
            Some(text) => SpecificSymbol::parse(text)
                .map_err(|e| fail("specific_symbol", e.code))
                .ok()
                .map(|s| s.as_str().to_owned()),
        };
        let constant_symbol = match raw.constant_symbol.as_deref() {
            None => None,
            Some(text) => ConstantSymbol::parse(text)
                .map_err(|e| fail("constant_symbol", e.code))
                .ok()
                .map(|s| s.as_str().to_owned()),
        };
        match (kind, variable_symbol) {
            (Some(kind), Some(variable_symbol)) if errors.is_empty() => Ok(FeeSettings {
                code: raw.code,
                name: raw.name.trim().to_owned(),
                kind,
                rates: raw.rates,
                instalments,
                variable_symbol,
                specific_symbol,
                constant_symbol,
            }),
            _ => Err(errors),
        }
    }

    pub fn rate(&self, key: &str) -> i64 {
        self.rates.get(key).copied().unwrap_or(0)
    }
}

/// Parses a variable-symbol template (see the module's documentation).
pub fn parse_vs(template: &str) -> Result<Vec<VsPart>, String> {
    let mut parts = Vec::new();
    let mut width = 0;
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let Some(close) = after.find('}') else {
                return Err(format!("unclosed {{ in {template:?}"));
            };
            let name = &after[..close];
            let padded = |n: &str| n.parse::<usize>().ok().filter(|w| (1..=10).contains(w));
            let part = match name.split_once(':') {
                None if name == "year2" => VsPart::Year2,
                None if name == "year4" => VsPart::Year4,
                None if name == "instalment" => VsPart::Instalment,
                Some(("payer", n)) => VsPart::Payer(padded(n).ok_or("payer:N takes N = 1-10")?),
                Some(("subject", n)) => {
                    VsPart::Subject(padded(n).ok_or("subject:N takes N = 1-10")?)
                }
                _ => {
                    return Err(format!(
                        "unknown placeholder {{{name}}} (use {{year2}}, {{year4}}, {{instalment}}, {{payer:N}}, {{subject:N}})"
                    ));
                }
            };
            width += match part {
                VsPart::Year2 => 2,
                VsPart::Year4 => 4,
                VsPart::Instalment => 1,
                VsPart::Payer(n) | VsPart::Subject(n) => n,
                VsPart::Digits(_) => 0,
            };
            parts.push(part);
            rest = &after[close + 1..];
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            let digits = &rest[..end];
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "{digits:?}: only digits and placeholders are allowed"
                ));
            }
            width += digits.len();
            parts.push(VsPart::Digits(digits.to_owned()));
            rest = &rest[end..];
        }
    }
    match width {
        0 => Err("must not be empty".into()),
        w if w > 10 => Err(format!(
            "gives {w} digits; a variable symbol has at most 10"
        )),
        _ => Ok(parts),
    }
}

/// The variable symbol for one obligation; `None` when an id needs more digits than its
/// placeholder gives.
pub fn render_vs(
    parts: &[VsPart],
    year: i32,
    instalment: usize,
    payer: i64,
    subject: i64,
) -> Option<String> {
    let mut out = String::new();
    let padded = |value: i64, width: usize| {
        let text = format!("{value:0width$}");
        (text.len() == width).then_some(text)
    };
    for part in parts {
        match part {
            VsPart::Digits(d) => out.push_str(d),
            VsPart::Year2 => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            VsPart::Year4 => out.push_str(&padded(year.into(), 4)?),
            VsPart::Instalment => out.push_str(&padded(instalment as i64, 1)?),
            VsPart::Payer(w) => out.push_str(&padded(payer, *w)?),
            VsPart::Subject(w) => out.push_str(&padded(subject, *w)?),
        }
    }
    Some(out)
}

/// An amount split by the instalments' shares in whole haléř; the remainder goes on the last.
pub fn split(amount: i64, instalments: &[Instalment]) -> Vec<i64> {
    let mut parts: Vec<i64> = instalments
        .iter()
        .map(|i| amount * i64::from(i.share_percent) / 100)
        .collect();
    let given: i64 = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += amount - given;
    }
    parts
}

#[cfg(test)]
mod tests;
