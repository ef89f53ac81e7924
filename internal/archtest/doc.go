// Package archtest holds the test that keeps ARCHITECTURE.md true: the
// arrows of "who may import whom", checked against go list.
package archtest
