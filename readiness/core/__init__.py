"""The domain: its values (model), the packs and their layers (catalog), the assessment, and the globs an
evidence entry or a pack may write.

Imports only load.
"""
