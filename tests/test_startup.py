"""Start-up: heavy libraries are imported only where used (timings are in benchmarks/bench_startup.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def modules_after(args: list[str], cwd: Path) -> set[str]:
    code = ("import sys\nsys.argv = ['flerarsprognos', *sys.argv[1:]]\nfrom flerarsprognos.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULER', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                         check=True).stdout
    return set(out.split("MODULER", 1)[1].split())


def test_help_imports_no_scientific_library(tmp_path):
    loaded = modules_after(["--help"], tmp_path)
    assert not loaded & {"numpy", "pandas", "xarray", "dask", "distributed", "scipy", "matplotlib", "openpyxl"}


def test_check_imports_neither_the_model_nor_xarray(tmp_path):
    loaded = modules_after(["check", "hogre_loner"], tmp_path)
    assert not loaded & {"xarray", "pandas", "dask", "scipy", "matplotlib"}, loaded


def test_run_imports_neither_dask_nor_scipy_nor_matplotlib(tmp_path):
    loaded = modules_after(["run", "-q", "--ut", "ut"], tmp_path)
    assert (tmp_path / "ut" / "resultat.nc").is_file()
    assert not loaded & {"dask", "distributed", "scipy", "matplotlib"}, loaded


def test_a_library_sweep_leaves_the_allocator_alone(tmp_path):
    """reuse_freed_memory is opt-in: only the CLI's heavy commands ask for it."""
    code = ("from flerarsprognos.analysis import evaluate, sweep as sw\n"
            "from flerarsprognos.paths import resolve_shipped\n"
            "spec, base, aset, params, exp, w = sw.load_sweep(resolve_shipped('svep_inflation_lon'))\n"
            "sw.sweep(params, exp, spec)\n"
            "print('ATERANVANDNING', evaluate._MEMORY_REUSE)")
    env = {k: v for k, v in os.environ.items() if k != "FLERARSPROGNOS_ATERANVAND_MINNE"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**env, "PYTHONPATH": str(SRC)},
                         capture_output=True, text=True, check=True).stdout
    assert "ATERANVANDNING False" in out


def test_export_and_report_import_no_dask(tmp_path):
    """export and report call cli.common.xarray_without_dask() as run does."""
    for args, written in ((["export", "--utan-kanslighet", "--excel", "a.xlsx"], "a.xlsx"),
                          (["report", "--utan-analyser", "--html", "r.html"], "r.html")):
        loaded = modules_after(args, tmp_path)
        assert (tmp_path / written).is_file(), args
        assert not loaded & {"dask", "distributed"}, (args, loaded & {"dask", "distributed"})
