"""The command line: every command and option (main.py), the shared output and failure
handling (output.py), the progress line (progress.py) and the diff shown by dry runs
(diffview.py). Builds the one ``Options`` object that the layers below receive.
"""
