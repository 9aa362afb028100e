"""The editors of the main window: narrative parts, the official tables, metrics, the check panel."""
