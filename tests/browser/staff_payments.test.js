// Issue #5, the office's side: Marie (official for payments) uploads a bank statement, sees what
// was matched, and pairs the payment nobody's symbol matched with Jana's obligation by its
// variable symbol (a wrong symbol first: the error stands at the field). Every page of the
// office's payments is axe-clean.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startPortal, open, loginAs } = require('./lib/harness');

// The demo town's account (19-2000145399/0800) as an ABO file writes it.
const TOWN_ACCOUNT = '0000192000145399';
const z = (n, width) => String(n).padStart(width, '0');
const pad = (text, width) => text.padEnd(width, ' ');

// An ABO/GPC statement for the demo town with credits [haléř, variable symbol].
function abo(number, credits) {
  const total = credits.reduce((sum, [amount]) => sum + amount, 0);
  let text = `074${TOWN_ACCOUNT}${pad('Obec Dolni Lhota', 20)}311225${z(0, 14)}+${z(total, 14)}+`
    + `${z(0, 14)}0${z(total, 14)}0${z(number, 3)}150126${' '.repeat(14)}\r\n`;
  // [amount, VS, accounting code: 2 a credit (the default), 5 a credit the bank took back]
  credits.forEach(([amount, vs, code = 2], i) => {
    text += `075${TOWN_ACCOUNT}0000351000345679${z(number * 1000 + i + 1, 13)}${z(amount, 12)}${code}`
      + `${z(vs, 10)}0008000308${z('', 10)}150126${pad('Novakova Jana', 20)}00203150126\r\n`;
  });
  return Buffer.from(text, 'latin1');
}

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.locator('.loading').waitFor({ state: 'detached' });
}

async function axeClean(page, where) {
  await settled(page);
  const { violations } = await axe(page);
  assert.equal(violations.length, 0, `axe on ${where}:\n${readable(violations)}`);
}

// Jana's account number (the demo seeds her first) and unpaid obligations, as the office sees
// them.
async function janasObligations(page) {
  return page.evaluate(async () => {
    const payer = await (await fetch('/api/staff/payments/payers/1')).json();
    return { account: 1, name: payer.name, unpaid: payer.obligations.filter((o) => o.status === 'unpaid') };
  });
}

// The refused statement's 422 is expected; Chromium logs it as a console error.
const unexpected = (problems) => problems.all()
  .filter((p) => !/status of 422.*\/api\/staff\/payments\/statements/.test(p));

test('Marie uploads a statement and pairs the unmatched payment by variable symbol', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Marie Dvořáková');
  // From the user menu to the office's payments.
  await page.getByRole('button', { name: /Marie Dvořáková/ }).click();
  await page.getByRole('link', { name: 'Platby – úřad' }).click();
  await page.getByRole('heading', { level: 1, name: 'Platby – úřad' }).waitFor();
  await axeClean(page, 'the overview');

  const jana = await janasObligations(page);
  assert.equal(jana.name, 'Jana Nováková');
  assert.ok(jana.unpaid.length >= 2, `Jana's obligations: ${JSON.stringify(jana)}`);
  const [first, second] = jana.unpaid;

  await page.getByRole('link', { name: 'Nahrát bankovní výpis' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nahrát bankovní výpis' }).waitFor();
  await axeClean(page, 'the statement upload');
  // First a file with a mistake (the second item's amount, line 3): refused whole, the line
  // and field named.
  const lines = abo(2, [[first.amount_halere, first.variable_symbol], [100, '1']]).toString('latin1').split('\r\n');
  lines[2] = `${lines[2].slice(0, 48)}00000000X100${lines[2].slice(60)}`;
  await page.getByLabel('Soubor s výpisem').setInputFiles({
    name: 'spatny.gpc', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\r\n'), 'latin1'),
  });
  await page.getByRole('button', { name: 'Nahrát a spárovat' }).click();
  await page.getByRole('heading', { name: 'Výpis nebyl načten' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'statement-result');
  assert.match(await page.getByRole('alert').first().innerText(), /line 3.*amount/i);
  await axeClean(page, 'a refused statement');
  // Then the real one: one payment matched by its symbol, one with nobody's symbol.
  const file = abo(1, [[first.amount_halere, first.variable_symbol], [second.amount_halere, '999999']]);
  await page.getByLabel('Soubor s výpisem').setInputFiles({ name: 'vypis.gpc', mimeType: 'text/plain', buffer: file });
  await page.getByRole('button', { name: 'Nahrát a spárovat' }).click();
  const result = page.getByRole('heading', { name: 'Výsledek načtení výpisu' });
  await result.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'statement-result');
  const summary = page.getByRole('table', { name: 'Souhrn načtení' });
  assert.equal(await summary.getByRole('row', { name: /Položek ve výpisu/ }).locator('td').innerText(), '2');
  assert.equal(await summary.getByRole('row', { name: /Spárováno a připsáno/ }).locator('td').innerText(), '1');
  assert.equal(await summary.getByRole('row', { name: /Nespárováno/ }).locator('td').innerText(), '1');
  await axeClean(page, 'the import summary');

  await page.getByRole('link', { name: /Zpět na přehled plateb úřadu/ }).click();
  await page.getByRole('link', { name: 'Nespárované platby' }).click();
  await page.getByRole('table', { name: 'Platby čekající na přiřazení' }).waitFor();
  await axeClean(page, 'the unmatched queue');
  await page.getByRole('button', { name: /^Přiřadit platbu/ }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'assign-heading');
  await page.getByLabel('variabilního symbolu').check();
  // A symbol no obligation has: the error stands at the field and is linked to it.
  await page.getByLabel('Variabilní symbol', { exact: true }).fill('123456');
  await page.getByLabel('Důvod').fill('Platba bez symbolu, podle jména plátce');
  await page.getByRole('button', { name: 'Přiřadit k závazku' }).click();
  await page.locator('#assign-obligation-error').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'assign-obligation');
  assert.equal(await page.locator('#assign-obligation').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#assign-obligation').getAttribute('aria-describedby'), /assign-obligation-error/);
  await axeClean(page, 'the assign form with an error');

  await page.getByLabel('Variabilní symbol', { exact: true }).fill(second.variable_symbol);
  await page.getByRole('button', { name: 'Přiřadit k závazku' }).click();
  await page.getByText(/byla přiřazena/).waitFor();
  await page.getByText('Žádná platba nečeká na přiřazení.').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'assign-done');

  // Jana's page at the office: both obligations paid now.
  await open(page, portal.url(`/sprava/platby/platce?ucet=${jana.account}`));
  await page.getByRole('heading', { name: `Jana Nováková (${jana.account})` }).waitFor();
  const payments = page.getByRole('table', { name: 'Přijaté platby' });
  assert.equal(await payments.locator('tbody tr').count(), 2);
  await axeClean(page, 'the payer page');
  assert.deepEqual(unexpected(problems), []);
});

test('the other office pages are axe-clean', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Marie Dvořáková');
  for (const path of ['/sprava/platby/rucni-platba', '/sprava/platby/nedoplatky', '/sprava/platby/rocni-predpis', '/sprava/platby/platce']) {
    await open(page, portal.url(path));
    await axeClean(page, path);
  }
  // The manual form's own errors are named at their fields.
  await open(page, portal.url('/sprava/platby/rucni-platba'));
  await page.getByLabel('Částka v Kč').fill('12,345');
  await page.getByRole('button', { name: 'Zapsat platbu' }).click();
  await page.locator('#manual-amount-error').waitFor();
  // Focus goes to the first field in error (the obligation, left empty).
  await page.waitForFunction(() => document.activeElement?.id === 'manual-obligation');
  await axeClean(page, 'the manual payment form with errors');
  assert.deepEqual(problems.all(), []);
});

test('a reversal the statement could not pair is paired by hand, and the obligation is owed again', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Marie Dvořáková');
  // Jana paid her obligations by transfer (the first test); the bank now takes a payment of
  // one's amount back under a symbol nobody has, so the import cannot tell which.
  const paidOf = () => page.evaluate(async () => {
    const payer = await (await fetch('/api/staff/payments/payers/1')).json();
    return payer.obligations.filter((o) => o.status === 'paid');
  });
  const paidBefore = await paidOf();
  const paid = paidBefore[0];
  assert.ok(paid, 'the first test paid some of Jana\'s obligations');
  await open(page, portal.url('/sprava/platby/vypisy'));
  await page.getByLabel('Soubor s výpisem').setInputFiles({
    name: 'storno.gpc', mimeType: 'text/plain', buffer: abo(7, [[paid.amount_halere, '999999', 5]]),
  });
  await page.getByRole('button', { name: 'Nahrát a spárovat' }).click();
  const summary = page.getByRole('table', { name: 'Souhrn načtení' });
  await summary.waitFor();
  assert.equal(await summary.getByRole('row', { name: /Storna bez dohledané platby/ }).locator('td').innerText(), '1');

  await open(page, portal.url('/sprava/platby/nesparovane'));
  await page.getByRole('heading', { level: 2, name: 'Storna bez dohledané platby' }).waitFor();
  await axeClean(page, 'an unpaired reversal');
  // Sent without picking the payment: the error stands at the choice.
  await page.getByLabel('Důvod').fill('Banka potvrdila storno platby paní Novákové');
  await page.getByRole('button', { name: 'Spárovat storno' }).click();
  await page.locator('.field__error').first().waitFor();
  await axeClean(page, 'the reversal form with an error');
  await page.getByRole('group', { name: 'Kterou platbu banka vrátila?' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Spárovat storno' }).click();
  await page.getByText(/Storno bylo spárováno/).waitFor();
  await page.getByText('Žádná storna nečekají na spárování.').waitFor();

  // One of them is owed again (the payment picked paid one of that amount).
  assert.equal((await paidOf()).length, paidBefore.length - 1);
  assert.deepEqual(problems.all(), []);
});
