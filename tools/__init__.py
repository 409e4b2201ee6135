"""Developer tools that are not part of the app: `python -m tools.screenshots OUTDIR` renders the docs' screenshots."""
