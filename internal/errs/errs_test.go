package errs_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

func TestStatusTable(t *testing.T) {
	want := map[errs.Code]int{
		errs.Invalid: 400, errs.Unauthorized: 401, errs.Forbidden: 403, errs.NotFound: 404,
		errs.Conflict: 409, errs.PreconditionFailed: 412, errs.TooLarge: 413, errs.Internal: 500,
		errs.Code("made_up"): 500,
	}
	for code, status := range want {
		if got := errs.Status(code); got != status {
			t.Errorf("Status(%s) = %d, want %d", code, got, status)
		}
	}
}

func TestCodeAndMessageThroughWrapping(t *testing.T) {
	base := errs.Field("rooms[0].location", `unknown location "X"`)
	wrapped := fmt.Errorf("saving: %w", base)
	if errs.CodeOf(wrapped) != errs.Invalid {
		t.Fatalf("code %q", errs.CodeOf(wrapped))
	}
	if got := errs.FieldsOf(wrapped); len(got) != 1 || got[0].Path != "rooms[0].location" {
		t.Fatalf("fields %v", got)
	}
	if errs.CodeOf(nil) != "" {
		t.Fatal("nil has a code")
	}
	plain := errors.New("connection reset: password=secret")
	if errs.CodeOf(plain) != errs.Internal {
		t.Fatal("plain errors are internal")
	}
	if msg := errs.MessageOf(plain); msg != "internal error" {
		t.Fatalf("internal details leak to clients: %q", msg)
	}
	if msg := errs.MessageOf(errs.Wrap(plain, errs.Internal, "db down")); msg != "internal error" {
		t.Fatalf("internal details leak to clients: %q", msg)
	}
	if !errors.Is(errs.Wrap(plain, errs.Conflict, "taken"), plain) {
		t.Fatal("Wrap keeps the cause")
	}
	if errs.Status(errs.CodeOf(errs.E(errs.NotFound, "room %q not found", "R1"))) != http.StatusNotFound {
		t.Fatal("not found")
	}
}
