"""Results side by side: compare two, a baseline (a result file or a git ref), history over git, a portfolio of
projects.

Imports only score and the layers below it.
"""
