const { chromium } = require('playwright-core');
// Manual browser smoke test of the web client against a running demo backend, with axe-core.
// Usage: npm install playwright-core axe-core (in any folder on NODE_PATH), then
//   PORTAL_URL=http://127.0.0.1:8080 node app/e2e/smoke.cjs
// Needs /usr/bin/chromium. Exits non-zero on a failed step or any axe violation.
const BASE = process.env.PORTAL_URL || 'http://127.0.0.1:8080';
let violations = 0;
const AXE_SOURCE = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.SHOTS_DIR || '/tmp';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log('CONSOLE', m.type(), m.text().slice(0, 300)); });
  page.on('pageerror', e => { violations++; console.log('PAGEERROR', e.message); });
  page.on('console', m => { if (/Content Security Policy/.test(m.text())) { violations++; console.log('CSP', m.text().slice(0, 200)); } });
  const axe = async (label) => {
    // Evaluated over the DevTools protocol, so the page's CSP stays in force for the app itself.
    await page.evaluate(AXE_SOURCE);
    const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa'] } }));
    violations += r.violations.length;
    console.log('AXE', label, r.violations.length, JSON.stringify(r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' ')).slice(0,3)])));
  };
  await page.goto(BASE + '/nastaveni');
  await page.waitForURL(/prihlaseni/, { timeout: 15000 });
  await page.waitForSelector('button.persona', { timeout: 15000 });
  console.log('URL', page.url(), 'LANG', await page.evaluate(() => document.documentElement.lang), 'TITLE', await page.title());
  await page.screenshot({ path: SHOTS + '/login-1280.png', fullPage: true });
  await axe('login');
  await page.click('button.persona >> nth=0');
  await page.waitForURL(/nastaveni/, { timeout: 15000 });
  await page.waitForSelector('#email', { timeout: 15000 });
  await axe('settings');
  await page.fill('#email', 'jana.example.cz');
  await page.focus('#phone');
  await page.waitForSelector('#email-error');
  console.log('ERR', await page.textContent('#email-error'), await page.getAttribute('#email', 'aria-invalid'));
  await page.screenshot({ path: SHOTS + '/settings-error.png', fullPage: true });
  await axe('settings-error');
  await page.fill('#email', 'jana@example.cz');
  await page.fill('#phone', '777 123 456');
  await page.click('button[type=submit]');
  await page.waitForSelector('.alert--success', { timeout: 10000 });
  console.log('STATUS', await page.textContent('.form-status'), 'PHONE', await page.inputValue('#phone'));
  await page.click('a.brand');
  await page.waitForSelector('.tile', { timeout: 10000 });
  console.log('TILES', JSON.stringify(await page.$$eval('.tile', ts => ts.map(t => t.innerText))));
  await page.screenshot({ path: SHOTS + '/dashboard-1280.png', fullPage: true });
  await axe('dashboard');
  await page.click('button[lang=en]');
  await page.waitForTimeout(300);
  console.log('LANG', await page.evaluate(() => document.documentElement.lang), 'H1', await page.textContent('h1'), 'STORED', await page.evaluate(() => localStorage.getItem('portal.lang')));
  console.log('TILES-EN', JSON.stringify(await page.$$eval('.tile', ts => ts.map(t => t.innerText))));
  await axe('dashboard-en');
  await page.click('.user-menu__toggle');
  await page.click('text=Profile');
  await page.waitForSelector('.facts', { timeout: 10000 });
  await page.screenshot({ path: SHOTS + '/profile-en.png', fullPage: true });
  await axe('profile');
  for (const [w, h, name] of [[360, 740, 'm360'], [768, 1024, 't768'], [1080, 1920, 'kiosk']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(BASE + '/');
    await page.waitForSelector('.tile', { timeout: 10000 });
    await page.screenshot({ path: `${SHOTS}/dashboard-${name}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    console.log('SIZE', name, 'overflow', overflow);
    await axe('dashboard-' + name);
  }
  await page.goto(BASE + '/platby');
  await page.waitForSelector('h1');
  console.log('NOTFOUND', await page.textContent('h1'));
  await axe('notfound');
  await page.goto(BASE + '/prohlaseni-o-pristupnosti');
  await page.waitForSelector('h1');
  await axe('a11y-statement');
  await page.click('.user-menu__toggle');
  await page.click('.user-menu__logout');
  await page.waitForURL(/prihlaseni/, { timeout: 10000 });
  console.log('LOGGED OUT', page.url());
  await browser.close();
  if (violations > 0) process.exit(1);
})().catch(e => { console.log('FAIL', e.message); process.exit(1); });
