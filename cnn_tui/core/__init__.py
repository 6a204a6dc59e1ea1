"""The core: image loading and the conv/pool step engine, with numpy and pillow only."""
