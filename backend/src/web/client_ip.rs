//! Who is on the other end of a request, for the audit log and rate limits.
//!
//! Behind a reverse proxy every request comes from the proxy, which names the client in
//! `X-Forwarded-For`. That header is anyone's to write, so it is believed only when the
//! direct peer is a proxy the config trusts (`trusted_proxies`), and then only its
//! right-most entry that is not itself a trusted proxy.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The client address for a request from `peer` with these `X-Forwarded-For` values.
pub fn client_ip<'a>(
    peer: IpAddr,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).collect();
    hops.iter()
        .rev()
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        Ok(ClientIp(client_ip(
            peer,
            forwarded,
            &state.config.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        let xff = ["203.0.113.9, 198.51.100.7"];
        // Not through the proxy: the header is the caller's invention.
        assert_eq!(
            client_ip(ip("192.0.2.1"), xff.into_iter(), &proxy),
            ip("192.0.2.1")
        );
        // Through the proxy: the right-most hop the proxy saw.
        assert_eq!(
            client_ip(ip("10.0.0.1"), xff.into_iter(), &proxy),
            ip("198.51.100.7")
        );
        // Chained proxies are skipped; garbage falls back to the peer.
        let two = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            client_ip(ip("10.0.0.1"), ["198.51.100.7, 10.0.0.2"].into_iter(), &two),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), ["nonsense"].into_iter(), &proxy),
            ip("10.0.0.1")
        );
    }
}
