"""Use cases: one module per workflow. Each takes the acting user, checks permission first, runs one
transaction and returns frozen dataclasses."""
