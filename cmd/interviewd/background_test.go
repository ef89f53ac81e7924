package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServeRefusesBadBackgroundSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"WEBHOOK_URL": "http://127.0.0.1:9/hook"}, "WEBHOOK_SECRET must be set"},
		{[]string{"-nightly-plan", "every night"}, nil, "-nightly-plan"},
		{nil, map[string]string{"CLEAR_HOLDS_SPEC": "61 * * * *"}, "-clear-holds"},
		{nil, map[string]string{"RETENTION_SPEC": "nightly"}, "-retention (RETENTION_SPEC)"},
		{[]string{"-import-calendars", "* *"}, nil, "-import-calendars"},
		{[]string{"-nightly-weeks", "0"}, nil, "-nightly-weeks"},
		{nil, map[string]string{"NIGHTLY_PLAN_WEEKS": "four"}, "-nightly-weeks"},
		{nil, map[string]string{"NIGHTLY_PLAN_TIME_LIMIT": "1h"}, "-nightly-time-limit"},
		{nil, map[string]string{"BUSY_CALENDAR_ALLOW": "10.0.0.0/8, not a host!"}, "-busy-calendar-allow"},
		{[]string{"-busy-calendar-allow", "10.0.0.0/99"}, nil, "-busy-calendar-allow"},
		{nil, map[string]string{"REQUEST_TIMEOUT": "soon"}, "-request-timeout"},
		{[]string{"-request-timeout", "10m"}, nil, "-request-timeout"},
		{[]string{"-oidc-issuer", "https://id.migri.example", "-oidc-client-id", "interviews", "-oidc-role-map", "staff=clerk"}, nil, "OIDC_CLIENT_SECRET"},
		{[]string{"-oidc-issuer", "https://id.migri.example", "-oidc-client-id", "interviews"}, map[string]string{"OIDC_CLIENT_SECRET": "s"}, "-oidc-role-map"},
		{[]string{"-oidc-issuer", "https://id.migri.example", "-oidc-client-id", "interviews", "-oidc-role-map", "staff=boss"},
			map[string]string{"OIDC_CLIENT_SECRET": "s"}, "-oidc-role-map"},
		{nil, map[string]string{"OIDC_ISSUER": "id.migri.example"}, "-oidc-issuer"},
		{nil, map[string]string{"WEB_TOKEN_SIGNIN": "yes"}, "-web-token-signin"},
		{nil, map[string]string{"WEB_TOKEN_SIGNIN": "off"}, "needs an OpenID provider"},
		{nil, map[string]string{"MAIL_HELO": "mail host!"}, "-mail-helo"},
		{[]string{"-mail-helo", "-bad.example"}, nil, "-mail-helo"},
	} {
		getenv := func(k string) string { return c.env[k] }
		var out, errb bytes.Buffer
		// Refused before any database is opened: -data points nowhere.
		err := Main(context.Background(), append([]string{"serve", "-data", "/nonexistent/x"}, c.args...), getenv, &out, &errb)
		require.Error(t, err)
		require.Contains(t, err.Error(), c.want)
	}
}

// EHLO names MAIL_HELO, else the host of the public URL (never its port),
// else localhost.
func TestMailHelo(t *testing.T) {
	for _, c := range []struct{ helo, public, want string }{
		{"", "https://interviews.migri.example:8443/base", "interviews.migri.example"},
		{"mx-out.migri.example", "https://interviews.migri.example", "mx-out.migri.example"},
		{"", "http://localhost:8080", "localhost"},
		{"", "", "localhost"},
	} {
		cfg := bgConfig{mailHelo: c.helo, publicURL: c.public}
		require.Equal(t, c.want, cfg.helo(), "%+v", c)
	}
}
