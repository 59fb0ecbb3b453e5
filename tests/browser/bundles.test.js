// The web client comes in two builds (scripts/build-web.sh): index.html without the back
// office's pages for citizens, office.html with every page for /sprava paths. Citizens never
// download the office's code; staff get into the office from the menu or after logging in, and
// citizen pages keep working inside the office's build.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startPortal, open, loginAs } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

// The glue module the page started, e.g. /pkg/portal_app-1234abcd.js.
const bundle = (page) => page.evaluate(() => document.querySelector('script[data-js]').dataset.js);
const CITIZEN = /^\/pkg\/portal_app-[0-9a-f]{8}\.js$/;
const OFFICE = /^\/pkg\/portal_office-[0-9a-f]{8}\.js$/;

test('citizens get the citizen build and never fetch the office build', async () => {
  const { page, problems } = await portal.page();
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await loginAs(page, portal, 'Jana Nováková');
  await open(page, portal.url('/platby'));
  assert.match(await bundle(page), CITIZEN);
  assert.ok(fetched.some((p) => /^\/pkg\/portal_app_bg-[0-9a-f]{8}\.wasm$/.test(p)), fetched.join(' '));
  assert.deepEqual(fetched.filter((p) => p.includes('portal_office')), []);
  assert.deepEqual(problems.all(), []);
});

test('staff go from the menu to the office build and keep it on citizen pages', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Marie Dvořáková');
  assert.match(await bundle(page), CITIZEN);
  await page.getByRole('button', { name: /Marie Dvořáková/ }).click();
  const link = page.getByRole('link', { name: 'Platby – úřad' });
  // A plain link: the citizen build has no office pages to route to.
  assert.equal(await link.getAttribute('href'), '/sprava/platby');
  await link.click();
  await page.getByRole('heading', { level: 1, name: 'Platby – úřad' }).waitFor();
  assert.match(await bundle(page), OFFICE);

  // Back to a citizen page: the office build routes there itself, without a page load.
  await page.evaluate(() => { window.sameDocument = true; });
  await page.locator('header a.brand').click();
  await page.getByRole('heading', { level: 1, name: 'Přehled' }).waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true);
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Platby – úřad' }).waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true);
  assert.deepEqual(problems.all(), []);
});

test('an office page reached inside the citizen build loads the office build', async () => {
  const { page, problems } = await portal.page();
  // After the demo login the router goes to `next` itself; the citizen build's stand-in for
  // the office page then loads it from the server.
  await open(page, portal.url('/prihlaseni?next=%2Fsprava%2Fplatby'));
  assert.match(await bundle(page), CITIZEN);
  await page.getByRole('button', { name: 'Přihlásit se jako Marie Dvořáková' }).click();
  await page.getByRole('heading', { level: 1, name: 'Platby – úřad' }).waitFor();
  assert.match(await bundle(page), OFFICE);
  assert.equal(new URL(page.url()).pathname, '/sprava/platby');
  assert.deepEqual(problems.all(), []);
});
