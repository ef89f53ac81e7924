package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

// backup writes the whole database (bookings, audit trail, tokens, feed
// tokens, plans, settings) to a file in pg_dump's custom format. The file is
// written beside its final name and renamed when complete, readable by its
// owner only: it holds personal data and hashed secrets.
func backup(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the backup file to write")
	data := fs.String("data", "./.data", "data folder (own PostgreSQL cluster)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out FILE is required")
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	url, stop, err := connect(ctx, *data, existingCluster, getenv, log)
	if err != nil {
		return err
	}
	defer stop()
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: nothing to remove
	if err := pgcluster.Dump(ctx, url, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "backup written to %s (%d bytes)\n", *out, fi.Size())
	return nil
}

// restore loads a backup into a fresh database: the own cluster under -data
// (made when missing) or DATABASE_URL. It refuses a database that holds data.
func restore(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the backup file to read (made by interviewd backup)")
	data := fs.String("data", "./.data", "data folder (own PostgreSQL cluster; a new one is made when missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("-in FILE is required")
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	url, stop, err := connect(ctx, *data, restoreCluster, getenv, log)
	if err != nil {
		return err
	}
	defer stop()
	if err := pgcluster.Restore(ctx, url, f); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "restored %s; start the server on it with serve -data %s\n", *in, *data)
	return nil
}
