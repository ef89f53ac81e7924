package postgres_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSecretIsCreatedOnceAndShared: concurrent first calls (replicas starting
// together) all get one value, later calls the same, other names another.
func TestSecretIsCreatedOnceAndShared(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	got := make([][]byte, 8)
	errs := make([]error, len(got))
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = db.Secret(ctx, "suggestion_key", 32)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, got[0], 32)
	for _, v := range got[1:] {
		require.True(t, bytes.Equal(got[0], v), "replicas got different secrets")
	}
	again, err := db.Secret(ctx, "suggestion_key", 32)
	require.NoError(t, err)
	require.Equal(t, got[0], again)
	other, err := db.Secret(ctx, "other", 48)
	require.NoError(t, err)
	require.Len(t, other, 48)
	require.NotEqual(t, got[0], other[:32])
}
