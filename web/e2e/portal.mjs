// End-to-end flow of the portal in headless Chromium, with the mail that
// links it: run by web/portal_e2e_test.go, which starts the server, a real
// SMTP server and a loopback page that lists what the SMTP server received.
//   BASE_URL          the server
//   MAIL_URL          GET MAIL_URL?to=ADDR lists the mails to ADDR (JSON)
//   CLERK_TOKEN       a clerk's API token
//   CASE              a pending interview with an interpreter and a counsel
//   INTERPRETER_EMAIL the address of the interpreter of CASE's top suggestion
//   COUNSEL_EMAIL     the address of CASE's counsel
//   SHOTS, PLAYWRIGHT_DIR as flow.mjs
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { look, sideways, snap } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });
const out = { a11y: {}, overflow: {}, langs: {} };

// shot looks at the page (screenshot, axe: WCAG 2.2 A and AA, no serious
// or critical finding; nothing scrolls sideways) and keeps how many
// findings axe made and how far it scrolls sideways.
async function shot(page, name) {
  out.a11y[name] = await look(page, shots, name);
  out.overflow[name] = await sideways(page);
}

// browser opens Chromium on a desktop in English or on a phone in Finnish.
const browser = (phone) => openBrowser(phone, phone ? { locale: 'fi-FI' } : {});

// mails waits until at least n mails to addr arrived and returns them.
async function mails(addr, n) {
  for (let i = 0; i < 200; i++) {
    const r = await fetch(env('MAIL_URL') + '?to=' + encodeURIComponent(addr));
    const list = await r.json();
    if (list.length >= n) return list;
    await new Promise(res => setTimeout(res, 100));
  }
  throw new Error(`no ${n} mails to ${addr}`);
}

// portalSignIn asks for a link on the portal's page, follows it from the
// mail and presses the button that spends it.
async function portalSignIn(page, addr, name, start) {
  const before = (await mails(addr, 0)).length;
  await page.goto(start || base + '/portal/');
  await shot(page, name + '-signin');
  await page.locator('input[type=email]').fill(addr);
  await page.locator('form button[type=submit]').click();
  await page.locator('p.flash[role=status]').waitFor();
  // Booking invitations may arrive meanwhile: the link is in the newest
  // mail that has one.
  const re = /https?:\/\/\S+\/portal\/signin\/[A-Za-z0-9_-]+/;
  let link = null;
  for (let i = 0; i < 200 && !link; i++) {
    const got = (await mails(addr, before + 1)).slice(before);
    const hit = got.reverse().find(m => re.test(m.text));
    if (hit) link = hit.text.match(re)[0];
    else await new Promise(res => setTimeout(res, 100));
  }
  check(link, 'no sign-in link arrived for ' + addr);
  await page.goto(link);
  await shot(page, name + '-link');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(u => !new URL(u).pathname.startsWith('/portal/signin'));
  // Spending it again does not work.
  return link;
}

// savePattern fills the weekly form (day index: [from, until]; the other
// days emptied), submits it and waits for what follows: the saved form
// (a status) or, where the save would remove hours on file, the
// confirmation that lists them.
async function savePattern(page, days) {
  for (let d = 0; d < 7; d++) {
    const [s, e] = days[d] || ['', ''];
    await page.locator(`#d${d}s`).fill(s);
    await page.locator(`#d${d}e`).fill(e);
  }
  await page.locator('form.pattern button[type=submit]').click();
  await page.locator('p.flash[role=status], ul.removed').first().waitFor();
}

const clerk = await browser(false);
const interp = await browser(true);
const counsel = await browser(true);
try {
  // A clerk books the case's top suggestion.
  const pc = await signInWithToken(clerk, base, '/queue', env('CLERK_TOKEN'));
  // The queue and the needs-attention list on a 390 px phone: no sideways
  // scrolling, axe clean.
  const phone = await clerk.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(base + '/queue');
  out.phoneQueueRows = await phone.locator('table.queue tbody tr').count();
  await shot(phone, 'p00-queue-phone');
  await phone.goto(base + '/attention');
  await shot(phone, 'p00-attention-phone');
  await phone.goto(base + '/cases/' + env('CASE'));
  await shot(phone, 'p00-case-phone');
  await phone.close();
  await pc.goto(base + '/cases/' + env('CASE'));
  await pc.locator('li.option').first().getByRole('button', { name: /^Book option 1/ }).click();
  await pc.getByRole('status').filter({ hasText: 'Booked' }).waitFor();
  out.bookingId = Number((await pc.getByRole('status').textContent()).match(/booking (\d+)/)[1]);

  // The interpreter's request arrives; on a phone, without a session,
  // they open its Confirm link: sign-in, then that assignment with the
  // one button (not pressed here: they decline it below).
  const invites = await mails(env('INTERPRETER_EMAIL'), 1);
  out.inviteMethod = invites[0].method;
  const ownRe = new RegExp(`https?://\\S+/portal/assignments/${out.bookingId}\\?answer=confirm`);
  const ownInvite = invites.find(m => ownRe.test(m.text));
  check(ownInvite, 'the request mail has no Confirm link to its assignment');
  const pi = interp.pages()[0] || await interp.newPage();
  const link = await portalSignIn(pi, env('INTERPRETER_EMAIL'), 'p01-interpreter', ownInvite.text.match(ownRe)[0]);
  out.landedAfterSignIn = new URL(pi.url()).pathname + new URL(pi.url()).search;
  out.landedButtons = await pi.locator('main form[action$="/confirm"] button').count();
  await pi.goto(base + '/portal/assignments');
  await pi.locator('#a' + out.bookingId).waitFor();
  out.interpreterLang = await pi.evaluate(() => document.documentElement.lang);
  await shot(pi, 'p02-assignments');
  // The language switch: Swedish, then English, on the same page.
  await pi.getByRole('link', { name: 'På svenska' }).click();
  await pi.waitForFunction(() => document.documentElement.lang === 'sv');
  out.langs.sv = (await pi.locator('h1').textContent()).trim();
  await pi.getByRole('link', { name: 'In English' }).click();
  await pi.waitForFunction(() => document.documentElement.lang === 'en');
  out.langs.en = (await pi.locator('h1').textContent()).trim();
  await shot(pi, 'p03-assignments-en');
  // The other assignment's request mail: its Confirm link opens that
  // assignment with the one button; pressing it confirms.
  // (The test books it for this interpreter once the clerk has booked.)
  const confirmRe = /https?:\/\/\S+\/portal\/assignments\/(\d+)\?answer=confirm/;
  let confirmLink = null;
  for (let i = 0; i < 300 && !confirmLink; i++) {
    const hit = (await mails(env('INTERPRETER_EMAIL'), 1)).find(m => {
      const x = m.text.match(confirmRe);
      return x && Number(x[1]) !== out.bookingId;
    });
    if (hit) confirmLink = hit.text.match(confirmRe)[0];
    else await new Promise(res => setTimeout(res, 100));
  }
  check(confirmLink, 'no Confirm link in a mail for another booking');
  await pi.goto(confirmLink);
  out.confirmButtons = await pi.locator('main form[action$="/confirm"] button').count();
  await shot(pi, 'p03b-confirm-link');
  await pi.getByRole('button', { name: 'Confirm' }).click();
  await pi.getByRole('status').waitFor();
  out.confirmedViaMail = (await pi.getByRole('status').textContent()).trim();
  // Declines the clerk's booking with a reason of their own: the decline
  // asks again, nothing preselected.
  await pi.goto(base + '/portal/assignments');
  const card = pi.locator('#a' + out.bookingId);
  await card.getByRole('link', { name: /^Decline/ }).click();
  await pi.waitForURL(u => new URL(u).searchParams.get('answer') === 'decline');
  check(await pi.locator('input[name=reason]:checked').count() === 0, 'a decline reason is preselected');
  await shot(pi, 'p03c-decline-ask');
  await pi.getByLabel('Another reason', { exact: true }).check();
  await pi.locator('textarea[name=note]').fill('A family matter that day');
  await pi.getByRole('button', { name: 'Decline' }).click();
  await pi.getByRole('status').waitFor();
  out.declined = (await pi.getByRole('status').textContent()).trim();
  await shot(pi, 'p04-declined');
  // Weekly availability: Mondays and Tuesdays 08:00–16:00 (confirming
  // the removal of whatever else was on file, if asked).
  await pi.goto(base + '/portal/absences');
  await shot(pi, 'p04b-availability');
  await savePattern(pi, { 0: ['08:00', '16:00'], 1: ['08:00', '16:00'] });
  if (await pi.locator('ul.removed').count()) await pi.locator('button[name=confirm][value=remove]').click();
  await pi.getByRole('status').waitFor();
  // The form opens with it; emptying Tuesday asks first, listing the
  // Tuesdays it would remove, and saves nothing until confirmed.
  await pi.goto(base + '/portal/absences');
  out.patternTuesday = await pi.locator('#d1s').inputValue();
  out.patternLabels = (await pi.locator('label[for=d1s]').textContent()).trim() + ' / ' +
    (await pi.locator('label[for=d1e]').textContent()).trim();
  await savePattern(pi, { 0: ['08:00', '16:00'], 1: ['', ''] });
  await pi.locator('ul.removed').waitFor();
  out.patternRemoved = (await pi.locator('ul.removed li').allTextContents()).map(x => x.trim());
  await shot(pi, 'p04c-availability-confirm');
  await pi.locator('button[name=confirm][value=remove]').click();
  await pi.getByRole('status').waitFor();
  out.patternSaved = (await pi.getByRole('status').textContent()).trim();
  out.patternMonday = await pi.locator('#d0s').inputValue();
  await shot(pi, 'p04d-availability-saved');
  // The link works once.
  await pi.goto(link);
  await pi.locator('main form button[type=submit]').click();
  out.linkAgain = (await pi.locator('[role=alert]').textContent()).trim();

  // The clerk sees it under "Needs attention" and books a replacement.
  await pc.goto(base + '/attention');
  await pc.locator(`a[href="/cases/${env('CASE')}"]`).waitFor();
  await snap(pc, join(shots, 'p05-attention.png'));
  await pc.locator(`a[href="/cases/${env('CASE')}"]`).click();
  out.participants = (await pc.locator('ul.participants').textContent()).replace(/\s+/g, ' ').trim();
  out.replacementWhen = (await pc.locator('fieldset li.option .when').first().textContent()).trim();
  await pc.locator('fieldset input[type=radio]').first().check();
  await pc.getByLabel('Reason for the change').fill('interpreter declined');
  await pc.getByRole('button', { name: 'Move the booking' }).click();
  await pc.getByRole('status').filter({ hasText: 'Moved' }).waitFor();
  await snap(pc, join(shots, 'p06-replaced.png'));

  // The counsel acknowledges, then asks for another time.
  const pk = counsel.pages()[0] || await counsel.newPage();
  await portalSignIn(pk, env('COUNSEL_EMAIL'), 'p07-counsel');
  const summons = pk.locator('#s' + out.bookingId);
  await summons.waitFor();
  out.counselCase = (await summons.locator('dd').first().textContent()).trim();
  out.summonsNumber = (await summons.locator('dd.summons-number').textContent()).trim();
  await shot(pk, 'p08-summons');
  await summons.locator('form[action$="/acknowledge"] button').click();
  await pk.getByRole('status').waitFor();
  out.acknowledged = (await pk.getByRole('status').textContent()).trim();
  await pk.locator('#s' + out.bookingId + ' details summary').click();
  await pk.locator('#s' + out.bookingId + ' textarea').fill('in court that day');
  await pk.locator('#s' + out.bookingId + ' input[type=date]').first().fill(process.env.CHANGE_DATE);
  // Proposes another time: a day and the afternoon.
  await pk.locator(`#pd${out.bookingId}-1`).fill(env('PROPOSE_DATE'));
  await pk.locator(`#pp${out.bookingId}-1`).selectOption('afternoon');
  await pk.locator('#s' + out.bookingId + ' form[action$="/change"] button').click();
  await pk.getByRole('status').waitFor();
  out.changeAsked = (await pk.getByRole('status').textContent()).trim();
  // The request is echoed and the form closed.
  out.proposalEcho = (await pk.locator('#s' + out.bookingId + ' ul.proposals').textContent()).replace(/\s+/g, ' ').trim();
  out.changeFormsAfter = await pk.locator('#s' + out.bookingId + ' form[action$="/change"]').count();
  await shot(pk, 'p09-change-asked');
  // The clerk sees the proposal in Needs attention, in Finnish, under a
  // link to the case.
  await pc.goto(base + '/attention?lang=fi');
  const attCard = pc.locator('ul.attention li.card').filter({ has: pc.locator(`a[href="/cases/${env('CASE')}"]`) });
  out.attentionAfter = (await attCard.first().textContent()).replace(/\s+/g, ' ').trim();
  await pc.setViewportSize({ width: 390, height: 844 });
  await shot(pc, 'p10-attention-fi-phone');
} finally {
  await closeBrowsers();
}
console.log(JSON.stringify(out));
