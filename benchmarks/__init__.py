"""The quality bars of DESIGN.md §5, measured by one command: `python -m benchmarks [--json] [--quick]`.

Each figure is the median of several runs, measured the way the app does the work (the GUI's own context
and models where they exist, fresh processes where start-up and library imports count). Figures that need a
part of the app that is not there yet are reported as null with the reason under "notes".
"""
