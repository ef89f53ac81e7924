// An admin serves a person's data on request in Finnish, in headless
// Chromium, on a desktop and on a 390 px phone: signs in, switches the
// pages to Finnish, downloads a booked interpreter's data, tries to erase
// them and is refused with their future bookings listed (the reason
// kept), then erases an unbooked interpreter in two steps (what will
// happen, confirm) and reads what was removed. Every page is axe-checked
// and must not scroll sideways. Run by web/person_data_e2e_test.go
// (TestBrowserAdminErasesAPersonInFinnish), which passes:
//   BASE_URL        the server
//   ADMIN_TOKEN     an admin's API token
//   BOOKED          an interpreter with future bookings
//   FREE            JSON list of two interpreters without any (desktop, phone)
//   REASON          the erasure's reason
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync, readFileSync } from 'node:fs';
import { look as lookAt } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });
const reason = env('REASON');

const out = { a11y: {}, download: {}, refused: {}, confirm: {}, erased: {} };

async function look(page, name) {
  out.a11y[name] = await lookAt(page, shots, name, 'fi');
}

// askToErase fills the reason on the person's page and asks to erase:
// the first step, which shows what will happen.
async function askToErase(page, id) {
  await page.locator('#personal-data').getByLabel('Syy').fill(reason);
  await page.getByRole('button', { name: 'Tarkista, mitä poistetaan' }).click();
  await page.waitForURL(u => new URL(u).pathname === `/people/interpreter/${id}/erase`);
  check(await page.locator('input[name=confirm][value=yes]').count() === 1, 'the confirming form');
  check(await page.getByLabel('Syy').inputValue() === reason, 'the reason is carried over');
}

try {
  const booked = env('BOOKED');
  const free = JSON.parse(env('FREE'));
  for (const [i, phone] of [false, true].entries()) {
    const kind = phone ? 'phone' : 'desktop';
    const n = phone ? 1 : 0;
    const ctx = await openBrowser(phone, { acceptDownloads: true });
    const page = await signInWithToken(ctx, base, '/people/interpreter/' + booked, env('ADMIN_TOKEN'));
    await page.getByRole('link', { name: 'Suomeksi' }).click();
    await page.waitForURL(u => new URL(u).pathname === '/people/interpreter/' + booked);
    await page.getByRole('heading', { name: 'Henkilötiedot' }).waitFor();
    await look(page, `6${n}-person-data-fi-${kind}`);

    // The download: a JSON file named by kind and id.
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('link', { name: 'Lataa kaikki tallennetut tiedot (JSON)' }).click()]);
    const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
    out.download[kind] = { file: download.suggestedFilename(), kind: data.kind, id: data.id };

    // The booked interpreter: asked, confirmed, refused with the bookings.
    await askToErase(page, booked);
    await page.getByRole('button', { name: 'Poista tiedot pysyvästi' }).click();
    const refused = page.locator('#erase-refused');
    await refused.waitFor();
    out.refused[kind] = {
      text: (await refused.locator('p').first().textContent()).trim(),
      rows: await refused.locator('tbody tr').count(),
      office: (await refused.locator('tbody tr').first().locator('td').first().textContent()).trim(),
      reason: await page.locator('#personal-data').getByLabel('Syy').inputValue(),
    };
    await look(page, `6${n + 2}-person-data-fi-refused-${kind}`);

    // An unbooked interpreter: the two steps.
    await page.goto(base + '/people/interpreter/' + free[i]);
    const name = (await page.locator('h1').textContent()).replace(free[i], '').trim();
    await askToErase(page, free[i]);
    out.confirm[kind] = {
      heading: (await page.getByRole('heading', { level: 1 }).textContent()).trim(),
      name,
      items: await page.locator('main li').allTextContents(),
    };
    await look(page, `6${n + 4}-person-data-fi-confirm-${kind}`);
    await page.getByRole('button', { name: 'Poista tiedot pysyvästi' }).click();
    await page.waitForURL(u => new URL(u).pathname === '/people/interpreter/' + free[i]);
    out.erased[kind] = {
      flash: (await page.getByRole('status').textContent()).trim(),
      heading: (await page.getByRole('heading', { level: 1 }).textContent()).trim(),
    };
    await look(page, `6${n + 6}-person-data-fi-erased-${kind}`);
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
