// Issue #5, the registers the yearly run charges from: Marie (official for payments) opens Jana's
// payer page, registers a dog, deregisters it (a day before its registration first: refused at
// the field), and adds a household member (a birth date after the registration start first:
// refused at the field). The page with an open form is axe-clean.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startPortal, loginAs } = require('./lib/harness');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

// The refusals this test provokes on purpose; Chromium logs their 422s as console errors.
const unexpected = (problems) => problems.all()
  .filter((p) => !/status of 422.*\/api\/staff\/payments\/registers/.test(p));

test('Marie changes Jana\'s registers on her payer page', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Marie Dvořáková');
  await page.goto(portal.url('/sprava/platby/platce?ucet=1'));
  await page.getByRole('heading', { level: 2, name: /Jana Nováková \(1\)/ }).waitFor();

  // A dog: registered, then deregistered (a wrong last day first).
  const dogs = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Psi' }) });
  await page.getByRole('button', { name: 'Přihlásit psa' }).click();
  const dogForm = page.locator('#new-dog-form');
  await dogForm.getByLabel('Jméno').fill('Rex');
  await dogForm.getByLabel('Přihlášen').fill('2026-05-01');
  const { violations } = await axe(page);
  assert.equal(violations.length, 0, `axe with the dog form open:\n${readable(violations)}`);
  await dogForm.getByRole('button', { name: 'Uložit' }).click();
  const rex = dogs.getByRole('row', { name: /Rex/ });
  await rex.waitFor();
  assert.match(await rex.innerText(), /1\.\s5\.\s2026/);

  await rex.getByRole('button', { name: 'Odhlásit psa' }).click();
  const endForm = rex.locator('form');
  await endForm.getByLabel('Poslední den v evidenci').fill('2026-04-30');
  await endForm.getByRole('button', { name: 'Uložit' }).click();
  const refusal = endForm.locator('.field__error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /před začátkem/);
  assert.equal(await endForm.getByLabel('Poslední den v evidenci').getAttribute('aria-invalid'), 'true');
  await endForm.getByLabel('Poslední den v evidenci').fill('2026-10-31');
  await endForm.getByRole('button', { name: 'Uložit' }).click();
  await page.waitForFunction(() => /31\.\s10\.\s2026/.test(document.body.innerText));
  assert.equal(await dogs.getByRole('row', { name: /Rex/ }).getByRole('button').count(), 0,
    'an ended registration offers no further change');

  // A household member (born after the registration start first).
  const household = page.locator('table', { has: page.locator('caption', { hasText: 'Domácnost' }) }).first();
  const householdId = await page.evaluate(async () => {
    const payer = await (await fetch('/api/staff/payments/payers/1')).json();
    return payer.households[0].id;
  });
  await page.locator(`[aria-controls="new-member-${householdId}-form"]`).click();
  const memberForm = page.locator(`#new-member-${householdId}-form`);
  await memberForm.getByLabel('Jméno').fill('Ema Nováková');
  await memberForm.getByLabel('Narozen').fill('2026-06-01');
  await memberForm.getByLabel('Sazba').selectOption('child');
  await memberForm.getByLabel('Od', { exact: true }).fill('2026-01-01');
  await memberForm.getByRole('button', { name: 'Uložit' }).click();
  await memberForm.locator('.field__error').waitFor();
  assert.match(await memberForm.locator('.field__error').innerText(), /před narozením/);
  await memberForm.getByLabel('Narozen').fill('2019-06-01');
  await memberForm.getByRole('button', { name: 'Uložit' }).click();
  const ema = household.getByRole('row', { name: /Ema Nováková/ });
  await ema.waitFor();
  assert.match(await ema.innerText(), /dítě/);

  // Every change is on the record.
  const audit = await page.evaluate(async () => (await fetch('/api/staff/payments/payers/1')).json());
  assert.ok(audit.dogs.some((d) => d.name === 'Rex' && d.ended_on === '2026-10-31'));
  assert.deepEqual(unexpected(problems), []);
});
