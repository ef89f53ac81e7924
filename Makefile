# Two commands on a fresh machine: `make run` and `make test`.
GO ?= go
ADDR ?= :8080
DATA ?= ./.data

.PHONY: all build run test bench lint fuzz deps postgres calendar-parsers browser fmt image

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

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Formatting, vet, staticcheck (pinned) and a tidy go.mod: clean before every commit.
lint: deps
	@bash scripts/check-tracked-files.sh
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: not formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) mod tidy -diff

# Each fuzz target for a few seconds, after its committed seed corpus.
fuzz: deps
	@bash scripts/fuzz-short.sh

# The container image (Containerfile, buildah, offline), checked by starting it
# against a throwaway PostgreSQL: see docs/deployment.md.
image: deps postgres
	@bash scripts/build-image.sh

# Everything the tests need, the lint, then all tests, a short fuzz run and the image.
test: deps postgres calendar-parsers browser lint
	$(GO) test -count=1 -timeout 30m ./...
	@bash scripts/fuzz-short.sh
	@bash scripts/build-image.sh

bench: deps postgres
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
