"""The terminal walks: `assess` (the walk and its interview route), `init`, and the prompts they ask with.

Imports only edit and the layers below it.
"""
