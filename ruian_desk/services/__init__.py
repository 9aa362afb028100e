"""Use cases of the app, shared by the GUI and the command line (no Qt here)."""
