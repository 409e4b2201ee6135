"""The configuration pane of one action: sections in the platform's order, Save, undo/redo."""
