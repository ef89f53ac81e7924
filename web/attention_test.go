package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/scheduler"
)

// A mail the server refused, or whose sending was cut off, is listed under
// Needs attention with what to do, and a clerk can send it again.
func TestAttentionListsMailsToLookAt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := demoInstance(t)
	var booked bool
	for _, iv := range in.Interviews {
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
		if err != nil || len(ans.Suggestions) == 0 || ans.Suggestions[0].Interpreter == "" {
			continue
		}
		_, err = e.booking.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk"})
		require.NoError(t, err)
		booked = true
		break
	}
	require.True(t, booked)
	var id int64
	require.NoError(t, e.raw.QueryRow(ctx, `update mail_outbox set state = 'failed', last_error = '550 mailbox unavailable'
		where id = (select min(id) from mail_outbox where recipient_kind = 'interpreter') returning id`).Scan(&id))

	b := e.browser(t)
	b.signIn(e.clerk)
	p := b.get("/attention")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Mails not sent for sure")
	require.Contains(t, p.body, "The mail server refused it: check the person&#39;s address, then send it again.")
	require.Contains(t, p.body, fmt.Sprintf(`action="/attention/mails/%d/retry"`, id))

	p = b.post(fmt.Sprintf("/attention/mails/%d/retry", id), nil)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	var state string
	require.NoError(t, e.raw.QueryRow(ctx, `select state from mail_outbox where id = $1`, id).Scan(&state))
	require.Equal(t, "pending", state, "sent again")
	p = b.get("/attention")
	require.Contains(t, p.body, "The mail will be sent again.")
	require.NotContains(t, p.body, "Mails not sent for sure")
}
