// The test harness: one portal-backend --demo (fresh data dir, free loopback port) and one
// headless Chromium per test file, plus a page factory that records everything a person
// would call broken (console errors, uncaught exceptions, CSP violations, requests that leave
// the machine).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const HERE = path.resolve(__dirname, '..');
const ROOT = path.resolve(HERE, '../..');

// From TOOLING.md: the Debian Chromium, never a downloaded one.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
  // Belt and braces for "loopback only": no host name resolves, so nothing but the
  // 127.0.0.1 the backend listens on can be reached.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

function backendBinary() {
  if (process.env.PORTAL_BACKEND_BIN) return process.env.PORTAL_BACKEND_BIN;
  const candidates = [
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'debug/portal-backend'),
    path.join(ROOT, 'target/debug/portal-backend'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`portal-backend not found (looked at ${candidates.join(', ')}); ` +
      'run `cargo build -p portal-backend` or set PORTAL_BACKEND_BIN');
  }
  return found;
}

// The newest modification time under the inputs of the web build.
function newestSource() {
  let newest = 0;
  const walk = (p) => {
    let st;
    try { st = fs.statSync(p); } catch { return; }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const p of ['app/src', 'app/Cargo.toml', 'assets', 'domain/src', 'Cargo.lock',
    'scripts/build-web.sh']) {
    walk(path.join(ROOT, p));
  }
  return newest;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// $PORTAL_WEB_DIR as given, else tests/browser/.web, built by scripts/build-web.sh when missing
// or older than the app's sources. Test files run in parallel processes, so one builds and
// the others wait on a lock directory.
async function webDir() {
  if (process.env.PORTAL_WEB_DIR) return process.env.PORTAL_WEB_DIR;
  const out = path.join(HERE, '.web');
  const marker = path.join(out, '.portal-web-build');
  const fresh = () => fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= newestSource();
  const lock = path.join(HERE, '.web.lock');
  // Beside the lock: the sources' time stamp of a build that failed, so the other test
  // files of the same run fail at once instead of each trying again.
  const failed = path.join(HERE, '.web.failed');
  for (;;) {
    if (fresh()) return out;
    if (fs.existsSync(failed) && fs.readFileSync(failed, 'utf8') === String(newestSource())) {
      throw new Error('scripts/build-web.sh failed for these sources (see the first test file\'s log)');
    }
    try {
      fs.mkdirSync(lock);
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 15 minutes belongs to a build that died.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      if (fresh()) return out;
      const stamp = String(newestSource());
      process.stderr.write(`# building the web client into ${out} (scripts/build-web.sh)\n`);
      const r = spawnSync(path.join(ROOT, 'scripts/build-web.sh'), [out], {
        cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr], // stdout carries the test report
      });
      if (r.status !== 0) {
        fs.writeFileSync(failed, stamp);
        throw new Error(`scripts/build-web.sh failed (exit ${r.status})`);
      }
      fs.rmSync(failed, { force: true });
      return out;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

// Starts `portal-backend --demo` on 127.0.0.1 with port 0 (the kernel picks a free one) and
// waits for the line that names the real address.
// `env`: more variables for the server (e.g. the demo town's card gateway).
async function startBackend({ env = {} } = {}) {
  const bin = backendBinary();
  const web = await webDir();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-browser-'));
  const child = spawn(bin, ['--demo'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORTAL_LISTEN: '127.0.0.1:0',
      PORTAL_DATA_DIR: data,
      PORTAL_WEB_DIR: web,
      PORTAL_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-20_000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`backend did not start in 20 s:\n${log}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited (${code}) before it was ready:\n${log}`));
    });
  });
  const health = await (await fetch(`${url}/health`)).json();
  if (health.status !== 'ok') throw new Error(`/health: ${JSON.stringify(health)}`);
  // Whatever happens to the test process, the backend goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  return {
    url,
    log: () => log,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

// The portal for one test file: backend + browser. `portal.page(options)` opens a page in a new
// context (own cookies and storage) and returns it with `problems`, what went wrong on it.
// `env`: more variables for the server; `alsoAllowed`: other origins its pages may reach (a
// card gateway on loopback).
async function startPortal({ env = {}, alsoAllowed = [] } = {}) {
  const backend = await startBackend({ env });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (e) {
    await backend.stop();
    throw e;
  }
  const origin = backend.url;
  return {
    url: (p = '/') => origin + p,
    origin,
    browser,
    backendLog: backend.log,
    // allow401: API paths whose 401 is expected on this page besides the session probe
    // (e.g. a protected page opened while logged out).
    async page({ viewport = { width: 1280, height: 800 }, allow401 = [], ...options } = {}) {
      const context = await browser.newContext({ viewport, locale: 'cs-CZ', ...options });
      // A violation that the browser only reports as an event (e.g. a blocked style) counts too.
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
        });
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems = watch(page, origin, ['/api/session', ...allow401], alsoAllowed);
      return { page, context, problems };
    },
    async stop() {
      await browser?.close().catch(() => {});
      await backend.stop();
    },
  };
}

// The unauthenticated session probe (GET /api/session → 401) is expected: the app asks who is
// logged in on every start. Chromium logs every failed fetch as a console error; those are
// kept apart in `expected401` so a test can report them.
function isExpected401(msg, origin, paths) {
  const url = msg.location?.().url ?? '';
  return /status of 401/.test(msg.text()) && paths.some((p) => url === origin + p);
}

// `alsoAllowed`: other origins this page may reach (e.g. a test identity provider on loopback).
function watch(page, origin, allow401, alsoAllowed = []) {
  const problems = { console: [], pageErrors: [], csp: [], offsite: [], expected401: [] };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (isExpected401(msg, origin, allow401)) {
      problems.expected401.push(msg.location().url);
      return;
    }
    const where = msg.location?.().url ?? '';
    (/Content Security Policy|CSP violation/.test(msg.text()) ? problems.csp : problems.console)
      .push(`${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => {
    (/Content Security Policy/.test(err.message) ? problems.csp : problems.pageErrors)
      .push(String(err.stack || err.message).split('\n').slice(0, 4).join('\n'));
  });
  page.on('request', (req) => {
    const u = req.url();
    const allowed = [origin, ...alsoAllowed].some((o) => u.startsWith(o + '/'));
    if (!allowed && !/^(data|blob):/.test(u)) problems.offsite.push(u);
  });
  problems.all = () => [...problems.console, ...problems.pageErrors, ...problems.csp, ...problems.offsite];
  return problems;
}

// Opens a path and waits until the app has rendered its main heading.
async function open(page, url) {
  await page.goto(url);
  await page.locator('main h1').first().waitFor();
}

// Logs in through the demo login's persona button, e.g. "Jana Nováková", and waits for the
// dashboard.
async function loginAs(page, portal, name) {
  await open(page, portal.url('/prihlaseni'));
  await page.getByRole('button', { name: `Přihlásit se jako ${name}` }).click();
  await page.getByRole('heading', { level: 1, name: 'Přehled' }).waitFor();
}

module.exports = {
  startPortal, open, loginAs, ROOT, HERE,
  // For harnesses that start the backend their own way (lib/oidc.js).
  backendBinary, webDir, watch, CHROMIUM_ARGS,
};
