// Test 4: axe-core with the WCAG 2.1 A and AA rules on every page, in Czech and in English.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startPortal, open, loginAs } = require('./lib/harness');

const LANGS = [
  { code: 'cs', button: 'Čeština', dashboard: 'Přehled' },
  { code: 'en', button: 'English', dashboard: 'Overview' },
];

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

// Waits until no spinner is left, so axe sees the finished page.
async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.locator('.loading').waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready);
}

async function chooseLanguage(page, lang) {
  await page.getByRole('button', { name: lang.button }).click();
  await page.waitForFunction((code) => document.documentElement.lang === code, lang.code);
}

async function audit(page, name, failures) {
  await settled(page);
  const { violations } = await axe(page);
  if (violations.length) failures.push(`${name} (${page.url()}):\n${readable(violations)}`);
}

for (const lang of LANGS) {
  test(`no WCAG 2.1 AA violations in ${lang.button}: login, dashboard, settings, profile, payments, help, staff, not found`, async () => {
    const failures = [];

    // Logged out: the login page, and a page that does not exist.
    const anon = await portal.page();
    await open(anon.page, portal.url('/prihlaseni'));
    await chooseLanguage(anon.page, lang);
    await anon.page.locator('.persona').first().waitFor();
    await audit(anon.page, 'login', failures);
    await open(anon.page, portal.url('/tahle-stranka-neexistuje'));
    await audit(anon.page, 'not found (logged out)', failures);

    // Logged in as Jana.
    const jana = await portal.page();
    await loginAs(jana.page, portal, 'Jana Nováková');
    await chooseLanguage(jana.page, lang);
    await jana.page.getByRole('heading', { level: 1, name: lang.dashboard }).waitFor();
    await jana.page.locator('.tile__summary').first().waitFor();
    await audit(jana.page, 'dashboard', failures);

    // The user menu, opened.
    await jana.page.locator('.user-menu__toggle').click();
    await jana.page.locator('#user-menu-list').waitFor();
    await audit(jana.page, 'dashboard with the user menu open', failures);

    await open(jana.page, portal.url('/nastaveni'));
    await jana.page.locator('#email').waitFor();
    await audit(jana.page, 'settings', failures);
    // The same form showing an error.
    await jana.page.locator('#email').fill('not-an-address');
    await jana.page.locator('#email').press('Tab');
    await jana.page.locator('#email-error').waitFor();
    await audit(jana.page, 'settings with an invalid e-mail', failures);

    await open(jana.page, portal.url('/profil'));
    await jana.page.locator('dl.facts').first().waitFor();
    await audit(jana.page, 'profile', failures);

    await open(jana.page, portal.url('/prohlaseni-o-pristupnosti'));
    await audit(jana.page, 'accessibility statement', failures);

    await open(jana.page, portal.url('/platby'));
    await jana.page.locator('table.obligations a').first().waitFor();
    await audit(jana.page, 'payments', failures);
    await jana.page.locator('table.obligations a').first().click();
    await jana.page.locator('img.qr').waitFor();
    await audit(jana.page, 'an obligation with its QR Platba', failures);

    await open(jana.page, portal.url('/napoveda/portal-obcana'));
    await jana.page.locator('.entry-url').waitFor();
    await audit(jana.page, 'Portál občana help', failures);

    await open(jana.page, portal.url('/neexistuje/ani/tohle'));
    await audit(jana.page, 'not found', failures);

    // The back office: Tomáš is the demo town's admin.
    const tomas = await portal.page();
    await loginAs(tomas.page, portal, 'Tomáš Král');
    await chooseLanguage(tomas.page, lang);
    await open(tomas.page, portal.url('/sprava/pracovnici'));
    await tomas.page.locator('table.table tbody tr').first().waitFor();
    await audit(tomas.page, 'staff roles', failures);
    // The grant form showing an error next to its field.
    await tomas.page.locator('#grant-account').fill('x');
    await tomas.page.locator('form.form button[type=submit]').click();
    await tomas.page.locator('#grant-account-error').waitFor();
    await audit(tomas.page, 'staff roles with an invalid account number', failures);

    assert.equal(failures.length, 0, `axe found violations:\n${failures.join('\n')}`);
    assert.deepEqual([...anon.problems.all(), ...jana.problems.all(), ...tomas.problems.all()], []);
  });
}
