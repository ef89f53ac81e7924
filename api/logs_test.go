package api_test

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Each request's log line names the caller's token id and role (and no
// token), as docs/api.md says; an unauthenticated one names none.
func TestRequestLogNamesTheCaller(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	require.Equal(t, 200, e.do(resources.RoleManager, "GET", "/v1/rooms", nil).Status)
	require.Equal(t, 401, e.do("", "GET", "/v1/locations", nil).Status)
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	var authed, anonymous map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
		if line["msg"] != "request" {
			continue
		}
		switch {
		case line["route"] == "/v1/rooms":
			authed = line
		case line["status"] == float64(401):
			anonymous = line
		}
	}
	require.NotNil(t, authed, logs)
	require.Equal(t, "manager", authed["role"], "%v", authed)
	require.NotZero(t, authed["token_id"], "%v", authed)
	require.NotNil(t, anonymous, logs)
	require.NotContains(t, anonymous, "token_id")
	require.NotContains(t, logs, e.tokens[resources.RoleManager])
}
