package capacity_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/solver"
)

// fitInstance is one office from Monday 7 January 2030 through March, an
// interviewer there every weekday, and one Azerbaijani interview (deadline
// Monday 14 January) and a Tigrinya one; change adjusts it per case.
func fitInstance(change func(in *solver.Instance)) *solver.Instance {
	day := func(d solver.Date, from, to string) solver.Interval {
		s := d.String()
		return solver.Interval{Start: s + "T" + from + ":00+02:00", End: s + "T" + to + ":00+02:00"}
	}
	start := mustDate("2030-01-07")
	var weekdays []solver.Interval
	for d := start; d < start+84; d++ {
		if (int(d)+3)%7 < 5 { // Monday … Friday
			weekdays = append(weekdays, day(d, "08:00", "16:00"))
		}
	}
	in := &solver.Instance{
		Format:    solver.InstanceFormat,
		Timezone:  "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2030-01-07", End: "2030-03-31"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:     []solver.Room{{ID: "HEL-R1", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{{ID: "HEL-E1", Location: "HEL", Skills: []string{}, Languages: []string{"fi"},
			Availability: weekdays}},
		Interpreters: []solver.Interpreter{
			{ID: "T-AZ", Languages: []string{"az"}, Skills: []string{}, Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"},
				Availability: []solver.Interval{day(mustDate("2030-01-17"), "09:00", "15:00")}},
			{ID: "T-TI", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"},
				Availability: weekdays},
		},
		Interviews: []solver.Interview{
			{ID: "I-AZ", Case: "C-AZ", Language: "az", DurationMinutes: 60, Earliest: "2030-01-07", Deadline: "2030-01-14", Locations: []string{"HEL"}},
			{ID: "I-TI", Case: "C-TI", Language: "ti", DurationMinutes: 60, Earliest: "2030-01-07", Deadline: "2030-01-14", Locations: []string{"HEL"}},
		},
	}
	if change != nil {
		change(in)
	}
	return in
}

// The first fit is searched through the deadline and beyond it, with the
// reason nothing fits before it, and the interview's latest date set aside.
func TestFitOf(t *testing.T) {
	t.Parallel()
	from := mustDate("2030-01-07")
	for _, tc := range []struct {
		name     string
		change   func(in *solver.Instance)
		first    string // "" none
		reason   string
		short    bool
		late     int
		needs    []string
		searched string
	}{
		{name: "interpreter free only after the deadline", first: "2030-01-17", reason: solver.ReasonNoInterpreterAvailable,
			short: true, late: 3, searched: "2030-03-11"},
		{name: "its latest date is set aside", change: func(in *solver.Instance) { in.Interviews[0].Latest = "2030-01-11" },
			first: "2030-01-17", reason: solver.ReasonNoInterpreterAvailable, short: true, late: 3, searched: "2030-03-11"},
		{name: "free before the deadline but taken", change: func(in *solver.Instance) {
			in.Interpreters[0].Availability = append([]solver.Interval{{Start: "2030-01-09T09:00:00+02:00", End: "2030-01-09T10:00:00+02:00"}},
				in.Interpreters[0].Availability...)
			in.Interviews = append(in.Interviews, solver.Interview{ID: "I-AZ2", Case: "C-AZ2", Language: "az", DurationMinutes: 60,
				Earliest: "2030-01-07", Locations: []string{"HEL"}})
			in.Bookings = []solver.Booking{{Interview: "I-AZ2", Start: "2030-01-09T09:00:00+02:00", Room: "HEL-R1", Interviewer: "HEL-E1",
				Interpreter: "T-AZ", Mode: solver.ModeOnsite}}
		}, first: "2030-01-17", reason: solver.ReasonCapacity, short: true, late: 3, searched: "2030-03-11"},
		{name: "the one interpreter is excluded", change: func(in *solver.Instance) { in.Interviews[0].ExcludedInterpreters = []string{"T-AZ"} },
			reason: solver.ReasonNoInterpreterAvailable, short: true, needs: []string{capacity.NeedExcluded}, searched: "2030-03-11"},
		{name: "fits at once", change: func(in *solver.Instance) { in.Interviews[0].Language = "ti" }, first: "2030-01-07", searched: "2030-03-11"},
		{name: "no deadline: the search ends 8 weeks after its start", change: func(in *solver.Instance) {
			in.Interviews[0].Deadline = ""
			in.Interpreters[0].Availability = []solver.Interval{}
		}, reason: solver.ReasonNoInterpreterAvailable, short: true, searched: "2030-03-04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := fitInstance(tc.change)
			f, err := capacity.FitOf(in, from, "I-AZ")
			require.NoError(t, err)
			require.NotNil(t, f)
			first := ""
			if f.First != 0 {
				first = f.First.String()
			}
			require.Equal(t, tc.first, first)
			require.Equal(t, tc.reason, f.Reason)
			require.Equal(t, tc.short, f.Short())
			require.Equal(t, tc.late, f.DaysLate())
			require.Equal(t, tc.needs, f.Needs)
			require.Equal(t, tc.searched, f.SearchedTo.String())
			// Fits (the shortage page's) agrees on the first fit.
			all, err := capacity.Fits(in, from, []string{"I-AZ", "I-TI"})
			require.NoError(t, err)
			require.Equal(t, f.First, all["I-AZ"].First)
			require.False(t, all["I-TI"].Short())
		})
	}
}

func mustDate(s string) solver.Date {
	d, err := solver.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
