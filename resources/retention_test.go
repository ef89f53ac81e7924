package resources_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// settings.retention: from 1 to 240 months; none given is the default of
// 24 months.
func TestSettingsRetention(t *testing.T) {
	for _, tt := range []struct {
		retention *resources.Retention
		valid     bool
		months    int // the rule in force
	}{
		{nil, true, 24},
		{&resources.Retention{MonthsAfter: 1}, true, 1},
		{&resources.Retention{MonthsAfter: 240}, true, 240},
		{&resources.Retention{MonthsAfter: 0}, false, 0},
		{&resources.Retention{MonthsAfter: -3}, false, -3},
		{&resources.Retention{MonthsAfter: 241}, false, 241},
	} {
		s := resources.Settings{Timezone: "Europe/Helsinki", Horizon: &solver.DateRange{Start: "2026-12-07", End: "2026-12-18"},
			Retention: tt.retention}
		require.Equal(t, tt.months, s.RetentionRule().MonthsAfter)
		err := s.Validate()
		if tt.valid {
			require.NoError(t, err, "%+v", tt.retention)
			continue
		}
		require.Equal(t, errs.Invalid, errs.CodeOf(err), "%+v", tt.retention)
		require.Equal(t, "retention.months_after", errs.FieldsOf(err)[0].Path)
	}
}
