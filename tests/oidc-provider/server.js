// A real OpenID Connect provider (npm oidc-provider) for the portal's login tests.
//
//   node server.js CONFIG.json
//
// Listens on 127.0.0.1 (port 0 picks a free one) and prints one JSON line {"issuer": URL} on
// stdout once it answers. The login is non-interactive so tests need no HTML scraping: the
// provider sends the browser to /interaction/UID, and the test follows that URL adding
// `?login=ACCOUNT` (logs in as a configured account) or `?cancel=1` (the user cancels).
// `faults` makes endpoints misbehave: {"token": "garbage" | "slow" | "loose"}, {"discovery": "garbage"}.
// {"idToken": "tampered" | "none" | "expired" | "issuer" | "audience" | "hs256" | "unknown-key"}
// spoils the ID token in the token response; "new-key" signs it with a key published in the
// key set only from then on (a key rotation). `nia` makes it NIA-shaped (see nia.js).
// `clientAuth` may also be "private_key_jwt" (the client then lists its `jwks`). RP-initiated
// logout is on; the logout confirmation page is skipped (`logoutSource` submits itself).
// `idTokenAlg` signs ID tokens with another algorithm (Bank iD publishes ES512 and PS512), with a
// key of its own beside the RS256 one; `userinfoAlg` makes userinfo answer a signed JWT
// (`application/jwt`; HS256 is signed with the client secret, as in Bank iD's example);
// `discovery` adds fields to the discovery document; `clientAuthMethods` is what it lists (and
// takes) in token_endpoint_auth_methods_supported.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';
import { niaShape } from './nia.js';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts ?? {};
const faults = config.faults ?? {};

// A fresh key per run: the library's built-in development key is public.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
const keyParams = {
  PS256: ['rsa', { modulusLength: 2048 }], PS384: ['rsa', { modulusLength: 2048 }], PS512: ['rsa', { modulusLength: 2048 }],
  RS384: ['rsa', { modulusLength: 2048 }], RS512: ['rsa', { modulusLength: 2048 }],
  ES256: ['ec', { namedCurve: 'P-256' }], ES384: ['ec', { namedCurve: 'P-384' }], ES512: ['ec', { namedCurve: 'P-521' }],
};
const extraKeys = [];
for (const alg of new Set([config.idTokenAlg, config.userinfoAlg].filter((a) => keyParams[a]))) {
  const extra = crypto.generateKeyPairSync(...keyParams[alg]).privateKey;
  extraKeys.push({ ...extra.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg, use: 'sig' });
}
const withAlgs = (defaults, ...algs) => [...new Set([...defaults, ...algs.filter(Boolean)])];

const server = http.createServer();
await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  // `clientAuth`: how every client authenticates at the token endpoint (NIA, Bank iD: post).
  clients: config.clients.map((c) => ({
    token_endpoint_auth_method: config.clientAuth ?? 'client_secret_basic',
    ...(config.idTokenAlg ? { id_token_signed_response_alg: config.idTokenAlg } : {}),
    ...(config.userinfoAlg ? { userinfo_signed_response_alg: config.userinfoAlg } : {}),
    ...c,
  })),
  jwks: { keys: [signingKey, ...extraKeys] },
  enabledJWA: {
    idTokenSigningAlgValues: withAlgs(['RS256', 'PS256', 'ES256'], config.idTokenAlg),
    userinfoSigningAlgValues: withAlgs(['RS256', 'PS256', 'ES256'], config.userinfoAlg),
  },
  discovery: config.discovery ?? {},
  // What discovery lists in token_endpoint_auth_methods_supported (and the library takes).
  ...(config.clientAuthMethods ? { clientAuthMethods: config.clientAuthMethods } : {}),
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  scopes: config.scopes ?? ['openid', 'profile', 'email'],
  claims: config.claims ?? { openid: ['sub'], profile: ['given_name', 'family_name'], email: ['email'] },
  acrValues: config.acrValues ?? [],
  // Profile claims in the ID token too, as Czech providers send them.
  conformIdTokenClaims: false,
  // NIA does not take PKCE; everyone else here insists on it.
  pkce: { required: () => !config.nia },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: Boolean(config.userinfoAlg) },
    rpInitiatedLogout: {
      enabled: true,
      // Tests need no click: the confirmation form submits itself, as the "Yes, sign me out"
      // button would (logout=yes). Without it the library only forgets this client and keeps
      // the person logged in at the provider.
      async logoutSource(ctx, form) {
        const yes = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
        ctx.body = `<!DOCTYPE html><html><body>${yes}<script>document.forms[0].submit()</script></body></html>`;
      },
    },
  },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
});

// The test-only login: the account comes from the query string (`?login=alice`); without
// one, a one-field form asks for it.
async function interaction(ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (ctx.query.cancel) {
    result = { error: 'access_denied', error_description: 'the user cancelled the login' };
  } else if (details.prompt.name === 'login' && ctx.query.login === undefined) {
    // A person at a browser (the kiosk's): a one-field form that comes back with ?login=.
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title>
<style>body{font:32px sans-serif;margin:40px}input,button{font:inherit;padding:12px}</style></head>
<body><main><h1>Test provider login</h1><form method="get">
<label for="login">Test account</label><br><input id="login" name="login" autofocus autocomplete="off">
<button type="submit">Sign in</button></form></main></body></html>`;
    return;
  } else if (details.prompt.name === 'login') {
    const account = accounts[ctx.query.login];
    if (!account) {
      ctx.status = 400;
      ctx.body = 'unknown test account';
      return;
    }
    result = { login: { accountId: ctx.query.login, acr: account.acr } };
  } else {
    // Consent: grant whatever was asked for.
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const missing = details.prompt.details.missingOIDCClaims;
    if (missing) grant.addOIDCClaims(missing);
    result = { consent: { grantId: await grant.save() } };
  }
  const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(to);
}

if (config.nia) provider.use(niaShape(config.nia, privateKey, signingKey.kid));

// Made up front: generating it inside a token request could outlast the portal's timeout.
const otherKey = ['unknown-key', 'new-key'].includes(faults.idToken)
  ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  : undefined;
const newKid = crypto.randomUUID();
let rotated = false;

// An ID token that a careful relying party must refuse.
async function spoil(idToken, how) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const [header, payload, signature] = idToken.split('.');
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  switch (how) {
    case 'tampered': return `${header}.${b64({ ...claims, sub: 'mallory' })}.${signature}`;
    case 'none': return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    case 'hs256': {
      const secret = new TextEncoder().encode(config.clients[0].client_secret);
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    }
    case 'unknown-key':
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).sign(otherKey);
    case 'new-key':
      rotated = true;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: newKid }).sign(otherKey);
    case 'expired': Object.assign(claims, { exp: now - 3600, iat: now - 7200 }); break;
    // The provider's clock is half a minute behind ours (or the token lived a short life).
    // Only what OIDC Core requires: the person's claims come from userinfo alone.
    case 'bare': {
      const { iss, sub, aud, exp, iat, nonce } = claims;
      return new SignJWT({ iss, sub, aud, exp, iat, nonce }).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).sign(privateKey);
    }
    case 'skewed': Object.assign(claims, { exp: now - 30, iat: now - 90 }); break;
    case 'issuer': claims.iss = 'http://127.0.0.1:1'; break;
    case 'audience': claims.aud = 'someone-else'; break;
    default: throw new Error(`unknown idToken fault ${how}`);
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path.startsWith('/interaction/')) return interaction(ctx);
  if (ctx.path === '/jwks' && rotated) {
    await next();
    const published = { ...crypto.createPublicKey(otherKey).export({ format: 'jwk' }), kid: newKid, alg: 'RS256', use: 'sig' };
    ctx.body = { keys: [...ctx.body.keys, published] };
    return undefined;
  }
  // The library takes basic and post alike; real providers (NIA) take only what was registered.
  const secretAuth = (config.clientAuth ?? 'client_secret_basic').startsWith('client_secret_');
  if (secretAuth && ctx.path === '/token' && Boolean(ctx.headers.authorization) !== (config.clientAuth !== 'client_secret_post')) {
    ctx.status = 401;
    ctx.body = { error: 'invalid_client', error_description: 'wrong client authentication method' };
    return undefined;
  }
  if (ctx.path === '/token' && faults.idToken) {
    await next();
    if (ctx.body?.id_token) ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token, faults.idToken) };
    return undefined;
  }
  if (ctx.path === '/.well-known/openid-configuration' && faults.discovery === 'garbage') {
    ctx.type = 'application/json';
    ctx.body = '{"issuer": 42, "this is": not json';
    return undefined;
  }
  if (ctx.path === '/token' && faults.token === 'garbage') {
    ctx.type = 'application/json';
    ctx.body = '{"access_token": ["garbage"]}';
    return undefined;
  }
  // RFC 6749 5.1/7.1: token_type is case-insensitive; Microsoft's older endpoints send
  // expires_in as a string.
  if (ctx.path === '/token' && faults.token === 'loose') {
    await next();
    if (ctx.body?.access_token) ctx.body = { ...ctx.body, token_type: 'bearer', expires_in: String(ctx.body.expires_in) };
    return undefined;
  }
  if (ctx.path === '/token' && faults.token === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, faults.delayMs ?? 5000));
  }
  return next();
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
