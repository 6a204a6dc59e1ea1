"""cnn-tui: a terminal lab for convolutional neural networks."""

__version__ = "0.1.0"
