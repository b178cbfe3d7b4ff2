// A real OpenID provider on 127.0.0.1 for the tests and for `make run-sso`: the npm package
// oidc-provider (a certified implementation) with its development sign-in pages, where any
// password is accepted for a known login. Never for production.
//
//   node scripts/test-oidc-provider.mjs --port 9400 \
//     --redirect-uri http://127.0.0.1:8000/accounts/sso/callback/ \
//     --post-logout-redirect-uri http://127.0.0.1:8000/ [--state state.json]
//
// Clients: `pfcc-tracker` (secret `pfcc-test-secret`), the tracker, and `another-app`, whose ID
// tokens are for someone else (the tests use it for a wrong audience). Both use the code flow
// with PKCE, which this provider requires. Signing keys are made at start, so nothing secret is
// kept in the repository.
//
// Users are the demo people below, signing in with any password. The `roles`, `groups` and `oid`
// claims are in the ID token, where Microsoft Entra ID puts them.
//
// --state names a JSON file read again whenever the provider needs it, so the tests can change
// it while the provider runs: {"users": {"login": {claims}, ...}, "redirect_uris": [...],
// "post_logout_redirect_uris": [...]}, each replacing the default (a rewritten user's roles are
// in their next sign-in; a browser test adds its live server's address).
import {
  createHash, generateKeyPairSync, randomBytes, randomUUID,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '9400' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-redirect-uri': { type: 'string', multiple: true, default: [] },
    state: { type: 'string' },
  },
});

function state() {
  return options.state ? JSON.parse(readFileSync(options.state, 'utf8')) : {};
}

const DEMO_USERS = {
  alex: { name: 'Alex Amari', email: 'alex.amari@opfcc.example', roles: ['Drafter'] },
  bea: { name: 'Bea Brennan', email: 'bea.brennan@opfcc.example', roles: ['Reviewer'] },
  cal: { name: 'Cal Chowdhury', email: 'cal.chowdhury@opfcc.example', roles: ['Publisher'] },
  dee: {
    name: 'Dee Dlamini', email: 'dee.dlamini@opfcc.example', roles: ['Reviewer', 'Publisher'],
  },
  eve: { name: 'Eve Evans', email: 'eve.evans@opfcc.example', roles: ['Administrator'] },
  finn: { name: 'Finn Foster', email: 'finn.foster@opfcc.example', roles: [] },
};

function users() {
  return state().users ?? DEMO_USERS;
}

// An object id for each login, the same at every start, like Entra's `oid` (unless given).
function objectId(login) {
  const hex = createHash('sha256').update(login).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)]
    .join('-');
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig',
};

function client(clientId) {
  const { redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutUris } = state();
  return {
    client_id: clientId,
    client_secret: 'pfcc-test-secret',
    redirect_uris: redirectUris ?? options['redirect-uri'],
    post_logout_redirect_uris: postLogoutUris ?? options['post-logout-redirect-uri'],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
}
const CLIENT_IDS = new Set(['pfcc-tracker', 'another-app']);

// The provider's own in-memory storage, but clients made afresh from the state each time.
class Adapter extends MemoryAdapter {
  async find(id) {
    if (this.model === 'Client') return CLIENT_IDS.has(id) ? client(id) : undefined;
    return super.find(id);
  }
}

const issuer = `http://127.0.0.1:${options.port}`;
const provider = new Provider(issuer, {
  adapter: Adapter,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  claims: {
    // `_claim_names` stands for the groups when someone is in too many (Entra's overage).
    openid: ['sub', 'oid', 'roles', 'groups', '_claim_names'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  // The claims of the scopes go in the ID token too, not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, login) {
    const claims = users()[login];
    if (!claims) return undefined;
    return {
      accountId: login,
      async claims() {
        return {
          sub: login,
          oid: objectId(login),
          preferred_username: claims.email,
          email_verified: true,
          ...claims,
        };
      },
    };
  },
  // The office's own application: consent is given for everyone once, as an Entra
  // administrator grants it, so the sign-in page is the only page people see.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`Test OpenID provider at ${issuer}`);
});
