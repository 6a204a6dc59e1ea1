"""The Pixels tab: the image, its channels and the pixel readout."""
