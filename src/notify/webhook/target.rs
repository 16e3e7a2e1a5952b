//! Where a webhook may point: an http(s) URL that is not this server and, unless
//! `webhooks.allow_private` is set, whose host resolves only to public addresses, so
//! an admin's URL cannot make the server call into its own network. Checked when an
//! endpoint is registered and again before each attempt (a name may be re-pointed).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use awc::http::Uri;

use crate::config::Settings;
use crate::domain::{FieldCode, FieldError};

/// `url` as an endpoint may be written, or why not (on the field `url`).
pub fn check(url: &str, settings: &Settings) -> Result<(), FieldError> {
    let refuse = |code: FieldCode, message: &str| FieldError::coded("url", code, message);
    let not_web = || refuse(FieldCode::WebLink, "must be an http or https URL");
    let uri: Uri = url.parse().map_err(|_| not_web())?;
    let port = match uri.scheme_str() {
        Some("http") => uri.port_u16().unwrap_or(80),
        Some("https") => uri.port_u16().unwrap_or(443),
        _ => return Err(not_web()),
    };
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(not_web)?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if is_itself(&host, port, settings) {
        return Err(refuse(
            FieldCode::WebhookItself,
            "must not point at this server",
        ));
    }
    if settings.webhooks.allow_private {
        return Ok(());
    }
    let addresses: Vec<IpAddr> = match (host.as_str(), port).to_socket_addrs() {
        Ok(found) => found.map(|a| a.ip()).collect(),
        Err(_) => Vec::new(),
    };
    if addresses.is_empty() {
        return Err(refuse(
            FieldCode::WebhookUnresolvable,
            "the host name could not be found",
        ));
    }
    if addresses.iter().any(|ip| !is_public(*ip)) {
        return Err(refuse(
            FieldCode::WebhookPrivate,
            "must not point at a private, loopback or link-local address",
        ));
    }
    Ok(())
}

/// True when `host:port` is the server's public URL or its bind address.
fn is_itself(host: &str, port: u16, settings: &Settings) -> bool {
    let public = settings.server.public_url.parse::<Uri>().ok();
    let public_host = public.as_ref().and_then(|u| u.host()).map(|h| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase()
    });
    if public_host.as_deref() == Some(host) {
        return true;
    }
    // A bind port of 0 is chosen at start-up and unknown here; the tests bind so.
    match settings.server.bind.parse::<std::net::SocketAddr>() {
        Ok(bind) if bind.port() != 0 => {
            bind.port() == port && host.parse::<IpAddr>().ok() == Some(bind.ip())
        }
        _ => false,
    }
}

/// True for an address on the public internet.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || shared
        || a == 0)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = first & 0xffc0 == 0xfe80; // fe80::/10
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
