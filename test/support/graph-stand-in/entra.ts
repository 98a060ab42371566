import { constants, createHash, randomBytes, verify, X509Certificate } from 'node:crypto';

// The Entra ID half of the stand-in: OpenID metadata per tenant (what MSAL reads with instance discovery
// off) and the v2.0 token endpoint for client credentials — a client secret, or a certificate assertion
// whose JWT shape, claims and signature are checked. Refusals carry AADSTS codes as Entra's do.

export interface AppRegistration {
  readonly clientId: string;
  readonly secret: string;
  /** PEM of the certificate registered for the app (for client assertions). */
  readonly certificate?: string;
}

export interface IssuedToken {
  readonly tenantId: string;
  readonly expiresAt: number;
  /** The resource the token was asked for (the scope without "/.default"): APIs check it is theirs. */
  readonly audience: string;
}

export interface EntraAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const aadsts = (status: number, error: string, code: number, description: string): EntraAnswer => ({
  status,
  body: {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: 00000000-0000-0000-0000-000000000000`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
  },
});

/** OpenID configuration of one tenant on this authority. */
export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
  };
}

const b64url = (buf: Buffer): string => buf.toString('base64url');

/** Checks a client assertion (RFC 7523) as Entra does; returns a refusal, or null when it is good. */
function checkAssertion(
  app: AppRegistration,
  assertion: string,
  audience: string,
  nowSec: number,
): EntraAnswer | null {
  const bad = (why: string): EntraAnswer =>
    aadsts(401, 'invalid_client', 700027, `Client assertion failed: ${why}.`);
  if (app.certificate === undefined) return bad('no certificate is registered for the application');
  const parts = assertion.split('.');
  if (parts.length !== 3) return bad('not a JWS compact serialization');
  const [h = '', p = '', s = ''] = parts;
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return bad('header or payload is not JSON');
  }
  const cert = new X509Certificate(app.certificate);
  const sha256 = b64url(createHash('sha256').update(cert.raw).digest());
  const sha1 = b64url(createHash('sha1').update(cert.raw).digest());
  if (header.alg !== 'PS256' && header.alg !== 'RS256') return bad(`alg ${String(header.alg)}`);
  if (header['x5t#S256'] !== sha256 && header.x5t !== sha1)
    return bad('the thumbprint names no registered key');
  if (payload.aud !== audience) return bad(`aud must be ${audience}`);
  if (payload.iss !== app.clientId || payload.sub !== app.clientId)
    return bad('iss and sub must be the client id');
  if (typeof payload.jti !== 'string' || payload.jti === '') return bad('jti is missing');
  if (typeof payload.exp !== 'number' || payload.exp <= nowSec) return bad('the assertion has expired');
  if (typeof payload.nbf === 'number' && payload.nbf > nowSec + 300)
    return bad('the assertion is not valid yet');
  const signed = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const ok =
    header.alg === 'PS256'
      ? verify(
          'sha256',
          signed,
          { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          signature,
        )
      : verify('sha256', signed, cert.publicKey, signature);
  return ok ? null : bad('signature validation failed');
}

export interface TokenRequestContext {
  readonly origin: string;
  readonly tenantId: string;
  readonly knownTenant: boolean;
  /** The tenant deleted the app's service principal (consent revoked). */
  readonly revoked: boolean;
  readonly app: AppRegistration;
  readonly lifetimeSeconds: number;
}

/** Answers a POST to /{tenant}/oauth2/v2.0/token; on success also returns the token it issued. */
export function tokenAnswer(
  ctx: TokenRequestContext,
  form: URLSearchParams,
): EntraAnswer & { token?: string } {
  if (!ctx.knownTenant) return aadsts(400, 'invalid_request', 90002, `Tenant '${ctx.tenantId}' not found.`);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadsts(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  if (form.get('client_id') !== ctx.app.clientId) {
    return aadsts(
      400,
      'unauthorized_client',
      700016,
      `Application '${form.get('client_id')}' was not found in the directory.`,
    );
  }
  if (!(form.get('scope') ?? '').endsWith('/.default')) {
    return aadsts(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
  }
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return aadsts(400, 'invalid_request', 900023, 'Specified client_assertion_type is not supported.');
    }
    const refusal = checkAssertion(
      ctx.app,
      assertion,
      `${ctx.origin}/${ctx.tenantId}/oauth2/v2.0/token`,
      Math.floor(Date.now() / 1000),
    );
    if (refusal !== null) return refusal;
  } else if (form.get('client_secret') !== ctx.app.secret) {
    return aadsts(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  }
  if (ctx.revoked) {
    return aadsts(
      400,
      'unauthorized_client',
      7000229,
      'The client application is missing service principal in the tenant.',
    );
  }
  const token = `sti.${ctx.tenantId}.${randomBytes(12).toString('hex')}`;
  return {
    status: 200,
    token,
    body: {
      token_type: 'Bearer',
      expires_in: ctx.lifetimeSeconds,
      ext_expires_in: ctx.lifetimeSeconds,
      access_token: token,
    },
  };
}
