"""The shape of the code: no function over ~80 lines without a reason written beside it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "flerarsprognos"
MAX_LINES = 80
REASON = "# long:"  # a comment on the line above the def (or its decorators) says why


def long_functions() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = node.end_lineno - node.lineno + 1
            if length <= MAX_LINES:
                continue
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            above = lines[first - 2].strip() if first >= 2 else ""
            if not above.startswith(REASON):
                found.append(f"{path.relative_to(SRC.parent)}:{node.lineno} {node.name} ({length} rader)")
    return found


def test_no_function_over_80_lines_without_a_reason():
    assert long_functions() == []
