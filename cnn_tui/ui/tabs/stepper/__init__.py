"""The Convolution and Pooling tabs: one stepper through a sliding window, its cursor and settings forms."""
