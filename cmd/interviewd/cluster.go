package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

// clusterUse says what a command may do with the own cluster under -data.
type clusterUse int

const (
	// serveCluster: create it when missing, and own it: the server holds
	// the data folder's lock, adopts a cluster that a crashed server left
	// running, and stops it on shutdown.
	serveCluster clusterUse = iota
	// existingCluster: it must exist already (a command beside a server,
	// such as token create, must not quietly make a second, empty
	// database); started only for the command when not running.
	existingCluster
	// restoreCluster: create it when missing, not owned unless started.
	restoreCluster
)

// connect returns the connection string of the database: DATABASE_URL, else
// the own cluster's database under data, started when needed. stop stops
// the cluster if this process owns it (and releases the serve lock).
func connect(ctx context.Context, data string, use clusterUse, getenv func(string) string, log *slog.Logger) (url string, stop func(), err error) {
	if url := getenv("DATABASE_URL"); url != "" {
		return url, func() {}, nil
	}
	cluster, err := pgcluster.New(filepath.Join(data, "postgres"), pgcluster.Options{})
	if err != nil {
		return "", nil, err
	}
	unlock := func() {}
	switch use {
	case existingCluster:
		if !cluster.Exists() {
			return "", nil, fmt.Errorf("no database in %s: give the -data folder of the server you mean, or set DATABASE_URL", cluster.Dir)
		}
		log.Info("using the database of the own cluster", "dir", cluster.Dir)
	case serveCluster:
		if unlock, err = lockServe(data); err != nil {
			return "", nil, err
		}
	}
	if err := startCluster(ctx, cluster, use == serveCluster, log); err != nil {
		unlock()
		return "", nil, err
	}
	stop = func() {
		stopCluster(cluster, log)
		unlock()
	}
	url, err = cluster.EnsureDatabase(ctx, dbName)
	if err != nil {
		stop()
		return "", nil, err
	}
	return url, stop, nil
}

// startCluster starts the cluster, or adopts it when it runs already; an
// owner stops an adopted cluster on shutdown like one it started.
func startCluster(ctx context.Context, c *pgcluster.Cluster, own bool, log *slog.Logger) error {
	if c.Running(ctx) {
		if own {
			// Only one server holds the lock: whoever started this cluster
			// is gone (killed or crashed).
			log.Warn("adopting the own PostgreSQL a previous server left running", "dir", c.Dir)
			c.Own()
		}
		return nil
	}
	log.Info("starting own PostgreSQL", "dir", c.Dir)
	return c.Start(ctx)
}

func stopCluster(c *pgcluster.Cluster, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		log.Error("stopping PostgreSQL", "error", err.Error())
	}
}

// lockServe takes the data folder's serve lock, held while the process
// lives (the kernel releases it when the process dies, even by kill -9).
func lockServe(data string) (unlock func(), err error) {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(data, "serve.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another interviewd serves the data folder %s: stop it first, or run replicas on one DATABASE_URL", data)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
