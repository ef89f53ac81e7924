// What the browser tests check on every page they look at, in one place:
// axe-core with the WCAG 2.2 A and AA rules, and sideways scrolling.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, check } from './harness.mjs';

// The WCAG rule sets axe runs.
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// axeFindings runs axe-core (from playwrightDir's node_modules) on the page
// and returns its violations: id, impact, help, node count, first target.
export async function axeFindings(page, playwrightDir) {
  const src = axeSource(playwrightDir);
  return page.evaluate(async ([source, tags]) => {
    if (!window.axe) (0, eval)(source);
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ') }));
  }, [src, wcagTags]);
}

// serious keeps the findings that fail a page: serious and critical.
export function serious(findings) {
  return findings.filter(v => v.impact === 'serious' || v.impact === 'critical');
}

// sideways is how many pixels the page scrolls sideways (0 or less: none).
export function sideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

// maxShot is the tallest screenshot taken: Chromium now and then fails to
// capture a page taller than its texture limit (16,384 px), and a phone's
// plan or queue page runs to 30,000 px.
const maxShot = 16000;

// snap saves a screenshot of the whole page at path, or of its first
// maxShot pixels when it is taller.
export async function snap(page, path) {
  const [w, h] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  if (h <= maxShot) return page.screenshot({ path, fullPage: true });
  return page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: w, height: maxShot } });
}

// look saves a full-length screenshot of the page as shots/name.png,
// checks the page is in lang (when given), and fails on serious axe
// findings and on sideways scrolling; it returns how many findings axe
// made.
export async function look(page, shots, name, lang) {
  await snap(page, join(shots, name + '.png'));
  if (lang) check(await page.getAttribute('html', 'lang') === lang, `${name}: the page is not in ${lang}`);
  const res = await axeFindings(page, env('PLAYWRIGHT_DIR'));
  const bad = serious(res);
  check(bad.length === 0, `${name}: accessibility violations: ${JSON.stringify(bad)}`);
  const over = await sideways(page);
  check(over <= 0, `${name}: the page scrolls sideways by ${over}px`);
  return res.length;
}

let cached = null;
function axeSource(dir) {
  if (!cached) cached = readFileSync(join(dir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  return cached;
}
