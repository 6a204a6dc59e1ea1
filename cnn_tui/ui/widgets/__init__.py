"""Reusable widgets for the tabs."""
