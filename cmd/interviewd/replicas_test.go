package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// TestTwoReplicas runs two server processes on one database: 64 clerks,
// split across both, book the same interview with a suggestion id one
// replica made (the signing key is shared through the database): exactly
// one booking is made, everyone else gets a 409. The every-minute cleanup
// job fires on both replicas and runs once per slot.
func TestTwoReplicas(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url, nil)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	in, err := generator.Generate("S", 1)
	require.NoError(t, err)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	token, _, err := db.CreateToken(ctx, "replica-manager", resources.RoleManager)
	require.NoError(t, err)
	every := "CLEAR_HOLDS_SPEC=* * * * *"
	servers := []*child{startChild(t, url, every), startChild(t, url, every)}

	// A pending interview and the top suggestion of replica 0.
	pending := servers[0].ids(t, token, "/v1/interviews?status=pending&limit=1")
	require.NotEmpty(t, pending)
	iv := pending[0]
	code, body := servers[0].call(t, token, "POST", "/v1/interviews/"+iv+"/suggestions", map[string]any{"k": 1})
	require.Equal(t, 200, code, "%s", body)
	var sug struct {
		Suggestions []struct {
			ID string `json:"id"`
		} `json:"suggestions"`
	}
	require.NoError(t, json.Unmarshal(body, &sug))
	require.NotEmpty(t, sug.Suggestions, "%s", body)

	const clients = 64
	codes := make([]int, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], _, errs[i] = servers[i%2].try(token, "POST", "/v1/interviews/"+iv+"/booking", map[string]any{"suggestion_id": sug.Suggestions[0].ID})
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	require.Equal(t, map[int]int{201: 1, 409: clients - 1}, count)
	bk, err := db.BookingOf(ctx, iv)
	require.NoError(t, err)
	require.Equal(t, "active", bk.Status)

	// The minute's cleanup: both replicas fire, one runs it.
	type jobRun struct {
		Job        string  `json:"job"`
		Slot       string  `json:"slot"`
		FinishedAt *string `json:"finished_at"`
		Outcome    string  `json:"outcome"`
	}
	var runs []jobRun
	waitFor(t, "both replicas to fire the cleanup job for one slot", 90*time.Second, func() bool {
		code, body := servers[1].call(t, token, "GET", "/v1/jobs?limit=100", nil)
		require.Equal(t, 200, code, "%s", body)
		var out struct {
			Items []jobRun `json:"items"`
		}
		require.NoError(t, json.Unmarshal(body, &out))
		bySlot := map[string][]jobRun{}
		for _, r := range out.Items {
			if r.Job == "clear-expired-holds" && r.FinishedAt != nil {
				bySlot[r.Slot] = append(bySlot[r.Slot], r)
			}
		}
		for _, rs := range bySlot {
			if len(rs) == 2 {
				runs = rs
				return true
			}
		}
		return false
	})
	outcomes := []string{runs[0].Outcome, runs[1].Outcome}
	require.ElementsMatch(t, []string{"ok", "skipped"}, outcomes, fmt.Sprint(runs))
}
