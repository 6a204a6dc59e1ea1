"""The Convolution and Pooling tabs: one stepper through a sliding window, its cell cursor and settings forms."""
