// Package capacity answers a manager's capacity questions on a scheduling
// instance: what if we had more interpreters, interviewers, rooms or
// session times (Run, over a capacity-scenario/v1 document), and what would
// it take to schedule every pending interview of a language (Need).
//
// Every answer comes from solver runs on changed copies of the base
// instance, which is never modified; the solver's proven lower bound says
// when a shortfall is certain rather than only not overcome by the search.
// The package imports the solver only and does no I/O (docs/capacity.md,
// docs/formats.md "Scenarios").
package capacity
