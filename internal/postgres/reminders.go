package postgres

// reminders.go queues the reminder mails: rows of the mail outbox that the
// reminder job inserts and the mailer sends like the others. The outbox's
// unique key (booking, sequence 0, recipient, kind "reminder_<h>h") keeps
// one reminder per booking, recipient and reminder, whichever replica runs
// the job and however often.

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MailReminder begins the kind of every reminder mail: "reminder_24h".
const MailReminder = "reminder_"

// ReminderKind is the outbox kind of the reminder hours before the start.
func ReminderKind(hours int) string { return fmt.Sprintf("%s%dh", MailReminder, hours) }

// IsReminder reports whether an outbox kind is a reminder's.
func IsReminder(kind string) bool { return strings.HasPrefix(kind, MailReminder) }

// The reminder's rows: the bookings that start within hours of now but
// not within the next smaller reminder's hours (after), that were booked
// before the reminder's time (a booking made late gets its booking mail,
// not a reminder at once), and are active. The interpreter only once they
// have confirmed (an open request has its own deadline); every party with
// an address. The payload is the time and place as they are now.
const (
	reminderWhere = `where b.status = 'active' and b.start_at > $1::timestamptz + make_interval(hours => $3::int)
			and b.start_at <= $1::timestamptz + make_interval(hours => $2::int)
			and b.created_at <= b.start_at - make_interval(hours => $2::int)`
	reminderPayload         = `jsonb_build_object('start', b.start_at, 'end', b.end_at, 'room', b.room_id, 'mode', b.mode)`
	reminderInterpretersSQL = `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind,
			method, payload, next_attempt_at, created_at)
		select b.id, 0, 'interpreter', t.id, t.email, coalesce(nullif(t.locale, ''), 'en'), $4, '', ` + reminderPayload + `, $1, $1
		from bookings b join interpreters t on t.id = b.interpreter_id and t.email <> ''
		` + reminderWhere + ` and coalesce(b.interpreter_status, 'confirmed') = 'confirmed'
		on conflict do nothing`
	reminderPartiesSQL = `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind,
			method, payload, next_attempt_at, created_at)
		select b.id, 0, 'party', p.id, p.email, coalesce(nullif(p.locale, ''), 'en'), $4, '', ` + reminderPayload + `, $1, $1
		from bookings b join interview_parties ip on ip.interview_id = b.interview_id
			join parties p on p.id = ip.party_id and p.email <> ''
		` + reminderWhere + `
		on conflict do nothing`
)

// QueueReminders writes the reminders due at now for each of hours (the
// largest first, as resources.Confirmation.Reminders gives them) and
// returns how many it wrote; those written before are not written again.
// It also drops the reminders that wait for a booking no longer active or
// an interpreter no longer on it: they are never sent.
func (db *DB) QueueReminders(ctx context.Context, now time.Time, hours []int) (int64, error) {
	var n int64
	for i, h := range hours {
		after := 0
		if i+1 < len(hours) {
			after = hours[i+1]
		}
		for _, q := range []string{reminderInterpretersSQL, reminderPartiesSQL} {
			tag, err := db.pool.Exec(ctx, q, now, h, after, ReminderKind(h))
			if err != nil {
				return n, Translate(err)
			}
			n += tag.RowsAffected()
		}
	}
	_, err := db.pool.Exec(ctx, `update mail_outbox m set state = 'dropped',
			last_error = 'not sent: the booking was cancelled or the interpreter changed'
		from bookings b
		where m.booking_id = b.id and m.state = 'pending' and m.kind like 'reminder\_%'
			and (b.status <> 'active' or (m.recipient_kind = 'interpreter' and b.interpreter_id is distinct from m.recipient_id))`)
	return n, Translate(err)
}
