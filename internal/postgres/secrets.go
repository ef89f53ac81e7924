package postgres

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// Secret returns the server secret called name, creating it with size random
// bytes (at least 32) the first time. Every replica on the database gets the
// same value, and it survives restarts.
func (db *DB) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	size = max(size, 32)
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("generating secret %s: %w", name, err)
	}
	// A concurrent first insert may commit after this statement's snapshot:
	// then neither branch sees a row, and a second statement does.
	for try := 0; ; try++ {
		var v []byte
		err := db.pool.QueryRow(ctx, `
			with ins as (
				insert into server_secrets (name, value) values ($1, $2)
				on conflict (name) do nothing
				returning value)
			select value from ins
			union all
			select value from server_secrets where name = $1
			limit 1`, name, fresh).Scan(&v)
		if err == nil {
			return v, nil
		}
		if err = Translate(err); !errs.Is(err, errs.NotFound) || try >= 3 {
			return nil, err
		}
	}
}
