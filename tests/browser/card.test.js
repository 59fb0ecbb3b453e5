// Test 8 (issue #5): paying by card in the demo town. Jana pays everything she owes by card at
// the gateway simulator and comes back to her payments, all paid; another time she declines at
// the gateway and nothing is charged. Money is credited from the gateway's signed notification.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { axe, readable } = require('./lib/axe');
const { startPortal, open, loginAs } = require('./lib/harness');
const { startGateway } = require('./lib/gateway');

let gateway;
let portal;
before(async () => {
  gateway = await startGateway();
  portal = await startPortal({ env: gateway.env, alsoAllowed: [gateway.url] });
});
after(async () => {
  await portal?.stop();
  await gateway?.stop();
});

async function owed(page) {
  return page.evaluate(async () => (await (await fetch('/api/payments/obligations')).json()).owed_halere);
}

// Declined first: the next test pays the same obligations.
test('a card payment declined at the gateway charges nothing and says so', async () => {
  const { page } = await portal.page();
  await loginAs(page, portal, 'Jana Nováková');
  await open(page, portal.url('/platby'));
  const before = await owed(page);
  assert.ok(before > 0);
  await page.getByRole('button', { name: /Zaplatit vše kartou/ }).click();
  await page.waitForURL((u) => u.href.startsWith(`${gateway.url}/pay/`));
  await page.getByRole('button', { name: 'Zamítnout' }).click();
  await page.waitForURL((u) => u.pathname === '/platby' && u.searchParams.get('platba') === 'zamitnuto');
  await page.getByText('Banka platbu kartou zamítla').waitFor();
  assert.equal(await owed(page), before);
});

test('Jana pays everything she owes by card and comes back to her payments, all paid', async () => {
  const { page, problems } = await portal.page();
  await loginAs(page, portal, 'Jana Nováková');
  await open(page, portal.url('/platby'));
  const pay = page.getByRole('button', { name: /Zaplatit vše kartou/ });
  await pay.waitFor();
  assert.ok((await owed(page)) > 0);

  await pay.click();
  await page.waitForURL((u) => u.href.startsWith(`${gateway.url}/pay/`));
  // The gateway's own page: accessible too, in Czech.
  const { violations } = await axe(page);
  assert.equal(violations.length, 0, `axe on the gateway page:\n${readable(violations)}`);
  await page.getByRole('button', { name: 'Zaplatit' }).click();

  await page.waitForURL((u) => u.pathname === '/platby' && u.searchParams.get('platba') === 'ok');
  await page.getByText('Platba kartou proběhla').waitFor();
  // The notification may come a moment after the return: the page's data catches up.
  for (let i = 0; i < 50 && (await owed(page)) !== 0; i += 1) await page.waitForTimeout(200);
  assert.equal(await owed(page), 0, 'everything paid');
  await open(page, portal.url('/platby'));
  await page.getByText('Nic nedlužíte').waitFor();
  assert.deepEqual(problems.all(), []);
});
