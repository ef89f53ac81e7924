package scheduler_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// The stories of the retention tests: case references and the names and
// addresses of two counsels, each distinctive, so that a scan of every
// text column finds them wherever they are.
const (
	caseOld       = "CASE-OLD-7731"  // took place just before the cut-off
	caseKept      = "CASE-KEPT-4410" // took place just after it
	caseCancelled = "CASE-CANC-9052" // cancelled long ago
	caseRecent    = "CASE-RCNT-3318" // cancelled just after the cut-off
	casePending   = "CASE-PEND-1187" // pending, with a booking cancelled long ago

	onlyOldParty = "P-ONLYOLD"
	onlyOldName  = "Olga Onlyold"
	onlyOldEmail = "olga.onlyold@example.org"
	sharedParty  = "P-SHARED"
	sharedName   = "Sami Sharedcounsel"
	sharedEmail  = "sami.shared@example.org"
)

// retentionEnv is a database with the S instance in which five interviews
// carry the stories above; the retention's clock stands so that the
// cut-off falls one minute after the old interview's end.
type retentionEnv struct {
	db        *postgres.DB
	raw       *pgtest.Raw
	url       string
	ids       map[string]string // case reference → interview id
	bookings  map[string]int64  // case reference → its last booking
	cutoff    time.Time
	retention time.Time // when the retention runs
}

func newRetentionEnv(t *testing.T) *retentionEnv {
	t.Helper()
	ctx := context.Background()
	e := &retentionEnv{url: pgtest.URL(t), ids: map[string]string{}, bookings: map[string]int64{}}
	e.raw = pgtest.OpenAt(t, e.url)
	in, err := generator.Generate("S", 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	picks := pickStories(t, fit.Assignments)
	stories := []string{caseOld, caseKept, caseCancelled, caseRecent, casePending}
	in.Parties = append(in.Parties,
		solver.Party{ID: onlyOldParty, Kind: "counsel", Name: onlyOldName, Email: onlyOldEmail, Locale: "fi"},
		solver.Party{ID: sharedParty, Kind: "counsel", Name: sharedName, Email: sharedEmail, Locale: "sv"})
	for i := range in.Interviews {
		iv := &in.Interviews[i]
		for k, c := range stories {
			if iv.ID == picks[k].Interview {
				iv.Case = c
				e.ids[c] = iv.ID
			}
		}
		switch iv.ID {
		case e.ids[caseOld]:
			iv.Parties = append(iv.Parties, onlyOldParty, sharedParty)
		case e.ids[caseKept]:
			iv.Parties = append(iv.Parties, sharedParty)
		}
	}
	require.Len(t, e.ids, len(stories))
	e.db = postgres.New(e.raw, nil)
	_, err = e.db.Import(ctx, in)
	require.NoError(t, err)

	// Everything happens a week before the horizon, on the service's clock.
	t0, err := time.Parse(time.DateOnly, generator.BaseDate)
	require.NoError(t, err)
	clk := testclock.New(t0.AddDate(0, 0, -7))
	svc := scheduler.New(e.db, nil, nil, clk.Now)
	records := scheduler.NewRecords(e.db)
	for k, c := range stories {
		e.bookings[c] = e.story(t, svc, c, picks[k], clk.Now())
	}
	e.cancelInterview(t, records, caseCancelled)
	e.cancelInterview(t, records, caseRecent)
	b, err := svc.Cancel(ctx, scheduler.ChangeRequest{BookingID: e.bookings[casePending], Actor: "clerk-1",
		Reason: "withdrawn for now " + casePending})
	require.NoError(t, err)
	require.Equal(t, "cancelled", b.Booking.Status)

	// The counsels asked for another time of the old interview, and both
	// have a sign-in link and a portal session.
	require.NoError(t, e.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: sharedParty, Booking: e.bookings[caseOld],
		Reason: "my client " + caseOld + " is ill", Proposals: []resources.TimeProposal{{Date: "2027-01-20", Part: "morning"}},
		Now: clk.Now()}))
	noon := clk.Now().AddDate(0, 0, 20)
	require.NoError(t, e.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: onlyOldParty, Booking: e.bookings[caseOld],
		Reason: "on leave", Dates: []time.Time{noon}, Now: clk.Now()}))
	require.NoError(t, e.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: sharedParty, Booking: e.bookings[caseKept], Dates: []time.Time{noon},
		Reason: "my client " + caseKept + " travels", Now: clk.Now()}))
	for _, p := range []string{onlyOldParty, sharedParty} {
		h := sha256.Sum256([]byte("link " + p))
		require.NoError(t, e.db.CreateSigninLink(ctx, resources.PortalPerson{Role: resources.PortalCounsel, ID: p}, h[:],
			clk.Now(), time.Hour))
		h = sha256.Sum256([]byte("session " + p))
		require.NoError(t, e.db.CreatePortalSession(ctx, h[:], resources.PortalSession{Role: resources.PortalCounsel, PersonID: p,
			CSRF: "x", ExpiresAt: clk.Now().Add(time.Hour)}, clk.Now()))
	}

	// The cut-off: one minute after the old interview ended; the recent
	// cancellation one minute after that.
	oldEnd := endOf(t, picks[0])
	e.cutoff = oldEnd.Add(time.Minute)
	loc, err := time.LoadLocation(in.Timezone)
	require.NoError(t, err)
	e.retention = e.cutoff.In(loc).AddDate(0, resources.DefaultRetention.MonthsAfter, 0)
	require.True(t, scheduler.RetentionCutoff(e.retention, resources.DefaultRetention, loc).Equal(e.cutoff))
	require.True(t, endOf(t, picks[1]).After(e.cutoff), "the kept interview ends after the cut-off")
	e.setCancelledAt(t, caseCancelled, clk.Now())
	e.setCancelledAt(t, caseRecent, e.cutoff.Add(time.Minute))
	return e
}

// pickStories picks five assignments of the first fit, with an interpreter:
// the one that ends first (old), the next to end that starts after it ends
// (kept: they share a counsel), and three others for the cancelled, the
// recently cancelled and the pending interview.
func pickStories(t *testing.T, as []solver.Assignment) []solver.Assignment {
	t.Helper()
	var with []solver.Assignment
	for _, a := range as {
		if a.Interpreter != "" {
			with = append(with, a)
		}
	}
	sort.Slice(with, func(i, j int) bool {
		ei, ej := endOf(t, with[i]), endOf(t, with[j])
		if !ei.Equal(ej) {
			return ei.Before(ej)
		}
		return with[i].Interview < with[j].Interview
	})
	require.GreaterOrEqual(t, len(with), 5)
	old := with[0]
	out := []solver.Assignment{old}
	var rest []solver.Assignment
	for _, a := range with[1:] {
		if len(out) == 1 && !startOf(t, a).Before(endOf(t, old)) {
			out = append(out, a)
			continue
		}
		rest = append(rest, a)
	}
	require.Len(t, out, 2, "an interview that starts after the first ends")
	return append(out, rest[:3]...)
}

func startOf(t *testing.T, a solver.Assignment) time.Time {
	s, err := time.Parse(time.RFC3339, a.Start)
	require.NoError(t, err)
	return s
}

func endOf(t *testing.T, a solver.Assignment) time.Time {
	s, err := time.Parse(time.RFC3339, a.End)
	require.NoError(t, err)
	return s
}

// story books the interview of case c by hand, with a reason that names
// the case, flags it, cancels the booking (naming the case) and books it
// again: it returns the last booking.
func (e *retentionEnv) story(t *testing.T, svc *scheduler.Service, c string, a solver.Assignment, now time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	id := e.ids[c]
	require.NoError(t, e.db.FlagInterview(ctx, id, "nothing fits "+c, "clerk-1", now))
	book := func() *resources.Booking {
		b, err := svc.Book(ctx, scheduler.BookRequest{InterviewID: id, Assignment: &a, Actor: "clerk-1",
			Reason: "by hand for " + c})
		require.NoError(t, err)
		return b
	}
	first := book()
	_, err := svc.Cancel(ctx, scheduler.ChangeRequest{BookingID: first.ID, Actor: "clerk-1", Reason: "moved for " + c})
	require.NoError(t, err)
	return book().ID
}

// cancelInterview cancels the booking of case c and then the interview.
func (e *retentionEnv) cancelInterview(t *testing.T, records *scheduler.Records, c string) {
	t.Helper()
	ctx := context.Background()
	svc := scheduler.New(e.db, nil, nil, nil)
	_, err := svc.Cancel(ctx, scheduler.ChangeRequest{BookingID: e.bookings[c], Actor: "clerk-1", Reason: "withdrawn " + c})
	require.NoError(t, err)
	iv, err := e.db.Interview(ctx, e.ids[c])
	require.NoError(t, err)
	iv.Status = resources.StatusCancelled
	_, err = records.PutInterview(ctx, iv, &iv.Version)
	require.NoError(t, err)
}

// setCancelledAt dates the cancellation of case c's interview (the
// database wrote its own clock's time).
func (e *retentionEnv) setCancelledAt(t *testing.T, c string, at time.Time) {
	t.Helper()
	tag, err := e.raw.Exec(context.Background(), `update interviews set updated_at = $2 where id = $1 and status = 'cancelled'`,
		e.ids[c], at)
	require.NoError(t, err)
	require.EqualValues(t, 1, tag.RowsAffected())
}

// retention returns the retention service on its own store at the time
// of the run.
func (e *retentionEnv) retentionService(t *testing.T) *scheduler.Retention {
	now := func() time.Time { return e.retention }
	db, err := postgres.Open(context.Background(), e.url, now)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	return scheduler.NewRetention(db, now)
}

// hits scans every text column for each needle (pgtest.FindText): per
// needle, the rows that hold it per "table.column".
func (e *retentionEnv) hits(t *testing.T, needles ...string) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, n := range needles {
		out[n] = map[string]int{}
	}
	for _, h := range pgtest.FindText(t, e.raw, needles...) {
		out[h.Needle][h.Table+"."+h.Column] = int(h.Rows)
	}
	return out
}

// rows returns the rows of query, each its values joined by "|", to
// compare states.
func (e *retentionEnv) rows(t *testing.T, query string, args ...any) []string {
	t.Helper()
	rows, err := e.raw.Query(context.Background(), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		vs, err := rows.Values()
		require.NoError(t, err)
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	require.NoError(t, rows.Err())
	return out
}

func (e *retentionEnv) caseOf(t *testing.T, c string) string {
	var ref string
	require.NoError(t, e.raw.QueryRow(context.Background(), `select case_ref from interviews where id = $1`, e.ids[c]).Scan(&ref))
	return ref
}

func TestRetentionErasesWhatPassedAndNothingElse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newRetentionEnv(t)
	r := e.retentionService(t)
	erased := []string{caseOld, caseCancelled, onlyOldName, onlyOldEmail}
	kept := []string{caseKept, caseRecent, casePending, sharedName}
	before := e.hits(t, append(erased, append(kept, sharedEmail)...)...)
	for _, n := range append(erased, kept...) {
		require.NotEmpty(t, before[n], "the setup stored %s", n)
	}
	auditBefore := e.rows(t, `select * from audit_log order by id`)
	accessBefore := e.rows(t, `select * from access_log order by id`)
	statsQuery := `select b.id, b.interview_id, b.start_at, b.end_at, b.room_id, b.interviewer_id, b.interpreter_id, b.mode, b.status,
		o.origin, o.suggestion_rank, o.action from bookings b left join booking_origins o on o.booking_id = b.id order by b.id, o.id`
	statsBefore := e.rows(t, statsQuery)

	preview, err := r.Preview(ctx)
	require.NoError(t, err)
	require.Equal(t, e.cutoff.UTC().Format(time.RFC3339), preview.Cutoff)
	require.Equal(t, 24, preview.MonthsAfter)
	require.Equal(t, e.ids[caseCancelled], preview.FirstInterview, "cancelled a week before the horizon")
	require.Equal(t, e.ids[caseOld], preview.LastInterview)
	c := preview.Counts
	require.EqualValues(t, 2, c.Interviews, "the old and the long-cancelled interview")
	require.EqualValues(t, 3, c.CancelReasons, "the old one's first booking, the cancelled one's two")
	require.EqualValues(t, 2, c.FlagReasons)
	require.EqualValues(t, 4, c.OriginReasons, "two hand bookings each")
	require.EqualValues(t, 2, c.PartyAnswers, "both counsels' answers to the old interview")
	require.EqualValues(t, 1, c.Parties, "the counsel of the old interview alone")
	require.EqualValues(t, 1, c.PartyAbsences, "the day that counsel could not attend")
	require.EqualValues(t, 1, c.SigninLinks)
	require.EqualValues(t, 1, c.PortalSessions)
	require.Positive(t, c.Mails)
	require.GreaterOrEqual(t, c.PartyLinks, int64(2))

	run, err := r.Run(ctx, "admin-1")
	require.NoError(t, err)
	require.Equal(t, preview.Counts, run.Counts, "the preview said what the run did")
	require.Equal(t, preview.Cutoff, run.Cutoff)
	require.Equal(t, preview.FirstInterview, run.FirstInterview)
	require.Equal(t, preview.LastInterview, run.LastInterview)

	// The erased case references, reasons, names and addresses are left
	// only in the audit trail's reasons (append-only, kept on purpose:
	// docs/data-protection.md); the counsel's name and address nowhere.
	after := e.hits(t, append(erased, append(kept, sharedEmail)...)...)
	for _, n := range []string{caseOld, caseCancelled} {
		require.Equal(t, map[string]int{"audit_log.reason": before[n]["audit_log.reason"]}, after[n], n)
	}
	for _, n := range []string{onlyOldName, onlyOldEmail} {
		require.Empty(t, after[n], n)
	}
	for _, n := range kept {
		require.Equal(t, before[n], after[n], "%s is kept as it was", n)
	}
	// The shared counsel's address stays in their record and the kept
	// interview's mails, and leaves the old one's.
	require.Equal(t, 1, after[sharedEmail]["parties.email"])
	require.Positive(t, after[sharedEmail]["mail_outbox.email"])
	require.Less(t, after[sharedEmail]["mail_outbox.email"], before[sharedEmail]["mail_outbox.email"])
	for _, c := range []string{caseOld, caseCancelled} {
		require.True(t, strings.HasPrefix(e.caseOf(t, c), "erased-"), c)
	}
	require.NotEqual(t, e.caseOf(t, caseOld), e.caseOf(t, caseCancelled), "a pseudonym per interview")

	// Statistics stay: the bookings' times and resources and the origins'
	// kinds; the audit trail and the access log are untouched, and the
	// run added its entries.
	require.Equal(t, statsBefore, e.rows(t, statsQuery))
	require.Equal(t, accessBefore, e.rows(t, `select * from access_log order by id`))
	auditAfter := e.rows(t, `select * from audit_log order by id`)
	require.Equal(t, auditBefore, auditAfter[:len(auditBefore)])
	require.Equal(t, []string{"", e.ids[caseCancelled], e.ids[caseOld]},
		e.rows(t, `select coalesce(interview_id, '') from audit_log where action = $1 order by id`, resources.ActionRetentionErased))

	// The shared counsel keeps their name and the kept interview, and
	// loses the old one; the other counsel is erased and signed out.
	require.Equal(t, []string{"P-ONLYOLD|||false", "P-SHARED|Sami Sharedcounsel|sami.shared@example.org|true"},
		e.rows(t, `select id, name, email, active from parties where id in ($1, $2) order by id`, onlyOldParty, sharedParty))
	require.Equal(t, []string{e.ids[caseKept] + "|P-SHARED"},
		e.rows(t, `select interview_id, party_id from interview_parties where party_id in ($1, $2)`, onlyOldParty, sharedParty))
	require.Equal(t, []string{"P-SHARED"}, e.rows(t, `select person_id from portal_sessions order by 1`))
	require.Equal(t, []string{"P-SHARED"}, e.rows(t, `select p.id from absences a join parties p on p.resource_id = a.resource_id
		where p.id in ($1, $2)`, onlyOldParty, sharedParty), "the shared counsel's absence stays")
	require.Equal(t, []string{"P-SHARED"}, e.rows(t, `select person_id from signin_links order by 1`))
	require.Empty(t, e.rows(t, `select id from mail_outbox where booking_id = $1 and email <> ''`, e.bookings[caseOld]))
	require.NotEmpty(t, e.rows(t, `select id from mail_outbox where booking_id = $1 and email <> ''`, e.bookings[caseKept]))

	// The run is recorded, and a second run finds nothing to do.
	runs, err := e.db.RetentionRuns(ctx, resources.ListParams{Filters: map[string]string{}})
	require.NoError(t, err)
	require.Len(t, runs.Items, 1)
	require.Equal(t, *run, runs.Items[0])
	again, err := r.Run(ctx, "admin-1")
	require.NoError(t, err)
	require.Zero(t, again.Counts.Total())
	require.Equal(t, after, e.hits(t, append(erased, append(kept, sharedEmail)...)...))
	require.Len(t, e.rows(t, `select id from audit_log`), len(auditAfter), "a run that erased nothing writes no audit entry")
}

func TestRetentionRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newRetentionEnv(t)
	a, b := e.retentionService(t), e.retentionService(t)
	preview, err := a.Preview(ctx)
	require.NoError(t, err)
	require.Positive(t, preview.Counts.Total())

	var wg sync.WaitGroup
	runs := make([]*resources.RetentionRun, 2)
	errs := make([]error, 2)
	start := make(chan struct{})
	for i, r := range []*scheduler.Retention{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			runs[i], errs[i] = r.Run(ctx, "replica")
		}()
	}
	close(start)
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	totals := []int64{runs[0].Counts.Total(), runs[1].Counts.Total()}
	sort.Slice(totals, func(i, j int) bool { return totals[i] < totals[j] })
	require.Equal(t, []int64{0, preview.Counts.Total()}, totals, "one run did the work, the other found none left")
	require.Len(t, e.rows(t, `select id from audit_log where action = $1 and interview_id is null`, resources.ActionRetentionErased), 1)
}

func TestRetentionJobRecordsCountsNoNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newRetentionEnv(t)
	r := e.retentionService(t)
	jobs := scheduler.NewJobs(e.db, nil, func() time.Time { return e.retention })
	require.NoError(t, jobs.Add(r.Job(scheduler.DefaultRetentionSpec)))
	run, err := jobs.RunNow(ctx, scheduler.JobRetention, e.retention.Truncate(time.Minute))
	require.NoError(t, err)
	require.Equal(t, resources.JobOK, run.Outcome)
	require.Contains(t, run.Detail, "2 interviews, 1 parties erased")
	for _, n := range []string{caseOld, caseCancelled, onlyOldName, e.ids[caseOld]} {
		require.NotContains(t, run.Detail, n)
	}
	runs, err := e.db.RetentionRuns(ctx, resources.ListParams{Filters: map[string]string{}})
	require.NoError(t, err)
	require.Len(t, runs.Items, 1)
	require.Equal(t, resources.RetentionActor, runs.Items[0].Actor)
}

// The cut-off is counted in calendar months of the agency's time zone: the
// same local time, summer or winter, and the last day of a shorter month.
func TestRetentionCutoff(t *testing.T) {
	t.Parallel()
	hel, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	at := func(s string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04", s, hel)
		require.NoError(t, err)
		return x
	}
	for _, tt := range []struct {
		now    string
		months int
		want   string
	}{
		{"2029-01-04 03:30", 24, "2027-01-04 03:30"},
		{"2029-07-01 03:30", 24, "2027-07-01 03:30"}, // summer time both
		{"2029-04-01 03:30", 1, "2029-03-01 03:30"},  // winter time then, summer now
		{"2029-03-31 03:30", 1, "2029-02-28 03:30"},
		{"2028-03-31 03:30", 1, "2028-02-29 03:30"},
		{"2029-12-31 23:59", 10, "2029-02-28 23:59"},
		{"2029-05-15 12:00", 240, "2009-05-15 12:00"},
	} {
		got := scheduler.RetentionCutoff(at(tt.now), resources.Retention{MonthsAfter: tt.months}, hel)
		require.True(t, at(tt.want).Equal(got), "%s less %d months: %s, not %s", tt.now, tt.months, got, tt.want)
	}
}
