package scheduler

// web_writes.go: the state changes of the staff pages that had no service
// yet (the pages called the store for them). Each is a thin step over one
// store method, so that the pages hold only a read-only store and change
// state through the scheduler, as the API does.

import (
	"context"

	"github.com/asylum-scheduling/interviews/resources"
)

// ReleaseHold ends a live hold of an interview before it runs out.
func (s *Service) ReleaseHold(ctx context.Context, interview string, hold int64, actor string) error {
	return s.db.ReleaseHold(ctx, interview, hold, actor, s.now())
}

// FlagInterview flags an interview to the managers: nothing fits it.
func (s *Service) FlagInterview(ctx context.Context, interview, reason, actor string) error {
	if err := checkReason(reason); err != nil {
		return err
	}
	return s.db.FlagInterview(ctx, interview, reason, actor, s.now())
}

// ResolveFlag marks a flag resolved.
func (s *Service) ResolveFlag(ctx context.Context, id int64, actor string) error {
	return s.db.ResolveFlag(ctx, id, actor, s.now())
}

// CreateFeed makes a calendar subscription link for a person (kind is a
// resources.Feed* owner kind) and returns its token, shown once.
func (s *Service) CreateFeed(ctx context.Context, kind, owner, actor string) (string, *resources.FeedToken, error) {
	return s.db.CreateFeedToken(ctx, kind, owner, actor)
}

// RotateFeed replaces a subscription link's token and returns the new one.
func (s *Service) RotateFeed(ctx context.Context, id int64) (string, *resources.FeedToken, error) {
	return s.db.RotateFeedToken(ctx, id)
}

// RevokeFeed ends a subscription link.
func (s *Service) RevokeFeed(ctx context.Context, id int64) error {
	return s.db.RevokeFeedToken(ctx, id)
}

// RetryMail sends an 'unknown' or 'failed' mail again, on a clerk's word
// that it did not arrive or that the address is mended. It reports whether
// the mail was in one of those states (a mail already sent or waiting is
// left alone).
func (s *Service) RetryMail(ctx context.Context, id int64) (bool, error) {
	return s.db.RetryMail(ctx, id, s.now())
}
