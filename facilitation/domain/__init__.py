"""Pure rules of a focus group: no Flask, no SQLAlchemy, no I/O beyond reading shipped data."""
