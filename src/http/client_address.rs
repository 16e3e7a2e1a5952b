//! The client's address, for throttling: the TCP peer, unless the peer is one of
//! `server.trusted_proxies`, in which case `X-Forwarded-For` is read from the right
//! and the first address that is not a trusted proxy is the client.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client's address as text (`unknown` when the peer is not known).
pub fn client_address(req: &HttpRequest, trusted_proxies: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    if !trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted_proxies.contains(&ip) {
                    break;
                }
            }
            // Whatever stands left of an unreadable entry was not written by a proxy
            // we trust.
            Err(_) => break,
        }
    }
    client.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn from(peer: &str, xff: Option<&str>, trusted: &[&str]) -> String {
        let mut req = TestRequest::default().peer_addr(format!("{peer}:4000").parse().unwrap());
        if let Some(xff) = xff {
            req = req.insert_header(("X-Forwarded-For", xff));
        }
        let trusted: Vec<IpAddr> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client_address(&req.to_http_request(), &trusted)
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        assert_eq!(from("10.0.0.9", Some("203.0.113.5"), &[]), "10.0.0.9");
        assert_eq!(
            from("10.0.0.9", Some("203.0.113.5"), &["10.0.0.1"]),
            "10.0.0.9"
        );
        assert_eq!(
            from("10.0.0.1", Some("203.0.113.5"), &["10.0.0.1"]),
            "203.0.113.5"
        );
        assert_eq!(
            from(
                "10.0.0.1",
                Some("1.2.3.4, 203.0.113.5, 10.0.0.2"),
                &["10.0.0.1", "10.0.0.2"]
            ),
            "203.0.113.5",
            "a spoofed left-most entry is ignored"
        );
        assert_eq!(
            from("10.0.0.1", Some("nonsense"), &["10.0.0.1"]),
            "10.0.0.1"
        );
        assert_eq!(from("10.0.0.1", None, &["10.0.0.1"]), "10.0.0.1");
    }
}
