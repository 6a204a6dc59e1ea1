"""The browser side of `cnn-tui serve`: a textual-serve server that runs one cnn-tui process per visitor.

Imported only by `cnn_tui.commands.serve`, and only when textual-serve is installed.
"""
