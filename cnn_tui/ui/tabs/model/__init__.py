"""The Model tab: the network choice, its summary and the network editor."""
