"""Screens and modal screens: help, runs, forms, pickers, the open-image dialog and the gallery's image detail."""
