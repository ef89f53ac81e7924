package calendars

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

func TestCalendarURLs(t *testing.T) {
	for _, ok := range []string{"https://cal.example.org/basic.ics", "webcal://cal.example.org/x", " http://10.1.2.3:8080/c.ics "} {
		require.NoError(t, ValidateCalendarURL(ok), ok)
	}
	for _, bad := range []string{"", "ftp://cal.example.org/x", "file:///etc/passwd", "https://user:pw@cal.example.org/x",
		"https:///nohost", "https://cal.example.org/" + strings.Repeat("x", 2048), "::not a url"} {
		err := ValidateCalendarURL(bad)
		require.Error(t, err, bad)
		require.Equal(t, errs.Invalid, errs.CodeOf(err), bad)
	}
	require.Equal(t, "https://cal.example.org/…", RedactURL("https://cal.example.org/secret/token.ics?key=1"))
	require.Equal(t, "(invalid URL)", RedactURL("no host"))
}
