"""The 单位 page: units registry and submission tracker, templates and imports, roll-up and drill-down."""
