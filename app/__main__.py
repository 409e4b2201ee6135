"""`python -m app` is the `action-studio` command."""
import sys

from app.cli.main import main

sys.exit(main())
