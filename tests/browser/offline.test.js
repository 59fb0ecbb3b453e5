// Test 6: after a first visit the service worker has the app shell, and the app starts with
// the network gone; personal data never lands in its cache.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startPortal, loginAs, HERE } = require('./lib/harness');

const SHOTS = path.join(HERE, 'screenshots');

let portal;
before(async () => { portal = await startPortal(); });
after(async () => { await portal?.stop(); });

test('the service worker registers and the app shell starts offline', async () => {
  const { page, context, problems } = await portal.page();
  await loginAs(page, portal, 'Jana Nováková');
  await page.locator('.tile__summary').first().waitFor();

  // Registered after "load", precaches the shell, then takes control of the page.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, portal.url('/'));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    }
    return urls;
  });
  for (const p of ['/index.html', '/boot.js', '/assets/styles/portal.css']) {
    assert.ok(cached.includes(p), `${p} is cached (cache has ${cached.join(', ')})`);
  }
  assert.ok(cached.some((p) => /^\/pkg\/portal_app_bg-[0-9a-f]{8}\.wasm$/.test(p)), 'the wasm is cached');
  assert.deepEqual(cached.filter((p) => p.startsWith('/api')), [], 'no API answers in the cache');
  assert.deepEqual(problems.all(), []);

  // Offline: a reload of a client route still starts the app (not the browser's error page,
  // not boot.js's "could not start"), which says it cannot reach the server, in Czech.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Portál se nepodařilo načíst' }).waitFor();
  await page.getByText('Nepodařilo se spojit se serverem. Zkontrolujte připojení k internetu.').waitFor();
  assert.equal(await page.locator('.boot-error').count(), 0);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'offline-desktop-1280x800.png') });

  // Back online, "Zkusit znovu" brings the portal back without a reload, with Jana still
  // logged in (her name in the header, not a login link).
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Zkusit znovu' }).click();
  await page.getByRole('heading', { level: 1, name: 'Přehled' }).waitFor();
  await page.locator('.tile__summary').first().waitFor();
  await page.getByRole('navigation', { name: 'Uživatelská nabídka' })
    .getByRole('button', { name: /Jana Nováková/ }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Přihlásit se' }).count(), 0);
  assert.equal((await page.locator('main .lead').innerText()).trim(), 'Dobrý den, Jana Nováková.');
});
