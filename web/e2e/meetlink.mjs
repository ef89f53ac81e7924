// A clerk sets a booking's own meeting link on the booking page in
// Finnish, in headless Chromium: a link that is not https is refused with
// the form still holding it, a good one is saved and shown as the
// booking's own, and clearing it shows the office's again (desktop and
// 390 px phone, axe-checked, no sideways scrolling). Run by
// web/meeting_link_e2e_test.go (TestBrowserClerkSetsMeetingLink), which
// passes:
//   BASE_URL        the server
//   CLERK_TOKEN     a clerk's API token
//   BOOKING         the booking's page path (/bookings/ID)
//   LINK            the booking's own link to set
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { look as lookAt } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
const path = env('BOOKING');
const link = env('LINK');
mkdirSync(shots, { recursive: true });

const out = { a11y: {}, runs: [] };

async function look(page, name) {
  out.a11y[name] = await lookAt(page, shots, name, 'fi');
}

const text = async (page, sel) => (await page.locator(sel).textContent()).replace(/\s+/g, ' ').trim();

try {
  for (const phone of [false, true]) {
    const run = {};
    const tag = phone ? '-phone' : '';
    const ctx = await openBrowser(phone);
    const page = await signInWithToken(ctx, base, path, env('CLERK_TOKEN'));
    await page.getByRole('link', { name: 'Suomeksi' }).click();
    await page.waitForURL(u => new URL(u).pathname === path);
    run.before = await text(page, '#meet-now');
    run.to = await text(page, '#meet-to');
    const field = page.getByLabel('Varauksen oma linkki');
    await field.fill('http://meet.example.org/plain');
    await page.getByRole('button', { name: 'Tallenna linkki' }).click();
    await page.waitForURL(u => new URL(u).pathname === path + '/meeting');
    run.problem = await text(page, '#meet-err');
    run.kept = await field.inputValue();
    check(await field.getAttribute('aria-invalid') === 'true', 'the refused field is not marked invalid');
    await look(page, '50-meetlink-refused' + tag);
    await field.fill(link);
    await page.getByRole('button', { name: 'Tallenna linkki' }).click();
    await page.waitForURL(u => new URL(u).pathname === path);
    run.flash = await text(page, '.flash');
    run.set = await text(page, '#meet-now');
    await look(page, '51-meetlink-set' + tag);
    await page.getByRole('button', { name: 'Käytä toimipisteen linkkiä' }).click();
    await page.waitForURL(u => new URL(u).pathname === path);
    run.cleared = await text(page, '#meet-now');
    out.runs.push(run);
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
