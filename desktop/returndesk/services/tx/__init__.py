"""Transaction building blocks the use cases compose: the context, guarded writes, transitions,
sequences, settlement, audit, stock and read models."""
