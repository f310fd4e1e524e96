"""The waterfall of an explanation: its steps, its alt text and its image (PNG or SVG)."""
