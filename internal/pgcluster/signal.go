package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Freeze stops every process of the running cluster (SIGSTOP): the server
// keeps its connections open but answers nothing, as a stalled disk or a
// paused virtual machine would. For fault tests; Thaw resumes it.
func (c *Cluster) Freeze() error { return c.signalAll(syscall.SIGSTOP) }

// Thaw resumes a frozen cluster (SIGCONT).
func (c *Cluster) Thaw() error { return c.signalAll(syscall.SIGCONT) }

// signalAll sends sig to the postmaster and all its children.
func (c *Cluster) signalAll(sig syscall.Signal) error {
	pid, err := readPID(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return fmt.Errorf("cluster in %s is not running: %w", c.Dir, err)
	}
	pids := append([]int{pid}, children(pid)...)
	var errs []error
	for _, p := range pids {
		if err := syscall.Kill(p, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			errs = append(errs, fmt.Errorf("signal %d: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// children lists the processes whose parent is pid (from /proc).
func children(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		i := strings.LastIndexByte(string(stat), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, n)
		}
	}
	return out
}
