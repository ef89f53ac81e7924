package main

import (
	"log/slog"
	"net/http"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/web"
)

// withWeb serves the web pages (web/) under / and passes /v1, /healthz,
// /readyz, /metrics and /openapi.yaml to the API. The pages share the API's
// booking service (so suggestion ids work in both) and its planner.
func withWeb(db *postgres.DB, h *api.Server, log *slog.Logger) http.Handler {
	return web.New(web.Config{DB: db, Booking: h.Booking(), Plans: h.Planner(), API: h, Log: log})
}
