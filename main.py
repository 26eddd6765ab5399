"""ToBeOut Host Stand: ``python main.py`` opens the desktop app; ``--help`` lists commands."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
