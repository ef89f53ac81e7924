package pgtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TextHit is a column that holds a searched string: in how many rows.
type TextHit struct {
	Table, Column, Needle string
	Rows                  int64
}

func (h TextHit) String() string {
	return fmt.Sprintf("%s.%s holds %q in %d rows", h.Table, h.Column, h.Needle, h.Rows)
}

// TextColumns lists every column of every table of the database's schema
// that holds text: text, varchar, char, json, jsonb and arrays of text or
// varchar, as "table.column" with its SQL type, read from
// information_schema (so a column added later is covered without a
// change here).
func TextColumns(t testing.TB, db *Raw) [][3]string {
	t.Helper()
	rows, _ := db.Query(context.Background(), `select c.table_name, c.column_name, c.data_type
		from information_schema.columns c join information_schema.tables t
			on t.table_schema = c.table_schema and t.table_name = c.table_name
		where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
			and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
				or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar', '_bpchar')))
		order by 1, 2`)
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([3]string, error) {
		var c [3]string
		return c, r.Scan(&c[0], &c[1], &c[2])
	})
	if err != nil {
		t.Fatalf("pgtest: text columns: %v", err)
	}
	return cols
}

// FindText searches every text column (TextColumns) of every table for
// each needle, case-insensitively, and returns where they occur; nil
// when nowhere. A test of erasure or retention asserts that a person's
// name and address are in no table:
//
//	require.Empty(t, pgtest.FindText(t, raw, "Samir Haddad", "samir@example.org"))
func FindText(t testing.TB, db *Raw, needles ...string) []TextHit {
	t.Helper()
	ctx := context.Background()
	var hits []TextHit
	for _, c := range TextColumns(t, db) {
		table, column := pgx.Identifier{c[0]}.Sanitize(), pgx.Identifier{c[1]}.Sanitize()
		for _, n := range needles {
			if strings.TrimSpace(n) == "" {
				t.Fatalf("pgtest: FindText: an empty needle matches everything")
			}
			var rows int64
			err := db.QueryRow(ctx, `select count(*) from `+table+` where strpos(lower(`+column+`::text), lower($1)) > 0`, n).Scan(&rows)
			if err != nil {
				t.Fatalf("pgtest: FindText %s.%s: %v", c[0], c[1], err)
			}
			if rows > 0 {
				hits = append(hits, TextHit{Table: c[0], Column: c[1], Needle: n, Rows: rows})
			}
		}
	}
	return hits
}
