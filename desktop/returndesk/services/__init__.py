"""Use cases of ReturnDesk. Each takes the acting user, checks permission first, runs one
transaction and returns frozen dataclasses. No Qt here."""
