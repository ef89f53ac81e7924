package web_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/web"
)

// The handler that puts the pages together keeps no store: the staff
// pages hold a read-only one (staff.Store, TestStoreIsReadOnly), the
// portal its service.
func TestHandlerHoldsNoStore(t *testing.T) {
	t.Parallel()
	for _, f := range reflect.VisibleFields(reflect.TypeFor[web.Handler]()) {
		require.NotEqual(t, reflect.TypeFor[*postgres.DB](), f.Type, "Handler.%s", f.Name)
		require.NotEqual(t, reflect.TypeFor[web.Config](), f.Type, "Handler.%s: the config holds the store", f.Name)
	}
}
