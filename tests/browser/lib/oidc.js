// The portal with real OpenID Connect logins: two test providers (tests/oidc-provider, npm
// oidc-provider) on loopback, a portal-backend configured with a town that trusts both (no
// --demo), and one headless Chromium. Provider A (login id `mojeid`) is a plain MojeID-like
// provider; provider B (login id `bankid`) is Bank iD-shaped: acr loa2/loa3, client_secret_post.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { backendBinary, webDir, watch, CHROMIUM_ARGS, ROOT } = require('./harness');

const PROVIDER_DIR = path.join(ROOT, 'tests/oidc-provider');
const CLIENT_SECRET = 'test-secret-not-real';

// A port nobody listens on right now (the kernel's choice, then released). The portal needs
// it before it starts: the providers must know its callback URLs.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// `npm ci` in tests/oidc-provider when its packages are missing (as the Rust tests do).
function ensureProviderInstalled() {
  if (fs.existsSync(path.join(PROVIDER_DIR, 'node_modules/oidc-provider/package.json'))) return;
  process.stderr.write(`# npm ci in ${PROVIDER_DIR}\n`);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: PROVIDER_DIR, stdio: ['ignore', process.stderr, process.stderr],
  });
  if (r.status !== 0) throw new Error(`npm ci in ${PROVIDER_DIR} failed (exit ${r.status})`);
}

// Kills `child` when the test process exits, whatever the reason; returns the undo.
function killOnExit(child) {
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill);
  return () => process.off('exit', kill);
}

async function stopChild(child, forget) {
  forget();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// Waits for `pattern` in the child's stdout; rejects when it exits or `ms` pass first.
function waitForLine(child, pattern, ms, what, log) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${what} did not start in ${ms / 1000} s:\n${log()}`)); }, ms);
    const onData = (d) => {
      out += d;
      const m = out.match(pattern);
      if (m) { cleanup(); resolve(m); }
    };
    const onExit = (code) => { cleanup(); reject(new Error(`${what} exited (${code}) before it was ready:\n${log()}`)); };
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

// `node server.js CONFIG.json` on a free port; resolves to { issuer, log, stop }.
async function startProvider(name, config, dir) {
  const file = path.join(dir, `provider-${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  // Key generation on two busy cores can be slow; a start that hangs is tried once more.
  let lastError;
  for (let attempt = 0; attempt < 2; attempt++) {
    const child = spawn(process.execPath, ['server.js', file], {
      cwd: PROVIDER_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forget = killOnExit(child);
    let log = '';
    child.stderr.on('data', (d) => { log = (log + d).slice(-20_000); });
    try {
      const [, issuer] = await waitForLine(child, /\{"issuer":"(http:\/\/127\.0\.0\.1:\d+)"\}/, 40_000,
        `the test provider ${name}`, () => log);
      child.stdout.resume(); // keep draining, so it never blocks on a full pipe
      return { issuer, log: () => log, stop: () => stopChild(child, forget) };
    } catch (e) {
      lastError = e;
      await stopChild(child, forget);
    }
  }
  throw lastError;
}

function providerConfig(port, loginId, extra = {}) {
  return {
    clients: [{
      client_id: 'portal',
      client_secret: CLIENT_SECRET,
      redirect_uris: [`http://127.0.0.1:${port}/api/auth/${loginId}/callback`],
      post_logout_redirect_uris: [`http://127.0.0.1:${port}/`],
    }],
    ...extra,
  };
}

// TOML basic strings take JSON's escapes.
const q = (s) => JSON.stringify(s);

function portalToml({ port, dataDir, web, mojeid, bankid }) {
  return `listen = ${q(`127.0.0.1:${port}`)}
data_dir = ${q(dataDir)}
web_dir = ${q(web)}
log_format = "json"

[[town]]
slug = "horni-lhota"
name = "Horní Lhota"
ico = "00298760"
street = "Náměstí 1"
city = "Horní Lhota"
psc = "512 34"
bank_account = "19-2000145399/0800"

[[town.login]]
id = "mojeid"
kind = "moje_id"
issuer = ${q(mojeid)}
client_id = "portal"
client_secret = ${q(CLIENT_SECRET)}
scopes = ["profile", "email"]

[[town.login]]
id = "bankid"
kind = "bank_id"
issuer = ${q(bankid)}
client_id = "portal"
client_secret = ${q(CLIENT_SECRET)}
scopes = ["profile"]
acr_values = ["loa3"]
`;
}

async function startBackend(port, configFile) {
  const child = spawn(backendBinary(), ['--config', configFile], {
    // Nothing from the caller's PORTAL_* variables: the file is the whole configuration.
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = killOnExit(child);
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-20_000); });
  try {
    const [, url] = await waitForLine(child, /running at (http:\/\/127\.0\.0\.1:\d+)\//, 20_000,
      'portal-backend', () => log);
    child.stdout.resume();
    if (url !== `http://127.0.0.1:${port}`) throw new Error(`backend listens at ${url}, not on port ${port}`);
    const health = await (await fetch(`${url}/health`)).json();
    if (health.status !== 'ok') throw new Error(`/health: ${JSON.stringify(health)}`);
    return { url, log: () => log, stop: () => stopChild(child, forget) };
  } catch (e) {
    await stopChild(child, forget);
    throw e;
  }
}

// Providers, backend and browser; `stop()` ends all of them (also those already started when a
// later one fails).
async function startOidcPortal() {
  backendBinary(); // throws now, before anything runs, when there is no binary
  const web = await webDir();
  ensureProviderInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-oidc-browser-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const running = [];
  let browser;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await Promise.all(running.map((r) => r.stop().catch(() => {})));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const accountClaims = {
      alice: { given_name: 'Alice', family_name: 'Nováková', email: 'alice@example.cz' },
      bob: { given_name: 'Bob', family_name: 'Dvořák' },
    };
    const [mojeid, bankid] = await Promise.all([
      startProvider('mojeid', providerConfig(port, 'mojeid', {
        scopes: ['openid', 'profile', 'email'],
        accounts: { alice: { claims: accountClaims.alice } },
      }), dir),
      startProvider('bankid', providerConfig(port, 'bankid', {
        acrValues: ['loa2', 'loa3'],
        clientAuth: 'client_secret_post',
        accounts: { bob: { acr: 'loa3', claims: accountClaims.bob } },
      }), dir),
    ].map((p) => p.then((r) => { running.push(r); return r; })));

    const configFile = path.join(dir, 'portal.toml');
    fs.writeFileSync(configFile, portalToml({ port, dataDir, web, mojeid: mojeid.issuer, bankid: bankid.issuer }));
    const backend = await startBackend(port, configFile);
    running.push(backend);

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const origin = backend.url;
    const issuers = [mojeid.issuer, bankid.issuer];
    return {
      url: (p = '/') => origin + p,
      origin,
      providers: { mojeid, bankid },
      browser,
      logs: () => [
        `--- portal-backend\n${backend.log()}`,
        `--- provider mojeid (${mojeid.issuer})\n${mojeid.log()}`,
        `--- provider bankid (${bankid.issuer})\n${bankid.log()}`,
      ].join('\n'),
      async page({ viewport = { width: 1280, height: 800 }, allow401 = [], ...options } = {}) {
        const context = await browser.newContext({ viewport, locale: 'cs-CZ', ...options });
        await context.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (e) => {
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
          });
        });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const problems = watch(page, origin, ['/api/session', ...allow401], issuers);
        // Not the portal's doing: the test provider's stand-in for its login form,
        // /interaction/UID without a query, answers 400 ("unknown test account") before the test
        // adds ?login=..., and the provider has no /favicon.ico. Chromium logs both as failed
        // resources.
        const providers = issuers.map((i) => i.replace(/[.]/g, '\\.')).join('|');
        const providerNoise = new RegExp('^Failed to load resource: .*status of (400|404) ' +
          `.*\\((${providers})/(interaction/[^?)]*|favicon\\.ico)\\)$`);
        const all = problems.all;
        problems.all = () => all().filter((p) => !providerNoise.test(p));
        return { page, context, problems };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

const isInteraction = (u) => u.pathname.startsWith('/interaction/') && !u.search;

// Does `action` (a click that leaves for a provider) and plays the person at the provider:
// at every interaction page (the provider's login form, here without a form) it opens the same
// URL with `?login=ACCOUNT` (or `?cancel=1`); the consent hop that follows is granted by the
// provider itself. Resolves once the browser is back on the portal, past its /api/ callback.
async function throughProvider(page, portal, action, { login, cancel = false }) {
  const query = cancel ? 'cancel=1' : `login=${encodeURIComponent(login)}`;
  const left = page.waitForURL((u) => u.origin !== portal.origin, { waitUntil: 'commit' });
  await action();
  await left;
  for (let hop = 0; hop < 5; hop++) {
    await page.waitForURL((u) => isInteraction(u) ||
      (u.origin === portal.origin && !u.pathname.startsWith('/api/')), { waitUntil: 'commit' });
    const here = new URL(page.url());
    if (here.origin === portal.origin) return;
    await page.goto(`${here.origin}${here.pathname}?${query}`);
  }
  throw new Error(`still at the provider after five interactions: ${page.url()}`);
}

module.exports = { startOidcPortal, throughProvider };
