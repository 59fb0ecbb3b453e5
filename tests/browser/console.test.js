// Test 5: every page, logged out and logged in, in both languages, without a console error,
// an uncaught exception, a CSP violation or a request leaving 127.0.0.1. The session probe's
// 401 on a logged-out start is expected and reported, not counted.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startPortal, open, loginAs } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

const PAGES = ['/', '/nastaveni', '/profil', '/prohlaseni-o-pristupnosti', '/zadna-takova-stranka', '/prihlaseni'];

async function visitAll(page, lang) {
  for (const path of PAGES) {
    await open(page, portal.url(path));
    await page.locator('.loading').waitFor({ state: 'detached' });
    // Let late requests (images, the service worker's precache) finish and report.
    await page.waitForLoadState('networkidle');
    if (lang) assert.equal(await page.locator('html').getAttribute('lang'), lang);
  }
}

test('the server sends a strict Content-Security-Policy with the app', async () => {
  const res = await fetch(portal.url('/nastaveni'));
  const csp = res.headers.get('content-security-policy') ?? '';
  // Only our own scripts and WebAssembly: no inline scripts, no eval. (Without this header,
  // "no CSP violations" below would prove nothing.)
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.equal(scriptSrc, "script-src 'self' 'wasm-unsafe-eval'", csp);
  assert.match(csp, /(^|; )default-src 'self'(;|$)/, csp);
});

test('logged out: the public pages and the login page start cleanly', async (t) => {
  const { page, problems } = await portal.page();
  await open(page, portal.url('/prihlaseni'));
  await page.locator('.persona').first().waitFor();
  await page.waitForLoadState('networkidle');
  await open(page, portal.url('/prohlaseni-o-pristupnosti'));
  await open(page, portal.url('/zadna-takova-stranka'));
  await page.getByRole('heading', { level: 1, name: 'Stránka nenalezena' }).waitFor();
  await page.waitForLoadState('networkidle');
  for (const url of problems.expected401) t.diagnostic(`expected 401 from the session probe: ${url}`);
  assert.ok(problems.expected401.length > 0, 'the app asks the server who is logged in');
  assert.deepEqual(problems.all(), []);
});

test('logged in as Jana: every page in Czech and English without errors', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Jana Nováková');
  await visitAll(page, 'cs');
  await page.getByRole('button', { name: 'English' }).click();
  await visitAll(page, 'en');
  // Logged in, nothing at all should fail, not even the session probe.
  const probesAfterLogin = problems.expected401.length;
  assert.ok(probesAfterLogin <= 1, `only the first, logged-out start may get a 401 (${probesAfterLogin})`);
  assert.deepEqual(problems.all(), []);
});
