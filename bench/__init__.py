"""Performance benchmarks of ReturnDesk (run with ``make bench``; not part of the test suite)."""
