package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TextHits looks for needle in every column of every table of the public
// schema that holds text (text, varchar, char, json, jsonb and arrays of
// text), found through information_schema, and returns the number of rows
// that contain it per "table.column" (columns without a hit are left out).
// A test that erases data checks with it that a name, an address or a case
// reference is left nowhere, and which rows still hold it.
func TextHits(t testing.TB, raw *Raw, needle string) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := raw.Query(ctx, `select c.table_name, c.column_name from information_schema.columns c
		join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
		where c.table_schema = 'public' and tb.table_type = 'BASE TABLE'
			and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
				or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
		order by 1, 2`)
	if err != nil {
		t.Fatalf("pgtest: text columns: %v", err)
	}
	type col struct{ table, column string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.column)
	})
	if err != nil {
		t.Fatalf("pgtest: text columns: %v", err)
	}
	if len(cols) == 0 {
		t.Fatalf("pgtest: no text columns found")
	}
	out := map[string]int{}
	for _, c := range cols {
		var n int
		sql := `select count(*) from ` + pgx.Identifier{c.table}.Sanitize() + ` where strpos(` +
			pgx.Identifier{c.column}.Sanitize() + `::text, $1) > 0`
		if err := raw.QueryRow(ctx, sql, needle).Scan(&n); err != nil {
			t.Fatalf("pgtest: scan %s.%s: %v", c.table, c.column, err)
		}
		if n > 0 {
			out[c.table+"."+c.column] = n
		}
	}
	return out
}
