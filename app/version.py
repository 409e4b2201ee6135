"""The one version number: the wheel's metadata reads it (pyproject.toml), `--version` and About show it."""

__version__ = "0.1.0"
