package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/resources"
)

// TestBrowserAdminErasesAPersonInFinnish: in headless Chromium an admin
// in Finnish, on a desktop and on a 390 px phone, downloads a booked
// interpreter's data, is refused their erasure with the future bookings
// listed, then erases an unbooked interpreter in two steps
// (web/e2e/person_data.mjs); axe finds nothing serious and no page
// scrolls sideways.
func TestBrowserAdminErasesAPersonInFinnish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	ctx := context.Background()
	booked, free := dataPeople(t, e)
	admin, _, err := e.db.CreateToken(ctx, "admin-a", resources.RoleAdmin)
	require.NoError(t, err)
	now := time.Now()
	uses, err := e.db.PersonUses(ctx, "interpreter", booked[0].ID, now, now.AddDate(100, 0, 0))
	require.NoError(t, err)
	office, err := e.db.Location(ctx, uses[0].Location)
	require.NoError(t, err)
	type step struct{ Text, Office, Reason, Heading, Name, Flash string }
	var res struct {
		A11y     map[string]int
		Download map[string]struct{ File, Kind, ID string }
		Refused  map[string]struct {
			step
			Rows int
		}
		Confirm map[string]struct {
			step
			Items []string
		}
		Erased map[string]step
	}
	freeIDs, err := json.Marshal([]string{free[0].ID, free[1].ID})
	require.NoError(t, err)
	runScript(t, root, node, "person_data.mjs", e.srv.URL, 4*time.Minute, &res,
		"ADMIN_TOKEN="+admin, "BOOKED="+booked[0].ID, "FREE="+string(freeIDs), "REASON="+pdReason)

	require.Len(t, res.A11y, 8, "pages looked at")
	for i, kind := range []string{"desktop", "phone"} {
		require.Equal(t, struct{ File, Kind, ID string }{"interpreter-" + booked[0].ID + ".json", "interpreter", booked[0].ID}, res.Download[kind])
		r := res.Refused[kind]
		require.True(t, strings.HasPrefix(r.Text, "Mitään ei poistettu: henkilöllä on vielä tulevia varauksia."), r.Text)
		require.Equal(t, len(uses), r.Rows, kind)
		require.Equal(t, office.Name+" "+office.ID, r.Office, "the office by name, its id after")
		require.Equal(t, pdReason, r.Reason, "the reason is kept")
		c := res.Confirm[kind]
		require.Equal(t, free[i].Name, c.Name)
		require.Equal(t, "Poistetaanko henkilön "+free[i].Name+" tiedot?", c.Heading)
		require.Contains(t, strings.Join(c.Items, "\n"), "kirjautumislinkit")
		require.Contains(t, strings.Join(c.Items, "\n"), "Muutoshistoria ja käyttöloki säilyvät")
		d := res.Erased[kind]
		require.Regexp(t, `^Tiedot poistettu \(poisto \d+\)\. Tietueen nimi on nyt ”erased interpreter [0-9a-f]{8}”\. Poistettiin: .*saatavuusjaksoja \d+`, d.Flash)
		require.True(t, strings.HasPrefix(d.Heading, "erased interpreter "), d.Heading)
		require.Empty(t, pgtest.FindText(t, e.raw, free[i].Name, free[i].Email), kind)
	}
	x, err := e.db.Interpreter(ctx, booked[0].ID)
	require.NoError(t, err)
	require.Equal(t, booked[0].Name, x.Name, "the refused erasure changed nothing")
}
