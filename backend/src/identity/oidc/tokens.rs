//! The `openidconnect` crate's types as this relying party instantiates them.

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, Client, EndpointMaybeSet, EndpointNotSet, EndpointSet, ExtraTokenFields,
    StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every claim beyond the standard ones (eIDAS names, Bank iD's, MojeID's) kept as JSON.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
impl AdditionalClaims for ExtraClaims {}

/// The ID token as it came: a JWS, or (NIA) a JWE that the crate cannot parse.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawIdToken {
    #[serde(default)]
    id_token: Option<String>,
}
impl ExtraTokenFields for RawIdToken {}

impl RawIdToken {
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }
}

pub type IdToken = openidconnect::IdToken<
    ExtraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
pub type Tokens = StandardTokenResponse<RawIdToken, CoreTokenType>;

/// The crate's client wants a parsed ID token; ours stays raw (see `RawIdToken`) and is parsed
/// after the exchange, as a JWS or a JWE.
impl
    openidconnect::TokenResponse<
        ExtraClaims,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    > for Tokens
{
    fn id_token(&self) -> Option<&IdToken> {
        None
    }
}
pub type Rp = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;
