package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// langsResult is what web/e2e/langs.mjs saw: pages looked at, and per
// screenshot the axe findings, the sideways scroll and the markup shown as
// text.
type langsResult struct {
	Pages                  int
	A11y, Overflow, Markup map[string]int
	Manual                 map[string]string // the refusal of Book by hand, by language and screen
}

// TestBrowserStaffInFinnishAndSwedish looks at every staff page (a held
// case and a booked case's other times among them) in Chromium in Finnish
// and in Swedish, on a desktop and on a 390 px phone: no markup shows as
// text, axe finds nothing serious, nothing scrolls sideways. On each it
// books a case by hand where the interviewer or room is taken: the form
// stays open with the choices and names what was taken.
func TestBrowserStaffInFinnishAndSwedish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	_, paths := staffPages(t, e)
	pages, err := json.Marshal(paths)
	require.NoError(t, err)
	mc := manualConflict(t, e)
	manual, err := json.Marshal(mc)
	require.NoError(t, err)
	shots := filepath.Join(root, "testout", "screenshots")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "web", "e2e", "langs.mjs"))
	cmd.Env = append(os.Environ(), "BASE_URL="+e.srv.URL, "MANAGER_TOKEN="+e.manager, "PAGES="+string(pages), "MANUAL="+string(manual),
		"SHOTS="+shots, "PLAYWRIGHT_DIR="+filepath.Join(root, ".cache", "playwright"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "langs.mjs failed:\n%s\n%s", stderr.String(), stdout.String())
	var res langsResult
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &res), stdout.String())
	require.Equal(t, 4*(len(paths)+1), res.Pages, "every page in two languages on two screens")
	require.Len(t, res.Markup, res.Pages)
	for name, n := range res.Markup {
		require.Zero(t, n, "%s: markup shown as text", name)
		require.LessOrEqual(t, res.Overflow[name], 0, "%s scrolls sideways", name)
	}
	// Book by hand refused: the room or person taken, by name.
	require.Len(t, res.Manual, 4)
	for k, text := range res.Manual {
		require.True(t, strings.Contains(text, mc.RoomName+" ("+mc.Room+")") ||
			strings.Contains(text, mc.InterviewerName+" ("+mc.Interviewer+")"), "%s: %s", k, text)
	}
}
