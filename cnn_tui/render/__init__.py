"""Rich renderables that draw images and matrices."""
