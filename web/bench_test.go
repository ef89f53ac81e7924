package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// serverTime reads a page's Server-Timing (app;dur=MS).
func serverTime(tb testing.TB, p page) float64 {
	tb.Helper()
	require.Equal(tb, 200, p.status, p.body)
	v := p.header.Get("Server-Timing")
	ms, err := strconv.ParseFloat(strings.TrimPrefix(v, "app;dur="), 64)
	require.NoError(tb, err, v)
	return ms
}

// benchPages loads each path b.N times and reports the median server time.
func benchPages(b *testing.B, br *browser, paths map[string]string) {
	for name, path := range paths {
		b.Run(name, func(b *testing.B) {
			serverTime(b, br.get(path)) // warm
			var ms []float64
			for i := 0; i < b.N; i++ {
				ms = append(ms, serverTime(b, br.get(path)))
			}
			b.ReportMetric(median(ms), "server-ms")
		})
	}
}

func median(xs []float64) float64 {
	s := append([]float64{}, xs...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

// BenchmarkPages: the staff pages' server time on the M demo data (the
// target: under 100 ms warm; see docs/web.md).
func BenchmarkPages(b *testing.B) {
	e := newEnv(b)
	br := e.browser(b)
	br.signIn(e.manager)
	page, err := e.db.Bookings(context.Background(), resources.ListParams{Limit: 1, Filters: map[string]string{}})
	require.NoError(b, err)
	bk := page.Items[0]
	paths := map[string]string{
		"queue": "/queue", "attention": "/attention", "case-pending": "/cases/I-0002", "case-booked": "/cases/" + bk.Interview,
		"planner": "/planner", "shortages": "/shortages", "booking": fmt.Sprintf("/bookings/%d", bk.ID),
		"interpreter": "/people/interpreter/" + bk.Interpreter, "room": "/people/room/" + bk.Room,
		"plans": "/plans", "flags": "/flags",
	}
	benchPages(b, br, paths)
	// The same pages in Finnish.
	br.get("/lang/fi?next=/queue")
	fi := map[string]string{}
	for name, path := range paths {
		fi[name+"-fi"] = path
	}
	benchPages(b, br, fi)
}

// BenchmarkPortalPages: the portal's pages on L data for the interpreter
// and the counsel with the most bookings (target: under 50 ms).
func BenchmarkPortalPages(b *testing.B) {
	in, err := generator.Generate("L", 1)
	require.NoError(b, err)
	fit, err := solver.FirstFit(in)
	require.NoError(b, err)
	for _, a := range fit.Assignments {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
	}
	e := newEnvWith(b, in)
	busiest := func(count map[string]int) string {
		best := ""
		for id, n := range count {
			if best == "" || n > count[best] {
				best = id
			}
		}
		return best
	}
	byInterp, byParty := map[string]int{}, map[string]int{}
	parties := map[string][]string{}
	for _, iv := range in.Interviews {
		parties[iv.ID] = iv.Parties
	}
	for _, bk := range in.Bookings {
		byInterp[bk.Interpreter]++
		for _, p := range parties[bk.Interview] {
			byParty[p]++
		}
	}
	delete(byInterp, "")
	for role, who := range map[string]string{resources.PortalInterpreter: busiest(byInterp), resources.PortalCounsel: busiest(byParty)} {
		secret := "bench-" + role
		require.NoError(b, e.db.CreatePortalSession(context.Background(), scheduler.Hash(secret), resources.PortalSession{
			Role: role, PersonID: who, CSRF: "x", ExpiresAt: time.Now().Add(time.Hour)}, time.Now()))
		br := e.browser(b)
		br.jar.SetCookies(nil, []*http.Cookie{{Name: "__Host-ivportal", Value: secret}})
		path := map[string]string{resources.PortalInterpreter: "/portal/assignments", resources.PortalCounsel: "/portal/summons"}[role]
		b.Logf("%s %s: %d bookings", role, who, map[string]int{resources.PortalInterpreter: byInterp[who], resources.PortalCounsel: byParty[who]}[role])
		benchPages(b, br, map[string]string{role: path, role + "-absences": "/portal/absences"})
	}
}
