"""One exception type for problems a user can fix; the CLI prints it without a traceback."""


class KitError(Exception):
    """A problem with the user's files, ports or machine, phrased as what to do about it."""
