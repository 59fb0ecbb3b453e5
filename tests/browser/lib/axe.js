// axe-core with the WCAG 2.1 A and AA rules, shared by the browser tests.
'use strict';

const fs = require('node:fs');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Injected through the DevTools protocol (page.evaluate), which the page's CSP does not
// govern; a <script> tag would be refused, and rightly so.
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), TAGS);
}

function readable(violations) {
  return violations.map((v) => [
    `  [${v.impact}] ${v.id}: ${v.help}`,
    `    ${v.helpUrl}`,
    ...v.nodes.map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`),
  ].join('\n')).join('\n');
}

module.exports = { axe, readable };
