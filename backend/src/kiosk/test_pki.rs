//! A throwaway certificate authority and cards for tests and benchmarks: never used by the
//! server itself. Lets the tests make exactly the certificates a negative needs (expired, wrong
//! key usage, another issuer) and sign as a card would.

use super::verify::signed_data;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use openssl::x509::extension::{BasicConstraints, KeyUsage};
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use portal_domain::wire::{CARD_TOKEN_FORMAT, CardAuthToken};

pub struct TestCa {
    pub cert: X509,
    key: PKey<Private>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa2048,
    P256,
    P384,
}

/// What to put in a card certificate.
#[derive(Clone, Debug)]
pub struct CardSpec {
    pub key: KeyKind,
    /// Days from now; negative is in the past.
    pub valid_from_days: i64,
    pub valid_to_days: i64,
    /// `false` gives a certificate for signing documents (nonRepudiation) instead.
    pub digital_signature: bool,
    pub serial_number: Option<String>,
    pub given_name: String,
    pub family_name: String,
}

impl Default for CardSpec {
    fn default() -> Self {
        CardSpec {
            key: KeyKind::P256,
            valid_from_days: -1,
            valid_to_days: 365,
            digital_signature: true,
            serial_number: Some("IDCCZ-000111222".into()),
            given_name: "Jan".into(),
            family_name: "Novák".into(),
        }
    }
}

pub struct TestCard {
    pub cert: X509,
    pub key: PKey<Private>,
    pub kind: KeyKind,
}

fn days(offset: i64) -> Asn1Time {
    let now = chrono::Utc::now().timestamp();
    Asn1Time::from_unix(now + offset * 86_400).expect("time")
}

fn serial() -> Asn1Integer {
    let mut bn = BigNum::new().expect("bn");
    bn.rand(63, openssl::bn::MsbOption::MAYBE_ZERO, false)
        .expect("rand");
    bn.to_asn1_integer().expect("asn1")
}

fn new_key(kind: KeyKind) -> PKey<Private> {
    match kind {
        KeyKind::Rsa2048 => PKey::from_rsa(Rsa::generate(2048).expect("rsa")).expect("pkey"),
        KeyKind::P256 | KeyKind::P384 => {
            let nid = if kind == KeyKind::P256 {
                Nid::X9_62_PRIME256V1
            } else {
                Nid::SECP384R1
            };
            let group = EcGroup::from_curve_name(nid).expect("group");
            PKey::from_ec_key(EcKey::generate(&group).expect("ec")).expect("pkey")
        }
    }
}

impl TestCa {
    pub fn new(common_name: &str) -> TestCa {
        Self::build(common_name, None)
    }

    /// A CA under this one (the state's card CAs issue cards from an intermediate).
    pub fn intermediate(&self, common_name: &str) -> TestCa {
        Self::build(common_name, Some(self))
    }

    fn build(common_name: &str, parent: Option<&TestCa>) -> TestCa {
        let key = new_key(KeyKind::P256);
        let mut name = X509NameBuilder::new().expect("name");
        name.append_entry_by_nid(Nid::COMMONNAME, common_name)
            .expect("cn");
        let name = name.build();
        let mut builder = X509Builder::new().expect("builder");
        builder.set_version(2).expect("version");
        builder.set_serial_number(&serial()).expect("serial");
        builder.set_subject_name(&name).expect("subject");
        let issuer = parent.map_or(&*name, |p| p.cert.subject_name());
        builder.set_issuer_name(issuer).expect("issuer");
        builder.set_pubkey(&key).expect("key");
        builder.set_not_before(&days(-30)).expect("nb");
        builder.set_not_after(&days(3650)).expect("na");
        let ca = BasicConstraints::new().critical().ca().build().expect("bc");
        builder.append_extension(ca).expect("ext");
        let usage = KeyUsage::new()
            .critical()
            .key_cert_sign()
            .crl_sign()
            .build()
            .expect("ku");
        builder.append_extension(usage).expect("ext");
        let signer = parent.map_or(&key, |p| &p.key);
        builder.sign(signer, MessageDigest::sha256()).expect("sign");
        TestCa {
            cert: builder.build(),
            key,
        }
    }

    pub fn pem(&self) -> Vec<u8> {
        self.cert.to_pem().expect("pem")
    }

    pub fn issue(&self, spec: &CardSpec) -> TestCard {
        let key = new_key(spec.key);
        let mut name = X509NameBuilder::new().expect("name");
        let common = format!("{} {}", spec.given_name, spec.family_name);
        name.append_entry_by_nid(Nid::COMMONNAME, &common)
            .expect("cn");
        name.append_entry_by_nid(Nid::GIVENNAME, &spec.given_name)
            .expect("gn");
        name.append_entry_by_nid(Nid::SURNAME, &spec.family_name)
            .expect("sn");
        if let Some(serial_number) = &spec.serial_number {
            name.append_entry_by_nid(Nid::SERIALNUMBER, serial_number)
                .expect("serialNumber");
        }
        let mut builder = X509Builder::new().expect("builder");
        builder.set_version(2).expect("version");
        builder.set_serial_number(&serial()).expect("serial");
        builder.set_subject_name(&name.build()).expect("subject");
        builder
            .set_issuer_name(self.cert.subject_name())
            .expect("issuer");
        builder.set_pubkey(&key).expect("key");
        builder
            .set_not_before(&days(spec.valid_from_days))
            .expect("nb");
        builder
            .set_not_after(&days(spec.valid_to_days))
            .expect("na");
        let mut usage = KeyUsage::new();
        usage.critical();
        if spec.digital_signature {
            usage.digital_signature();
        } else {
            usage.non_repudiation();
        }
        builder
            .append_extension(usage.build().expect("ku"))
            .expect("ext");
        builder
            .sign(&self.key, MessageDigest::sha256())
            .expect("sign");
        TestCard {
            cert: builder.build(),
            key,
            kind: spec.key,
        }
    }
}

impl TestCard {
    pub fn algorithm(&self) -> &'static str {
        match self.kind {
            KeyKind::Rsa2048 => "RS256",
            KeyKind::P256 => "ES256",
            KeyKind::P384 => "ES384",
        }
    }

    /// Signs `data` as the card would (ECDSA as raw r ‖ s, like PKCS#11).
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        match self.kind {
            KeyKind::Rsa2048 => {
                let mut signer = Signer::new(MessageDigest::sha256(), &self.key).expect("signer");
                signer.update(data).expect("update");
                signer.sign_to_vec().expect("sign")
            }
            KeyKind::P256 | KeyKind::P384 => {
                let (digest, width) = if self.kind == KeyKind::P256 {
                    (MessageDigest::sha256(), 32)
                } else {
                    (MessageDigest::sha384(), 48)
                };
                let digest = hash(digest, data).expect("hash");
                let ec = self.key.ec_key().expect("ec");
                let sig = EcdsaSig::sign(&digest, &ec).expect("sign");
                let mut raw = sig.r().to_vec_padded(width).expect("r");
                raw.extend(sig.s().to_vec_padded(width).expect("s"));
                raw
            }
        }
    }

    /// A token signing `origin` and `nonce` as a genuine card would.
    pub fn token(&self, origin: &str, nonce: &str) -> CardAuthToken {
        let data = signed_data(self.algorithm(), origin, nonce).expect("algorithm");
        self.token_over(&data)
    }

    /// A token whose signature covers `data` (for negatives: other data, another origin).
    pub fn token_over(&self, data: &[u8]) -> CardAuthToken {
        CardAuthToken {
            unverified_certificate: STANDARD.encode(self.cert.to_der().expect("der")),
            algorithm: self.algorithm().into(),
            signature: STANDARD.encode(self.sign(data)),
            format: CARD_TOKEN_FORMAT.into(),
            app_version: "test".into(),
        }
    }
}
