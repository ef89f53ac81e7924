package pgcluster

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFindBinaries(t *testing.T) {
	// Not on PATH and not under the Debian folders: a clear error.
	t.Setenv("PATH", t.TempDir())
	old := binGlob
	t.Cleanup(func() { binGlob = old })
	root := t.TempDir()
	binGlob = filepath.Join(root, "*", "bin")
	if _, err := FindBinaries(); !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("got %v, want ErrNoBinaries", err)
	}
	if _, err := New(t.TempDir(), Options{}); !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("New: got %v, want ErrNoBinaries", err)
	}

	// The newest version under the Debian folders wins.
	for _, v := range []string{"13", "15", "9.6"} {
		dir := filepath.Join(root, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"initdb", "pg_ctl"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "15", "bin"); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
