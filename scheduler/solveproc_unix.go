//go:build unix

package scheduler

import (
	"os"
	"strconv"
	"syscall"
)

// lowerPriority sets the nice value of every thread of this process (on
// Linux a thread's own; threads started later inherit it from the thread
// that starts them) and of the process.
func lowerPriority(nice int) error {
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, 0, nice); err != nil {
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
