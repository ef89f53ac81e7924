package staff

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

// The store satisfies the pages' read-only view of it.
var _ Store = (*postgres.DB)(nil)

// writeVerbs begin the names of the store's methods that change state.
var writeVerbs = []string{"Add", "Apply", "Accept", "Cancel", "Claim", "Clear", "Complete", "Create", "Delete", "Flag",
	"Import", "Insert", "Mark", "Put", "Record", "Release", "Remove", "Replace", "Resolve", "Revoke", "Rotate", "Save",
	"Set", "Take", "Touch", "Update", "Upsert", "Use", "Write"}

// The pages' store has no method that writes: a handler that tried would
// not compile.
func TestStoreIsReadOnly(t *testing.T) {
	t.Parallel()
	st := reflect.TypeFor[Store]()
	require.Greater(t, st.NumMethod(), 20)
	var writes []string
	for i := range st.NumMethod() {
		name := st.Method(i).Name
		for _, v := range writeVerbs {
			// The verb and then a new word: "SetFlash", not "Settings".
			if rest, ok := strings.CutPrefix(name, v); ok && (rest == "" || unicode.IsUpper(rune(rest[0]))) {
				writes = append(writes, name)
			}
		}
	}
	require.Empty(t, writes, "the staff pages' Store must list reads only; change state through a scheduler service")
	// And the handler holds nothing else of the store.
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Handler]()) {
		require.NotEqual(t, reflect.TypeFor[*postgres.DB](), f.Type, "Handler.%s", f.Name)
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Handler]()) {
		require.NotEqual(t, reflect.TypeFor[websession.StaffStore](), f.Type, "Handler.%s: the sessions' store is websession.Staff's alone", f.Name)
		require.NotEqual(t, reflect.TypeFor[Config](), f.Type, "Handler.%s: the config holds the sessions' store", f.Name)
	}
}
