// A manager asks "what if" in Finnish and in Swedish, in headless Chromium:
// on a desktop, the scenario form with +2 interpreters of a dialect
// (Tue–Thu, Helsinki), run; then, on a desktop and on a 390 px phone, the
// run's page and a stored scenario whose variant changes nothing, each
// axe-checked and without sideways scrolling. Run by web/whatif_e2e_test.go
// (TestBrowserWhatifInFinnishAndSwedish), which passes:
//   BASE_URL        the server
//   MANAGER_TOKEN   a manager's API token
//   DIALECT         the language tag to add interpreters of (e.g. ar-MA)
//   STORED_PATH     the stored scenario's page (/scenarios/N)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { look as lookAt } from './a11y.mjs';
import { env, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
const stored = env('STORED_PATH');
mkdirSync(shots, { recursive: true });

const out = { pages: {}, a11y: {} };

async function look(page, lang, name) {
  out.a11y[name] = await lookAt(page, shots, name, lang);
}

// seen is what a scenario's page shows: the runs' names, the sentences,
// and the interpreting cost row.
async function seen(page) {
  const table = page.locator('table.compare').first();
  const costRow = table.locator('tbody tr').last();
  return {
    names: (await table.locator('thead th').allTextContents()).map(s => s.trim()),
    advice: (await page.locator('#advice li').allTextContents()).map(s => s.trim()),
    cost: (await costRow.locator('td').allTextContents()).map(s => s.trim()),
    list: '',
  };
}

const runs = {}; // language → the page of the scenario run from the form
try {
  for (const phone of [false, true]) {
    const kind = phone ? 'phone' : 'desktop';
    const page = await signInWithToken(await openBrowser(phone), base, '/queue', env('MANAGER_TOKEN'));
    for (const l of ['fi', 'sv']) {
      await page.goto(`${base}/lang/${l}?next=/scenarios`);
      await page.waitForURL(u => new URL(u).pathname === '/scenarios');
      if (!phone) {
        await page.locator('#sc-limit').fill('3');
        await page.locator('#kind-1').selectOption('interpreters');
        await page.locator('#count-1').fill('2');
        await page.locator('#language-1').selectOption(env('DIALECT'));
        await page.locator('#office-1').selectOption('HEL');
        await page.locator('#day-1-mon').uncheck();
        await page.locator('#day-1-fri').uncheck();
        await look(page, l, `60-whatif-form-${l}`);
        await page.locator('form.scenario-form button[type=submit]').click();
        await page.waitForURL(/\/scenarios\/\d+$/);
        await page.locator('table.compare').first().waitFor({ timeout: 60000 });
        runs[l] = new URL(page.url()).pathname;
      } else {
        await page.goto(base + runs[l]);
      }
      const ran = await seen(page);
      await look(page, l, `61-whatif-run-${kind}-${l}`);
      await page.goto(base + stored);
      const old = await seen(page);
      await look(page, l, `62-whatif-stored-${kind}-${l}`);
      await page.goto(base + '/scenarios');
      ran.list = (await page.locator('table.list tbody').first().textContent()).replace(/\s+/g, ' ').trim();
      await look(page, l, `63-whatif-list-${kind}-${l}`);
      out.pages[`${kind}-${l}`] = { ran, stored: old };
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
