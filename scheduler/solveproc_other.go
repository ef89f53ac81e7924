//go:build !unix

package scheduler

import "os/exec"

// ownSession and lowerPriority are not supported here: the worker runs at
// normal priority.
func ownSession(*exec.Cmd) {}

func lowerPriority(int) error { return nil }
