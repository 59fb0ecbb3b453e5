// The back office's kiosk page: Tomáš (admin) registers a kiosk from the town's template and
// gets its credential once (it works at the kiosk's own endpoint), is told at the field that
// the id is taken, fixes a profile error named by its line, revokes the kiosk after a
// confirmation (the credential stops working). Every step is axe-clean.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startPortal, loginAs } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

async function axeClean(page, where) {
  await page.locator('main h1').first().waitFor();
  await page.locator('.loading').waitFor({ state: 'detached' });
  const { violations } = await axe(page);
  assert.equal(violations.length, 0, `axe on ${where}:\n${readable(violations)}`);
}

const focused = (page, id) => page.waitForFunction((i) => document.activeElement?.id === i, id);

// What the kiosk itself would get with this credential.
async function asKiosk(credential) {
  return fetch(portal.url('/api/kiosk/profile'), { headers: { Authorization: `Kiosk ${credential}` } });
}

// The taken id (409) and the broken profile (422) are expected; Chromium logs them as errors.
const unexpected = (problems) => problems.all()
  .filter((p) => !/status of (409|422).*\/api\/admin\/kiosks/.test(p));

test('Tomáš registers a kiosk, fixes its profile and revokes it', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Tomáš Král');
  await page.getByRole('button', { name: /Tomáš Král/ }).click();
  await page.getByRole('link', { name: 'Kiosky' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kiosky' }).waitFor();
  await page.getByText('Zatím není zaregistrován žádný kiosek.').waitFor();
  await axeClean(page, 'the empty list');

  // The template follows the id and points at this portal.
  await page.getByLabel('Identifikátor kiosku').fill('lobby-1');
  await page.getByLabel('Název').fill('Vestibul radnice');
  const profile = page.getByLabel('Profil kiosku (TOML)');
  await page.waitForFunction(() => document.getElementById('kiosk-profile').value.includes('id = "lobby-1"'));
  const template = await profile.inputValue();
  assert.match(template, /^town = "dolni-lhota"$/m);
  assert.ok(template.includes(`backend_url = "${portal.origin}"`), template);
  await page.getByRole('button', { name: 'Zaregistrovat' }).click();
  await page.getByRole('heading', { name: 'Kiosek lobby-1 je zaregistrován' }).waitFor();
  await focused(page, 'credential-heading');
  const credential = await page.locator('#kiosk-credential').innerText();
  assert.match(credential, /^[0-9a-f]{64}$/);
  assert.match(await page.locator('section[aria-labelledby="credential-heading"]').innerText(), /souboru credential/);
  const table = page.getByRole('table', { name: 'Zaregistrované kiosky' });
  await table.getByRole('row', { name: /Vestibul radnice/ }).waitFor();
  await axeClean(page, 'the credential shown once');
  const polled = await asKiosk(credential);
  assert.equal(polled.status, 200);
  assert.equal((await polled.json()).version, 1);

  // The same id again: the error stands at the id field, which gets the focus.
  await page.getByRole('button', { name: 'Údaj mám uložený' }).click();
  await page.getByLabel('Identifikátor kiosku').fill('lobby-1');
  await page.getByLabel('Název').fill('Druhý');
  await page.getByRole('button', { name: 'Zaregistrovat' }).click();
  await page.locator('#kiosk-id-error').waitFor();
  await focused(page, 'kiosk-id');
  assert.match(await page.locator('#kiosk-id-error').innerText(), /už existuje/);
  assert.match(await page.locator('#kiosk-id').getAttribute('aria-describedby'), /kiosk-id-error/);
  await axeClean(page, 'a taken id');

  // The profile with a mistake: the line and key are named at the text area.
  await page.getByRole('button', { name: 'Upravit profil kiosku Vestibul radnice' }).click();
  await page.getByRole('heading', { name: 'Profil kiosku lobby-1 (verze 1)' }).waitFor();
  await focused(page, 'edit-heading');
  const editor = page.locator('#edit-profile');
  const current = await editor.inputValue();
  await editor.fill(current.replace('idle_timeout_seconds = 120', 'idle_timeout_seconds = 5'));
  await page.getByRole('button', { name: 'Uložit profil' }).click();
  await page.locator('#edit-profile-error').waitFor();
  await focused(page, 'edit-profile');
  assert.match(await page.locator('#edit-profile-error').innerText(), /Řádek \d+: idle_timeout_seconds/);
  assert.equal(await editor.getAttribute('aria-describedby'), 'edit-profile-hint edit-profile-error');
  await axeClean(page, 'a profile error');
  await editor.fill(current.replace('idle_timeout_seconds = 120', 'idle_timeout_seconds = 60'));
  await page.getByRole('button', { name: 'Uložit profil' }).click();
  await page.getByText('Profil kiosku lobby-1 byl uložen (verze 2).', { exact: false }).waitFor();
  await focused(page, 'kiosks-notice');
  assert.match(await (await asKiosk(credential)).text(), /idle_timeout_seconds = 60/);

  // Revoking asks first.
  await page.getByRole('button', { name: 'Zneplatnit kiosek Vestibul radnice' }).click();
  await page.getByRole('heading', { name: /Opravdu zneplatnit kiosek Vestibul radnice/ }).waitFor();
  await focused(page, 'revoke-heading');
  await axeClean(page, 'the revoke confirmation');
  await page.getByRole('button', { name: 'Ano, zneplatnit' }).click();
  await page.getByText('Kiosek lobby-1 byl zneplatněn.').waitFor();
  await focused(page, 'kiosks-notice');
  await table.getByRole('cell', { name: 'zneplatněn' }).waitFor();
  assert.equal((await asKiosk(credential)).status, 401);
  await axeClean(page, 'the list with a revoked kiosk');
  assert.deepEqual(unexpected(problems), []);
});
