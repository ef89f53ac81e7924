// Command interviewd serves the interview scheduling API.
//
//	interviewd serve [-addr :8080] [-data ./.data] [-demo]
//	interviewd token create -role clerk|manager|admin -name NAME [-data ./.data]
//
// With DATABASE_URL set it uses that database; otherwise it runs its own
// PostgreSQL cluster under the data folder.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/asylum-scheduling/interviews/scheduler"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv(scheduler.SolveWorkerEnv) == "1" { // started by a server for one solve
		if err := scheduler.ServeSolve(ctx, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "interviewd:", err)
			os.Exit(1)
		}
		return
	}
	if err := Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "interviewd:", err)
		os.Exit(1)
	}
}
