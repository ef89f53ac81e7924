package resources_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// settings.retention: from 1 to 240 months; none given is the default of
// 24 months. Its access_log_months: from 12 to 240; none given is the
// default of 60 months.
func TestSettingsRetention(t *testing.T) {
	months := func(n int) *int { return &n }
	for _, tt := range []struct {
		retention *resources.Retention
		bad       string // the field refused; "": valid
		months    int    // the rule in force
		accessLog int    // the access log's period in force
	}{
		{nil, "", 24, 60},
		{&resources.Retention{MonthsAfter: 1}, "", 1, 60},
		{&resources.Retention{MonthsAfter: 240}, "", 240, 60},
		{&resources.Retention{MonthsAfter: 0}, "retention.months_after", 0, 60},
		{&resources.Retention{MonthsAfter: -3}, "retention.months_after", -3, 60},
		{&resources.Retention{MonthsAfter: 241}, "retention.months_after", 241, 60},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(12)}, "", 24, 12},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(240)}, "", 24, 240},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(11)}, "retention.access_log_months", 24, 11},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(0)}, "retention.access_log_months", 24, 0},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(-60)}, "retention.access_log_months", 24, -60},
		{&resources.Retention{MonthsAfter: 24, AccessLogMonths: months(241)}, "retention.access_log_months", 24, 241},
	} {
		s := resources.Settings{Timezone: "Europe/Helsinki", Horizon: &solver.DateRange{Start: "2026-12-07", End: "2026-12-18"},
			Retention: tt.retention}
		require.Equal(t, tt.months, s.RetentionRule().MonthsAfter)
		require.Equal(t, tt.accessLog, s.RetentionRule().AccessLogPeriod())
		err := s.Validate()
		if tt.bad == "" {
			require.NoError(t, err, "%+v", tt.retention)
			continue
		}
		require.Equal(t, errs.Invalid, errs.CodeOf(err), "%+v", tt.retention)
		require.Len(t, errs.FieldsOf(err), 1)
		require.Equal(t, tt.bad, errs.FieldsOf(err)[0].Path)
	}
}
