"""civickit: the course kit for civil-society organisations of the Yambol region."""

__version__ = "0.1.0"


def _jupyter_server_extension_points():
    # Lets `jupyter lab` load civickit.server (the book on the same server).
    return [{"module": "civickit.server"}]
