package portal

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Only same-site relative paths of the portal's pages are places to return
// to after sign-in: nothing sends people to another site.
func TestReturnPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		next, want string
	}{
		{"/portal/assignments/12?answer=confirm", "/portal/assignments/12?answer=confirm"},
		{"/portal/summons/7", "/portal/summons/7"},
		{"https://evil.example/portal/", ""},
		{"//evil.example/portal/", ""},
		{"/\\evil.example/portal/", ""},
		{"\\\\evil.example", ""},
		{"/portal/../..//evil.example", ""},
		{"/portal/%2e%2e/%2e%2e//evil.example", ""},
		{"javascript:alert(1)", ""},
		{"/portal/signin/abc", ""},
		{"/queue", ""},
		{"/portal\t/assignments", "/portal/assignments"}, // control characters dropped
		{"", ""},
	} {
		got, ok := returnPath(tc.next)
		require.Equal(t, tc.want, got, tc.next)
		require.Equal(t, tc.want != "", ok, tc.next)
	}
}
