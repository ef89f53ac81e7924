package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// TestBrowserAuditorFindsWhoOpenedACase: in headless Chromium a clerk
// opens a case; an auditor signs in, searches the access log for that case
// (desktop and phone) and finds the clerk's read (web/e2e/auditor.mjs).
func TestBrowserAuditorFindsWhoOpenedACase(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	auditor, _, err := e.db.CreateToken(context.Background(), "auditor-a", resources.RoleAuditor)
	require.NoError(t, err)
	shots := filepath.Join(root, "testout", "screenshots")
	require.NoError(t, os.MkdirAll(shots, 0o755))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "web", "e2e", "auditor.mjs"))
	cmd.Env = append(os.Environ(), "BASE_URL="+e.srv.URL, "CLERK_TOKEN="+e.clerk, "AUDITOR_TOKEN="+auditor,
		"CASE=I-0002", "SHOTS="+shots, "PLAYWRIGHT_DIR="+filepath.Join(root, ".cache", "playwright"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "auditor.mjs failed:\n%s\n%s", stderr.String(), stdout.String())

	var res struct {
		Who, Role, Route string
		Rows             int
		A11y             map[string]int
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &res), stdout.String())
	require.Equal(t, 1, res.Rows)
	require.Equal(t, "API token "+strconv.FormatInt(e.clerkID, 10), res.Who)
	require.Equal(t, "clerk", res.Role)
	require.Equal(t, "GET /cases/{id}", res.Route)
	require.Len(t, res.A11y, 2)
}
