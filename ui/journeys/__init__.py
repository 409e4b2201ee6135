"""The journey view pieces: the diagram (layout drawn with live counts), its items and keyboard moves."""
