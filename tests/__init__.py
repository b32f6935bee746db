"""simhall test suite."""
