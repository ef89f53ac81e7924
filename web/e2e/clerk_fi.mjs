// A Finnish-speaking clerk on a 390 px phone, signed in through a real
// OpenID provider, in headless Chromium; then every staff page in Finnish
// on a phone and a desktop, checked by axe (WCAG 2.2 AA) and for sideways
// scrolling. Run by web/clerk_e2e_test.go (TestBrowserClerkInFinnish),
// which starts the provider and the server and passes:
//   BASE_URL        the server
//   IDP_URL         the provider
//   IDP_PASSWORD    the password of its users (anna: a clerk; mikko: a manager)
//   RESTART_URL     asked once to restart the server (a new handler on the
//                   same database)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeFindings, serious, sideways, snap } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers } from './harness.mjs';

const base = env('BASE_URL');
const idp = env('IDP_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { a11y: {}, overflow: {} };

// look saves a screenshot, fails on serious accessibility findings and on
// a page that scrolls sideways, and checks the page is in Finnish.
async function look(page, name) {
  await snap(page, join(shots, name + '.png'));
  check(await page.getAttribute('html', 'lang') === 'fi', `${name}: the page is not in Finnish`);
  const res = await axeFindings(page, env('PLAYWRIGHT_DIR'));
  out.a11y[name] = res.length;
  const bad = serious(res);
  check(bad.length === 0, `${name}: accessibility violations: ${JSON.stringify(bad)}`);
  const over = await sideways(page);
  out.overflow[name] = over;
  check(over <= 0, `${name}: the page scrolls sideways by ${over}px`);
}

// browser is a Finnish browser on a phone or a desktop.
const browser = (phone) => openBrowser(phone, { locale: 'fi-FI' });

// signIn goes from a staff page through the provider's login as user.
async function signIn(page, path, user) {
  await page.goto(base + path);
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  await page.getByRole('link', { name: 'Kirjaudu: Migri ID' }).click();
  await page.waitForURL(u => u.toString().startsWith(idp));
  await page.getByLabel('Username:').fill(user);
  await page.getByLabel('Password:').fill(env('IDP_PASSWORD'));
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL(u => u.toString().startsWith(base + path));
}

try {
  // The clerk, on a phone, in Finnish.
  const phone = await browser(true);
  const pa = phone.pages()[0] || await phone.newPage();
  await pa.goto(base + '/queue');
  await look(pa, 'fi-phone-01-signin');
  await signIn(pa, '/queue', 'anna');
  out.who = (await pa.locator('.who').textContent()).trim();
  await pa.getByRole('heading', { name: /^Jono/ }).waitFor();
  await look(pa, 'fi-phone-02-queue');

  // A case from the queue that has options, booked from the phone.
  const links = await pa.locator('main a[href^="/cases/"]').evaluateAll(as => as.map(a => a.getAttribute('href')));
  check(links.length > 0, 'the queue lists no case');
  let booked = false;
  for (const href of links.slice(0, 8)) {
    await pa.goto(base + href);
    const book = pa.getByRole('button', { name: /^Varaa vaihtoehto 1/ });
    if (await book.count() === 0) continue;
    out.case = href;
    await look(pa, 'fi-phone-03-case');
    await book.click();
    await pa.getByRole('status').filter({ hasText: 'Varattu' }).waitFor();
    out.booked = (await pa.getByRole('status').textContent()).trim();
    out.afterBook = new URL(pa.url()).pathname;
    booked = true;
    break;
  }
  check(booked, 'no case among the first in the queue has an option to book');
  await look(pa, 'fi-phone-04-booked');
  // A reload shows the page again and books nothing more (the Go test
  // counts the bookings).
  await pa.reload();
  out.afterReload = new URL(pa.url()).pathname;
  out.flashAfterReload = await pa.getByRole('status').count();
  await pa.getByRole('heading', { name: 'Varattu', exact: true }).waitFor();

  // The server restarts; the clerk is still signed in.
  const r = await fetch(env('RESTART_URL'), { method: 'POST' });
  check(r.ok, 'restart answered ' + r.status);
  await pa.goto(base + '/attention');
  out.afterRestart = new URL(pa.url()).pathname;
  out.whoAfterRestart = (await pa.locator('.who').textContent()).trim();
  await look(pa, 'fi-phone-05-attention');

  // Every page a clerk uses, on the phone.
  const bookingHref = await (async () => {
    await pa.goto(base + out.case);
    return pa.locator('a[href^="/bookings/"]').first().getAttribute('href');
  })();
  const personHref = await pa.locator('a[href^="/people/interpreter/"], a[href^="/people/interviewer/"]').first().getAttribute('href');
  const clerkPages = [[bookingHref, 'booking'], ['/planner', 'planner'], [personHref, 'person'], ['/shortages', 'shortages']];
  for (const [path, name] of clerkPages) {
    await pa.goto(base + path);
    await look(pa, 'fi-phone-' + name);
  }

  // A manager on a desktop and on a phone: every page, manager's included.
  for (const isPhone of [false, true]) {
    const ctx = await browser(isPhone);
    const pm = ctx.pages()[0] || await ctx.newPage();
    await signIn(pm, '/plans', 'mikko');
    const kind = isPhone ? 'phone' : 'desktop';
    await look(pm, `fi-${kind}-plans`);
    if (!isPhone) {
      await pm.getByLabel('Aikaraja (sekuntia)').fill('2');
      await pm.getByRole('button', { name: 'Aloita suunnitelma' }).click();
      await pm.getByRole('heading', { name: 'Ehdotetut varaukset' }).waitFor({ timeout: 60000 });
      out.planPath = new URL(pm.url()).pathname;
      await pm.goto(base + '/scenarios');
      await pm.getByLabel('Aikaraja yhteensä (sekuntia)').fill('3');
      await pm.getByRole('button', { name: 'Aja skenaario' }).click();
      await pm.waitForURL(/\/scenarios\/\d+$/);
      await pm.getByRole('table', { name: 'Lähtötilanne ja vaihtoehdot rinnakkain' }).waitFor({ timeout: 60000 });
      out.scenarioPath = new URL(pm.url()).pathname;
    }
    const pages = [['/queue', 'queue'], ['/attention', 'attention'], [out.case, 'case'], [bookingHref, 'booking'],
      ['/planner', 'planner'], [personHref, 'person'], [out.planPath, 'plan'], ['/flags', 'flags'], ['/shortages', 'shortages'],
      ['/scenarios', 'scenarios'], [out.scenarioPath, 'scenario']];
    for (const [path, name] of pages) {
      await pm.goto(base + path);
      await look(pm, `fi-${kind}-${name}`);
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
