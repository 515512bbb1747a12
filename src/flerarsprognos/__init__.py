"""flerarsprognos: en flerårsprognos för en svensk region.

The model (``flerarsprognos.model``) is pure: it maps a parameter Dataset to a result
Dataset. Files, the CLI, tables and Excel live at the edges (``io``, ``cli``, ``output``).
"""

__all__ = ["__version__"]


def __getattr__(name: str):
    """``__version__`` is looked up when first asked for (the lookup costs ~30 ms at start-up)."""
    if name != "__version__":
        raise AttributeError(f"module 'flerarsprognos' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("flerarsprognos")
    except PackageNotFoundError:  # running from a source tree without installation
        value = "0.0.0+okand"
    globals()["__version__"] = value
    return value
