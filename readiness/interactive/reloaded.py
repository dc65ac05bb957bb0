"""The one exception every part of the walk shares: the file was read again, so ask the question again."""


class Reloaded(Exception):
    """The file changed on disk since it was read; nothing was written, and it has been read again."""
