package scheduler

// mail.go delivers the mail outbox: each booking mail is composed in its
// recipient's locale with an iCalendar invitation (iMIP: REQUEST on booking
// and move, CANCEL on cancel and release; the feed's UID and SEQUENCE) and
// handed to the SMTP server once.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// MailSender hands one message to the mail server (*mail.Sender).
type MailSender interface {
	Send(ctx context.Context, to string, msg []byte) error
}

// Mailer delivers the mail outbox. Build it with NewMailer.
type Mailer struct {
	DB     *postgres.DB
	Log    *slog.Logger
	Now    func() time.Time
	Sender MailSender
	// From is the sender's address (MAIL_FROM); PublicURL the base of the
	// portal links.
	From, PublicURL string
	// Poll is the pause when nothing is due (default 500 ms); Batch the
	// mails claimed at once (default 20).
	Poll  time.Duration
	Batch int
	// BaseBackoff is the wait after the first failure (10 s), doubling up
	// to MaxBackoff (1 h); after MaxAttempts (12) a mail is failed.
	BaseBackoff, MaxBackoff time.Duration
	MaxAttempts             int
	// Sent observes each mail handed over with its age (optional).
	Sent func(age time.Duration)
}

// NewMailer returns a mailer sending through sender from the address from.
func NewMailer(db *postgres.DB, log *slog.Logger, now func() time.Time, sender MailSender, from, publicURL string) *Mailer {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return &Mailer{DB: db, Log: log, Now: now, Sender: sender, From: from, PublicURL: publicURL,
		Poll: 500 * time.Millisecond, Batch: 20, BaseBackoff: 10 * time.Second, MaxBackoff: time.Hour, MaxAttempts: 12}
}

// Run delivers until ctx ends.
func (m *Mailer) Run(ctx context.Context) {
	// Mails a dead worker left half-sent are not sent again.
	if n, err := m.DB.AbandonStuckMail(ctx, m.Now().Add(-10*time.Minute)); err == nil && n > 0 {
		m.Log.Warn("mails left in sending by a stopped worker are marked unknown", "count", n)
	}
	for ctx.Err() == nil {
		n, err := m.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			m.Log.Warn("mail outbox pass failed", "error", err.Error())
		}
		if n < m.Batch {
			select {
			case <-ctx.Done():
			case <-time.After(m.Poll):
			}
		}
	}
}

// Pass claims due mails and sends each; it returns how many it claimed.
func (m *Mailer) Pass(ctx context.Context) (int, error) {
	ms, err := m.DB.ClaimMail(ctx, m.Now(), m.Batch)
	if err != nil {
		return 0, err
	}
	st, err := m.DB.Settings(ctx)
	if err != nil {
		return len(ms), err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	var sent []int64
	var ages []time.Duration
	for _, x := range ms {
		if m.deliver(ctx, x, loc) {
			created, _ := time.Parse(time.RFC3339Nano, x.CreatedAt)
			sent, ages = append(sent, x.ID), append(ages, m.Now().Sub(created))
		}
	}
	if len(sent) > 0 {
		// One statement for the pass; a crash before it leaves them
		// 'sending', later 'unknown': never sent twice.
		if err := m.DB.MailSent(context.WithoutCancel(ctx), sent, m.Now()); err != nil {
			m.Log.Error("mails sent but not recorded", "count", len(sent), "error", err.Error())
			return len(ms), err
		}
		if m.Sent != nil {
			for _, a := range ages {
				m.Sent(a)
			}
		}
	}
	return len(ms), nil
}

// deliver sends one mail; on failure it records the failure (and when to
// try again) and reports false.
func (m *Mailer) deliver(ctx context.Context, x resources.Mail, loc *time.Location) bool {
	msg, err := m.compose(x, loc)
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = m.Sender.Send(sctx, x.Email, msg)
		cancel()
	}
	now := m.Now()
	if err == nil {
		return true
	}
	var retry time.Time
	if !mail.Permanent(err) && x.Attempts < m.MaxAttempts {
		wait := m.BaseBackoff << min(x.Attempts-1, 20)
		if wait > m.MaxBackoff || wait <= 0 {
			wait = m.MaxBackoff
		}
		retry = now.Add(wait)
	}
	// The error names the server's answer, never the address or the text.
	m.Log.Warn("mail not delivered", "mail", x.ID, "attempt", x.Attempts, "retry", !retry.IsZero(), "error", err.Error())
	if err := m.DB.MailFailed(context.WithoutCancel(ctx), x.ID, err.Error(), retry); err != nil {
		m.Log.Error("mail failure not recorded", "mail", x.ID, "error", err.Error())
	}
	return false
}

// compose builds one booking mail: the text in the recipient's locale and
// the invitation with the feed's UID and SEQUENCE. It names no case and no
// other person.
func (m *Mailer) compose(x resources.Mail, loc *time.Location) ([]byte, error) {
	p := x.Payload
	method := x.Method
	e := calendars.Event{UID: calendars.BookingUID(x.Booking), Sequence: x.Sequence, Updated: m.Now().UTC(),
		Start: p.Start.UTC(), End: p.End.UTC(), Status: calendars.StatusConfirmed, Language: p.Language, Mode: p.Mode,
		Office: p.Office, Room: p.Room}
	if e.Mode != calendars.ModeOnsite && e.Mode != calendars.ModeRemote {
		e.Mode = calendars.ModeNone
	}
	if method == calendars.MethodCancel {
		e.Status = calendars.StatusCancelled
	}
	ics, err := calendars.RenderInvitation(method, e, calendars.Address{Name: "Asylum interviews", Email: m.From},
		calendars.Address{Name: p.Name, Email: x.Email}, m.Now())
	if err != nil {
		return nil, err
	}
	kind := map[string]mail.Kind{postgres.MailBooked: mail.Booked, postgres.MailMoved: mail.Moved}[x.Kind]
	if kind == 0 {
		kind = mail.Cancelled
	}
	role := mail.RoleInterpreter
	if x.RecipientKind == "party" {
		role = mail.RoleCounsel
	}
	subject, text := mail.Compose(kind, x.Locale, mail.Details{Start: p.Start, End: p.End, Location: loc, Office: p.Office,
		Room: p.Room, Remote: p.Mode == calendars.ModeRemote, Language: p.Language, Mode: p.Mode, Link: m.PublicURL + "/portal",
		Role: role})
	return mail.Message{From: m.From, To: x.Email, Subject: subject, Text: text, Calendar: ics, Method: method,
		MessageID: fmt.Sprintf("mail-%d.booking-%d.%d@%s", x.ID, x.Booking, x.Sequence, calendars.UIDDomain), Date: m.Now()}.Bytes()
}

// SigninMail returns a SigninMailer that sends through sender.
func SigninMail(sender MailSender, from string, loc *time.Location) SigninMailer {
	return func(ctx context.Context, p resources.PortalPerson, link string, expires time.Time) error {
		subject, text := mail.ComposeSignin(p.Locale, p.Name, link, expires, loc)
		msg, err := mail.Message{From: from, To: p.Email, Subject: subject, Text: text, Date: time.Now(),
			MessageID: fmt.Sprintf("signin-%d@%s", time.Now().UnixNano(), calendars.UIDDomain)}.Bytes()
		if err != nil {
			return err
		}
		return sender.Send(ctx, p.Email, msg)
	}
}
