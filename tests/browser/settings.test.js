// Test 2: Jana changes her contact details. A bad e-mail gets an inline Czech error next to
// the field; the corrected one is saved and shows on her profile, also after a reload.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startPortal, loginAs, open } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

async function profileFact(page, term) {
  const dt = page.locator('dl.facts dt', { hasText: new RegExp(`^${term}$`) });
  return (await dt.locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

test('Jana fixes a mistyped e-mail, saves it and sees it on her profile', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Jana Nováková');

  const menu = page.getByRole('navigation', { name: 'Uživatelská nabídka' });
  await menu.getByRole('button', { name: /Jana Nováková/ }).click();
  await menu.getByRole('link', { name: 'Nastavení' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nastavení' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/nastaveni');

  const email = page.getByLabel('E-mail');
  const phone = page.getByLabel('Telefon');
  await email.waitFor();
  assert.equal(await email.inputValue(), 'jana.novakova@example.cz');
  assert.equal(await email.getAttribute('aria-invalid'), 'false');

  // Forgot the @: the error appears when she leaves the field, worded in Czech, tied to it.
  await email.fill('jana.nova.example.cz');
  await email.press('Tab');
  const error = page.locator('#email-error');
  await error.waitFor();
  assert.equal((await error.innerText()).trim(), 'Chyba: E-mailové adrese chybí zavináč (@).');
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.match(await email.getAttribute('aria-describedby'), /\bemail-error\b/);
  // Next to the field: in the same field group, right above the input.
  const field = page.locator('.field', { has: email });
  assert.equal(await field.locator('#email-error').count(), 1);
  const [errBox, inputBox] = [await error.boundingBox(), await email.boundingBox()];
  assert.ok(inputBox.y - (errBox.y + errBox.height) < 40, 'the error sits just above the input');

  // Saving anyway is refused with a summary; nothing is sent.
  await page.getByRole('button', { name: 'Uložit' }).click();
  await page.getByRole('status').getByText('Formulář obsahuje chyby. Opravte prosím označená pole.').waitFor();

  // Fixed, plus a phone number typed the way people do.
  await email.fill('jana.nova@Example.CZ');
  await phone.fill('777 123 456');
  await phone.press('Tab');
  await error.waitFor({ state: 'detached' });
  assert.equal(await email.getAttribute('aria-invalid'), 'false');
  await page.getByRole('button', { name: 'Uložit' }).click();
  await page.getByRole('status').getByText('Kontaktní údaje jsou uložené.').waitFor();
  // The form shows what the server stored (normalised).
  assert.equal(await email.inputValue(), 'jana.nova@example.cz');
  assert.equal(await phone.inputValue(), '+420 777 123 456');

  // The profile page shows the new values…
  await menu.getByRole('button', { name: /Jana Nováková/ }).click();
  await menu.getByRole('link', { name: 'Profil' }).click();
  await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
  await page.locator('dl.facts').first().waitFor();
  assert.equal(await profileFact(page, 'E-mail'), 'jana.nova@example.cz');
  assert.equal(await profileFact(page, 'Telefon'), '+420 777 123 456');

  // …and so does a fresh load: it was saved on the server.
  await open(page, portal.url('/profil'));
  await page.locator('dl.facts').first().waitFor();
  assert.equal(await profileFact(page, 'E-mail'), 'jana.nova@example.cz');
  assert.equal(await profileFact(page, 'Jméno a příjmení'), 'Jana Nováková');

  assert.deepEqual(problems.all(), []);
});
