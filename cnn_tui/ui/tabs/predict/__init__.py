"""The Predict tab: a trained network's guess for the current image."""
