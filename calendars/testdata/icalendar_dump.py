"""Reads an iCalendar document on stdin with Python's icalendar and prints
its calendar name and events as JSON (times in UTC ISO 8601). Used by the Go
tests of package calendars; exits non-zero when the document does not parse."""
import json
import sys
from datetime import date, datetime, timezone

import icalendar


def iso(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("floating date-time %r" % value)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    raise ValueError("not a date or date-time: %r" % (value,))


def text(component, name):
    value = component.get(name)
    return "" if value is None else str(value)


def partstat(ev):
    """The first ATTENDEE's PARTSTAT, "" without an attendee."""
    att = ev.get("ATTENDEE")
    if isinstance(att, list):
        att = att[0] if att else None
    if att is None:
        return ""
    return str(att.params.get("PARTSTAT", ""))


def main():
    cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
    errors = []
    for component in cal.walk():
        for prop, message in getattr(component, "errors", []) or []:
            errors.append("%s %s: %s" % (component.name, prop, message))
    refresh = cal.get("REFRESH-INTERVAL")
    out = {
        "parser": "python icalendar " + icalendar.__version__,
        "calendar_name": text(cal, "X-WR-CALNAME"),
        "name": text(cal, "NAME"),
        "version": text(cal, "VERSION"),
        "method": text(cal, "METHOD"),
        "refresh_interval": "" if refresh is None else refresh.to_ical().decode(),
        "published_ttl": text(cal, "X-PUBLISHED-TTL"),
        "errors": errors,
        "events": [],
    }
    for ev in cal.walk("VEVENT"):
        out["events"].append({
            "uid": text(ev, "UID"),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "status": text(ev, "STATUS"),
            "dtstamp": iso(ev.decoded("DTSTAMP")),
            "start": iso(ev.decoded("DTSTART")),
            "end": iso(ev.decoded("DTEND")),
            "summary": text(ev, "SUMMARY"),
            "location": text(ev, "LOCATION"),
            "description": text(ev, "DESCRIPTION"),
            "url": text(ev, "URL"),
            "transp": text(ev, "TRANSP"),
            "partstat": partstat(ev),
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
