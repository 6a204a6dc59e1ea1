"""The Feature maps tab: the grid of maps, the learned-unit view and the top-patches screen."""
