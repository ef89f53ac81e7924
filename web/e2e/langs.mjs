// Every staff page in Finnish and in Swedish, on a desktop and on a 390 px
// phone, in headless Chromium: the page is in the browser's language,
// shows no markup as text ("<", "class=" in what a clerk reads), passes axe
// (WCAG 2.2 AA, no serious finding) and does not scroll sideways. Run by
// web/langs_e2e_test.go (TestBrowserStaffInFinnishAndSwedish), which
// prepares the data and passes:
//   BASE_URL        the server
//   MANAGER_TOKEN   a manager's API token
//   PAGES           JSON list of the pages' paths
//   MANUAL          JSON {Case, Start, Room, Interviewer}: booking that case
//                   by hand so is refused (issue 24, point 6)
//   PLAN            a plan that moves a booking and cannot keep another
//                   (point 5): its rows, then Accept all asks to confirm
//   MOVES           a booked case with times it could move to (point 2)
//   HELD            a case with a hold (point 9: its wording)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeFindings, serious, sideways, snap } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { pages: 0, wrapped: 0, a11y: {}, overflow: {}, markup: {}, manual: {}, confirm: {}, moves: {}, header: {} };

// The words each language's pages use, where a step looks for them.
const words = {
  fi: { held: 'Alustava varaus tälle puhuttelulle', compared: 'Nykyiseen varaukseen verrattuna:', notBooked: 'Ei varattu:', confirm: 'Hyväksytäänkö suunnitelma?', moved: 'yksi nykyinen varaus siirretään' },
  sv: { held: 'Preliminär bokning för intervjun', compared: 'Jämfört med nuvarande bokning:', notBooked: 'Inte bokat:', confirm: 'Godkänna planen?', moved: 'en befintlig bokning flyttas' },
};

// wording opens the held case: the hold is an "alustava varaus" /
// "preliminär bokning"; it measures the staff header (point 9).
async function wording(page, lang, kind) {
  await page.goto(base + env('HELD'));
  await page.getByRole('heading', { name: words[lang].held }).waitFor();
  out.header[`${lang}-${kind}`] = await page.locator('header.top').evaluate(h => h.getBoundingClientRect().height);
  await look(page, lang, `langs-${lang}-${kind}-held`);
}

// moveList opens a booked case: its other options are numbered from 1,
// each compared with the current booking, with radio buttons of an
// ordinary size (point 2).
async function moveList(page, lang, kind) {
  await page.goto(base + env('MOVES'));
  const items = await page.locator('ol.moves > li').evaluateAll(lis => lis.map(li => {
    const r = li.querySelector('input[type=radio]').getBoundingClientRect();
    return { rank: li.querySelector('.rank').textContent, cmp: (li.querySelector('.tradeoff') || {}).textContent || '', w: r.width, h: r.height };
  }));
  check(items.length > 0, `${lang} ${kind}: no move list`);
  items.forEach((it, i) => {
    check(it.rank === `${i + 1}.`, `${lang} ${kind}: option ${i + 1} numbered ${it.rank}`);
    check(it.cmp.startsWith(words[lang].compared), `${lang} ${kind}: option ${i + 1} says ${it.cmp}`);
    check(it.w <= 24 && it.h <= 24, `${lang} ${kind}: radio ${it.w}×${it.h} px`);
  });
  out.moves[`${lang}-${kind}`] = items.length;
  await look(page, lang, `langs-${lang}-${kind}-moves`);
}

// planConfirm opens a plan that moves a booking and cannot keep another:
// those rows come first; Accept all shows what will happen and asks to
// confirm, booking nothing yet (point 5).
async function planConfirm(page, lang, kind) {
  await page.goto(base + env('PLAN'));
  const rows = await page.locator('tbody tr[class^="change-"]').evaluateAll(rs => rs.slice(0, 3).map(r => r.className));
  check(JSON.stringify(rows) === JSON.stringify(['change-moved', 'change-dropped', 'change-new']), `${lang} ${kind}: plan rows ${rows}`);
  await look(page, lang, `langs-${lang}-${kind}-plan-changes`);
  await page.locator('button[name="all"]').click();
  await page.getByRole('heading', { name: words[lang].confirm }).waitFor();
  const text = await page.locator('#confirm').innerText();
  check(text.includes(words[lang].moved), `${lang} ${kind}: the confirmation says ${text}`);
  check(await page.locator('input[name="item"]:not([disabled])').count() === 0, `${lang} ${kind}: ticks still open while confirming`);
  out.confirm[`${lang}-${kind}`] = text;
  await look(page, lang, `langs-${lang}-${kind}-plan-confirm`);
}

// manualRefused books a case by hand into a room or with a person already
// booked then: the form stays open with the choices, and the refusal names
// the room or person in the page's language (point 6).
async function manualRefused(page, lang, kind) {
  const m = JSON.parse(env('MANUAL'));
  await page.goto(base + '/cases/' + m.Case);
  await page.locator('#manual summary').click();
  await page.locator('#m-start').fill(m.Start);
  await page.locator('#m-room').selectOption(m.Room);
  await page.locator('#m-interviewer').selectOption(m.Interviewer);
  await page.locator('#m-mode').selectOption('remote');
  await page.locator('#m-reason').fill('käsin');
  await page.locator('#manual form button[type="submit"]').click();
  const problem = page.locator('#manual-problem');
  await problem.waitFor();
  const text = (await problem.innerText()).trim();
  check(text.startsWith(words[lang].notBooked), `${lang} ${kind}: the refusal says ${text}`);
  check(await page.locator('#manual').getAttribute('open') !== null, `${lang} ${kind}: the form closed`);
  const kept = [await page.locator('#m-start').inputValue(), await page.locator('#m-room').inputValue(),
    await page.locator('#m-interviewer').inputValue(), await page.locator('#m-mode').inputValue(), await page.locator('#m-reason').inputValue()];
  check(JSON.stringify(kept) === JSON.stringify([m.Start, m.Room, m.Interviewer, 'remote', 'käsin']), `${lang} ${kind}: kept ${kept}`);
  out.manual[`${lang}-${kind}`] = text;
  await look(page, lang, `langs-${lang}-${kind}-manual`);
}

// look saves a screenshot and checks the page: its language, no markup as
// text, no id wrapped inside, no serious accessibility finding, no
// sideways scrolling.
async function look(page, lang, name) {
  await snap(page, join(shots, name + '.png'));
  check(await page.getAttribute('html', 'lang') === lang, `${name}: the page is not in ${lang}`);
  const text = await page.locator('body').innerText();
  const markup = text.match(/.{0,30}(?:<|class=).{0,30}/g) || [];
  out.markup[name] = markup.length;
  check(markup.length === 0, `${name}: markup shown as text: ${JSON.stringify(markup)}`);
  // Ids after names never wrap inside (point 8).
  const wrapped = await page.locator('.id, .id-only').evaluateAll(els => els.filter(e => e.getClientRects().length > 1).map(e => e.textContent));
  out.wrapped += wrapped.length;
  check(wrapped.length === 0, `${name}: ids wrapped inside: ${JSON.stringify(wrapped)}`);
  const res = await axeFindings(page, env('PLAYWRIGHT_DIR'));
  out.a11y[name] = res.length;
  const bad = serious(res);
  check(bad.length === 0, `${name}: accessibility violations: ${JSON.stringify(bad)}`);
  const over = await sideways(page);
  out.overflow[name] = over;
  check(over <= 0, `${name}: the page scrolls sideways by ${over}px`);
  out.pages++;
}

// signIn signs in with the token (the form's one text field, whatever the
// language calls it).
async function signIn(page) {
  await page.goto(base + '/queue');
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  await page.locator('#token').fill(env('MANAGER_TOKEN'));
  await page.locator('form[action="/signin"] button[type="submit"]').click();
  await page.waitForURL(u => new URL(u).pathname === '/queue');
}

try {
  const pages = JSON.parse(env('PAGES'));
  for (const lang of ['fi', 'sv']) {
    for (const phone of [false, true]) {
      const ctx = await openBrowser(phone, { locale: lang === 'fi' ? 'fi-FI' : 'sv-SE' });
      const pg = ctx.pages()[0] || await ctx.newPage();
      await signIn(pg);
      const kind = phone ? 'phone' : 'desktop';
      for (const [i, path] of pages.entries()) {
        await pg.goto(base + path);
        await look(pg, lang, `langs-${lang}-${kind}-${String(i).padStart(2, '0')}`);
      }
      await wording(pg, lang, kind);
      await moveList(pg, lang, kind);
      await manualRefused(pg, lang, kind);
      await planConfirm(pg, lang, kind);
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
