"""The README's tour output is what the code prints now (scripts/readme_tour.py re-runs it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tour():
    spec = importlib.util.spec_from_file_location("readme_tour", ROOT / "scripts" / "readme_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_tour_blocks_are_current():
    tour = _tour()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(tour.BLOCK.findall(text)) >= 4, "the README's tour blocks carry <!-- tour: ... --> markers"
    _, stale = tour.regenerate(text)
    assert not stale, ("README.md är inaktuell; kör `python scripts/readme_tour.py`: "
                       + "; ".join(stale))


def test_tour_keeps_only_the_named_tables():
    tour = _tour()
    out = "x\nA\n h ┃ 1\n━╇━\n r │ 2\nB\n h ┃ 3\nSkrev 2 filer till o/."
    assert tour.sections(out, ["B", "A"]) == "B\n h ┃ 3\n...\nA\n h ┃ 1\n━╇━\n r │ 2\nSkrev 2 filer till o/."
