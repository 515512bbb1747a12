"""Start-up latency of the command line, as a ratio to ``python -c pass`` measured in the same run.

    python benchmarks/bench_startup.py            # 9 rounds each, medians
    python benchmarks/bench_startup.py --rounds 21
    python benchmarks/bench_startup.py --compare /tmp/old/src   # also another tree's src, interleaved

Each command runs in a fresh interpreter from a temporary working directory (so ``run`` writes
its outputs there); the rounds are interleaved so that machine noise hits every command alike.
Targets (issue 12): ``run`` on the default within ~0,6 s and ``--help`` within ~0,15 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import flerarsprognos": [sys.executable, "-c", "import flerarsprognos"],
    "flerarsprognos --help": [sys.executable, "-m", "flerarsprognos", "--help"],
    "flerarsprognos run --help": [sys.executable, "-m", "flerarsprognos", "run", "--help"],
    "flerarsprognos check": [sys.executable, "-m", "flerarsprognos", "check"],
    "flerarsprognos run -q": [sys.executable, "-m", "flerarsprognos", "run", "-q", "--ut", "ut"],
}


def time_once(cmd: list[str], cwd: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--compare", type=Path, help="another tree's src directory, timed in the same rounds")
    args = parser.parse_args()
    trees = {"": SRC} | ({" [jämförelse]": args.compare} if args.compare else {})
    runs = {}
    for tag, src in trees.items():
        env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        for name, cmd in COMMANDS.items():
            if tag and name == "python -c pass":
                continue
            if tag and "--ut" in cmd:  # an older tree may only know the English spelling
                cmd = [c if c != "--ut" else "--out" for c in cmd]
            runs[name + tag] = (cmd, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory() as cwd:
        for name, (cmd, env) in runs.items():  # warm the file cache once
            time_once(cmd, cwd, env)
        for _ in range(args.rounds):
            for name, (cmd, env) in runs.items():
                times[name].append(time_once(cmd, cwd, env))
    base = statistics.median(times["python -c pass"])
    print(f"{'kommando':<42} {'median s':>9} {'över pass s':>12} {'kvot':>6}")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"{name:<42} {m:9.3f} {m - base:12.3f} {m / base:6.1f}")


if __name__ == "__main__":
    main()
