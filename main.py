"""Ruian Desk (瑞安年报助手): dispatch to the GUI (no command) or the command line."""

import sys

from ruian_desk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
