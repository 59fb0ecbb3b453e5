// Test 3: login, dashboard and settings at phone, tablet, desktop and portrait-kiosk sizes.
// Each screen is saved under screenshots/ and checked: no sideways scrolling, the demo banner
// and the main heading on the first screen, and on the touch screens people hold or stand at
// (phone, kiosk) every visible control at least 44×44 CSS px.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startPortal, open, loginAs, HERE } = require('./lib/harness');

const SHOTS = path.join(HERE, 'screenshots');
const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740, touch: true, mobile: true },
  { name: 'tablet', width: 768, height: 1024, touch: true, mobile: true, checkTargets: false },
  { name: 'desktop', width: 1280, height: 800, touch: false, mobile: false },
  { name: 'kiosk', width: 1080, height: 1920, touch: true, mobile: false },
];
const MIN_TARGET = 44;

let portal;
before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  portal = await startPortal();
});
after(async () => { await portal?.stop(); });

// Everything measured inside the page, returned as plain data.
function measure(minTarget) {
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const h1 = document.querySelector('main h1');
  const banner = document.querySelector('.demo-banner')?.getBoundingClientRect();
  const r = h1?.getBoundingClientRect();
  const visible = (el) => {
    const s = getComputedStyle(el);
    const b = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && b.width > 0 && b.height > 0 &&
      !el.closest('[hidden]') && b.right > 0 && b.bottom > -window.scrollY && b.left < vw;
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}> "${text.slice(0, 40)}"`;
  };
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [role=button]')) {
    if (!visible(el)) continue;
    const b = el.getBoundingClientRect();
    if (b.width < minTarget - 0.5 || b.height < minTarget - 0.5) {
      small.push(`${describe(el)} is ${Math.round(b.width)}×${Math.round(b.height)}`);
    }
  }
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > vw + 0.5 && visible(el))
    .slice(0, 5).map(describe);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewportWidth: vw,
    innerWidth: window.innerWidth,
    h1: h1 && { text: h1.innerText, top: r.top, bottom: r.bottom, visible: visible(h1) },
    banner: banner && { top: banner.top, height: banner.height },
    viewportHeight: vh,
    small,
    wide,
  };
}

async function check(page, vp, screen, problems) {
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(SHOTS, `${vp.name}-${vp.width}x${vp.height}-${screen}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const m = await page.evaluate(measure, MIN_TARGET);
  const where = `${vp.name} ${vp.width}×${vp.height} ${screen}`;
  if (m.scrollWidth > m.innerWidth) {
    problems.push(`${where}: scrolls sideways (scrollWidth ${m.scrollWidth} > ${m.innerWidth}); too wide: ${m.wide.join(', ')}`);
  }
  if (!m.h1 || !m.h1.visible || m.h1.top < 0 || m.h1.bottom > m.viewportHeight) {
    problems.push(`${where}: main heading not on the first screen: ${JSON.stringify(m.h1)}`);
  }
  if (!m.banner || m.banner.height < 1 || m.banner.top < 0 || m.banner.top > m.viewportHeight) {
    problems.push(`${where}: the demo banner is not on the first screen: ${JSON.stringify(m.banner)}`);
  }
  if (vp.touch && vp.checkTargets !== false) {
    for (const s of m.small) problems.push(`${where}: touch target too small: ${s}`);
  }
}

for (const vp of VIEWPORTS) {
  test(`${vp.name} ${vp.width}×${vp.height}: login, dashboard and settings fit the screen`, async () => {
    const { page, problems: console } = await portal.page({
      viewport: { width: vp.width, height: vp.height },
      isMobile: vp.mobile,
      hasTouch: vp.touch,
    });
    const problems = [];

    await open(page, portal.url('/prihlaseni'));
    await page.getByRole('button', { name: /Přihlásit se jako/ }).first().waitFor();
    await check(page, vp, 'login', problems);

    await loginAs(page, portal, 'Jana Nováková');
    await page.locator('.tile__summary').first().waitFor();
    await check(page, vp, 'dashboard', problems);

    await open(page, portal.url('/nastaveni'));
    await page.getByLabel('E-mail').waitFor();
    await check(page, vp, 'settings', problems);

    assert.deepEqual(problems, [], `layout problems:\n  ${problems.join('\n  ')}`);
    assert.deepEqual(console.all(), []);
  });
}
