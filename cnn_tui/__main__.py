"""`python -m cnn_tui` runs the same entry point as the `cnn-tui` script."""

import sys

from cnn_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
