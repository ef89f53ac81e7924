//go:build unix

package scheduler

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// ownSession starts cmd in a session of its own: where the kernel groups
// the CPU time by session (Linux's autogroup), the worker is a group apart
// from the server, whose priority it lowers (lowerPriority).
func ownSession(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// lowerPriority sets the nice value of every thread of this process (on
// Linux a thread's own; threads started later inherit it from the thread
// that starts them), of the process, and of its autogroup (Linux: with
// autogroups a nice value weighs only within the group, and the group
// against the others).
func lowerPriority(nice int) error {
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, 0, nice); err != nil {
		return err
	}
	if err := os.WriteFile("/proc/self/autogroup", []byte(strconv.Itoa(nice)), 0); err != nil && !os.IsNotExist(err) {
		return err
	}
	// Again while threads appear: one started meanwhile by a thread not
	// yet lowered would keep the old value.
	done := map[int]bool{}
	for range 5 {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return nil // not Linux: the process's priority is set
		}
		fresh := 0
		for _, t := range tasks {
			if tid, err := strconv.Atoi(t.Name()); err == nil && !done[tid] {
				if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, nice); err != nil {
					return err
				}
				done[tid], fresh = true, fresh+1
			}
		}
		if fresh == 0 {
			return nil
		}
	}
	return nil
}
