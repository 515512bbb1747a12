"""Evaluating an experiment: the engine once per chunk of scenarios, outcomes kept.

The engine is vectorised over scenarios; here the scenarios are cut into chunks (memory
stays bounded at 10^7 scenarios) and only the outcomes an analysis needs are kept. The same
chunk function runs in-process or on dask workers, so both give identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from flerarsprognos.analysis.factors import Experiment, vary

# Outcomes (scenario × year) an analysis can keep, from the engine's result Dataset.
OUTCOMES: dict[str, str] = {
    "arets_resultat": "Årets resultat (mnkr)",
    "balanskravsresultat": "Balanskravsresultat (mnkr)",
    "arets_balanskravsresultat": "Årets balanskravsresultat (mnkr)",
    "rur": "RUR och resultatreserv, utgående (mnkr)",
    "nettokostnadsandel": "Nettokostnadsandel",
    "skatter_och_bidrag": "Skatteintäkter och generella statsbidrag (mnkr)",
    "uppfyllt_balanskrav": "Balanskravet uppfyllt (1/0)",
    "uppfyllt_nettokostnadsandel": "Nettokostnadsandelen högst målet (1/0)",
    "uppfyllt_resultatmal": "Resultatmålet uppfyllt (1/0)",
}
DEFAULT_OUTCOMES = tuple(OUTCOMES)
DEFAULT_CHUNK = 65_536  # fastest measured on 2 cores with freed memory reused (benchmarks/bench_sweep.py)


def outcomes_of(result: xr.Dataset, names: tuple[str, ...]) -> np.ndarray:
    """(scenario, year, outcome) from one engine result."""
    rr = result["resultatrakning"]
    bk = result["balanskrav"]
    rr_i = {str(p): i for i, p in enumerate(rr["rr_post"].values)}
    bk_i = {str(p): i for i, p in enumerate(bk["bk_post"].values)}
    mal_i = {str(p): i for i, p in enumerate(result["mal"].values)}
    rr_v, bk_v = rr.transpose("scenario", "year", "rr_post").values, bk.transpose("scenario", "year", "bk_post").values
    S, Y = rr_v.shape[:2]
    out = np.empty((S, Y, len(names)))
    for j, name in enumerate(names):
        if name == "arets_resultat":
            out[:, :, j] = rr_v[:, :, rr_i["arets_resultat"]]
        elif name in ("balanskravsresultat", "arets_balanskravsresultat"):
            out[:, :, j] = bk_v[:, :, bk_i[name]]
        elif name == "rur":
            out[:, :, j] = bk_v[:, :, bk_i["rur_utgaende"]] + bk_v[:, :, bk_i["resultatreserv_utgaende"]]
        elif name == "nettokostnadsandel":
            out[:, :, j] = result["mal_varde"].transpose("scenario", "year", "mal").values[:, :, mal_i[name]]
        elif name == "skatter_och_bidrag":
            out[:, :, j] = result["skatter_och_bidrag"].transpose("scenario", "year").values
        elif name.startswith("uppfyllt_"):
            out[:, :, j] = result["mal_uppfyllt"].transpose("scenario", "year", "mal").values[:, :, mal_i[name[9:]]]
        else:
            raise KeyError(name)
    return out


_MEMORY_REUSE = False
# Opt-in (the CLI's sweep, montecarlo and sobol set it; an environment variable so that local dask
# workers, started after it is set, follow): a program that merely imports the package keeps its allocator.
MEMORY_REUSE_ENV = "FLERARSPROGNOS_ATERANVAND_MINNE"


def enable_memory_reuse() -> None:
    """Ask every later chunk evaluation (here and in local dask workers) to call :func:`reuse_freed_memory`."""
    import os

    os.environ[MEMORY_REUSE_ENV] = "1"


def check_memory(n_rows: int, n_years: int, n_outcomes: int, file: str, key: str, what: str) -> None:
    """Refuse up front a computation whose results alone would not fit in the memory available."""
    from flerarsprognos.problems import InputError, Problem

    need = int(n_rows) * int(n_years) * int(n_outcomes) * 8 * 2  # the results and one working copy
    available = available_memory()
    if available is not None and need > available:
        gb = lambda b: f"{b / 1e9:,.1f}".replace(",", " ").replace(".", ",")  # noqa: E731
        rows = f"{int(n_rows):,}".replace(",", " ")
        raise InputError([Problem(file, key, f"{what} med {rows} scenarier × {n_years} år behöver ungefär "
                                             f"{gb(need)} GB minne, men bara {gb(available)} GB är ledigt; "
                                             "minska antalet")])


def available_memory() -> int | None:
    """Bytes of memory available (MemAvailable on Linux; None where it cannot be told)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import os

    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def reuse_freed_memory() -> None:
    """Keep freed memory in the process for the next chunk (glibc; elsewhere nothing).

    Every chunk allocates the same large arrays. By default glibc serves them with fresh
    mmap pages and returns them on free, so each chunk pays the kernel for zeroing and
    faulting in its pages again; that was half the time of a sweep. Serving them from the
    heap and not trimming it lets the next chunk reuse the pages. Peak memory is unchanged
    (the largest chunk's working set).
    """
    global _MEMORY_REUSE
    if _MEMORY_REUSE:
        return
    _MEMORY_REUSE = True
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    m_trim_threshold, m_top_pad, m_mmap_max = -1, -2, -4
    mallopt(m_mmap_max, 0)
    mallopt(m_trim_threshold, 1 << 30)
    mallopt(m_top_pad, 64 << 20)


def evaluate_chunk(base: xr.Dataset, experiment: Experiment, names: tuple[str, ...]) -> np.ndarray:
    """One vectorised engine call over the experiment's rows; (rows, year, outcome)."""
    import os

    from flerarsprognos.model.engine import project

    if os.environ.get(MEMORY_REUSE_ENV) == "1":
        reuse_freed_memory()
    return outcomes_of(project(vary(base, experiment)), names)


def chunks(n: int, size: int) -> list[tuple[int, int]]:
    size = max(int(size), 1)
    return [(s, min(s + size, n)) for s in range(0, n, size)]


def evaluate(base: xr.Dataset, experiment: Experiment, names: tuple[str, ...] = DEFAULT_OUTCOMES,
             chunk: int = DEFAULT_CHUNK, progress: Callable[[int], None] | None = None,
             threads: int = 1) -> np.ndarray:
    """Every scenario of the experiment, in chunks; (scenario, year, outcome).

    ``threads`` > 1 evaluates chunks on a thread pool (numpy releases the GIL in its loops).
    ``progress`` is called with the number of scenarios finished after each chunk.
    """
    n = experiment.n
    Y = base.sizes["year"]
    out = np.empty((n, Y, len(names)))
    parts = chunks(n, chunk)

    def one(bounds):
        s, e = bounds
        out[s:e] = evaluate_chunk(base, experiment.rows(s, e), names)
        return e - s

    if threads > 1 and len(parts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            for done in pool.map(one, parts):
                if progress:
                    progress(done)
    else:
        for bounds in parts:
            done = one(bounds)
            if progress:
                progress(done)
    return out


def evaluate_dask(base: xr.Dataset, experiment: Experiment, names: tuple[str, ...] = DEFAULT_OUTCOMES,
                  chunk: int = DEFAULT_CHUNK, progress: Callable[[int], None] | None = None,
                  client=None) -> np.ndarray:
    """The same evaluation on a dask cluster: one task per chunk of scenarios.

    The year dimension is never chunked (it is the engine's recursion); chunks are cut along
    the scenarios, exactly as in :func:`evaluate`, so the numbers are identical.
    """
    n = experiment.n
    Y = base.sizes["year"]
    out = np.empty((n, Y, len(names)))
    base_f = client.scatter(base, broadcast=True)
    futures = {}
    for s, e in chunks(n, chunk):
        fut = client.submit(evaluate_chunk, base_f, experiment.rows(s, e), names, pure=False)
        futures[fut] = (s, e)
    return collect(futures, out, progress)


def collect(futures: dict, out: np.ndarray, progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Write each finished dask task's rows into ``out[start:stop]`` as it completes."""
    from distributed import as_completed

    for fut in as_completed(futures):
        s, e = futures[fut]
        out[s:e] = fut.result()
        if progress:
            progress(e - s)
        fut.release()
    return out


def dask_client(scheduler: str | None = None):
    """A client for ``scheduler``, or a LocalCluster on 127.0.0.1 (closed with the client)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from flerarsprognos.problems import InputError, Problem

        raise InputError([Problem("--dask", None, "dask är inte installerat; installera tillägget med "
                                                  "pip install 'flerarsprognos[skala]' eller kör utan --dask")]) from None

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                           processes=True, silence_logs=40)
    client = Client(cluster)
    client._flerarsprognos_cluster = cluster  # closed together with the client
    return client


def close_client(client) -> None:
    cluster = getattr(client, "_flerarsprognos_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
