//! Towns declared by the operator in the config file (`[[town]]`), checked with the domain
//! parsers before anything is stored. Started servers upsert them by slug.

use crate::identity::oidc::settings::{LoginSettings, RawLogin};
use crate::kiosk::settings::{KioskSettings, RawKioskSettings};
use crate::payments::card::settings::{GatewaySettings, RawGateway};
use crate::payments::fees::settings::{FeeSettings, RawFee};
use portal_domain::wire::{Address, Module};
use portal_domain::{Iban, Ico, Psc};
use serde::Deserialize;

/// A `[[town]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTown {
    pub slug: String,
    pub name: String,
    pub ico: String,
    pub street: String,
    pub city: String,
    pub psc: String,
    pub bank_account: String,
    pub coat_of_arms_url: Option<String>,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub hostnames: Vec<String>,
    /// Identity providers (`[[town.login]]`).
    #[serde(default)]
    pub login: Vec<RawLogin>,
    /// The card payment gateway (`[town.gateway]`); without it the town takes no cards.
    #[serde(default)]
    pub gateway: Option<RawGateway>,
    /// Fee types set by the town's ordinance (`[[town.fee]]`).
    #[serde(default)]
    pub fee: Vec<RawFee>,
    /// The office's opening hours, one line each, as citizens should read them.
    #[serde(default)]
    pub opening_hours: Vec<String>,
    /// `[town.kiosk]`: card logins at the town's lobby kiosks.
    #[serde(default)]
    pub kiosk: Option<RawKioskSettings>,
}

/// A town whose every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownSettings {
    pub slug: String,
    pub name: String,
    pub ico: String,
    pub address: Address,
    pub bank_account: String,
    pub coat_of_arms_url: Option<String>,
    pub modules: Vec<Module>,
    pub hostnames: Vec<String>,
    pub logins: Vec<LoginSettings>,
    pub gateway: Option<GatewaySettings>,
    pub fees: Vec<FeeSettings>,
    pub kiosk: KioskSettings,
    pub opening_hours: Vec<String>,
}

impl TownSettings {
    /// Every problem, each as `town[INDEX].KEY: reason`.
    pub fn parse(index: usize, raw: RawTown) -> Result<TownSettings, Vec<String>> {
        let mut errors = Vec::new();
        let mut fail =
            |key: &str, reason: &str| errors.push(format!("town[{index}].{key}: {reason}"));
        let slug_ok = !raw.slug.is_empty()
            && raw.slug.len() <= 63
            && raw
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            fail("slug", "use 1-63 lowercase letters, digits and hyphens");
        }
        if raw.name.trim().is_empty() {
            fail("name", "must not be empty");
        }
        let ico = Ico::parse(&raw.ico).map_err(|e| fail("ico", e.code)).ok();
        let psc = Psc::parse(&raw.psc).map_err(|e| fail("psc", e.code)).ok();
        // An IBAN starts with its country code; anything else is read as a Czech account number.
        let account = raw.bank_account.trim();
        let iban = if account.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Iban::parse(account)
        } else {
            Iban::from_czech_account(account)
        };
        let iban = iban.map_err(|e| fail("bank_account", e.code)).ok();
        let mut modules = Vec::new();
        for name in &raw.modules {
            match Module::parse(name) {
                Some(module) if !modules.contains(&module) => modules.push(module),
                Some(_) => {}
                None => fail(
                    "modules",
                    &format!(
                        "unknown module {name:?} (payments, filing, bookings, subsidies, notifications)"
                    ),
                ),
            }
        }
        for host in &raw.hostnames {
            let valid = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
            if !valid {
                fail("hostnames", &format!("{host:?} is not a host name"));
            }
        }
        let mut logins: Vec<LoginSettings> = Vec::new();
        let mut login_errors = Vec::new();
        for (i, raw_login) in raw.login.into_iter().enumerate() {
            let prefix = format!("town[{index}].login[{i}]");
            match LoginSettings::parse(&prefix, raw_login) {
                Ok(login) if logins.iter().any(|l| l.id == login.id) => {
                    login_errors.push(format!("{prefix}.id: used twice in this town"));
                }
                Ok(login) => logins.push(login),
                Err(mut e) => login_errors.append(&mut e),
            }
        }
        errors.append(&mut login_errors);
        let gateway = match raw.gateway {
            None => None,
            Some(raw_gateway) => {
                match GatewaySettings::parse_prefixed(
                    &format!("town[{index}].gateway"),
                    raw_gateway,
                ) {
                    Ok(gateway) => Some(gateway),
                    Err(mut e) => {
                        errors.append(&mut e);
                        None
                    }
                }
            }
        };
        let mut fees: Vec<FeeSettings> = Vec::new();
        for (i, raw_fee) in raw.fee.into_iter().enumerate() {
            let prefix = format!("town[{index}].fee[{i}]");
            match FeeSettings::parse(&prefix, raw_fee) {
                Ok(fee) if fees.iter().any(|f| f.code == fee.code) => {
                    errors.push(format!("{prefix}.code: used twice in this town"));
                }
                Ok(fee) => fees.push(fee),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let kiosk = match raw.kiosk {
            None => KioskSettings::default(),
            Some(raw_kiosk) => {
                match KioskSettings::parse(&format!("town[{index}].kiosk"), raw_kiosk) {
                    Ok(kiosk) => kiosk,
                    Err(mut e) => {
                        errors.append(&mut e);
                        KioskSettings::default()
                    }
                }
            }
        };
        match (ico, psc, iban) {
            (Some(ico), Some(psc), Some(iban)) if errors.is_empty() => Ok(TownSettings {
                slug: raw.slug,
                name: raw.name.trim().to_owned(),
                ico: ico.as_str().to_owned(),
                address: Address {
                    street: raw.street,
                    city: raw.city,
                    psc: psc.as_str().to_owned(),
                },
                bank_account: iban.as_str().to_owned(),
                coat_of_arms_url: raw.coat_of_arms_url,
                modules,
                hostnames: raw
                    .hostnames
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
                logins,
                gateway,
                fees,
                kiosk,
                opening_hours: raw
                    .opening_hours
                    .iter()
                    .map(|line| line.trim().to_owned())
                    .filter(|line| !line.is_empty())
                    .collect(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawTown {
        RawTown {
            slug: "horni-lhota".into(),
            name: "Horní Lhota".into(),
            ico: "00298760".into(),
            street: "Náměstí 1".into(),
            city: "Horní Lhota".into(),
            psc: "512 34".into(),
            bank_account: "19-2000145399/0800".into(),
            coat_of_arms_url: None,
            modules: vec!["payments".into()],
            hostnames: vec!["Portal.Horni-Lhota.cz".into()],
            login: vec![],
            gateway: None,
            fee: vec![],
            kiosk: None,
            opening_hours: vec![],
        }
    }

    #[test]
    fn a_good_town_parses_and_normalises() {
        let town = TownSettings::parse(0, raw()).unwrap();
        assert_eq!(town.bank_account, "CZ6508000000192000145399");
        assert_eq!(town.address.psc, "51234");
        assert_eq!(town.hostnames, vec!["portal.horni-lhota.cz"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut bad = raw();
        bad.ico = "00298761".into();
        bad.psc = "0".into();
        bad.modules = vec!["parking".into()];
        bad.slug = "Horní".into();
        let errors = TownSettings::parse(2, bad).unwrap_err();
        let keys: Vec<_> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "town[2].slug",
                "town[2].ico",
                "town[2].psc",
                "town[2].modules"
            ],
            "{errors:?}"
        );
    }

    #[test]
    fn fees_are_checked_and_named_by_town_and_fee() {
        let text = "code = 'dog'\nname = 'Poplatek ze psa'\nkind = 'per_dog'\n\
                    rates = { first = 60000, further = 90000, pensioner_first = 20000, pensioner_further = 30000 }\n\
                    instalments = [{ due = '03-31', share_percent = 100 }]\n\
                    variable_symbol = '{year2}2{subject:5}{instalment}'\n";
        let fee: RawFee = toml::from_str(text).unwrap();
        let mut town = raw();
        town.fee = vec![fee.clone(), fee.clone()];
        let mut bad = fee;
        bad.variable_symbol = "{year4}{payer:8}".into();
        town.fee.push(bad);
        let errors = TownSettings::parse(1, town).unwrap_err();
        assert_eq!(
            errors,
            [
                "town[1].fee[1].code: used twice in this town",
                "town[1].fee[2].variable_symbol: gives 12 digits; a variable symbol has at most 10",
            ]
        );
        let mut good = raw();
        good.fee = vec![toml::from_str(text).unwrap()];
        assert_eq!(TownSettings::parse(0, good).unwrap().fees[0].code, "dog");
    }
}
