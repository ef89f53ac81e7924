// Expands the busy time of an iCalendar document on stdin with Mozilla's
// ical.js, as an independent check of calendars.Busy: prints a JSON array of
// [start, end] pairs (UTC ISO 8601) of the opaque, not cancelled occurrences
// that overlap [FROM, TO). Every TZID must have a VTIMEZONE in the document
// (ical.js knows no zones by itself). ICALJS_DIR as for icaljs_dump.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkgDir = path.join(process.env.ICALJS_DIR ?? '', 'node_modules', 'ical.js');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const ICAL = (await import(pathToFileURL(path.join(pkgDir, (pkg.exports && pkg.exports.import) || pkg.main)).href)).default;

const from = new Date(process.env.FROM);
const to = new Date(process.env.TO);
const cal = new ICAL.Component(ICAL.parse(readFileSync(0, 'utf8')));
for (const vtz of cal.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(vtz);
}
const busy = (comp) => {
  const status = String(comp.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transp = String(comp.getFirstPropertyValue('transp') ?? '').toUpperCase();
  return status !== 'CANCELLED' && transp !== 'TRANSPARENT';
};
const vevents = cal.getAllSubcomponents('vevent');
const out = [];
const keep = (s, e) => {
  if (s < to && e > from && e > s) out.push([s.toISOString(), e.toISOString()]);
};
for (const v of vevents) {
  if (v.hasProperty('recurrence-id')) continue;
  const ev = new ICAL.Event(v);
  for (const x of vevents) {
    if (x.hasProperty('recurrence-id') && x.getFirstPropertyValue('uid') === ev.uid) ev.relateException(x);
  }
  if (!ev.isRecurring()) {
    if (busy(v)) keep(ev.startDate.toJSDate(), ev.endDate.toJSDate());
    continue;
  }
  const it = ev.iterator();
  for (let t = it.next(), n = 0; t && n < 100000; t = it.next(), n++) {
    const d = ev.getOccurrenceDetails(t);
    if (d.startDate.toJSDate() >= to && t.toJSDate() >= to) break;
    if (busy(d.item.component)) keep(d.startDate.toJSDate(), d.endDate.toJSDate());
  }
  // Overrides that moved an occurrence from after the window into it.
  for (const [, x] of Object.entries(ev.exceptions)) {
    if (x.recurrenceId.toJSDate() >= to && busy(x.component)) keep(x.startDate.toJSDate(), x.endDate.toJSDate());
  }
}
out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
process.stdout.write(JSON.stringify(out.map(([s, e]) => [s.replace('.000Z', 'Z'), e.replace('.000Z', 'Z')])));
