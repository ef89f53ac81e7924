package postgres

// proposals.go reads the other times the parties of a booking propose
// (party_answers.proposals, migration 019): the case page offers them as a
// filter on the times the booking could move to.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/resources"
)

// OpenProposals lists the other times the parties of a booking proposed
// with a request for another time that no clerk has handled yet (the
// booking was not moved since), each once, in the parties' order.
func (db *DB) OpenProposals(ctx context.Context, booking int64) ([]resources.TimeProposal, error) {
	rows, _ := db.pool.Query(ctx, `select pa.proposals from party_answers pa
		where pa.booking_id = $1 and pa.change_asked_at is not null and not pa.change_handled
		order by pa.party_id`, booking)
	lists, err := pgx.CollectRows(rows, pgx.RowTo[[]resources.TimeProposal])
	if err != nil {
		return nil, Translate(err)
	}
	out := []resources.TimeProposal{}
	seen := map[resources.TimeProposal]bool{}
	for _, l := range lists {
		for _, p := range l {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}
