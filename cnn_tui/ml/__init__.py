"""The ml layer: datasets, models, training and checkpoints, with torch only."""
