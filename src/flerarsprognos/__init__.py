"""flerarsprognos: en flerårsprognos för en svensk region.

The model (``flerarsprognos.model``) is pure: it maps a parameter Dataset to a result
Dataset. Files, the CLI, tables and Excel live at the edges (``io``, ``cli``, ``tables``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flerarsprognos")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+okand"

__all__ = ["__version__"]
