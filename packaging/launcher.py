"""The bundle's program (PyInstaller's entry script): the `action-studio` command, window by default."""
import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
