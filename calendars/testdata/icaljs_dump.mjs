// Reads an iCalendar document on stdin with Mozilla's ical.js and prints its
// calendar name and events as JSON (times in UTC ISO 8601). Used by the Go
// tests of package calendars; ICALJS_DIR is the npm prefix that holds
// node_modules/ical.js (scripts/ensure-calendar-parsers.sh installs it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkgDir = path.join(process.env.ICALJS_DIR ?? '', 'node_modules', 'ical.js');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const entry = (pkg.exports && pkg.exports.import) || pkg.main;
const ICAL = (await import(pathToFileURL(path.join(pkgDir, entry)).href)).default;

const iso = (t) => {
  if (t.isDate) return t.toString();
  if (t.zone !== ICAL.Timezone.utcTimezone) throw new Error(`not a UTC time: ${t.toString()}`);
  return t.toJSDate().toISOString().replace('.000Z', 'Z');
};

const cal = new ICAL.Component(ICAL.parse(readFileSync(0, 'utf8')));
const first = (c, name) => {
  const v = c.getFirstPropertyValue(name);
  return v === null || v === undefined ? '' : String(v);
};
const out = {
  parser: `ical.js ${pkg.version}`,
  calendar_name: first(cal, 'x-wr-calname'),
  name: first(cal, 'name'),
  version: first(cal, 'version'),
  method: first(cal, 'method'),
  refresh_interval: first(cal, 'refresh-interval'),
  published_ttl: first(cal, 'x-published-ttl'),
  errors: [],
  events: cal.getAllSubcomponents('vevent').map((v) => {
    const ev = new ICAL.Event(v);
    return {
      uid: ev.uid,
      sequence: ev.sequence,
      status: first(v, 'status'),
      dtstamp: iso(v.getFirstPropertyValue('dtstamp')),
      start: iso(ev.startDate),
      end: iso(ev.endDate),
      summary: ev.summary ?? '',
      location: ev.location ?? '',
      description: ev.description ?? '',
      url: first(v, 'url'),
      transp: first(v, 'transp'),
      partstat: String(v.getFirstProperty('attendee')?.getParameter('partstat') ?? ''),
    };
  }),
};
process.stdout.write(JSON.stringify(out));
