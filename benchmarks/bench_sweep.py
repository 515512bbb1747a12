"""Benchmark (not a test): the vectorised engine over 10^6 scenarios × the default horizon.

Prints, measured in one run on this machine:

1. scenario-years per second for N scenarios (default 10^6) of the full model, evaluated in
   chunks along the scenarios (the sweep path: ``analysis.evaluate``), keeping the sweep's
   outcomes;
2. the ratio against evaluating the same engine one scenario at a time (timed on a sample
   of single-scenario calls and scaled to N; target ≥ 100×);
3. the ratio against a numpy copy of the same number of output bytes (the memory-bandwidth
   floor; target within 5×). "Output bytes" is everything the engine writes for N scenarios:
   the full result Dataset of every chunk (all resultaträkning, balanskrav, balansräkning,
   mål, utjämning, pension and loan variables), not only the outcomes the sweep keeps.

Run from the repository root::

    OPENBLAS_CORETYPE=Haswell python benchmarks/bench_sweep.py            # 10^6 scenarios
    python benchmarks/bench_sweep.py --n 10000000 --summary                # 10^7, percentiles, peak memory

``--summary`` also computes percentile bands and probabilities from the kept outcomes and
reports the process's peak memory (resource.getrusage), the 10^7 target being ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np


def _n(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u00a0")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="scenarios (default 10^6)")
    ap.add_argument("--chunk", type=int, default=None,
                    help="scenarios per engine call (default: the sweep's, 65 536; the 10^7 summary "
                         "run uses the Monte Carlo chunk, 16 384, to stay within 4 GB)")
    ap.add_argument("--threads", type=int, default=2, help="threads evaluating chunks (default 2)")
    ap.add_argument("--single", type=int, default=200, help="single-scenario calls to time")
    ap.add_argument("--summary", action="store_true", help="percentiles/probabilities and peak memory")
    args = ap.parse_args()

    from flerarsprognos.analysis.evaluate import (
        DEFAULT_CHUNK,
        DEFAULT_OUTCOMES,
        enable_memory_reuse,
        evaluate,
    )
    from flerarsprognos.analysis.factors import (
        Experiment,
        Factor,
        baseline_params,
        vary,
    )
    from flerarsprognos.analysis.montecarlo import MC_CHUNK, MC_OUTCOMES
    from flerarsprognos.model.engine import project
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    enable_memory_reuse()  # as the CLI's sweep and montecarlo do (opt-in, not on import)

    if args.chunk is None:
        args.chunk = MC_CHUNK if args.summary else DEFAULT_CHUNK
    base, _ = load_sets(None, [], Problems())
    params = baseline_params(base, base)
    years = params.sizes["year"]
    rng = np.random.default_rng(0)
    factors = [
        Factor("inflation", ("kpi", "prisbasbelopp_forandring"), "forskjutning", "procent"),
        Factor("lon", ("loneokning",), "forskjutning", "procent"),
        Factor("su", ("skatteunderlag_forandring",), "forskjutning", "procent"),
        Factor("skattesats", ("skattesats",), "forskjutning", "procent"),
        Factor("volym", ("volymokning",), "forskjutning", "procent"),
    ]
    sd = {"inflation": 0.01, "lon": 0.005, "su": 0.01, "skattesats": 0.002, "volym": 0.005}
    n = args.n
    exp = Experiment(factors, {f.name: rng.normal(0.0, sd[f.name], n) for f in factors})

    print(f"Maskin: {os.cpu_count()} kärnor; numpy {np.__version__}; OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(ej satt)')}")
    print(f"Modell: {years} år ({int(params['year'][0])}–{int(params['year'][-1])}), "
          f"{len(factors)} varierade faktorer, {_n(n)} scenarier")

    # Warm-up (imports, first allocations), then the timed vectorised run.
    evaluate(params, exp.rows(0, min(n, args.chunk)), DEFAULT_OUTCOMES, chunk=args.chunk)
    t0 = time.perf_counter()
    outcomes = MC_OUTCOMES if args.summary else DEFAULT_OUTCOMES  # fewer kept at 10^7: memory
    kept = evaluate(params, exp, outcomes, chunk=args.chunk, threads=args.threads)
    t_vec = time.perf_counter() - t0
    rate = n * years / t_vec

    # Output bytes the engine writes per chunk (the full result Dataset), scaled to n.
    sample = project(vary(params, exp.rows(0, args.chunk)))
    out_bytes = sample.nbytes / args.chunk * n

    # One scenario at a time: the same engine, a Dataset of one scenario per call.
    k = min(args.single, n)
    singles = [vary(params, exp.rows(i, i + 1)) for i in range(k)]
    project(singles[0])
    t0 = time.perf_counter()
    for ds in singles:
        project(ds)
    t_one = (time.perf_counter() - t0) / k * n

    # The memory-bandwidth floor: copying as many bytes as the engine outputs.
    copy_n = int(out_bytes // 8)
    block = min(copy_n, 1 << 25)  # 256 MiB at a time, so the floor fits in memory at 10^7
    src = np.ones(block)
    dst = np.empty_like(src)
    np.copyto(dst, src)
    t0 = time.perf_counter()
    done = 0
    while done < copy_n:
        m = min(block, copy_n - done)
        np.copyto(dst[:m], src[:m])
        done += m
    t_copy = time.perf_counter() - t0
    del src, dst

    print()
    print(f"Vektoriserat: {t_vec:.2f} s för {_n(n)} scenarier × {years} år "
          f"(block om {_n(args.chunk)}, {args.threads} trådar)")
    print(f"  scenario-år per sekund:            {_n(rate)}")
    print(f"  utdata från motorn:                {out_bytes / 1e9:.2f} GB (behållna utfall {kept.nbytes / 1e9:.2f} GB)")
    print(f"Ett scenario i taget ({k} anrop, uppskalat): {_n(t_one)} s")
    print(f"  kvot, ett i taget / vektoriserat:  {_n(t_one / t_vec)}× (mål ≥ 100×)")
    print(f"numpy-kopia av lika många byte:      {t_copy:.2f} s")
    print(f"  kvot, vektoriserat / kopia:        {t_vec / t_copy:.1f}× (mål inom 5×)")
    print(f"  mål 10^6 scenarier på ≤ 2 s:       {'uppnått' if (n >= 1_000_000 and t_vec * 1_000_000 / n <= 2) else 'ej uppnått'}"
          f" ({t_vec * 1_000_000 / n:.2f} s per 10^6)")

    if args.summary:
        from flerarsprognos.analysis.montecarlo import summarize

        t0 = time.perf_counter()
        summary = summarize(kept, outcomes, params["year"].values, params)
        t_sum = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB → GB on Linux
        p50 = summary["percentiler"].sel(utfall="arets_resultat", percentil=50).values
        print(f"Percentiler och sannolikheter: {t_sum:.2f} s; median årets resultat sista året "
              f"{p50[-1]:.0f} mnkr; toppminne {peak:.2f} GB (mål ≤ 4 GB vid 10^7)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
