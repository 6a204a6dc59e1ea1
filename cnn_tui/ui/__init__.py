"""The Textual app: tabs, widgets, screens and messages."""
