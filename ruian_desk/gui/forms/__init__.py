"""Generated from ui/*.ui by `python -m ruian_desk.gui.build_forms`; do not edit."""
