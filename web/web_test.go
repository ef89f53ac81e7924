package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a server with the API and the pages on a fresh database holding the
// demo data of `make run` (the generator's M instance with a third of a
// first-fit plan booked), and tokens of each role.
type env struct {
	srv                    *httptest.Server
	db                     *postgres.DB
	raw                    *pgtest.Raw // the test's own SQL
	booking                *scheduler.Service
	planner                *scheduler.Planner
	portal                 *scheduler.Portal
	smtp                   *mailtest.Server // receives the mails of the portal and the bookings
	access                 *scheduler.AccessLog
	clerk, clerk2, manager string
	clerkID                int64
}

var (
	demoOnce sync.Once
	demo     *solver.Instance
	demoErr  error
)

// demoInstance is what `interviewd serve -demo` loads.
func demoInstance(t testing.TB) *solver.Instance {
	demoOnce.Do(func() {
		demo, demoErr = generator.Generate("M", 1)
		if demoErr != nil {
			return
		}
		fit, err := solver.FirstFit(demo)
		if err != nil {
			demoErr = err
			return
		}
		for i, a := range fit.Assignments {
			if i%3 == 0 {
				demo.Bookings = append(demo.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
					Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
			}
		}
	})
	require.NoError(t, demoErr)
	// A copy: Import does not change it, but be safe with parallel tests.
	cp := *demo
	return &cp
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, demoInstance(t))
}

// newEnvWith is newEnv on the data of in.
func newEnvWith(t testing.TB, in *solver.Instance) *env {
	t.Helper()
	ctx := context.Background()
	raw := pgtest.Open(t)
	db := postgres.New(raw, time.Now)
	_, err := db.Import(ctx, in)
	require.NoError(t, err)
	// Wired as cmd/interviewd wires the server: one booking service and
	// planner shared by the API and the pages.
	m := metrics.New()
	booking := scheduler.New(db, nil, nil, nil, scheduler.WithObserver(m))
	planner := scheduler.NewPlanner(db, booking, nil, nil)
	// Mail goes to a real SMTP server in the test process.
	smtp := mailtest.Start(t)
	sender, err := mail.NewSender(smtp.URL(), "booking@migri.example")
	require.NoError(t, err)
	bg, stopBG := context.WithCancel(context.Background())
	portal := scheduler.NewPortal(bg, db, booking, nil, nil, "", scheduler.SigninMail(sender, "booking@migri.example", nil))
	access := scheduler.NewAccessLog(db, nil, nil)
	accessDone := make(chan struct{})
	go func() { defer close(accessDone); access.Run(bg) }()
	records := scheduler.NewRecords(db)
	a := api.New(api.Deps{Store: db, Records: records, Booking: booking, Planner: planner, Feeds: api.NewFeedService(api.FeedOptions{}), Metrics: m,
		Portal: portal, Access: access})
	h := web.New(web.Config{DB: db, Booking: booking, Plans: planner, Portal: portal, API: a, Access: access, Records: records})
	srv := httptest.NewServer(h)
	portal.PublicURL = srv.URL
	mailer := scheduler.NewMailer(db, nil, nil, sender, "booking@migri.example", srv.URL)
	mailer.Poll = 100 * time.Millisecond
	mailDone := make(chan struct{})
	go func() { defer close(mailDone); mailer.Run(bg) }()
	t.Cleanup(func() {
		stopBG()
		<-mailDone
		<-accessDone
		srv.Close()
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		planner.Close(cctx)
	})
	e := &env{srv: srv, db: db, raw: raw, booking: booking, planner: planner, portal: portal, smtp: smtp, access: access}
	var tk *resources.Token
	e.clerk, tk, err = db.CreateToken(ctx, "clerk-a", resources.RoleClerk)
	require.NoError(t, err)
	e.clerkID = tk.ID
	e.clerk2, _, err = db.CreateToken(ctx, "clerk-b", resources.RoleClerk)
	require.NoError(t, err)
	e.manager, _, err = db.CreateToken(ctx, "manager-a", resources.RoleManager)
	require.NoError(t, err)
	return e
}

// jar keeps cookies like a browser on a secure origin: the test server is
// plain HTTP on 127.0.0.1, which browsers treat as secure but Go's cookiejar
// does not.
type jar struct {
	mu sync.Mutex
	c  map[string]*http.Cookie
}

func (j *jar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		if c.MaxAge < 0 || c.Value == "" {
			delete(j.c, c.Name)
			continue
		}
		j.c[c.Name] = c
	}
}

func (j *jar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.c {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	jar  *jar
	csrf string
}

func (e *env) browser(t testing.TB) *browser {
	j := &jar{c: map[string]*http.Cookie{}}
	return &browser{t: t, e: e, jar: j, c: &http.Client{Jar: j, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status int
	body   string
	header http.Header
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	if m := csrfRe.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return page{status: resp.StatusCode, body: string(body), header: resp.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

// post sends a form; the CSRF token of the last page is added unless the
// form has one.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) signIn(token string) {
	b.t.Helper()
	p := b.get("/signin")
	require.Equal(b.t, 200, p.status)
	p = b.post("/signin", url.Values{"token": {token}, "next": {"/queue"}})
	require.Equal(b.t, http.StatusSeeOther, p.status, p.body)
	require.Equal(b.t, "/queue", p.header.Get("Location"))
}
