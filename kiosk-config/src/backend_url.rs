//! The rule for `backend_url`.

/// `http://` or `https://`, a host, an optional port, an optional path; no credentials, query or
/// fragment. Plain http only for a loopback host: the kiosk carries citizens' data.
pub(crate) fn check_backend_url(s: &str) -> Result<(), String> {
    let (scheme, rest) = if let Some(rest) = s.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = s.strip_prefix("http://") {
        ("http", rest)
    } else {
        return Err(format!(
            "{s:?} is not an http:// or https:// URL (e.g. \"https://portal.example.cz\")"
        ));
    };
    if let Some(bad) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{s:?} contains the character {bad:?}"));
    }
    if s.contains(['?', '#']) {
        return Err(format!(
            "{s:?} must not have a query (?) or fragment (#): give the backend's base URL"
        ));
    }
    let (authority, _path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err(format!("{s:?} must not contain credentials (user@host)"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return Err(format!("{s:?} has an unclosed [IPv6 address]"));
        };
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("{s:?} has an invalid IPv6 address"));
        }
        match after {
            "" => (addr, None),
            p if p.starts_with(':') => (addr, Some(&p[1..])),
            _ => return Err(format!("{s:?} has junk after the IPv6 address")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(format!("{s:?} has no host name"));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !authority.starts_with('[') && !host.split('.').all(label_ok) {
        return Err(format!("{s:?} has an invalid host name {host:?}"));
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err(format!("{s:?} has an invalid port {port:?} (1-65535)")),
        }
    }
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|o| o.parse::<u8>().is_ok()));
    if scheme == "http" && !loopback {
        return Err(format!(
            "{s:?} uses plain http to another machine; use https (plain http is accepted only \
             for 127.0.0.1, ::1 and localhost)"
        ));
    }
    Ok(())
}
