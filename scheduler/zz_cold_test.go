package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/solver"
)

func TestZZCold(t *testing.T) {
	db := postgres.New(pgtest.Pool(t), nil)
	in, _ := generator.Generate("L", 1)
	fit, _ := solver.FirstFit(in)
	for i, a := range fit.Assignments {
		if i%3 == 0 {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room, Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
		}
	}
	_, err := db.Import(context.Background(), in)
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		st, err := db.PlanningState(context.Background(), "", time.Now())
		require.NoError(t, err)
		t1 := time.Now()
		require.NoError(t, solver.Validate(st.Instance))
		t2 := time.Now()
		p, err := solver.NewPlanner(st.Instance)
		require.NoError(t, err)
		t3 := time.Now()
		_, err = p.Suggest(solver.SuggestRequest{Interview: in.Interviews[3].ID, K: 5})
		require.NoError(t, err)
		t.Logf("export %v validate %v newplanner %v suggest %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), time.Since(t3))
	}
}
