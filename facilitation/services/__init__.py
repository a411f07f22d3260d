"""Use cases: load, apply a domain rule, commit, return plain data. Each owns its transaction."""
