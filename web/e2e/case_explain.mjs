// A clerk reads what the case page explains, in Finnish and Swedish, in
// headless Chromium on a desktop and a 390 px phone: why each option ranks
// where it does, why nothing fits and when it first would (and that the
// shortage page lists the language as short), and the filter on the times
// the counsel proposed. Every page is axe-checked (WCAG 2.2 AA) and must
// not scroll sideways. Run by web/case_e2e_test.go
// (TestBrowserCasePageExplains), which passes:
//   RANK_URL, NOFIT_URL, PROPOSALS_URL  the three servers (one case each)
//   RANK_TOKEN, NOFIT_TOKEN, PROPOSALS_TOKEN  a clerk's API token on each
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { look, sideways } from './a11y.mjs';
import { env, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { rank: {}, nofit: {}, azShort: {}, azNoFit: {}, proposals: {}, filtered: {}, a11y: {}, overflow: {} };
const langLink = { fi: 'Suomeksi', sv: 'På svenska' };

// shot looks at the page (screenshot, language, axe, sideways scrolling)
// and keeps how many findings axe made and how far it scrolls sideways.
async function shot(page, lang, name) {
  out.a11y[name] = await look(page, shots, name, lang);
  out.overflow[name] = await sideways(page);
}

async function signedIn(base, token, phone) {
  const ctx = await openBrowser(phone);
  const page = await signInWithToken(ctx, base, '/queue', token);
  return { ctx, page };
}

async function inLanguage(page, lang) {
  await page.getByRole('link', { name: langLink[lang] }).click();
  await page.waitForFunction(l => document.documentElement.lang === l, lang);
}

const texts = async (loc) => (await loc.allTextContents()).map(s => s.replace(/\s+/g, ' ').trim());

try {
  for (const phone of [false, true]) {
    const dev = phone ? 'phone' : 'desktop';
    // A: the ranking explained.
    {
      const { page } = await signedIn(env('RANK_URL'), env('RANK_TOKEN'), phone);
      for (const lang of ['fi', 'sv']) {
        await inLanguage(page, lang);
        await page.goto(env('RANK_URL') + '/cases/I-R1');
        out.rank[`${lang}-${dev}`] = await texts(page.locator('p.ranking'));
        await shot(page, lang, `60-rank-${lang}-${dev}`);
      }
    }
    // B: nothing fits, and the shortage page agrees.
    {
      const base = env('NOFIT_URL');
      const { page } = await signedIn(base, env('NOFIT_TOKEN'), phone);
      for (const lang of ['fi', 'sv']) {
        await inLanguage(page, lang);
        for (const id of ['I-AZ1', 'I-AZ2']) {
          await page.goto(base + '/cases/' + id);
          out.nofit[`${lang}-${dev}-${id}`] = (await texts(page.locator('p.nofit')))[0];
          await shot(page, lang, `61-nofit-${id}-${lang}-${dev}`);
        }
        await page.locator('a[href="/shortages#lang-az"]').click();
        await page.waitForURL(u => new URL(u).pathname === '/shortages');
        const row = page.locator('tr#lang-az');
        out.azShort[`${lang}-${dev}`] = (await row.getAttribute('class')) === 'at-risk';
        out.azNoFit[`${lang}-${dev}`] = (await row.locator('td').nth(4).textContent()).trim();
        await shot(page, lang, `62-shortages-${lang}-${dev}`);
      }
    }
    // C: only the times the counsel proposed.
    {
      const base = env('PROPOSALS_URL');
      const { page } = await signedIn(base, env('PROPOSALS_TOKEN'), phone);
      for (const lang of ['fi', 'sv']) {
        await inLanguage(page, lang);
        await page.goto(base + '/cases/I-P1');
        const link = page.locator('p.proposals a');
        out.proposals[`${lang}-${dev}`] = (await link.textContent()).trim();
        await shot(page, lang, `63-proposals-${lang}-${dev}`);
        await link.click();
        await page.waitForURL(u => new URL(u).searchParams.get('proposed') === '1');
        out.filtered[`${lang}-${dev}`] = await texts(page.locator('ol.moves .when'));
        await shot(page, lang, `64-proposed-${lang}-${dev}`);
      }
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
