// Package firstrun has no code, only tests: they run the scripts behind the README's first
// commands — scripts/doctor.sh (`make doctor`, which `make test` and `make demo` run first) and
// scripts/go-progress.sh (the progress line of a first, cold Go build) — against fake toolchains on
// PATH, and hold the Makefile's wiring of them and the README's stated prerequisites together.
package firstrun
