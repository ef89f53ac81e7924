package scheduler

// portal.go is the service behind the portal of the people outside the
// agency: sign-in by a link sent by e-mail, interpreters' answers to their
// requests, and counsels' answers to their clients' summons.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	ivmail "github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/ratelimit"
	"github.com/asylum-scheduling/interviews/resources"
)

// SigninMailer sends a sign-in link to a person at once. The link holds
// the secret, so it is never stored: a mail that fails is asked for again.
type SigninMailer func(ctx context.Context, p resources.PortalPerson, link string, expires time.Time) error

// Portal is the service of the portal. Build it with NewPortal.
type Portal struct {
	db      *postgres.DB
	booking *Service
	log     *slog.Logger
	now     func() time.Time
	// PublicURL is the base of the links in mails ("https://interviews.example").
	PublicURL string
	// mailer sends sign-in links; nil: links cannot be sent (no SMTP_URL)
	// and asking for one still answers the same.
	mailer SigninMailer
	// LinkTTL is how long a sign-in link works (15 minutes); SessionTTL
	// the absolute life of a session (30 days) and Idle its idle timeout
	// (7 days).
	LinkTTL, SessionTTL, Idle time.Duration

	// Sign-in links: the gate every sign-in route shares (per client and
	// for the server), then per address and client (so one client cannot
	// spend another's links to an address) and per address (against
	// mailing one person from many clients).
	gate             *ratelimit.Gate
	perAddressClient *ratelimit.Limiter
	perAddress       *ratelimit.Limiter
	sends            chan func()
}

// Sign-in budgets. A client: 10 attempts at once, then one every 30 s; the
// server: 200 at once, then 5 a second. Links to one address from one
// client: 3 in ten minutes, then one every ten minutes; from all clients
// together: 10, then one every six minutes.
const (
	SigninClientPerSecond, SigninClientBurst = 1.0 / 30, 10
	SigninServerPerSecond, SigninServerBurst = 5, 200
)

// NewSigninGate returns the sign-in gate with the budgets above; the server
// builds one and gives it to every sign-in route (UseSigninGate and the
// pages).
func NewSigninGate() *ratelimit.Gate {
	return ratelimit.NewGate(SigninClientPerSecond, SigninClientBurst, SigninServerPerSecond, SigninServerBurst)
}

// UseSigninGate makes the portal take sign-in attempts from g, the gate the
// staff's sign-in uses too. Call it before serving.
func (p *Portal) UseSigninGate(g *ratelimit.Gate) { p.gate = g }

// SigninGate is the sign-in gate the portal takes attempts from.
func (p *Portal) SigninGate() *ratelimit.Gate { return p.gate }

// NewPortal returns the portal service. It starts one goroutine that sends
// sign-in mails (so that asking for a link answers at once and the same
// whether the address is known or not); it ends with ctx.
func NewPortal(ctx context.Context, db *postgres.DB, booking *Service, log *slog.Logger, now func() time.Time,
	publicURL string, mailer SigninMailer) *Portal {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	p := &Portal{db: db, booking: booking, log: log, now: now, PublicURL: strings.TrimRight(publicURL, "/"), mailer: mailer,
		LinkTTL: 15 * time.Minute, SessionTTL: 30 * 24 * time.Hour, Idle: 7 * 24 * time.Hour,
		gate: NewSigninGate(), perAddressClient: ratelimit.New(1.0/600, 3), perAddress: ratelimit.New(1.0/360, 10),
		sends: make(chan func(), 256)}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case f := <-p.sends:
				f()
			}
		}
	}()
	return p
}

// secret returns a random 256-bit secret and its SHA-256.
func secret() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	s := base64.RawURLEncoding.EncodeToString(b)
	return s, Hash(s)
}

// Hash is the stored form of a link or session secret.
func Hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// RequestLink sends a sign-in link to every portal account with the
// address, asked for by client (its address). It answers nil whether or not
// the address is known, and sends nothing for an address asked for too
// often. Looking the address up, storing the link and mailing it all happen
// after the answer, in the send queue, so a known and an unknown address
// take the same time to answer. A client over its sign-in budget gets a
// RateLimited error, which says nothing about the address.
func (p *Portal) RequestLink(ctx context.Context, email, client string) error {
	email = strings.TrimSpace(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return errs.Field("email", "enter an e-mail address like name@example.org")
	}
	now := p.now()
	if ok, wait := p.gate.Allow(client, now); !ok {
		p.log.Info("sign-in link refused: too many attempts from one client")
		return errs.Throttled(wait, "too many sign-in attempts: try again later")
	}
	address := strings.ToLower(email)
	if ok, _ := p.perAddressClient.Allow(address+"\x00"+client, now); !ok {
		p.log.Info("sign-in link refused: too many for one address from one client")
		return nil
	}
	if ok, _ := p.perAddress.Allow(address, now); !ok {
		p.log.Info("sign-in link refused: too many for one address")
		return nil
	}
	select {
	case p.sends <- func() { p.sendLinks(email, now) }:
	default:
		p.log.Warn("sign-in link not sent: the send queue is full")
	}
	return nil
}

// sendLinks stores and mails a sign-in link to every portal account with the
// address. It runs in the send queue, after the request has been answered.
func (p *Portal) sendLinks(email string, now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	people, err := p.db.PortalPeople(ctx, email)
	if err != nil {
		p.log.Warn("sign-in link not sent: looking up the address failed", "error", err.Error())
		return
	}
	for _, person := range people {
		if p.mailer == nil {
			p.log.Warn("sign-in link not sent: no mail server is configured (SMTP_URL)")
			return
		}
		s, h := secret()
		if err := p.db.CreateSigninLink(ctx, person, h, now, p.LinkTTL); err != nil {
			p.log.Warn("sign-in link not sent: storing it failed", "role", person.Role, "error", err.Error())
			continue
		}
		if err := p.mailer(ctx, person, p.PublicURL+"/portal/signin/"+s, now.Add(p.LinkTTL)); err != nil {
			// A mail server's refusal may quote the address: it stays out of the log.
			p.log.Warn("sign-in link not sent", "role", person.Role, "error", ivmail.Redact(err.Error()))
		}
	}
}

// SignIn spends a sign-in link and opens a session. It returns the
// session's secret (the cookie) and the session.
func (p *Portal) SignIn(ctx context.Context, link string) (string, *resources.PortalSession, error) {
	now := p.now()
	role, id, err := p.db.UseSigninLink(ctx, Hash(link), now)
	if err != nil {
		return "", nil, err
	}
	person, err := p.db.PortalPerson(ctx, role, id)
	if err != nil {
		return "", nil, errs.E(errs.Unauthorized, "this sign-in link no longer works: ask for a new one")
	}
	s, h := secret()
	csrf, _ := secret()
	sess := &resources.PortalSession{Role: role, PersonID: id, Name: person.Name, Locale: person.Locale, CSRF: csrf,
		ExpiresAt: now.Add(p.SessionTTL)}
	if err := p.db.CreatePortalSession(ctx, h, *sess, now); err != nil {
		return "", nil, err
	}
	return s, sess, nil
}

// Session returns the live session of a secret.
func (p *Portal) Session(ctx context.Context, s string) (*resources.PortalSession, error) {
	if s == "" {
		return nil, errs.E(errs.Unauthorized, "not signed in")
	}
	return p.db.PortalSession(ctx, Hash(s), p.now(), p.Idle)
}

// SetLocale keeps the language a signed-in person chose.
func (p *Portal) SetLocale(ctx context.Context, s, locale string) error {
	if !slices.Contains([]string{"fi", "sv", "en"}, locale) {
		return errs.Field("locale", "must be fi, sv or en")
	}
	return p.db.SetPortalLocale(ctx, Hash(s), locale)
}

// SignOut ends a session.
func (p *Portal) SignOut(ctx context.Context, s string) error {
	return p.db.DeletePortalSession(ctx, Hash(s))
}

// interpreterOf returns the session's interpreter id, or an error for
// anyone else.
func interpreterOf(sess *resources.PortalSession) (string, error) {
	if sess == nil || sess.Role != resources.PortalInterpreter {
		return "", errs.E(errs.Forbidden, "this is for interpreters")
	}
	return sess.PersonID, nil
}

func partyOf(sess *resources.PortalSession) (string, error) {
	if sess == nil || sess.Role != resources.PortalCounsel {
		return "", errs.E(errs.Forbidden, "this is for counsels and representatives")
	}
	return sess.PersonID, nil
}

// Assignments lists the signed-in interpreter's assignments from 30 days
// back.
func (p *Portal) Assignments(ctx context.Context, sess *resources.PortalSession) ([]resources.Assignment, error) {
	id, err := interpreterOf(sess)
	if err != nil {
		return nil, err
	}
	return p.db.Assignments(ctx, id, p.now().Add(-30*24*time.Hour))
}

// Assignment returns one of the signed-in interpreter's assignments.
func (p *Portal) Assignment(ctx context.Context, sess *resources.PortalSession, booking int64) (*resources.Assignment, error) {
	id, err := interpreterOf(sess)
	if err != nil {
		return nil, err
	}
	return p.db.Assignment(ctx, id, booking)
}

// Confirm takes a requested assignment.
func (p *Portal) Confirm(ctx context.Context, sess *resources.PortalSession, booking int64) error {
	id, err := interpreterOf(sess)
	if err != nil {
		return err
	}
	return p.db.ConfirmAssignment(ctx, id, booking, p.now())
}

// Decline frees the signed-in interpreter from an assignment for a reason
// (unavailable, conflict_of_interest, other; stepped_aside on the day).
// With the settings' automatic request, the next-best interpreter at the
// same time and place is asked at once.
func (p *Portal) Decline(ctx context.Context, sess *resources.PortalSession, booking int64, reason string) error {
	return p.DeclineSaying(ctx, sess, booking, reason, "")
}

// DeclineSaying is Decline with the interpreter's own words (at most 500
// characters), kept in the audit trail with the reason.
func (p *Portal) DeclineSaying(ctx context.Context, sess *resources.PortalSession, booking int64, reason, note string) error {
	id, err := interpreterOf(sess)
	if err != nil {
		return err
	}
	if !resources.ValidDeclineReason(reason) {
		return errs.Field("reason", "must be unavailable, conflict_of_interest, other or stepped_aside")
	}
	note = strings.Join(strings.Fields(note), " ")
	if len(note) > 500 {
		return errs.Field("note", "at most 500 characters")
	}
	if err := checkReason(note); err != nil {
		return err
	}
	rel, err := p.db.ReleaseInterpreter(ctx, postgres.Release{Booking: booking, Interpreter: id, Reason: reason, Note: note,
		Actor: "interpreter " + id, Now: p.now()})
	if err != nil {
		return err
	}
	p.booking.obs.Changed(resources.ActionInterpreterReleased, sourceOf(ctx))
	for _, b := range append([]int64{rel.Booking.ID}, rel.Others...) {
		p.requestNext(ctx, b, reason)
	}
	return nil
}

// ExpireRequests releases the interpreters who did not answer in time (a
// scheduled job) and, with the automatic request on, asks the next.
func (p *Portal) ExpireRequests(ctx context.Context) (int, error) {
	due, err := p.db.DueRequests(ctx, p.now(), 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rel := range due {
		rel.Now = p.now()
		if _, err := p.db.ReleaseInterpreter(ctx, rel); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				continue // answered or moved meanwhile
			}
			return n, err
		}
		n++
		p.requestNext(ctx, rel.Booking, resources.InterpreterExpired)
	}
	return n, nil
}

// requestNext asks the next-best interpreter for a booking whose
// interpreter was released, when the settings say so: the best suggestion
// that keeps the time, the room and the interviewer (for one who stepped
// aside, a remote interpreter first). With nobody left the booking waits
// for a clerk. Failures are logged: the clerk's queue is the fallback.
func (p *Portal) requestNext(ctx context.Context, booking int64, reason string) {
	st, err := p.db.Settings(ctx)
	if err != nil || !st.Rules().AutoRequestNext {
		return
	}
	b, err := p.db.Booking(ctx, booking)
	if err != nil || b.Status != "active" || b.Interpreter != "" {
		return
	}
	ans, err := p.booking.Suggest(ctx, SuggestRequest{InterviewID: b.Interview, K: 20, Actor: "system"})
	if err != nil {
		p.log.Warn("automatic request: no suggestions", "booking", booking, "error", err.Error())
		return
	}
	var pick *Option
	for i := range ans.Suggestions {
		o := &ans.Suggestions[i]
		if o.Start != b.Start || o.Room != b.Room || o.Interviewer != b.Interviewer || o.Interpreter == "" {
			continue
		}
		if pick == nil || (reason == resources.DeclineStepAside && o.Mode == "remote" && pick.Mode != "remote") {
			pick = o
		}
	}
	if pick == nil {
		p.log.Info("automatic request: nobody left at the same time and place; a clerk decides", "booking", booking)
		return
	}
	_, err = p.booking.Reschedule(ctx, ChangeRequest{BookingID: booking, SuggestionID: pick.ID, Actor: "system",
		Reason: "automatic request of the next-best interpreter after " + reason, Source: SourcePlan,
		Origin: &resources.BookingOrigin{Kind: resources.OriginAutomatic}})
	if err != nil {
		p.log.Warn("automatic request failed; a clerk decides", "booking", booking, "error", err.Error())
	}
}

// Summons lists the signed-in counsel's summons from 30 days back.
func (p *Portal) Summons(ctx context.Context, sess *resources.PortalSession) ([]resources.Summons, error) {
	id, err := partyOf(sess)
	if err != nil {
		return nil, err
	}
	return p.db.Summons(ctx, id, p.now().Add(-30*24*time.Hour))
}

// Acknowledge records that the signed-in counsel has seen a summons.
func (p *Portal) Acknowledge(ctx context.Context, sess *resources.PortalSession, booking int64) error {
	id, err := partyOf(sess)
	if err != nil {
		return err
	}
	return p.db.AcknowledgeSummons(ctx, id, booking, p.now())
}

// AskOtherTime records the signed-in counsel's request for another time:
// a reason and the local dates (YYYY-MM-DD) they cannot attend, which
// become their unavailability.
func (p *Portal) AskOtherTime(ctx context.Context, sess *resources.PortalSession, booking int64, reason string, dates []string) error {
	return p.ProposeOtherTime(ctx, sess, booking, reason, dates, nil)
}

// ProposeOtherTime is AskOtherTime with up to three other times the
// counsel proposes (a local date from tomorrow and a part of the day),
// which the clerks see in Needs attention; with proposals the dates they
// cannot attend may be left out.
func (p *Portal) ProposeOtherTime(ctx context.Context, sess *resources.PortalSession, booking int64, reason string, dates []string,
	proposals []resources.TimeProposal) error {
	id, err := partyOf(sess)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errs.Field("reason", "say in a few words why (at most 1000 characters)")
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	if (len(dates) == 0 && len(proposals) == 0) || len(dates) > 60 {
		return errs.Field("dates", "give the dates you cannot attend (1 to 60), or propose other times")
	}
	if err := checkProposals(proposals, p.now()); err != nil {
		return err
	}
	st, err := p.db.Settings(ctx)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	var days []time.Time
	for _, d := range dates {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(d), loc)
		if err != nil {
			return errs.Field("dates", "dates are written YYYY-MM-DD, not "+d)
		}
		days = append(days, t)
	}
	return p.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: id, Booking: booking, Reason: reason, Dates: days,
		Proposals: proposals, Now: p.now()})
}

// checkProposals: at most resources.MaxProposals, each a date after now's
// day (YYYY-MM-DD) and a known part of the day.
func checkProposals(ps []resources.TimeProposal, now time.Time) error {
	if len(ps) > resources.MaxProposals {
		return errs.Field("proposals", fmt.Sprintf("propose at most %d other times", resources.MaxProposals))
	}
	for i, x := range ps {
		d, err := time.Parse(time.DateOnly, x.Date)
		if err != nil || !d.After(now) {
			return errs.Field(fmt.Sprintf("proposals[%d].date", i), "a date from tomorrow on, written YYYY-MM-DD")
		}
		switch x.Part {
		case resources.PartMorning, resources.PartAfternoon, resources.PartDay:
		default:
			return errs.Field(fmt.Sprintf("proposals[%d].part", i), "morning, afternoon or day")
		}
	}
	return nil
}

// absenceOwner is whose absences the signed-in person's are.
func absenceOwner(sess *resources.PortalSession) (resources.AbsenceOwner, error) {
	switch {
	case sess == nil:
		return resources.AbsenceOwner{}, errs.E(errs.Unauthorized, "not signed in")
	case sess.Role == resources.PortalInterpreter:
		return resources.AbsenceOfInterpreter, nil
	case sess.Role == resources.PortalCounsel:
		return resources.AbsenceOfParty, nil
	}
	return resources.AbsenceOwner{}, errs.E(errs.Forbidden, "no absences for this role")
}

// Absences lists the signed-in person's absences (standing unavailability:
// court days, holidays).
func (p *Portal) Absences(ctx context.Context, sess *resources.PortalSession) ([]resources.Absence, error) {
	owner, err := absenceOwner(sess)
	if err != nil {
		return nil, err
	}
	return p.db.Absences(ctx, owner, sess.PersonID)
}

// AddAbsence adds an absence of the signed-in person: from start to end,
// local date-times ("2027-01-11T08:00", from a form) or RFC 3339 instants.
// It reaches the solver at once; the bookings it breaks are flagged as any
// absence's are (recordAbsence).
func (p *Portal) AddAbsence(ctx context.Context, sess *resources.PortalSession, start, end string) error {
	owner, err := absenceOwner(sess)
	if err != nil {
		return err
	}
	st, err := p.db.Settings(ctx)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	var a resources.Absence
	for _, x := range []struct {
		in   string
		out  *string
		name string
	}{{start, &a.Start, "start"}, {end, &a.End, "end"}} {
		t, err := time.Parse(time.RFC3339, x.in)
		if err != nil {
			if t, err = time.ParseInLocation("2006-01-02T15:04", x.in, loc); err != nil {
				return errs.Field(x.name, "give a date and a time")
			}
		}
		*x.out = t.In(loc).Format(time.RFC3339)
	}
	_, err = recordAbsence(ctx, p.db, p.log, owner, sess.PersonID, a, owner.String()+" "+sess.PersonID, p.now())
	return err
}

// DeleteAbsence removes one of the signed-in person's absences.
func (p *Portal) DeleteAbsence(ctx context.Context, sess *resources.PortalSession, id int64) error {
	owner, err := absenceOwner(sess)
	if err != nil {
		return err
	}
	return p.db.DeleteAbsence(ctx, owner, sess.PersonID, id)
}

// RotateFeed gives the signed-in interpreter a new calendar link: their
// live links stop working and a new one is made. It returns the new token
// (shown once).
func (p *Portal) RotateFeed(ctx context.Context, sess *resources.PortalSession) (string, error) {
	id, err := interpreterOf(sess)
	if err != nil {
		return "", err
	}
	old, err := p.db.FeedTokens(ctx, resources.FeedInterpreter, id)
	if err != nil {
		return "", err
	}
	for _, f := range old { // the live ones
		if err := p.db.RevokeFeedToken(ctx, f.ID); err != nil && errs.CodeOf(err) != errs.NotFound {
			return "", err
		}
	}
	token, _, err := p.db.CreateFeedToken(ctx, resources.FeedInterpreter, id, "interpreter "+id)
	return token, err
}

// JobExpireRequests is the name of the job that expires unanswered requests.
const JobExpireRequests = "expire_requests"

// ExpireRequestsJob releases, every minute by default, the interpreters who
// did not answer in time, and deletes spent sign-in links and sessions.
func ExpireRequestsJob(p *Portal, spec string) Job {
	return Job{Name: JobExpireRequests, Spec: spec, Run: func(ctx context.Context) (string, error) {
		n, err := p.ExpireRequests(ctx)
		if err != nil {
			return "", err
		}
		m, err := p.db.ClearPortalAuth(ctx, p.now())
		return fmt.Sprintf("%d unanswered requests expired; %d spent sign-in links and sessions deleted", n, m), err
	}}
}

// Pattern returns the signed-in interpreter's weekly pattern as last
// entered, or a fresh one (from tomorrow, three months, no hours).
func (p *Portal) Pattern(ctx context.Context, sess *resources.PortalSession) (*resources.WeeklyPattern, error) {
	id, err := interpreterOf(sess)
	if err != nil {
		return nil, err
	}
	pat, err := p.db.AvailabilityPattern(ctx, id)
	if err != nil || pat != nil {
		return pat, err
	}
	loc, err := p.location(ctx)
	if err != nil {
		return nil, err
	}
	tomorrow := p.now().In(loc).AddDate(0, 0, 1)
	return &resources.WeeklyPattern{From: tomorrow.Format(time.DateOnly), Until: tomorrow.AddDate(0, 3, 0).Format(time.DateOnly)}, nil
}

func (p *Portal) location(ctx context.Context) (*time.Location, error) {
	st, err := p.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}

// MaxPatternDays bounds the stretch a weekly pattern covers.
const MaxPatternDays = 366

// SetPattern puts the signed-in interpreter's availability from the
// pattern's first day to its last in place of what they had: the hours of
// each weekday, or an exception's. Earlier availability stays. The solver
// and the clerks' suggestions see it at once; bookings it leaves outside
// the interpreter's hours show in the clerks' "needs attention" list.
func (p *Portal) SetPattern(ctx context.Context, sess *resources.PortalSession, pat resources.WeeklyPattern) error {
	id, err := interpreterOf(sess)
	if err != nil {
		return err
	}
	loc, err := p.location(ctx)
	if err != nil {
		return err
	}
	spans, from, err := expandPattern(pat, loc, p.now())
	if err != nil {
		return err
	}
	return p.db.ReplaceAvailabilityFrom(ctx, id, from, spans, pat, p.now())
}

// PatternRemovals checks a pattern as SetPattern does and returns the
// hours on file that saving it would remove (the interpreter's
// availability from its first day on that its intervals do not cover), in
// order, in the agency's time zone: what the portal asks about before it
// saves.
func (p *Portal) PatternRemovals(ctx context.Context, sess *resources.PortalSession, pat resources.WeeklyPattern) ([][2]time.Time, error) {
	id, err := interpreterOf(sess)
	if err != nil {
		return nil, err
	}
	loc, err := p.location(ctx)
	if err != nil {
		return nil, err
	}
	spans, from, err := expandPattern(pat, loc, p.now())
	if err != nil {
		return nil, err
	}
	old, err := p.db.AvailabilityFrom(ctx, id, from)
	if err != nil {
		return nil, err
	}
	removed := subtractSpans(old, spans)
	for i := range removed {
		removed[i][0], removed[i][1] = removed[i][0].In(loc), removed[i][1].In(loc)
	}
	return removed, nil
}

// subtractSpans returns the parts of old (ordered, disjoint) that no span
// of cover (ordered, disjoint) covers.
func subtractSpans(old, cover [][2]time.Time) [][2]time.Time {
	var out [][2]time.Time
	j := 0
	for _, o := range old {
		start := o[0]
		for j < len(cover) && !cover[j][1].After(start) {
			j++
		}
		for k := j; k < len(cover) && cover[k][0].Before(o[1]); k++ {
			if cover[k][0].After(start) {
				out = append(out, [2]time.Time{start, cover[k][0]})
			}
			if cover[k][1].After(start) {
				start = cover[k][1]
			}
		}
		if start.Before(o[1]) {
			out = append(out, [2]time.Time{start, o[1]})
		}
	}
	return out
}

// expandPattern checks a pattern and gives its intervals and its first
// local midnight.
func expandPattern(pat resources.WeeklyPattern, loc *time.Location, now time.Time) ([][2]time.Time, time.Time, error) {
	var fields []errs.FieldError
	bad := func(path, msg string) { fields = append(fields, errs.FieldError{Path: path, Message: msg}) }
	from, err1 := time.ParseInLocation(time.DateOnly, pat.From, loc)
	until, err2 := time.ParseInLocation(time.DateOnly, pat.Until, loc)
	today := now.In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	switch {
	case err1 != nil:
		bad("from", "give the first day as YYYY-MM-DD")
	case from.Before(today):
		bad("from", "the first day cannot be in the past")
	}
	switch {
	case err2 != nil:
		bad("until", "give the last day as YYYY-MM-DD")
	case err1 == nil && until.Before(from):
		bad("until", "the last day is before the first")
	case err1 == nil && until.Sub(from) > MaxPatternDays*24*time.Hour:
		bad("until", "a pattern covers at most a year")
	}
	hours := func(path string, h resources.DayHours) (int, int, bool) {
		if h.Start == "" && h.End == "" {
			return 0, 0, false
		}
		s, e := clock(h.Start), clock(h.End)
		if s < 0 || e < 0 || s >= e {
			bad(path, "give the hours as HH:MM to HH:MM, the end after the start, or neither")
			return 0, 0, false
		}
		return s, e, true
	}
	exc := map[string]resources.DayHours{}
	for i, x := range pat.Exceptions {
		d, err := time.ParseInLocation(time.DateOnly, x.Date, loc)
		if err != nil || (err1 == nil && err2 == nil && (d.Before(from) || d.After(until))) {
			bad(fmt.Sprintf("exceptions[%d].date", i), "a date between the first and the last day, as YYYY-MM-DD")
			continue
		}
		hours(fmt.Sprintf("exceptions[%d]", i), x.DayHours)
		exc[x.Date] = x.DayHours
	}
	for i, h := range pat.Days {
		hours(fmt.Sprintf("days[%d]", i), h)
	}
	if len(fields) > 0 {
		return nil, time.Time{}, errs.WithFields("the availability has "+strconv.Itoa(len(fields))+" problem(s)", fields)
	}
	var spans [][2]time.Time
	for d := from; !d.After(until); d = d.AddDate(0, 0, 1) {
		h, ok := exc[d.Format(time.DateOnly)]
		if !ok {
			h = pat.Days[(int(d.Weekday())+6)%7]
		}
		s, e, on := hours("", h)
		if !on {
			continue
		}
		y, m, day := d.Date()
		spans = append(spans, [2]time.Time{time.Date(y, m, day, s/60, s%60, 0, 0, loc), time.Date(y, m, day, e/60, e%60, 0, 0, loc)})
	}
	return spans, from, nil
}

// clock reads "HH:MM" as minutes after midnight, -1 when it is not one.
func clock(s string) int {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return -1
	}
	return t.Hour()*60 + t.Minute()
}
