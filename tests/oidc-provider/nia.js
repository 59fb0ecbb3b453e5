// Makes the test provider look like NIA (Identita občana) to a service provider:
// - discovery at /fpsts/oidc/openid-configuration, naming a URN issuer;
// - no RFC 9207 `iss` in authorization responses, no PKCE;
// - the ID token re-issued under the URN, without `sub`, signed, then encrypted as a JWE
//   (RSA-OAEP + A256CBC-HS512) to the service provider's key; userinfo answers {}.
// Config: {"issuer": URN, "rpKeyFile": where to write the service provider's private key (PEM),
//          "encryptTo": "other" to encrypt to some other key (a negative test), "none" to send the
//          signed ID token unencrypted (NIA's discovery lists no ID-token encryption)}.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { CompactEncrypt, SignJWT, decodeJwt } from 'jose';

export function niaShape(nia, signingKey, kid) {
  const rp = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(nia.rpKeyFile, rp.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const encryptTo = nia.encryptTo === 'other'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey
    : rp.publicKey;

  async function reissue(idToken) {
    const claims = decodeJwt(idToken);
    delete claims.sub;
    delete claims.sid;
    claims.iss = nia.issuer;
    const signed = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(signingKey);
    if (nia.encryptTo === 'none') return signed;
    return new CompactEncrypt(new TextEncoder().encode(signed))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256CBC-HS512', cty: 'JWT' })
      .encrypt(encryptTo);
  }

  return async (ctx, next) => {
    if (ctx.path === '/fpsts/oidc/openid-configuration') {
      ctx.path = '/.well-known/openid-configuration';
      await next();
      const doc = { ...ctx.body, issuer: nia.issuer };
      delete doc.authorization_response_iss_parameter_supported;
      // NIA does not advertise (or take) PKCE.
      delete doc.code_challenge_methods_supported;
      ctx.body = doc;
      return;
    }
    if (ctx.path === '/me') {
      ctx.type = 'application/json';
      ctx.body = {};
      return;
    }
    await next();
    if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: await reissue(ctx.body.id_token) };
    }
    const location = ctx.response.get('location');
    if (location && location.includes('iss=')) {
      const url = new URL(location);
      url.searchParams.delete('iss');
      ctx.response.set('location', url.toString());
    }
  };
}
