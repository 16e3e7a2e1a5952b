// A real OpenID Provider on loopback for the single sign-on tests (tests/api/oidc.rs,
// tests/web/oidc.rs): npm's oidc-provider (installed by `npm ci --prefix tests/web`,
// never downloaded at run time) with its development log-in form, which accepts any
// login and password. The login typed is the account id, and the account's e-mail
// address is the login itself.
//
// Environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI: the one registered client.
//   OIDC_MODE: what the token endpoint does to the ID token it issues:
//     normal (default), tampered (one byte of the signature flipped), wrong_audience
//     (signed with the provider's key for another client), unverified
//     (email_verified false), expired (exp an hour ago), wrong_nonce (another nonce),
//     entra (no email and no email_verified, as Entra ID sends: preferred_username only).
//
// It listens on 127.0.0.1 port 0 first, then builds the provider with the issuer
// http://127.0.0.1:{port}, and prints one line: {"port": N}. It stops when its
// standard input closes (the test that started it ended).

import http from 'node:http';

const modules = new URL('../web/node_modules/', import.meta.url);
const { default: Provider } = await import(new URL('oidc-provider/lib/index.js', modules));
const jose = await import(new URL('jose/dist/webapi/index.js', modules));

const clientId = process.env.OIDC_CLIENT_ID ?? 'stegvis';
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? 'stegvis-secret';
const redirectUri = process.env.OIDC_REDIRECT_URI;
const mode = process.env.OIDC_MODE ?? 'normal';
const modes = ['normal', 'tampered', 'wrong_audience', 'unverified', 'expired', 'wrong_nonce', 'entra'];
if (!redirectUri || !modes.includes(mode)) {
  console.error(`OIDC_REDIRECT_URI is required and OIDC_MODE one of ${modes.join(', ')}`);
  process.exit(2);
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['stegvis-test-provider'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  // The claims the scopes grant go into the ID token too (Stegvis reads only it).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, email: id, email_verified: true, name: `Account ${id}`, preferred_username: id,
        };
      },
    };
  },
});

const b64 = (bytes) => Buffer.from(bytes).toString('base64url');

// What the token endpoint's test mode does to a valid ID token.
async function altered(idToken) {
  const [header, payload, signature] = idToken.split('.');
  if (mode === 'tampered') {
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1] ^= 0x01;
    return `${header}.${payload}.${b64(bytes)}`;
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong_audience': claims.aud = 'another-client'; break;
    case 'unverified': claims.email_verified = false; break;
    case 'expired': claims.iat = now - 7200; claims.exp = now - 3600; break;
    case 'wrong_nonce': claims.nonce = 'not-the-nonce-that-was-sent'; break;
    case 'entra': delete claims.email; delete claims.email_verified; break;
    default: return idToken;
  }
  const key = await jose.importJWK(signingJwk, 'RS256');
  return new jose.SignJWT(claims)
    .setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url').toString()))
    .sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (mode !== 'normal' && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await altered(ctx.body.id_token) };
  }
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
