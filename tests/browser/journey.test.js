// Test 1: a first visit as a person sees it. Login page with the demo people, Jana's
// dashboard in Czech, the switch to English, a reload on a client route, logout.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startPortal, open } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

const NBSP = '\u00a0';
const BANNER_CS = 'DEMO – fiktivní město a smyšlená data';
const BANNER_EN = 'DEMO – fictitious town and made-up data';

async function bannerSays(page, text) {
  const banner = page.locator('.demo-banner');
  await banner.waitFor();
  assert.equal((await banner.innerText()).trim(), text);
  assert.ok(await banner.isVisible(), 'the demo banner is visible');
}

async function tileText(page, title) {
  const tile = page.locator('.tile').filter({ has: page.getByRole('heading', { name: title }) });
  return (await tile.locator('.tile__summary').textContent()).trim();
}

test('a visitor logs in as Jana, reads her dashboard in Czech and English, and logs out', async () => {
  // Opening the dashboard and the profile while logged out is part of this journey: their
  // data requests answer 401 and the app then shows the login page.
  const { page, problems } = await portal.page({ allow401: ['/api/dashboard', '/api/me/profile'] });

  // The dashboard needs a login: the app sends the visitor to the login page, remembering "/".
  await page.goto(portal.url('/'));
  await page.getByRole('heading', { level: 1, name: 'Přihlášení' }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/prihlaseni$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'cs');
  await bannerSays(page, BANNER_CS);

  // The demo people, each a button saying whom you log in as and with which roles.
  const demo = page.getByRole('region', { name: /Demo přihlášení/ });
  await demo.getByRole('button').first().waitFor();
  const personas = (await demo.getByRole('button').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.deepEqual(personas, [
    'Přihlásit se jako Jana Nováková občan',
    'Přihlásit se jako Petr Svoboda občan',
    'Přihlásit se jako Marie Dvořáková občan, úředník',
    'Přihlásit se jako Tomáš Král občan, správce',
  ]);

  await demo.getByRole('button', { name: 'Přihlásit se jako Jana Nováková' }).click();
  await page.getByRole('heading', { level: 1, name: 'Přehled' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.title(), 'Přehled – Dolní Lhota');
  await bannerSays(page, BANNER_CS);
  assert.equal((await page.locator('main .lead').innerText()).trim(), 'Dobrý den, Jana Nováková.');

  // Czech plural ("few" form) and amount with non-breaking spaces, due date Czech style.
  await page.locator('.tile__summary').first().waitFor();
  const payments = await tileText(page, 'Platby a poplatky');
  assert.match(payments, new RegExp(
    `^2 nezaplacené poplatky · 1${NBSP}500,00${NBSP}Kč, splatnost 31\\.${NBSP}3\\.${NBSP}\\d{4}$`));
  assert.equal(await tileText(page, 'Zprávy z úřadu'), '2 nepřečtené zprávy');
  assert.equal(await page.locator('.tile').count(), 2, 'the demo town has two modules');

  // English: every text changes, and so does <html lang>.
  const english = page.getByRole('button', { name: 'English' });
  await english.click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await english.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Čeština' }).getAttribute('aria-pressed'), 'false');
  await bannerSays(page, BANNER_EN);
  assert.match(await tileText(page, 'Payments and fees'),
    new RegExp(`^2 unpaid fees · 1${NBSP}500,00${NBSP}Kč, due 31${NBSP}March${NBSP}\\d{4}$`));
  assert.equal(await tileText(page, 'Messages from the office'), '2 unread messages');
  assert.equal(await page.title(), 'Overview – Dolní Lhota');

  // A full reload of a client route: the server answers with the app (SPA fallback), the
  // session cookie and the language choice survive.
  const response = await page.goto(portal.url('/nastaveni'));
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /^text\/html/);
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/nastaveni');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await bannerSays(page, BANNER_EN);
  await page.getByLabel('E-mail').waitFor();

  // Logout from the user menu.
  const menu = page.getByRole('navigation', { name: 'User menu' });
  const toggle = menu.getByRole('button', { name: /Jana Nováková/ });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await menu.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/prihlaseni');
  await page.getByRole('button', { name: 'Log in as Jana Nováková' }).waitFor();
  await bannerSays(page, BANNER_EN);
  assert.equal(await page.getByRole('navigation', { name: 'User menu' }).count(), 0);

  // The session is gone on the server too: a protected page leads back to login.
  await open(page, portal.url('/profil'));
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('next'), '/profil');

  assert.deepEqual(problems.all(), [], 'no console errors, exceptions or CSP violations');
});
