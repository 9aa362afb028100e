"""The check rules beyond the data-driven sums, one module per rule family (see `domain/registry.py`)."""
