// Test 7 (issue #3): logins through real OpenID Connect providers. Alice logs in with MojeID,
// sees her dashboard, links her Bank iD on the profile page, and logs out, which ends her
// session at MojeID too; a cancelled login comes back with an explanation in Czech.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startOidcPortal, throughProvider } = require('./lib/oidc');

let portal;
before(async () => { portal = await startOidcPortal(); });
after(async () => { await portal?.stop(); });

// On failure, what the servers said helps more than a timeout.
async function withLogs(fn) {
  try {
    await fn();
  } catch (e) {
    process.stderr.write(`${portal?.logs?.() ?? ''}\n`);
    throw e;
  }
}

test('Alice logs in with MojeID, links Bank iD on her profile and logs out at the provider too', () => withLogs(async () => {
  // After logout the app probes the session and may ask for the dashboard: 401s expected there.
  const { page, problems } = await portal.page({ allow401: ['/api/dashboard', '/api/me/profile'] });
  const mojeid = portal.providers.mojeid.issuer;
  const bankid = portal.providers.bankid.issuer;
  const visited = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });

  // The login page offers both providers as plain links to the server's start endpoints.
  await page.goto(portal.url('/prihlaseni'));
  await page.getByRole('heading', { level: 1, name: 'Přihlášení' }).waitFor();
  const methods = page.locator('a.login-method');
  await methods.first().waitFor();
  const hrefs = await methods.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.equal(hrefs.length, 2, `two login methods: ${hrefs.join(', ')}`);
  assert.ok(hrefs.some((h) => h.includes('/api/auth/mojeid/start')), hrefs.join(', '));
  assert.ok(hrefs.some((h) => h.includes('/api/auth/bankid/start')), hrefs.join(', '));
  assert.equal(await page.locator('.persona').count(), 0, 'no demo login in a configured town');

  // MojeID: the provider asks who this is (alice), consents, and sends her back.
  await throughProvider(page, portal,
    () => page.locator('a.login-method[href*="/api/auth/mojeid/start"]').click(), { login: 'alice' });
  assert.ok(visited.some((u) => u.startsWith(`${mojeid}/interaction/`)), 'went through MojeID');
  assert.equal(page.url(), portal.url('/'), 'MojeID\'s login lands on the dashboard');
  await page.getByRole('heading', { level: 1, name: 'Přehled' }).waitFor();
  assert.equal(await page.title(), 'Přehled – Horní Lhota');
  const toggle = page.locator('.user-menu__toggle');
  assert.match(await toggle.innerText(), /Alice Nováková/);

  // The profile lists the one identity and offers to link the other provider.
  await page.goto(portal.url('/profil'));
  await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
  const identities = page.locator('ul.identities > li');
  await identities.first().waitFor();
  assert.equal(await identities.count(), 1);
  assert.match(await identities.first().innerText(), /MojeID/);
  const link = page.locator('a.link-method[href*="/api/auth/bankid/start?intent=link"]');
  await link.waitFor();
  assert.equal(await page.locator('a.link-method[href*="/api/auth/mojeid/start"]').count(), 0,
    'no offer to link the provider already linked');

  // Linking: Bank iD as bob, back on the profile, the same person with two identities.
  await throughProvider(page, portal, () => link.click(), { login: 'bob' });
  assert.ok(visited.some((u) => u.startsWith(`${bankid}/interaction/`)), 'went through Bank iD');
  assert.equal(page.url(), portal.url('/profil'), 'linking returns to the profile');
  await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
  await page.locator('ul.identities > li').nth(1).waitFor();
  assert.equal(await identities.count(), 2);
  const listed = await page.locator('ul.identities').innerText();
  assert.match(listed, /MojeID/);
  assert.match(listed, /Bankovní identita/);
  assert.match(await toggle.innerText(), /Alice Nováková/, 'still Alice, not Bob');

  // The profile with two identities passes axe (WCAG 2.1 A + AA).
  await page.locator('.loading').waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready);
  const { violations } = await axe(page);
  assert.equal(violations.length, 0, `axe on /profil:\n${readable(violations)}`);

  // Logout: the portal's session ends, then MojeID's logout page (it confirms itself) sends
  // the browser back to the portal's front page.
  await toggle.click();
  const logout = page.locator('.user-menu__logout');
  await logout.waitFor();
  const atProvider = page.waitForURL((u) => u.origin === mojeid, { waitUntil: 'commit' });
  const mark = visited.length;
  await logout.click();
  await atProvider;
  await page.waitForURL((u) => u.origin === portal.origin, { waitUntil: 'commit' });
  // MojeID's end-session page, then its redirect to the front page (which the app may then
  // route onwards).
  const hops = visited.slice(mark);
  const away = hops.findIndex((u) => u.startsWith(mojeid));
  assert.match(hops[away], new RegExp(`^${mojeid}/session/end\\?`), `MojeID's end-session page: ${hops.join(' → ')}`);
  const back = hops.slice(away).find((u) => u.startsWith(portal.origin));
  assert.equal(back, portal.url('/'), `back on the portal: ${hops.join(' → ')}`);
  await page.locator('main h1').first().waitFor();
  await page.locator('.gov-header__login').waitFor();
  assert.equal(await page.locator('.user-menu__toggle').count(), 0);
  const session = await page.request.get(portal.url('/api/session'));
  assert.equal(session.status(), 401, 'the portal session is gone');

  assert.deepEqual(problems.all(), [], 'no console errors, exceptions, CSP violations or off-machine requests');
}));

test('a login cancelled at the provider comes back with an explanation in Czech', () => withLogs(async () => {
  const { page, problems } = await portal.page();
  await page.goto(portal.url('/prihlaseni'));
  const mojeid = page.locator('a.login-method[href*="/api/auth/mojeid/start"]');
  await mojeid.waitFor();
  await throughProvider(page, portal, () => mojeid.click(), { cancel: true });
  await page.getByRole('heading', { level: 1, name: 'Přihlášení' }).waitFor();
  const here = new URL(page.url());
  assert.equal(here.pathname, '/prihlaseni');
  assert.equal(here.searchParams.get('error'), 'cancelled');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.ok(await alert.isVisible());
  assert.match(await alert.innerText(), /Přihlášení bylo zrušeno/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'cs');
  const session = await page.request.get(portal.url('/api/session'));
  assert.equal(session.status(), 401, 'nobody is logged in');
  assert.deepEqual(problems.all(), [], 'no console errors, exceptions, CSP violations or off-machine requests');
}));

// In the first test the two providers, both on 127.0.0.1, share the browser's cookies (cookies
// ignore ports): Bank iD's session cookie replaces MojeID's, so there it cannot show that
// MojeID's session ended. Here only MojeID is used: right after logout, MojeID must ask who is
// logging in (its login page stays on screen) instead of sending the browser straight back on
// its still-open session (a consent hop alone is granted on the fly and never shows).
test('after logout MojeID asks again who is logging in', () => withLogs(async () => {
  const { page, problems } = await portal.page({ allow401: ['/api/dashboard'] });
  const mojeid = portal.providers.mojeid.issuer;
  await page.goto(portal.url('/prihlaseni'));
  const start = page.locator('a.login-method[href*="/api/auth/mojeid/start"]');
  await throughProvider(page, portal, () => start.click(), { login: 'alice' });
  assert.equal(page.url(), portal.url('/'), 'MojeID\'s login lands on the dashboard');

  // Without the provider's logout, its session would answer the next login at once.
  await page.locator('.user-menu__toggle').click();
  const atProvider = page.waitForURL((u) => u.origin === mojeid, { waitUntil: 'commit' });
  await page.locator('.user-menu__logout').click();
  await atProvider;
  await page.waitForURL((u) => u.origin === portal.origin, { waitUntil: 'commit' });
  await page.locator('.gov-header__login').waitFor();

  await page.goto(portal.url('/prihlaseni'));
  const interaction = page.waitForURL((u) => u.origin === mojeid, { waitUntil: 'commit' });
  await start.click();
  await interaction;
  assert.match(page.url(), new RegExp(`^${mojeid}/interaction/`), 'MojeID asks for the login again');
  assert.deepEqual(problems.all(), [], 'no console errors, exceptions, CSP violations or off-machine requests');
}));
