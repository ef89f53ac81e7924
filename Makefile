# Two commands on a fresh machine: `make run` and `make test`.
GO ?= go
ADDR ?= :8080
DATA ?= ./.data

.PHONY: all build run test bench deps postgres calendar-parsers browser fmt vet

all: build

deps:
	$(GO) mod download

build: deps
	$(GO) build -o bin/ ./cmd/...

postgres:
	@bash scripts/ensure-postgres.sh

# Real third-party iCalendar parsers the feed tests read our feeds with.
calendar-parsers:
	@bash scripts/ensure-calendar-parsers.sh

# Headless Chromium and playwright-core for the end-to-end page tests.
browser:
	@bash scripts/ensure-browser.sh

# Sets up everything (modules, binaries, its own PostgreSQL cluster, migrations,
# demo data) and serves on $(ADDR).
run: build postgres
	./bin/interviewd serve -demo -addr $(ADDR) -data $(DATA)

# Everything the tests need, then all tests.
test: deps postgres calendar-parsers browser
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

bench: deps postgres
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
