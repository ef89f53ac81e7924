package scheduler

// mail.go delivers the mail outbox: each booking mail is composed in its
// recipient's locale with an iCalendar invitation (iMIP: REQUEST on booking
// and move, CANCEL on cancel and release; the feed's UID and SEQUENCE) and
// handed to the SMTP server once.
//
// No mail lost, none sent twice: a worker claims one mail at a time (it is
// 'sending'), hands it over and records it 'sent' as soon as the server
// accepts it. A worker that dies leaves at most that one mail in
// 'sending'; any worker marks it 'unknown' once no live worker can hold it
// (it may have arrived: a clerk checks, see MailsNeedingAttention), and
// the others wait 'pending' for the next worker. Errors name no address.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
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
	db     *postgres.DB
	log    *slog.Logger
	now    func() time.Time
	sender MailSender
	// From is the sender's address (MAIL_FROM); PublicURL the base of the
	// portal links.
	From, PublicURL string
	// Poll is the pause when nothing is due (default 500 ms); Batch the
	// mails a pass sends, one after the other (default 20).
	Poll  time.Duration
	Batch int
	// SendTimeout bounds one mail's exchange with the server (default
	// 20 s). A mail claimed longer ago than SendTimeout and a minute has
	// no live worker: the next recovery (at start, then every
	// RecoverEvery, default 1 min) marks it unknown.
	SendTimeout, RecoverEvery time.Duration
	// BaseBackoff is the wait after the first failure (10 s), doubling up
	// to MaxBackoff (1 h); after MaxAttempts (12) a mail is failed.
	BaseBackoff, MaxBackoff time.Duration
	MaxAttempts             int
	// Sent observes each mail handed over with its age (optional).
	Sent func(age time.Duration)
	// Observer hears each delivery's outcome (metrics); nil: no one.
	Observer Observer
}

// NewMailer returns a mailer sending through sender from the address from.
func NewMailer(db *postgres.DB, log *slog.Logger, now func() time.Time, sender MailSender, from, publicURL string) *Mailer {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return &Mailer{db: db, log: log, now: now, sender: sender, From: from, PublicURL: publicURL, Observer: nopObserver{},
		Poll: 500 * time.Millisecond, Batch: 20, SendTimeout: 20 * time.Second, RecoverEvery: time.Minute, BaseBackoff: 10 * time.Second, MaxBackoff: time.Hour, MaxAttempts: 12}
}

// Run delivers until ctx ends. A mail in flight when ctx ends is still
// handed over and recorded (within SendTimeout): cutting the exchange
// would leave its fate unknown.
func (m *Mailer) Run(ctx context.Context) {
	var recovered time.Time
	for ctx.Err() == nil {
		if now := m.now(); now.Sub(recovered) >= max(m.RecoverEvery, time.Second) || now.Before(recovered) {
			m.Recover(ctx)
			recovered = now
		}
		n, err := m.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Warn("mail outbox pass failed", "error", err.Error())
		}
		if n < m.Batch {
			select {
			case <-ctx.Done():
			case <-time.After(m.Poll):
			}
		}
	}
}

// Recover marks unknown the mails that a stopped worker left 'sending'
// (claimed longer ago than SendTimeout and a minute): they may have
// reached the server, so they are not sent again.
func (m *Mailer) Recover(ctx context.Context) {
	n, err := m.db.AbandonStuckMail(ctx, m.now().Add(-m.sendTimeout()-time.Minute))
	if err != nil && ctx.Err() == nil {
		m.log.Warn("mail recovery failed", "error", err.Error())
	} else if n > 0 {
		m.log.Warn("mails left in sending by a stopped worker are marked unknown", "count", n)
		for range n {
			m.observer().MailDelivered(MailUnknown)
		}
	}
}

func (m *Mailer) sendTimeout() time.Duration {
	if m.SendTimeout <= 0 {
		return 20 * time.Second
	}
	return m.SendTimeout
}

// Pass sends due mails, one claim at a time, up to Batch; it returns how
// many it claimed. Each is recorded sent as soon as the server accepts it:
// by the claim of the next one, in the same statement, or on its own.
func (m *Mailer) Pass(ctx context.Context) (n int, err error) {
	var loc *time.Location
	var sent resources.Mail // accepted, to record
	defer func() {
		if sent.ID != 0 {
			if rerr := m.db.MailSent(context.WithoutCancel(ctx), sent.ID, m.now()); rerr != nil {
				err = m.notRecorded(sent, rerr)
			} else {
				m.recorded(sent)
			}
		}
	}()
	for ; n < max(m.Batch, 1) && ctx.Err() == nil; n++ {
		x, err := m.db.ClaimMail(ctx, m.now(), sent.ID)
		if err != nil {
			return n, err // the statement failed whole: sent is recorded on its own
		}
		if sent.ID != 0 {
			m.recorded(sent)
			sent = resources.Mail{}
		}
		if x == nil {
			return n, nil
		}
		if loc == nil {
			if loc, err = m.location(ctx); err != nil {
				// Claimed but not handed over: tried again, not lost.
				_ = m.db.MailFailed(context.WithoutCancel(ctx), x.ID, "the settings could not be read", m.now())
				return n + 1, err
			}
		}
		accepted, err := m.deliver(ctx, *x, loc)
		if err != nil {
			return n + 1, err
		}
		if accepted {
			sent = *x
		}
	}
	return n, nil
}

// recorded reports a mail recorded sent to Sent and the observer.
func (m *Mailer) recorded(x resources.Mail) {
	m.observer().MailDelivered(MailSent)
	if m.Sent != nil {
		created, _ := time.Parse(time.RFC3339Nano, x.CreatedAt)
		m.Sent(m.now().Sub(created))
	}
}

// notRecorded logs a mail the server accepted that could not be recorded:
// left 'sending', recovery marks it unknown, never sends it twice.
func (m *Mailer) notRecorded(x resources.Mail, err error) error {
	m.log.Error("mail sent but not recorded", "mail", x.ID, "error", err.Error())
	return err
}

// location is the agency's time zone, the one mails speak in.
func (m *Mailer) location(ctx context.Context) (*time.Location, error) {
	st, err := m.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return loc, nil
}

// deliver sends one claimed mail. When the server accepts it, it reports
// true and the caller records it at once; otherwise it records the failure
// (and when to try again). Its error is a failure to record.
func (m *Mailer) deliver(ctx context.Context, x resources.Mail, loc *time.Location) (bool, error) {
	// The exchange is not cut when ctx ends (shutdown): only by SendTimeout.
	rctx := context.WithoutCancel(ctx)
	msg, err := m.compose(x, loc)
	if err == nil {
		sctx, cancel := context.WithTimeout(rctx, m.sendTimeout())
		err = m.sender.Send(sctx, x.Email, msg)
		cancel()
	}
	if err == nil {
		return true, nil
	}
	now := m.now()
	var retry time.Time
	if !mail.Permanent(err) && x.Attempts < m.MaxAttempts {
		wait := m.BaseBackoff << min(x.Attempts-1, 20)
		if wait > m.MaxBackoff || wait <= 0 {
			wait = m.MaxBackoff
		}
		retry = now.Add(wait)
	}
	// The error names the server's answer, never an address or the text.
	text := scrub(err.Error(), x.Email)
	m.log.Warn("mail not delivered", "mail", x.ID, "attempt", x.Attempts, "retry", !retry.IsZero(), "error", text)
	if err := m.db.MailFailed(rctx, x.ID, text, retry); err != nil {
		m.log.Error("mail failure not recorded", "mail", x.ID, "error", err.Error())
		return false, err
	}
	if retry.IsZero() {
		m.observer().MailDelivered(MailFailed)
	} else {
		m.observer().MailDelivered(MailRetry)
	}
	return false, nil
}

// Server names the mail server the mailer sends to (for the start-up log;
// no credentials).
func (m *Mailer) Server() string {
	if s, ok := m.sender.(fmt.Stringer); ok {
		return s.String()
	}
	return "a mail server"
}

func (m *Mailer) observer() Observer {
	if m.Observer == nil {
		return nopObserver{}
	}
	return m.Observer
}

// scrub takes every address out of an error's text: the recipient's and
// anything else that looks like one.
func scrub(text, addr string) string {
	if addr != "" {
		text = strings.ReplaceAll(text, addr, "<address>")
	}
	return mail.Redact(text)
}

// compose builds one booking mail: the text in the recipient's locale and
// the invitation with the feed's UID and SEQUENCE. It names no case and no
// other person.
func (m *Mailer) compose(x resources.Mail, loc *time.Location) ([]byte, error) {
	p := x.Payload
	w := m.what(x)
	d := m.details(x, w, loc)
	e := calendars.Event{UID: calendars.BookingUID(x.Booking), Sequence: x.Sequence, Updated: m.now().UTC(),
		Start: p.Start.UTC(), End: p.End.UTC(), Status: w.status, Language: p.Language, Mode: p.Mode,
		Office: p.Office, Room: p.Room}
	if e.Mode != calendars.ModeOnsite && e.Mode != calendars.ModeRemote {
		e.Mode = calendars.ModeNone
	}
	var ics []byte
	if w.kind != mail.Reminder { // a reminder is a text: the calendar has the event
		summary, location, description := mail.Invitation(w.kind, x.Locale, d)
		meeting := ""
		if d.Remote {
			meeting = d.MeetingLink // only to whoever joins remotely
		}
		var err error
		ics, err = calendars.Invitation{Method: x.Method, Event: e, Partstat: w.partstat, Now: m.now(), URL: meeting,
			Organizer: calendars.Address{Name: "Asylum interviews", Email: m.From},
			Attendee:  calendars.Address{Name: p.Name, Email: x.Email},
			Summary:   summary, Location: location, Description: description}.Render()
		if err != nil {
			return nil, err
		}
	}
	subject, text := mail.Compose(w.kind, x.Locale, d)
	return mail.Message{From: m.From, To: x.Email, Subject: subject, Text: text, Calendar: ics, Method: x.Method,
		MessageID: fmt.Sprintf("mail-%d.booking-%d.%d@%s", x.ID, x.Booking, x.Sequence, calendars.UIDDomain), Date: m.now()}.Bytes()
}

// details is what the mail tells its recipient, in their own mode: only
// an interpreter who joins remotely is told "remote" and sent the meeting
// link; everyone else is told the office, the room and its street address
// (a counsel comes to the office when only the interpreter is remote).
func (m *Mailer) details(x resources.Mail, w mailWhat, loc *time.Location) mail.Details {
	p := x.Payload
	d := mail.Details{Start: p.Start, End: p.End, Location: loc, Office: p.Office, Room: p.Room, Address: p.Address,
		Language: p.Language, Mode: p.Mode, Link: w.link, Role: w.role, AnswerDue: p.AnswerDue, Released: p.Released}
	if w.role == mail.RoleInterpreter && p.Mode == calendars.ModeRemote {
		d.Remote, d.Room, d.Address, d.MeetingLink = true, "", "", p.MeetingLink
	}
	if w.kind == mail.Requested {
		d.ConfirmLink, d.DeclineLink = w.link+"?answer=confirm", w.link+"?answer=decline"
	}
	if w.role != mail.RoleInterpreter {
		d.Summons = resources.SummonsNumber(x.Booking)
	}
	return d
}

// mailWhat is what a mail is: its kind of text, the event's status and the
// recipient's PARTSTAT in the invitation, the recipient's role and the
// link to their page of the booking.
type mailWhat struct {
	kind             mail.Kind
	status, partstat string
	role, link       string
}

// what a mail says, from its kind and, for an interpreter, their answer
// when it is claimed: a booking or move that waits for their answer is a
// request (tentative, NEEDS-ACTION, with links to answer); their yes is
// the same event confirmed and accepted; a release is worded apart from
// the agency's cancellation.
func (m *Mailer) what(x resources.Mail) mailWhat {
	w := mailWhat{status: calendars.StatusConfirmed, partstat: calendars.PartstatNeedsAction, role: mail.RoleCounsel,
		link: fmt.Sprintf("%s/portal/summons/%d", m.PublicURL, x.Booking)}
	if x.RecipientKind != "party" {
		w.role, w.link = mail.RoleInterpreter, fmt.Sprintf("%s/portal/assignments/%d", m.PublicURL, x.Booking)
	}
	switch x.Kind {
	case postgres.MailBooked, postgres.MailMoved:
		w.kind = mail.Booked
		if x.Kind == postgres.MailMoved {
			w.kind = mail.Moved
		}
		switch {
		case w.role == mail.RoleInterpreter && x.Payload.Answer == resources.InterpreterRequested:
			w.kind, w.status = mail.Requested, calendars.StatusTentative
		case w.role == mail.RoleInterpreter && x.Payload.Answer == resources.InterpreterConfirmed:
			w.partstat = calendars.PartstatAccepted
		}
	case postgres.MailConfirmed:
		w.kind, w.partstat = mail.Confirmed, calendars.PartstatAccepted
	case postgres.MailReleased:
		w.kind, w.status = mail.Released, calendars.StatusCancelled
	default:
		if postgres.IsReminder(x.Kind) {
			w.kind = mail.Reminder
			break
		}
		w.kind, w.status = mail.Cancelled, calendars.StatusCancelled
	}
	return w
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
