//! The token endpoint's answer made lenient where providers are and the `openidconnect`
//! crate's parser is not.

use openidconnect::AsyncHttpClient;
use serde_json::Value;

/// The HTTP client for the token endpoint: `self.http`, its answer made lenient.
pub(super) struct Lenient<'a>(pub(super) &'a reqwest::Client);

type HttpFuture<'c> = std::pin::Pin<
    Box<
        dyn std::future::Future<
                Output = Result<
                    openidconnect::HttpResponse,
                    openidconnect::HttpClientError<reqwest::Error>,
                >,
            > + Send
            + Sync
            + 'c,
    >,
>;

impl<'c> AsyncHttpClient<'c> for Lenient<'_> {
    type Error = openidconnect::HttpClientError<reqwest::Error>;
    type Future = HttpFuture<'c>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut response = self.0.call(request).await?;
            lenient_token_response(response.body_mut());
            Ok(response)
        })
    }
}

/// A token response as the crate's parser takes it: `expires_in` sent as a string of digits
/// (Microsoft's older token endpoints do) becomes a number. Anything else is left alone.
fn lenient_token_response(body: &mut Vec<u8>) {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let Some(seconds) = (map.get("expires_in").and_then(Value::as_str))
        .and_then(|text| text.trim().parse::<u64>().ok())
    else {
        return;
    };
    map.insert("expires_in".into(), Value::from(seconds));
    if let Ok(fixed) = serde_json::to_vec(&map) {
        *body = fixed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_expires_in_becomes_a_number() {
        let mut body =
            br#"{"access_token":"a","token_type":"bearer","expires_in":"3599"}"#.to_vec();
        lenient_token_response(&mut body);
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["expires_in"], 3599);
        let mut garbage = b"not json".to_vec();
        lenient_token_response(&mut garbage);
        assert_eq!(garbage, b"not json");
    }
}
