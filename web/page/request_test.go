package page_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/web/page"
)

// Redirect targets stay on the site, however they are dressed: as a
// browser would read them (tabs and line breaks dropped, a backslash a
// slash), none of the refused ones leaves it.
func TestLocalPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		next, want string
		ok         bool
	}{
		{"/queue", "/queue", true},
		{"/cases/I-1?tab=mail#history", "/cases/I-1?tab=mail#history", true},
		{"/portal/assignments/12", "/portal/assignments/12", true},
		{"/%2F%2Fevil.example", "", false}, // encoded slashes: refused to be safe
		{"/a\tb", "/ab", true},
		{"", "", false},
		{"queue", "", false},
		{"//evil.example/x", "", false},
		{"/\t/evil.example/x", "", false},
		{"/\r\n/evil.example", "", false},
		{"\t//evil.example", "", false},
		{"/\x00/evil.example", "", false},
		{"/\u0085/evil.example", "", false},
		{"/\\evil.example", "", false},
		{"\\\\evil.example", "", false},
		{"/x\\..\\..\\evil", "", false},
		{"https://evil.example/", "", false},
		{"javascript:alert(1)", "", false},
		{"/\t\t/\t/evil.example", "", false},
	} {
		got, ok := page.LocalPath(tc.next)
		require.Equal(t, tc.ok, ok, "%q", tc.next)
		require.Equal(t, tc.want, got, "%q", tc.next)
		if ok {
			// What a browser would make of the Location header.
			base, _ := url.Parse("https://interviews.example/signin")
			loc, err := base.Parse(got)
			require.NoError(t, err)
			require.Equal(t, "interviews.example", loc.Host, "%q", tc.next)
		}
	}
}
