// A hospital identity provider for the SSO tests: node-oidc-provider (an OpenID-certified
// implementation) with a login page of its own, so a test can say which authentication methods
// (amr) the sign-in used. Started by tests/accounts/sso/conftest.py; configured from the
// environment: IDP_PORT, IDP_CLIENTS and IDP_ACCOUNTS (JSON).
//
// POST /__test__/mode {"clockOffsetSeconds": -3600, "foreignJwks": true} lets a test make the
// provider issue ID tokens that are already expired, or publish a key set that did not sign them
// (same key id, different key): two ways a relying party must refuse an ID token it is handed.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.IDP_CLIENTS);
const accounts = JSON.parse(process.env.IDP_ACCOUNTS);
const mode = { foreignJwks: false, clockOffsetSeconds: 0 };
// A provider whose clock is wrong issues tokens that are already expired when they arrive.
const realNow = Date.now;
Date.now = () => realNow() + mode.clockOffsetSeconds * 1000;

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'hospital-idp-1', alg: 'RS256', use: 'sig' };
}
const key = signingKey();
const foreignKey = signingKey();
const publicPart = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [key] },
  cookies: { keys: ['test-idp-cookie-key'] },
  conformIdTokenClaims: false,
  claims: {
    // How the person authenticated travels in the signed ID token, where relying parties read it.
    openid: ['sub', 'acr', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: {
    AccessToken: 300,
    AuthorizationCode: 60,
    Grant: 600,
    IdToken: 300,
    Interaction: 600,
    Session: 600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // First-party client: the hospital has already consented on its staff's behalf.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name,
          groups: account.groups || [],
        };
      },
    };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hospital sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 24rem; margin: 3rem auto;">
<h1>Hospital sign-in</h1>
${error ? `<p role="alert" style="color: #b00020;">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label>Username <input name="login" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid));
    return;
  }
  if (action !== 'login') throw new Error(`unknown interaction action ${action}`);
  const form = await readForm(req);
  const accountId = form.get('login');
  const account = accounts[accountId];
  if (!account || account.password !== form.get('password')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid, 'Wrong username or password.'));
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId, amr: account.amr || ['pwd'], ...(account.acr ? { acr: account.acr } : {}) },
  }, { mergeWithLastSubmission: false });
}

const providerCallback = provider.callback();

http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/([a-z]+))?$/);
    if (match) {
      await interaction(req, res, match[1], match[2]);
    } else if (url.pathname === '/__test__/mode' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      Object.assign(mode, JSON.parse(body));
      res.writeHead(204);
      res.end();
    } else if (url.pathname === '/jwks' && mode.foreignJwks) {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify({ keys: [publicPart(foreignKey)] }));
    } else {
      providerCallback(req, res);
    }
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
}).listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
