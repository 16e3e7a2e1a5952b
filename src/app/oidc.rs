//! Single sign-on with OpenID Connect (docs/people.md): the authorization code flow
//! with PKCE, `state` and `nonce`. A log-in under way is kept server-side (table
//! `oidc_logins`, the state only as a hash) and is used at most once; the ID token's
//! signature (the provider's JWKS), issuer, audience, expiry (the app's clock) and
//! nonce are checked by `openidconnect`, then a verified e-mail address names an
//! existing active Stegvis user, or one made just in time for an allow-listed domain.
//! Roles and tenancy stay Stegvis's: the provider only vouches for the address.

use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use sha2::{Digest, Sha256};

use super::access_audit::{self, AccessEvent, AccessKind};
use super::auth::{token_digest, TokenGrant};
use super::oidc_http::{causes, metadata, send};
use super::views::User;
use super::{from_db, to_db, AppState};
use crate::app::error::AppError;
use crate::config::{OidcJitRule, OidcProvider};
use crate::domain::{Language, Role};
use crate::store::oidc::{self as store, OidcLoginRow};
use crate::store::rows::{TokenRow, UserRow};
use crate::store::{ids, organisations, users, DbConnection};

/// Where the provider sends the browser back, under `server.public_url`.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// How long a log-in may take at the provider.
const LOGIN_TTL_MINUTES: i64 = 10;

/// Why a single sign-on was refused. Each has a page text (`oidc.refused.{code}`)
/// and a log line; none says more than the person may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No provider has this id.
    UnknownProvider,
    /// The provider's discovery document, keys or token endpoint did not answer.
    Unavailable,
    /// The `state` is unknown, used, expired or not this browser's.
    State,
    /// The provider answered with an error (the person cancelled, or it refused).
    ProviderError,
    /// The ID token failed a check: signature, issuer, audience, expiry or nonce.
    Token,
    /// The provider does not vouch for the address (`email_verified` not true).
    Unverified,
    /// The ID token names no e-mail address.
    NoEmail,
    /// No active Stegvis account has the address, and none may be made for it.
    NoAccount,
    /// Stegvis itself failed (the database); logged as an error.
    Internal,
}

impl Refusal {
    /// The word in the log and in the page text's key.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::UnknownProvider => "unknown_provider",
            Refusal::Unavailable => "unavailable",
            Refusal::State => "state",
            Refusal::ProviderError => "provider_error",
            Refusal::Token => "token",
            Refusal::Unverified => "unverified",
            Refusal::NoEmail => "no_email",
            Refusal::NoAccount => "no_account",
            Refusal::Internal => "internal",
        }
    }

    /// The page's HTTP status.
    pub fn status(self) -> u16 {
        match self {
            Refusal::UnknownProvider => 404,
            Refusal::Unavailable => 503,
            Refusal::State | Refusal::ProviderError | Refusal::Token => 400,
            Refusal::Unverified | Refusal::NoEmail | Refusal::NoAccount => 403,
            Refusal::Internal => 500,
        }
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Refusal {
        tracing::error!(cause = %causes(&error), "single sign-on failed");
        Refusal::Internal
    }
}

/// The configured provider `id`.
pub fn provider<'a>(state: &'a AppState, id: &str) -> Option<&'a OidcProvider> {
    state.settings.auth.oidc.iter().find(|p| p.id == id)
}

/// The redirect URI registered with every provider.
pub fn redirect_uri(state: &AppState) -> String {
    format!(
        "{}{CALLBACK_PATH}",
        state.settings.server.public_url.trim_end_matches('/')
    )
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

async fn oidc_client(
    state: &AppState,
    provider: &OidcProvider,
    refresh: bool,
) -> Result<Client, Refusal> {
    let metadata = metadata(&provider.issuer_url, refresh).await.map_err(|cause| {
        tracing::warn!(provider = %provider.id, %cause, "single sign-on: the provider is unavailable");
        Refusal::Unavailable
    })?;
    let redirect = RedirectUrl::new(redirect_uri(state)).map_err(|e| {
        tracing::error!(cause = %e, "single sign-on: server.public_url makes no redirect URI");
        Refusal::Internal
    })?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// A log-in to start: where to send the browser, and the `state` it carries (the
/// browser keeps it in a cookie, so the callback is bound to the browser that began).
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub row: OidcLoginRow,
}

fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// Makes a fresh `state`, `nonce` and PKCE verifier for `provider` and the
/// provider's authorization URL; `remember` must store the row before the browser
/// is sent there.
pub async fn authorization(
    state: &AppState,
    provider: &OidcProvider,
) -> Result<Authorization, Refusal> {
    let client = oidc_client(state, provider, false).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in &provider.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.url();
    let now = state.now();
    Ok(Authorization {
        url: url.to_string(),
        state: csrf.secret().clone(),
        row: OidcLoginRow {
            state_hash: state_hash(csrf.secret()),
            provider: provider.id.clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            created_at: to_db(now),
            expires_at: to_db(now + Duration::minutes(LOGIN_TTL_MINUTES)),
        },
    })
}

/// Stores a log-in under way, and forgets those that expired.
pub fn remember(state: &AppState, row: OidcLoginRow) -> Result<(), AppError> {
    let now = to_db(state.now());
    state.store.write(|conn| -> Result<(), AppError> {
        store::delete_expired(conn, now)?;
        store::insert(conn, &row)?;
        Ok(())
    })
}

/// Takes the log-in of `state` (it cannot be used again): refused when it is
/// unknown, already used or expired.
pub fn take(state: &AppState, sent_state: &str) -> Result<OidcLoginRow, Refusal> {
    let hash = state_hash(sent_state);
    let now = state.now();
    let row = state
        .store
        .write(|conn| store::take(conn, &hash).map_err(AppError::from))?;
    row.filter(|r| from_db(r.expires_at) > now)
        .ok_or(Refusal::State)
}

/// Who the provider vouched for.
#[derive(Debug, Clone)]
pub struct Identity {
    pub email: String,
    pub name: Option<String>,
}

/// Exchanges `code` with the log-in's PKCE verifier and checks the ID token: the
/// signature against the provider's JWKS (fetched again once when the key is
/// unknown), issuer, audience, expiry by the app's clock, and the nonce; then the
/// address (`email_claim`) and, unless the provider is configured otherwise,
/// `email_verified: true`.
pub async fn identify(
    state: &AppState,
    provider: &OidcProvider,
    login: &OidcLoginRow,
    code: &str,
) -> Result<Identity, Refusal> {
    let client = oidc_client(state, provider, false).await?;
    let exchange = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| {
            tracing::warn!(provider = %provider.id, cause = %e, "single sign-on: no token endpoint");
            Refusal::Unavailable
        })?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()));
    let response = exchange.request_async(&send).await.map_err(|e| {
        // The kind of failure only: a parse error's text could quote the answer.
        let (refusal, kind) = match &e {
            openidconnect::RequestTokenError::ServerResponse(r) => {
                (Refusal::ProviderError, r.error().to_string())
            }
            openidconnect::RequestTokenError::Request(_) => {
                (Refusal::Unavailable, "request".into())
            }
            openidconnect::RequestTokenError::Parse(..) => (Refusal::Token, "unparsable".into()),
            openidconnect::RequestTokenError::Other(_) => (Refusal::Token, "other".into()),
        };
        tracing::warn!(provider = %provider.id, %kind, "single sign-on: the code exchange failed");
        refusal
    })?;
    let id_token = response.id_token().ok_or_else(|| {
        tracing::warn!(provider = %provider.id, "single sign-on: the answer has no ID token");
        Refusal::Token
    })?;
    let nonce = Nonce::new(login.nonce.clone());
    let now = state.now();
    let verified = {
        let verifier = client.id_token_verifier().set_time_fn(move || now);
        id_token.claims(&verifier, &nonce).cloned()
    };
    let claims: CoreIdTokenClaims = match verified {
        Ok(claims) => claims,
        Err(ClaimsVerificationError::SignatureVerification(_)) => {
            // Perhaps a key the cached set does not have yet: fetch it once more.
            let client = oidc_client(state, provider, true).await?;
            let verifier = client.id_token_verifier().set_time_fn(move || now);
            id_token
                .claims(&verifier, &nonce)
                .cloned()
                .map_err(|e| token_refused(provider, &e))?
        }
        Err(e) => return Err(token_refused(provider, &e)),
    };
    identity_of(provider, &claims)
}

fn token_refused(provider: &OidcProvider, error: &ClaimsVerificationError) -> Refusal {
    // The crate's messages name the check that failed (and the expected values), not
    // the token.
    tracing::warn!(provider = %provider.id, cause = %error, "single sign-on: the ID token was refused");
    Refusal::Token
}

/// The address and name an ID token's claims vouch for.
fn identity_of(provider: &OidcProvider, claims: &CoreIdTokenClaims) -> Result<Identity, Refusal> {
    if provider.require_email_verified && claims.email_verified() != Some(true) {
        tracing::warn!(provider = %provider.id, "single sign-on: the address is not verified");
        return Err(Refusal::Unverified);
    }
    let email = match provider.email_claim.as_str() {
        "preferred_username" => claims.preferred_username().map(|u| u.as_str().to_string()),
        _ => claims.email().map(|e| e.as_str().to_string()),
    };
    let email = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.contains('@'))
        .ok_or_else(|| {
            tracing::warn!(provider = %provider.id, "single sign-on: the ID token has no address");
            Refusal::NoEmail
        })?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().trim().to_string())
        .filter(|n| !n.is_empty());
    Ok(Identity { email, name })
}

/// Signs in the active user with the identity's address (any case), or creates one
/// for an allow-listed domain; issues the bearer token the web session holds.
pub fn sign_in(
    state: &AppState,
    provider: &OidcProvider,
    identity: &Identity,
    client: &str,
) -> Result<TokenGrant, Refusal> {
    let now = state.now();
    let token = ids::random_hex(32);
    let expires_at = now + Duration::hours(i64::from(state.settings.auth.token_ttl_hours));
    // The access audit names the route and the provider: `oidc:{id}`.
    let route = format!("oidc:{}", provider.id);
    let route = route.as_str();
    let outcome = state.store.write(|conn| -> Result<Result<UserRow, Refusal>, AppError> {
        let user = match store::user_by_email(conn, &identity.email)? {
            Some(user) if user.active => user,
            Some(closed) => {
                tracing::warn!(provider = %provider.id, "single sign-on: the account is closed");
                let failed = AccessEvent::new(AccessKind::SignInFailed, None, Some(&closed.id));
                access_audit::record_in(conn, now, failed.from_client(client).detail(route))?;
                return Ok(Err(Refusal::NoAccount));
            }
            None => match just_in_time(conn, provider, identity, now)? {
                Some(user) => user,
                None => {
                    tracing::warn!(provider = %provider.id, "single sign-on: no account has the address");
                    let failed = AccessEvent::new(AccessKind::SignInFailed, None, None)
                        .about_address(&identity.email);
                    access_audit::record_in(conn, now, failed.from_client(client).detail(route))?;
                    return Ok(Err(Refusal::NoAccount));
                }
            },
        };
        access_audit::record_in(
            conn,
            now,
            AccessEvent::own(AccessKind::SignIn, &user.id)
                .from_client(client)
                .detail(route),
        )?;
        users::insert_token(
            conn,
            &TokenRow {
                token_hash: token_digest(&token),
                user_id: user.id.clone(),
                created_at: to_db(now),
                expires_at: to_db(expires_at),
            },
        )?;
        Ok(Ok(user))
    })?;
    let user = outcome?;
    tracing::info!(provider = %provider.id, user = %user.id, "single sign-on");
    Ok(TokenGrant {
        token,
        expires_at,
        user: User::from_row(&user),
    })
}

/// The rule of `provider` for the address's domain, if any.
fn rule_for<'a>(provider: &'a OidcProvider, email: &str) -> Option<&'a OidcJitRule> {
    let domain = email.rsplit_once('@').map(|(_, d)| d)?;
    provider.jit.iter().find(|r| {
        r.domain
            .trim_start_matches('@')
            .eq_ignore_ascii_case(domain)
    })
}

/// Creates the account an allow-listed domain's rule places (no password: they sign
/// in through the provider). `None` when no rule allows it, or the rule names a role
/// other than coordinator or unit contact, or a place that does not exist (logged).
fn just_in_time(
    conn: &mut DbConnection,
    provider: &OidcProvider,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, AppError> {
    let Some(rule) = rule_for(provider, &identity.email) else {
        return Ok(None);
    };
    let placement = match Role::parse(&rule.role) {
        Some(Role::Coordinator) => match rule.organisation_id.as_deref() {
            Some(org) if organisations::by_id(conn, org)?.is_some() => {
                Some((Role::Coordinator, Some(org.to_string()), None))
            }
            _ => None,
        },
        Some(Role::UnitContact) => match rule.unit_id.as_deref() {
            Some(unit) => organisations::unit_by_id(conn, unit)?
                .filter(|u| {
                    rule.organisation_id
                        .as_ref()
                        .is_none_or(|o| *o == u.organisation_id)
                })
                .map(|u| {
                    (
                        Role::UnitContact,
                        Some(u.organisation_id),
                        Some(unit.to_string()),
                    )
                }),
            None => None,
        },
        _ => None,
    };
    let Some((role, organisation_id, unit_id)) = placement else {
        tracing::error!(provider = %provider.id, domain = %rule.domain,
            "single sign-on: the just-in-time rule places nobody (role coordinator with an existing organisation_id, or unit_contact with an existing unit_id)");
        return Ok(None);
    };
    let name = identity.name.clone().unwrap_or_else(|| {
        identity
            .email
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let row = UserRow {
        id: ids::new_id(),
        email: identity.email.clone(),
        name,
        role,
        organisation_id,
        unit_id,
        language: Language::Sv,
        // No password can match this: the account signs in through its provider
        // until someone sets one.
        password_hash: String::new(),
        created_at: to_db(now),
        active: true,
    };
    users::insert(conn, &row)?;
    tracing::info!(provider = %provider.id, user = %row.id, role = role.as_str(),
        "single sign-on: account created just in time");
    Ok(Some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(domains: &[&str]) -> OidcProvider {
        OidcProvider {
            id: "kommun".into(),
            issuer_url: "https://login.example".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            scopes: vec![],
            email_claim: "email".into(),
            display_name: "Kommun".into(),
            require_email_verified: true,
            jit: domains
                .iter()
                .map(|d| OidcJitRule {
                    domain: (*d).into(),
                    role: "coordinator".into(),
                    organisation_id: Some("org".into()),
                    unit_id: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_rule_matches_the_whole_domain_in_any_case() {
        let p = provider(&["jarfalla.se", "@sollentuna.se"]);
        assert!(rule_for(&p, "anna@jarfalla.se").is_some());
        assert!(rule_for(&p, "anna@JARFALLA.SE").is_some());
        assert!(rule_for(&p, "bo@sollentuna.se").is_some());
        assert!(rule_for(&p, "eve@evil-jarfalla.se").is_none());
        assert!(rule_for(&p, "eve@jarfalla.se.evil.example").is_none());
        assert!(rule_for(&p, "eve@sub.jarfalla.se").is_none());
        assert!(rule_for(&p, "no-domain").is_none());
    }

    #[test]
    fn the_state_is_kept_only_as_a_hash() {
        let h = state_hash("abc");
        assert_eq!(h.len(), 64);
        assert_ne!(h, "abc");
        assert_eq!(h, state_hash("abc"));
        assert_ne!(h, state_hash("abd"));
    }
}
