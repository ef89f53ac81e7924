// End-to-end flow of the web pages in headless Chromium (Debian's
// /usr/bin/chromium), driven by playwright-core from <repo>/.cache/playwright.
// Run by web/e2e_test.go, which starts the server and passes:
//   BASE_URL        the server
//   CLERK_TOKEN     a clerk's API token; CLERK2_TOKEN another clerk's
//   MANAGER_TOKEN   a manager's API token
//   CASE_A          a pending interview; its top suggestion, which has an
//                   interpreter, gets booked
//   CASE_B, RANK_B  another pending interview and the rank of one of its
//                   suggestions that needs a resource of CASE_A's top one at
//                   the same time: booking it after CASE_A must conflict
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { look, snap } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = {};
const timings = {};

const a11y = {};

// shot looks at the page with a11y.mjs's look (screenshot, axe-core with
// the WCAG 2.2 A and AA rules: any serious or critical violation fails the
// run; no sideways scrolling) and keeps how many findings axe made.
async function shot(page, name) {
  const n = await look(page, shots, name);
  a11y[name] = n;
  if (n) console.error(name, 'minor accessibility findings:', n);
}

async function signIn(ctx, token, name) {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(base + '/queue');
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  if (name) await shot(page, name);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(u => new URL(u).pathname === '/queue');
  return page;
}

async function timed(page, path) {
  const resp = await page.goto(base + path);
  check(resp.ok(), `${path}: ${resp.status()}`);
  const st = resp.headers()['server-timing'] || '';
  const m = st.match(/dur=([0-9.]+)/);
  check(m, `${path}: no Server-Timing header`);
  timings[path.split('?')[0].replace(/\/[A-Z]-?[0-9A-Z-]+$/, '/{id}').replace(/\/[0-9]+$/, '/{id}')] = Number(m[1]);
  return resp;
}

// A fresh profile per browser, on a desktop.
const a = await openBrowser(false);
const b = await openBrowser(false);
const m = await openBrowser(false);
try {
  // A clerk signs in and sees the queue, at-risk deadlines highlighted.
  const pa = await signIn(a, env('CLERK_TOKEN'), '01-signin');
  await timed(pa, '/queue');
  const rows = await pa.locator('table.list tbody tr').count();
  check(rows > 0, 'the queue is empty');
  out.queueRows = rows;
  out.atRisk = await pa.locator('tr.at-risk').count();
  // Keyboard: the first Tab reaches the skip link, which moves to the content.
  await pa.keyboard.press('Tab');
  check(await pa.evaluate(() => document.activeElement.textContent) === 'Skip to the content', 'the first Tab does not reach the skip link');
  await pa.keyboard.press('Enter');
  check(await pa.evaluate(() => document.activeElement.id) === 'main', 'the skip link does not move the focus to the content');
  await shot(pa, '02-queue');
  // Filters: a language narrows the queue.
  await pa.getByLabel('Language', { exact: true }).selectOption({ index: 1 });
  await pa.getByRole('button', { name: 'Filter' }).click();
  const filtered = await pa.locator('table.list tbody tr').count();
  check(filtered > 0 && filtered < rows, `the language filter gave ${filtered} of ${rows}`);

  // A second clerk opens case B (a suggestion that will conflict).
  const pb = await signIn(b, env('CLERK2_TOKEN'));
  await timed(pb, '/cases/' + env('CASE_B'));
  await pb.locator(`li.option[data-rank="${env('RANK_B')}"]`).waitFor();

  // The first clerk opens case A from the queue and books the top suggestion.
  await timed(pa, '/queue');
  await pa.goto(base + '/cases/' + env('CASE_A'));
  await timed(pa, '/cases/' + env('CASE_A'));
  await pa.getByRole('heading', { name: 'What it needs' }).waitFor();
  const top = pa.locator('li.option').first();
  out.topWhen = (await top.locator('.when').textContent()).trim();
  out.topWhy = (await top.locator('.why').textContent()).trim();
  check(out.topWhy.length > 10, 'the top suggestion says not why');
  await shot(pa, '03-case');
  await top.getByRole('button', { name: /^Book option 1/ }).click();
  await pa.getByRole('status').filter({ hasText: 'Booked' }).waitFor();
  out.booked = (await pa.getByRole('status').textContent()).trim();
  const bookingId = out.booked.match(/booking (\d+)/)[1];
  out.bookingId = Number(bookingId);
  await shot(pa, '04-booked');

  // Right after booking: the interpreter's page lists the booking ...
  const interp = pa.locator('section.booked a[href^="/people/interpreter/"]');
  check(await interp.count() > 0, `the booking of ${env('CASE_A')} shows no interpreter`);
  await interp.first().click();
  await pa.waitForURL(/\/people\/interpreter\//);
  await pa.locator(`a[href="/bookings/${bookingId}"]`).waitFor();
  out.interpreterPage = new URL(pa.url()).pathname;
  await shot(pa, '08-interpreter');
  await timed(pa, out.interpreterPage);
  // ... and a manager makes a calendar subscription link for that
  // interpreter: the feed holds the booking; a revoked link is dead.
  const pm = await signIn(m, env('MANAGER_TOKEN'));
  await pm.goto(base + out.interpreterPage);
  out.feedOwner = new URL(pm.url()).pathname;
  await pm.getByRole('button', { name: 'Make a subscription link' }).click();
  const feedUrl = await pm.getByLabel('Subscription link (shown only once)').inputValue();
  out.feedUrl = feedUrl.replace(/ivf_[A-Za-z0-9_-]+/, 'ivf_…');
  await shot(pm, '13-feed');
  const feed = await pm.request.get(feedUrl);
  check(feed.ok(), 'the feed answered ' + feed.status());
  const ics = await feed.text();
  check(ics.includes('BEGIN:VCALENDAR'), 'the feed is not a calendar');
  check(ics.includes(env('CASE_A')), 'the feed does not hold ' + env('CASE_A'));
  out.feedHoldsBooking = true;
  // The page after making the link is a redirect: a reload makes no other
  // link and no longer shows this one.
  await pm.reload();
  check(await pm.getByLabel('Subscription link (shown only once)').count() === 0, 'the link is shown again after a reload');
  check(await pm.locator('ul.feeds > li').count() === 1, 'a reload made another link');
  await pm.locator('ul.feeds details summary').first().click();
  await pm.getByLabel(/^Yes, revoke it/).first().check();
  await pm.getByRole('button', { name: /^Revoke link/ }).first().click();
  await pm.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
  check((await pm.request.get(feedUrl)).status() === 404, 'a revoked feed still answers');

  // The second clerk books the now-taken slot: conflict, alternatives in place.
  await pb.locator(`li.option[data-rank="${env('RANK_B')}"]`).getByRole('button', { name: /^Book option/ }).click();
  const alert = pb.locator('#conflict');
  await alert.waitFor();
  out.conflict = (await alert.textContent()).replace(/\s+/g, ' ').trim();
  out.alternatives = await pb.locator('li.option').count();
  check(out.alternatives > 0, 'no alternatives after the conflict');
  await shot(pb, '05-conflict');
  // An alternative can be booked right there.
  await pb.locator('li.option').first().getByRole('button', { name: /^Book option/ }).click();
  await pb.getByRole('status').filter({ hasText: 'Booked' }).waitFor();
  out.alternativeBooked = (await pb.getByRole('status').textContent()).trim();

  // The booking is in the planner; clicking it opens it.
  await pa.goto(base + '/cases/' + env('CASE_A'));
  await pa.getByRole('link', { name: 'See it in the planner' }).click();
  await pa.waitForURL(/\/planner/);
  const cell = pa.locator(`a.e.booking[href="/bookings/${bookingId}"]`).first();
  await cell.waitFor();
  out.plannerEntry = (await cell.textContent()).replace(/\s+/g, ' ').trim();
  await shot(pa, '06-planner');
  {
    const u = new URL(pa.url());
    await timed(pa, '/planner' + u.search);
  }
  await pa.locator(`a.e.booking[href="/bookings/${bookingId}"]`).first().click();
  await pa.getByRole('heading', { name: `Booking ${bookingId}` }).waitFor();
  await timed(pa, '/bookings/' + bookingId);
  await shot(pa, '07-booking');
  check(await pa.locator(`a[href="${out.interpreterPage}"]`).count() > 0, 'the booking page does not link to its interpreter');

  // Reschedule with a reason, then cancel with a reason.
  await pa.goto(base + '/cases/' + env('CASE_A'));
  await pa.locator('fieldset input[type=radio]').first().check();
  await pa.getByLabel('Reason for the change').fill('applicant asked for another day');
  await pa.getByRole('button', { name: 'Move the booking' }).click();
  await pa.getByRole('status').filter({ hasText: 'Moved' }).waitFor();
  out.moved = (await pa.getByRole('status').textContent()).trim();
  await pa.getByLabel('Reason for cancelling').fill('case withdrawn');
  await pa.getByLabel(/^Yes, cancel this booking/).check();
  await pa.getByRole('button', { name: 'Cancel the booking' }).click();
  await pa.getByRole('status').filter({ hasText: 'Cancelled' }).waitFor();
  out.cancelled = (await pa.getByRole('status').textContent()).trim();

  // Shortages: chart and table.
  await timed(pa, '/shortages');
  check(await pa.locator('figure.chart svg rect').count() > 0, 'no bars in the shortages chart');
  out.shortageRows = await pa.locator('table.list tbody tr').count();
  await shot(pa, '09-shortages');

  // A clerk may not see plans.
  const resp = await pa.goto(base + '/plans');
  check(resp.status() === 403, 'a clerk opened the plans page: ' + resp.status());
  await pa.getByRole('button', { name: 'Sign out' }).click();
  await pa.waitForURL(/\/signin/);

  // A manager runs a plan and accepts it.
  await timed(pm, '/plans');
  await pm.getByLabel('Time limit (seconds)').fill('10');
  await shot(pm, '10-plans');
  await pm.getByRole('button', { name: 'Start the plan' }).click();
  await pm.waitForURL(/\/plans\/\d+$/);
  // While it runs: no meta refresh (axe checks that too); the script
  // updates the progress in place and can be paused; a Refresh link.
  await pm.locator('#progress').waitFor();
  check(await pm.locator('meta[http-equiv="refresh" i]').count() === 0, 'the running plan page has a meta refresh');
  check(await pm.getByRole('link', { name: 'Refresh' }).count() === 1, 'no Refresh link on the running plan page');
  const pause = pm.getByRole('button', { name: 'Pause updates' });
  await pause.waitFor();
  await shot(pm, '11a-plan-running');
  const before = await pm.locator('#progress-now').innerHTML();
  await pm.waitForFunction((html) => {
    const el = document.getElementById('progress-now');
    return el && el.innerHTML !== html;
  }, before, { timeout: 8000 });
  out.progressUpdated = true;
  await pause.click();
  await pm.getByRole('button', { name: 'Resume updates' }).click();
  await pm.getByRole('button', { name: 'Pause updates' }).waitFor();
  await pm.getByRole('heading', { name: 'Proposed bookings' }).waitFor({ timeout: 60000 });
  out.planSummary = (await pm.locator('.summary').textContent()).trim();
  out.proposed = await pm.locator('input[name=item]').count();
  out.unscheduled = await pm.locator('#uns-h ~ table tbody tr').count();
  await shot(pm, '11-plan');
  await timed(pm, new URL(pm.url()).pathname);
  check(out.proposed > 0, 'the plan proposes nothing');
  // Accept some: untick the last proposal, accept the ticked ones.
  await pm.locator('input[name=item]').last().uncheck();
  await pm.getByRole('button', { name: 'Accept the ticked ones' }).click();
  // First what accepting will do, then the confirmation books.
  await pm.getByRole('heading', { name: 'Accept the plan?' }).waitFor();
  await pm.getByRole('button', { name: 'Confirm and accept' }).click();
  await pm.getByRole('heading', { name: 'Accepted', exact: true }).waitFor();
  out.accepted = (await pm.getByRole('status').textContent()).trim();
  out.acceptedRows = await pm.locator('#acc-h ~ table tbody tr').count();
  await shot(pm, '12-accepted');

  // What would more interpreters do? From the shortages page, a scenario:
  // +2 interpreters of the language (Tigrinya when it is listed), Tue–Thu,
  // Helsinki; the comparison, its charts and the CSV of every figure.
  await timed(pm, '/shortages');
  const ti = pm.locator('tr#lang-ti');
  const whatIf = (await ti.count()) ? ti.getByRole('link', { name: /^A what-if scenario for/ })
    : pm.getByRole('link', { name: /^A what-if scenario for/ }).first();
  await whatIf.click();
  await pm.waitForURL(/\/scenarios\?language=/);
  out.scenarioLanguage = new URL(pm.url()).searchParams.get('language');
  await pm.getByLabel('Time budget in all (seconds)').fill('8');
  await pm.locator('#count-1').fill('2');
  await pm.locator('#office-1').selectOption('HEL');
  await pm.locator('#day-1-mon').uncheck();
  await pm.locator('#day-1-fri').uncheck();
  await shot(pm, '14-scenario-form');
  await pm.getByRole('button', { name: 'Run the scenario' }).click();
  await pm.waitForURL(/\/scenarios\/\d+$/);
  await pm.getByRole('table', { name: 'The baseline and the variants side by side' }).waitFor({ timeout: 60000 });
  out.scenarioRuns = await pm.locator('table.compare').first().locator('thead th').allTextContents();
  out.scenarioCharts = await pm.locator('figure.chart svg[role=img]').count();
  await shot(pm, '15-scenario');
  const [download] = await Promise.all([
    pm.waitForEvent('download'),
    pm.getByRole('link', { name: 'Download every figure (CSV)' }).click(),
  ]);
  out.scenarioCSV = readFileSync(await download.path(), 'utf8').split('\n')[0];
  out.scenarioCSVFile = download.suggestedFilename();

  // The variant's sentence (what it changed, or why nothing) in Finnish,
  // Swedish and English, on a desktop and on a phone: shown, within the
  // width, in the page's language.
  const scenarioPath = new URL(pm.url()).pathname;
  out.scenarioAdvice = {};
  for (const [form, vw, vh] of [['desktop', 1366, 850], ['phone', 390, 844]]) {
    await pm.setViewportSize({ width: vw, height: vh });
    for (const l of ['fi', 'sv', 'en']) {
      await pm.goto(`${base}/lang/${l}?next=${encodeURIComponent(scenarioPath)}`);
      await pm.waitForURL((u) => u.pathname === scenarioPath);
      check(await pm.getAttribute('html', 'lang') === l, `${form} ${l}: the scenario page is not in ${l}`);
      const first = pm.locator('#advice li').first();
      check(await first.isVisible(), `${form} ${l}: no sentence shown`);
      const box = await first.boundingBox();
      check(box.x >= 0 && box.x + box.width <= vw, `${form} ${l}: the sentence runs past the width (${JSON.stringify(box)})`);
      out.scenarioAdvice[`${form}-${l}`] = (await first.textContent()).trim();
      await shot(pm, `16-scenario-advice-${form}-${l}`);
    }
  }
  await pm.setViewportSize({ width: 1366, height: 850 });

  out.timings = timings;
  out.a11y = a11y;
  console.log(JSON.stringify(out));
} catch (err) {
  console.error(err);
  for (const [i, ctx] of [a, b, m].entries()) {
    for (const [j, p] of ctx.pages().entries()) {
      try {
        console.error(`browser ${i} page ${j} at ${p.url()}`);
        await snap(p, join(shots, `failure-${i}-${j}.png`));
      } catch (e) { /* closed */ }
    }
  }
  process.exitCode = 1;
} finally {
  await closeBrowsers();
}
