"""Analyses over many scenarios (docs/analys.md): sweeps, känslighetsanalys, Monte Carlo,
Sobol indices and målsökning. Every function returns xarray/pandas; none writes files.

- :func:`sweep.load_sweep` + :func:`sweep.sweep` → Dataset (sweep axes or scenario × year)
- :func:`sensitivity.sensitivity` → Dataset; :func:`sensitivity.sensitivity_table` → DataFrame
  (``scenario,ar,antagande,forandring,post,mnkr``, the kanslighet.csv contract)
- :func:`montecarlo.montecarlo` → Dataset (percentiler, sannolikhet, medel); :func:`montecarlo.sobol`
- :func:`goalseek.goalseek` → Dataset (atgard_ar, atgard_total, gap_fore, gap_efter, verifierad)

See docs/analys.md.
"""
