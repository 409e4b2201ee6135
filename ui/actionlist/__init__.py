"""The action list: a table model of summaries behind a filter proxy, and the list widget."""
