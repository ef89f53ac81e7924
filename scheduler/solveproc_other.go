//go:build !unix

package scheduler

// lowerPriority is not supported here: the worker runs at normal priority.
func lowerPriority(int) error { return nil }
