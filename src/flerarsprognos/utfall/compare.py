"""Plan against outcome (docs/utfall.md, `compare`): deviations, checks of stated figures, commentary.

Sign convention: every deviation is ``utfall − plan`` with the resultaträkning's signs, so a
**positive deviation is better than plan** (more revenue or less cost). Amounts in the
output tables keep the sign convention of the outcome file (costs positive if the file says
``tecken: kostnader_positiva``).

The tool computes from the amounts and never trusts a stated figure: every stated deviation,
change, percentage and total is recomputed, and each one that does not add up is a
:class:`Finding` naming the file and the cell. Where a stated budget and a stated deviation
contradict each other, the one that makes the budget lines add up to their stated total is
used (Hälso- och sjukvårdsnämndens årsredovisning 2024: the läkemedel budget printed as 8 428,1, the whole nämnd's budget,
where the lines need 1 354,9).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from flerarsprognos.output import fmt
from flerarsprognos.io.utfallsfil import LINES, Line, OutcomeFile, Row, line_info


@dataclass
class Finding:
    """A stated figure that does not add up (a finding about the source, not an input error)."""

    file: str
    where: str
    organisation: str
    rad: str
    ar: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.organisation}, {self.rad} {self.ar}: {self.message}"


@dataclass
class PlanSource:
    """Plan figures keyed (nivå, organisation, rad, år) in mnkr with resultaträkning signs.

    ``organisation`` may be ``*`` for a model plan (the region, whatever the outcome calls it).
    """

    name: str
    values: dict[tuple[str, str, str, int], float]
    basar: int | None = None
    kind: str = "fil"  # "fil", "modell" or "utfallsfil" (the budget column of the outcome file)

    def get(self, niva: str, organisation: str, rad: str, ar: int) -> float | None:
        v = self.values.get((niva, organisation, rad, ar))
        if v is None:
            v = self.values.get((niva, "*", rad, ar))
        return v

    def lines(self, niva: str, organisation: str, ar: int) -> list[str]:
        return [k[2] for k in self.values if k[0] == niva and k[1] in (organisation, "*") and k[3] == ar]


@dataclass
class LineResult:
    organisation: str
    niva: str
    ar: int
    rad: str
    info: Line
    subtotal: bool  # computed here, not stated in the file
    utfall: float | None
    plan: float | None
    plan_source: str  # "angiven", "härledd ur angiven avvikelse", "rättad", "plan", "summa", ""
    previous: float | None
    previous_source: str  # "utfall", "härlett ur angiven förändring", "summa", ""
    note: str = ""

    @property
    def avvikelse(self) -> float | None:
        if self.utfall is None or self.plan is None:
            return None
        return self.utfall - self.plan

    @property
    def forandring(self) -> float | None:
        if self.utfall is None or self.previous is None:
            return None
        return self.utfall - self.previous

    def magnitude_change(self) -> float | None:
        """The change as a reader says it: a cost that grew has a positive change."""
        d = self.forandring
        if d is None:
            return None
        return -d if self.info.kind == "kostnad" else d

    def magnitude_change_pct(self) -> float | None:
        d = self.magnitude_change()
        if d is None or not self.previous:
            return None
        return d / abs(self.previous)


@dataclass
class Comparison:
    outcome: OutcomeFile
    plan_name: str
    years: list[int]
    lines: list[LineResult]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)  # lines only in the plan or only in the outcome
    split: pd.DataFrame | None = None
    split_macro: pd.DataFrame | None = None
    accuracy: pd.DataFrame | None = None
    accuracy_detail: pd.DataFrame | None = None
    plan_kind: str = "utfallsfil"

    @property
    def display_sign(self) -> str:
        return self.outcome.sign

    def shown(self, line: LineResult, value: float | None) -> float | None:
        """An amount in the outcome file's own sign convention."""
        if value is None:
            return None
        if self.outcome.sign == "kostnader_positiva" and line.info.kind == "kostnad":
            return -value
        return value


# ----------------------------------------------------------------------------------------
# Plans
# ----------------------------------------------------------------------------------------

def plan_from_outcome_budget(outcome: OutcomeFile) -> PlanSource:
    return PlanSource(name=f"budget i {outcome.path.name}", kind="utfallsfil",
                      values={r.key: r.budget for r in outcome.rows if r.budget is not None},
                      basar=outcome.basar)


def plan_from_file(plan: OutcomeFile) -> PlanSource:
    values = {r.key: r.budget for r in plan.rows if r.budget is not None}
    basar = plan.basar or (min(k[3] for k in values) if values else None)
    return PlanSource(name=plan.path.name, values=values, basar=basar, kind="fil")


def plan_from_result(name: str, result, basar: int, scenario: str = "bas") -> PlanSource:
    """A model run as a plan: the region's resultaträkning, every year of the horizon."""
    rr = result["resultatrakning"].sel(scenario=scenario) if "scenario" in result.dims else result["resultatrakning"]
    values: dict[tuple[str, str, str, int], float] = {}
    for post in rr["rr_post"].values:
        for year in rr["year"].values:
            values[("region", "*", str(post), int(year))] = float(rr.sel(rr_post=post, year=year))
    return PlanSource(name=name, values=values, basar=basar, kind="modell")


# ----------------------------------------------------------------------------------------
# The comparison
# ----------------------------------------------------------------------------------------

def _tol_pair(p: float) -> float:
    """Two rounded figures and a rounded difference: up to 1,5 rounding steps apart."""
    return 1.5 * p + 1e-9


def _tol_sum(p: float, n: int) -> float:
    return (n + 1) * p / 2 + 1e-9


def _m(x: float | None, d: int) -> str:
    return fmt.mnkr(x, d).replace("\u00a0", " ") if x is not None else "–"


def compare(outcome: OutcomeFile, plan: PlanSource | None = None, years: list[int] | None = None) -> Comparison:
    """Compare ``outcome`` with ``plan`` (default: the outcome file's own budget column)."""
    plan = plan or plan_from_outcome_budget(outcome)
    with_utfall = sorted({r.ar for r in outcome.rows if r.utfall is not None})
    if years is None:
        macro_years = sorted({y for _, y in outcome.macro})
        years = with_utfall[-1:] if with_utfall else macro_years[:1]
    findings: list[Finding] = []
    notes: list[str] = []
    lines: list[LineResult] = []
    for niva, org in outcome.organisations():
        for year in years:
            group = [r for r in outcome.rows if r.niva == niva and r.organisation == org and r.ar == year]
            if not group:
                continue
            prev = {r.rad: r for r in outcome.rows
                    if r.niva == niva and r.organisation == org and r.ar == year - 1 and r.utfall is not None}
            lines.extend(_compare_group(outcome, plan, niva, org, year, group, prev, findings, notes))
    _check_organisation_totals(outcome, lines, findings)
    return Comparison(outcome=outcome, plan_name=plan.name, years=years, lines=lines, findings=findings,
                      notes=notes, plan_kind=plan.kind)


@dataclass
class _Group:
    """One organisation's lines for one year, as they are compared (the steps share it)."""

    outcome: OutcomeFile
    plan: PlanSource
    niva: str
    org: str
    year: int
    rows: dict[str, Row]
    prev_rows: dict[str, Row]
    findings: list[Finding]
    notes: list[str]
    parent: dict[str, str | None] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    subtotals: list[str] = field(default_factory=list)  # computed here, parts before the totals made of them

    @property
    def p(self) -> float:
        return self.outcome.precision

    @property
    def d(self) -> int:
        return self.outcome.decimals

    def finding(self, rad: str, where: str, message: str) -> None:
        self.findings.append(Finding(self.outcome.path.name, where, self.org, rad, self.year, message))

    def shown(self, info: Line, value: float | None) -> str:
        return _m(_shown_amount(self.outcome, info, value), self.d)

    def leaves(self, tot: str) -> list[str]:
        out: list[str] = []
        for c in self.children.get(tot, []):
            out.extend(self.leaves(c) if c in self.subtotals else [c])
        return out


def _compare_group(outcome: OutcomeFile, plan: PlanSource, niva: str, org: str, year: int, group: list[Row],
                   prev_rows: dict[str, Row], findings: list[Finding], notes: list[str]) -> list[LineResult]:
    g = _Group(outcome, plan, niva, org, year, {r.rad: r for r in group}, prev_rows, findings, notes)
    candidates = _plan_candidates(g)
    _hierarchy(g)
    chosen = _resolve_contradictions(g, candidates)
    results = _line_results(g, chosen)
    _check_stated_lines(g, results)
    _check_stated_totals(g, results)
    return _ordered(g, results)


def _plan_candidates(g: _Group) -> dict[str, list[tuple[float, str]]]:
    """The plan figure(s) each line could have; notes for lines only in the plan or the outcome."""
    plan, p = g.plan, g.p
    candidates: dict[str, list[tuple[float, str]]] = {}
    for rad, r in g.rows.items():
        cands: list[tuple[float, str]] = []
        if plan.kind == "utfallsfil":
            if r.budget is not None:
                cands.append((r.budget, "angiven"))
            if r.utfall is not None and r.angiven_avvikelse is not None:
                implied = r.utfall - r.angiven_avvikelse
                if not cands or abs(implied - cands[0][0]) > _tol_pair(p):
                    cands.append((implied, "härledd ur angiven avvikelse"))
        else:
            v = plan.get(g.niva, g.org, rad, g.year)
            if v is not None:
                cands.append((v, "plan"))
        candidates[rad] = cands
    if plan.kind != "utfallsfil":
        for rad in plan.lines(g.niva, g.org, g.year):
            if rad not in g.rows:
                g.notes.append(f"{g.org}: raden '{rad}' finns i planen ({plan.name}) men inte i utfallet {g.year}")
        for rad, r in g.rows.items():
            if not candidates[rad] and r.utfall is not None:
                g.notes.append(f"{g.org}: raden '{rad}' finns i utfallet {g.year} men inte i planen ({plan.name})")
    return candidates


def _hierarchy(g: _Group) -> None:
    """Children through the file's hierarchy; computed subtotals for totals the file does not
    state but two or more of whose parts it gives."""
    g.parent = {rad: (r.summeras_i or r.info.parent) for rad, r in g.rows.items()}
    for rad in g.rows:
        if g.parent[rad]:
            g.children.setdefault(g.parent[rad], []).append(rad)
    changed = True
    while changed:
        changed = False
        for tot, parts in list(g.children.items()):
            if tot in g.rows or tot in g.subtotals or len(parts) < 2:
                continue
            g.subtotals.append(tot)
            up = LINES[tot].parent if tot in LINES else None
            if up:
                g.parent[tot] = up
                g.children.setdefault(up, []).append(tot)
            changed = True


def _resolve_contradictions(g: _Group, candidates: dict) -> dict[str, tuple[float, str] | None]:
    """Where a stated budget and a stated deviation contradict each other, the one that makes
    the budget lines add up to their stated total."""
    rows, p, d = g.rows, g.p, g.d
    chosen: dict[str, tuple[float, str] | None] = {rad: (c[0] if c else None) for rad, c in candidates.items()}
    for tot in [t for t in rows if t in g.children]:
        if len(candidates.get(tot, [])) != 1:
            continue
        parts = g.leaves(tot)
        if any(not candidates.get(c) for c in parts):
            continue
        open_parts = [c for c in parts if len(candidates[c]) > 1]
        if not open_parts or len(open_parts) > 8:
            continue
        target = candidates[tot][0][0]
        fixed = sum(candidates[c][0][0] for c in parts if c not in open_parts)
        fits = [combo for combo in itertools.product(*(candidates[c] for c in open_parts))
                if abs(fixed + sum(v for v, _ in combo) - target) <= _tol_sum(p, len(parts))]
        if len(fits) != 1:
            continue
        for c, choice in zip(open_parts, fits[0], strict=True):
            r = rows[c]
            if choice[1] != "härledd ur angiven avvikelse":
                chosen[c] = choice  # the stated deviation is the wrong one; reported with the other deviations
                continue
            chosen[c] = (choice[0], "rättad")
            fixed_text = g.shown(r.info, choice[0])
            g.finding(c, r.where("budget"),
                      f"budgeten anges till {g.shown(r.info, r.budget)} men utfallet {g.shown(r.info, r.utfall)} "
                      f"och den angivna avvikelsen {_m(r.angiven_avvikelse, d)} ger {fixed_text}; med "
                      f"{fixed_text} summerar budgetraderna till totalens "
                      f"budget {g.shown(rows[tot].info, target)} "
                      f"({r.where('angiven_avvikelse')}). Jämförelsen använder {fixed_text}.")
    return chosen


def _line_results(g: _Group, chosen: dict) -> dict[str, LineResult]:
    """Each stated line with its plan and previous year; then the computed subtotals."""
    results: dict[str, LineResult] = {}
    for rad, r in g.rows.items():
        ch = chosen.get(rad)
        prev_row = g.prev_rows.get(rad)
        if prev_row is not None:
            previous, prev_src = prev_row.utfall, "utfall"
        elif r.utfall is not None and r.angiven_forandring is not None:
            previous, prev_src = r.utfall - r.angiven_forandring, "härlett ur angiven förändring"
        else:
            previous, prev_src = None, ""
        results[rad] = LineResult(g.org, g.niva, g.year, rad, r.info, False, r.utfall, ch[0] if ch else None,
                                  ch[1] if ch else "", previous, prev_src)
    for tot in g.subtotals:  # in creation order: parts before the totals made from them
        parts = g.children[tot]

        def total(attr: str, parts=parts):
            vals = [getattr(results[c], attr) for c in parts]
            return None if any(v is None for v in vals) else float(sum(vals))

        results[tot] = LineResult(g.org, g.niva, g.year, tot, line_info(tot), True, total("utfall"), total("plan"),
                                  "summa", total("previous"), "summa")
    return results


def _check_stated_lines(g: _Group, results: dict[str, LineResult]) -> None:
    """Each stated deviation, change and change in percent, recomputed."""
    p, d, outcome = g.p, g.d, g.outcome
    for rad, r in g.rows.items():
        res = results[rad]
        if r.angiven_avvikelse is not None and res.avvikelse is not None:
            if abs(res.avvikelse - r.angiven_avvikelse) > _tol_pair(p) and res.plan_source != "rättad":
                g.finding(rad, r.where("angiven_avvikelse"),
                          f"avvikelsen anges till {_m(r.angiven_avvikelse, d)} men utfallet "
                          f"{g.shown(r.info, r.utfall)} mot budgeten {g.shown(r.info, res.plan)} "
                          f"ger {_m(res.avvikelse, d)} (positivt = bättre än budget); skillnad "
                          f"{_m(res.avvikelse - r.angiven_avvikelse, d)}")
        if r.angiven_forandring is not None and g.prev_rows.get(rad) is not None and res.forandring is not None:
            if abs(res.forandring - r.angiven_forandring) > _tol_pair(p):
                sign = -1 if (outcome.sign == "kostnader_positiva" and r.info.kind == "kostnad") else 1
                g.finding(rad, r.where("angiven_forandring"),
                          f"förändringen mot föregående år anges till {_m(sign * r.angiven_forandring, d)} men "
                          f"beloppen ger {_m(sign * res.forandring, d)}")
        if r.angiven_forandring_procent is not None and res.magnitude_change_pct() is not None:
            computed = 100 * res.magnitude_change_pct()
            slack = 0.1 + 100 * p / abs(res.previous)
            if abs(computed - r.angiven_forandring_procent) > slack:
                basis = ("föregående års belopp härlett ur den angivna förändringen"
                         if res.previous_source.startswith("härlett") else "föregående års utfall")
                g.finding(rad, r.where("angiven_forandring_procent"),
                          f"förändringen anges till {fmt.mnkr(r.angiven_forandring_procent, 1)} procent men "
                          f"{_m(abs(res.magnitude_change()), d)} av {_m(abs(res.previous), d)} ({basis}) är "
                          f"{fmt.mnkr(computed, 1)} procent")


def _check_stated_totals(g: _Group, results: dict[str, LineResult]) -> None:
    """Each stated total against the sum of its parts (utfall, budget, previous year, deviations)."""
    p, d = g.p, g.d
    for tot in g.children:
        if tot not in g.rows:
            continue
        parts = g.leaves(tot)
        r, res, n = g.rows[tot], results[tot], len(parts)
        names = ", ".join(parts) if n <= 3 else f"{n} rader"
        checks = (
            (res.utfall, [results[c].utfall for c in parts], "utfallet", r.where("utfall")),
            (res.plan, [results[c].plan for c in parts], "budgeten", r.where("budget")),
            (res.previous, [results[c].previous for c in parts],
             "föregående år (härlett ur de angivna förändringarna)" if res.previous_source.startswith("härlett")
             else "föregående års utfall", r.where("angiven_forandring")),
        )
        for stated, vals, what, where in checks:
            if stated is None or any(v is None for v in vals):
                continue
            total = float(sum(vals))
            if abs(total - stated) > _tol_sum(p, n):
                g.finding(tot, where, f"{what}: delarna ({names}) summerar till {g.shown(r.info, total)} "
                                      f"men totalen är {g.shown(r.info, stated)} (skillnad {_m(abs(total - stated), d)})")
        stated_devs = [g.rows[c].angiven_avvikelse if c in g.rows else None for c in parts]
        if r.angiven_avvikelse is not None and all(v is not None for v in stated_devs):
            total = float(sum(stated_devs))
            if abs(total - r.angiven_avvikelse) > _tol_sum(p, n):
                g.finding(tot, r.where("angiven_avvikelse"),
                          f"de angivna avvikelserna för delarna summerar till {_m(total, d)} men totalens avvikelse "
                          f"anges till {_m(r.angiven_avvikelse, d)} (skillnad {_m(abs(total - r.angiven_avvikelse), d)})")


def _ordered(g: _Group, results: dict[str, LineResult]) -> list[LineResult]:
    """The file's order, each subtotal right after the last of its parts; lines only in the plan last."""
    out: list[LineResult] = []
    placed: set[str] = set()
    for rad in g.rows:
        out.append(results[rad])
        placed.add(rad)
        for tot in g.subtotals:
            if tot not in placed and all(c in placed for c in g.children[tot]):
                out.append(results[tot])
                placed.add(tot)
    out.extend(results[t] for t in g.subtotals if t not in placed)
    if g.plan.kind != "utfallsfil":  # lines only in the plan: kept, with no outcome
        for rad in g.plan.lines(g.niva, g.org, g.year):
            if rad not in results:
                v = g.plan.get(g.niva, g.org, rad, g.year)
                out.append(LineResult(g.org, g.niva, g.year, rad, line_info(rad), False, None, v, "plan", None, "",
                                      note="saknas i utfallet"))
    return out


def _shown_amount(outcome: OutcomeFile, info: Line, value: float | None) -> float | None:
    if value is None:
        return None
    return -value if (outcome.sign == "kostnader_positiva" and info.kind == "kostnad") else value


def _check_organisation_totals(outcome: OutcomeFile, lines: list[LineResult], findings: list[Finding]) -> None:
    """Områden that name their nämnd (``overordnad``) must add up to the nämnd's figures."""
    p = outcome.precision
    d = outcome.decimals
    by_key = {(x.organisation, x.rad, x.ar): x for x in lines}
    parents = {(r.overordnad, r.rad, r.ar) for r in outcome.rows if r.overordnad}
    for parent_org, rad, ar in sorted(parents, key=str):
        total = by_key.get((parent_org, rad, ar))
        parts = [x for x in lines if x.rad == rad and x.ar == ar and any(
            r.organisation == x.organisation and r.overordnad == parent_org for r in outcome.rows)]
        if total is None or not parts:
            continue
        for attr, what, col in (("utfall", "utfallet", "utfall"), ("plan", "budgeten", "budget")):
            vals = [getattr(x, attr) for x in parts]
            stated = getattr(total, attr)
            if stated is None or any(v is None for v in vals):
                continue
            s = float(sum(vals))
            if abs(s - stated) > _tol_sum(p, len(vals)):
                row = next(r for r in outcome.rows if r.organisation == parent_org and r.rad == rad and r.ar == ar)
                findings.append(Finding(outcome.path.name, row.where(col), parent_org, rad, ar,
                                        f"{what} för områdena summerar till {_m(_shown_amount(outcome, total.info, s), d)} "
                                        f"men nämndens belopp är {_m(_shown_amount(outcome, total.info, stated), d)}"))
        devs = [r.angiven_avvikelse for r in outcome.rows
                if r.overordnad == parent_org and r.rad == rad and r.ar == ar]
        trow = next((r for r in outcome.rows if r.organisation == parent_org and r.rad == rad and r.ar == ar), None)
        if trow is not None and trow.angiven_avvikelse is not None and devs and all(v is not None for v in devs):
            s = float(sum(devs))
            if abs(s - trow.angiven_avvikelse) > _tol_sum(p, len(devs)):
                findings.append(Finding(outcome.path.name, trow.where("angiven_avvikelse"), parent_org, rad, ar,
                                        f"områdenas angivna avvikelser summerar till {_m(s, d)} men nämndens "
                                        f"avvikelse anges till {_m(trow.angiven_avvikelse, d)}"))


# ----------------------------------------------------------------------------------------
# Commentary in the årsredovisning's words
# ----------------------------------------------------------------------------------------

def sentence(line: LineResult, decimals: int = 1) -> str | None:
    """"Personalkostnaderna uppgick till 5 993,3 miljoner kronor, vilket var 194,1 miljoner
    kronor (3,3 procent) högre än föregående år och 506,6 miljoner kronor sämre än budget."
    """
    if line.utfall is None:
        return None

    def mkr(x: float) -> str:
        text = fmt.mnkr(x, decimals)
        return f"{text} {'miljon' if text == '1' else 'miljoner'} kronor"

    amount = line.utfall if line.info.kind == "resultat" else abs(line.utfall)
    parts = [f"{line.info.subject} uppgick till {mkr(amount)}"]
    clauses = []
    change = line.magnitude_change()
    if change is not None:
        if round(change, decimals) == 0:
            clauses.append("i nivå med föregående år")
        else:
            pct = line.magnitude_change_pct()
            pct_text = f" ({fmt.mnkr(abs(pct) * 100, 1)} procent)" if pct is not None and line.info.kind != "resultat" else ""
            clauses.append(f"{mkr(abs(change))}{pct_text} "
                           f"{'högre' if change > 0 else 'lägre'} än föregående år")
    dev = line.avvikelse
    if dev is not None:
        if round(dev, decimals) == 0:
            clauses.append("i nivå med budget")
        else:
            clauses.append(f"{mkr(abs(dev))} {'bättre' if dev > 0 else 'sämre'} än budget")
    if clauses:
        parts.append(", vilket var " + " och ".join(clauses))
    return "".join(parts) + "."


def commentary(comparison: Comparison) -> list[str]:
    d = max(comparison.outcome.decimals, 0)
    d = min(d, 1)
    out = []
    for line in comparison.lines:
        s = sentence(line, d)
        if s:
            out.append(s)
    return out


# ----------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------

COLUMNS = ["organisation", "niva", "ar", "rad", "benamning", "delsumma", "plan", "utfall", "avvikelse",
           "avvikelse_procent", "foregaende_ar", "forandring", "forandring_procent", "plan_kalla",
           "foregaende_ar_kalla", "anmarkning"]


def plan_mot_utfall_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per line: plan, utfall, avvikelse (positive = better than plan) in mnkr and
    percent of the plan, change against the previous year in mnkr and percent.

    Amounts keep the outcome file's sign convention (``comparison.outcome.sign``); the
    percent columns are fractions (0.092 = 9,2 %); ``forandring`` is the change as a reader
    says it, whatever the file's sign convention: a cost or an intäkt that grew has a positive
    change, one that fell a negative change.
    """
    flagged = {(f.organisation, f.rad, f.ar) for f in comparison.findings}
    records = []
    for ln in comparison.lines:
        show = lambda v, ln=ln: comparison.shown(ln, v)  # noqa: E731
        dev = ln.avvikelse
        change = ln.magnitude_change()  # + = a larger amount (a cost or an intäkt that grew)
        records.append({
            "organisation": ln.organisation,
            "niva": ln.niva,
            "ar": ln.ar,
            "rad": ln.rad,
            "benamning": ln.info.label,
            "delsumma": ln.subtotal,
            "plan": show(ln.plan),
            "utfall": show(ln.utfall),
            "avvikelse": dev,
            "avvikelse_procent": (dev / abs(ln.plan)) if dev is not None and ln.plan else None,
            "foregaende_ar": show(ln.previous),
            "forandring": change,
            "forandring_procent": ln.magnitude_change_pct(),
            "plan_kalla": ln.plan_source,
            "foregaende_ar_kalla": ln.previous_source,
            "anmarkning": ln.note or ("se kontroll" if (ln.organisation, ln.rad, ln.ar) in flagged else "")
            or ("saknas i planen" if ln.plan is None and not ln.subtotal and comparison.plan_kind != "utfallsfil"
                else ""),
        })
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    for c in ("plan", "utfall", "avvikelse", "avvikelse_procent", "foregaende_ar", "forandring", "forandring_procent"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float) + 0.0
    return df


def findings_frame(comparison: Comparison) -> pd.DataFrame:
    return pd.DataFrame([{"fil": f.file, "cell": f.where, "organisation": f.organisation, "rad": f.rad,
                          "ar": f.ar, "anmarkning": f.message} for f in comparison.findings],
                        columns=["fil", "cell", "organisation", "rad", "ar", "anmarkning"])


# ----------------------------------------------------------------------------------------
# Explaining the deviation: the economy's part and the verksamhet's own
# ----------------------------------------------------------------------------------------

SPLIT_COLUMNS = ["rad", "benamning", "ar", "plan", "plan_med_utfallets_makro", "utfall", "avvikelse",
                 "varav_ekonomin", "varav_verksamheten"]


def run_with_outcome_macro(assumptions_dir: Path | None, utfall: OutcomeFile):
    """The plan (``bas``) and the plan with the outcome's macro (``utfallets_makro``), one run."""
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import run_scenarios
    from flerarsprognos.utfall.makro import check_macro_years, macro_scenario

    problems = Problems()
    base = load_assumptions(assumptions_dir or default_assumptions_dir(), problems)
    check_macro_years(base, utfall, problems)
    problems.raise_if_errors()
    scen, macro_rows = macro_scenario(base, utfall)
    return run_scenarios(base, [[scen]], Problems()), macro_rows


def deviation_split(assumptions_dir: Path | None, utfall: OutcomeFile, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-run the plan with the outcome's macro figures and split each line's deviation.

    ``ekonomin`` = plan with the outcome's skatteunderlag, löneökning, KPI, prisbasbelopp …
    minus the plan; ``verksamheten`` = the rest of the deviation (utfall − plan − ekonomin).
    Returns (split per resultaträkning line, the macro figures that were replaced).
    """
    from flerarsprognos.utfall.makro import MACRO_NAME

    run, macro_rows = run_with_outcome_macro(assumptions_dir, utfall)
    rr = run.result["resultatrakning"]
    region = {r.rad: r for r in utfall.rows if r.niva == "region" and r.ar == year}
    records = []
    in_horizon = year in {int(y) for y in rr["year"].values}
    for post in (str(p) for p in rr["rr_post"].values if in_horizon):
        plan = float(rr.sel(scenario="bas", rr_post=post, year=year))
        plan_macro = float(rr.sel(scenario=MACRO_NAME, rr_post=post, year=year))
        actual = region[post].utfall if post in region else None
        total = None if actual is None else actual - plan
        econ = plan_macro - plan
        records.append({"rad": post, "benamning": LINES[post].label, "ar": year, "plan": plan,
                        "plan_med_utfallets_makro": plan_macro, "utfall": actual, "avvikelse": total,
                        "varav_ekonomin": econ, "varav_verksamheten": None if total is None else total - econ})
    split = pd.DataFrame.from_records(records, columns=SPLIT_COLUMNS)
    for c in SPLIT_COLUMNS[3:]:
        split[c] = pd.to_numeric(split[c], errors="coerce").astype(float) + 0.0
    return split, macro_rows


# ----------------------------------------------------------------------------------------
# Forecast accuracy by horizon across plan vintages
# ----------------------------------------------------------------------------------------

def forecast_accuracy(vintages: list[PlanSource], outcome: OutcomeFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Error (utfall − plan, positive = better than planned) by horizon: year 1 is the plan's
    budget year (its basår), year 2 the next, and so on. One row per vintage, line and year
    in the detail; mean error, mean absolute error and count per line and horizon in the summary.
    """
    detail = []
    for v in vintages:
        if v.basar is None:
            continue
        for r in outcome.rows:
            if r.utfall is None:
                continue
            planned = v.get(r.niva, r.organisation, r.rad, r.ar)
            if planned is None or r.ar < v.basar:
                continue
            detail.append({"planversion": v.name, "basar": v.basar, "organisation": r.organisation, "rad": r.rad,
                           "ar": r.ar, "horisont": r.ar - v.basar + 1, "plan": planned, "utfall": r.utfall,
                           "fel": r.utfall - planned})
    det = pd.DataFrame(detail, columns=["planversion", "basar", "organisation", "rad", "ar", "horisont", "plan",
                                        "utfall", "fel"])
    if det.empty:
        summary = pd.DataFrame(columns=["organisation", "rad", "horisont", "antal", "medelfel", "medelabsolutfel"])
    else:
        det["absfel"] = det["fel"].abs()
        summary = (det.groupby(["organisation", "rad", "horisont"], sort=True)
                   .agg(antal=("fel", "size"), medelfel=("fel", "mean"), medelabsolutfel=("absfel", "mean"))
                   .reset_index())
        det = det.drop(columns="absfel")
    return summary, det


# ----------------------------------------------------------------------------------------
# Excel: the `Plan mot utfall` sheet
# ----------------------------------------------------------------------------------------

def _sheet_formats(workbook, decimals: int) -> dict:
    dec = max(0, min(decimals, 1))
    num_fmt = "#,##0" + ("." + "0" * dec if dec else "")  # shown with the reader's separators (5 993,3)
    return {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "head": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}),
        "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "num": workbook.add_format({"num_format": num_fmt}),
        "num_b": workbook.add_format({"num_format": num_fmt, "bold": True}),
        "pct": workbook.add_format({"num_format": "0.0%"}),
        "text_b": workbook.add_format({"bold": True}),
        "good": workbook.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"}),
        "bad": workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"}),
    }


def _given(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def _write_line(ws, i: int, rec, kind: str, comparison: Comparison, f: dict) -> None:
    """One line of the sheet: amounts as values; deviations and changes as formulas with their
    results cached, so the sheet stays right when a figure is corrected by hand."""
    bold = bool(rec.delsumma)
    nf = f["num_b"] if bold else f["num"]
    ws.write(i, 0, rec.organisation)
    ws.write_number(i, 1, int(rec.ar))
    ws.write(i, 2, rec.benamning, f["text_b"] if bold else None)
    r = i + 1
    cost_shown_positive = comparison.outcome.sign == "kostnader_positiva" and kind == "kostnad"
    dev_formula = f"=D{r}-E{r}" if cost_shown_positive else f"=E{r}-D{r}"
    change_formula = f"=H{r}-E{r}" if kind == "kostnad" and not cost_shown_positive else f"=E{r}-H{r}"
    cells = ((3, rec.plan, nf, None), (4, rec.utfall, nf, None),
             (5, rec.avvikelse, nf, dev_formula if _given(rec.plan) and _given(rec.utfall) else None),
             (6, rec.avvikelse_procent, f["pct"], f"=IF(D{r}=0,\"\",F{r}/ABS(D{r}))"),
             (7, rec.foregaende_ar, nf, None),
             (8, rec.forandring, nf, change_formula if _given(rec.foregaende_ar) and _given(rec.utfall) else None),
             (9, rec.forandring_procent, f["pct"], f"=IF(H{r}=0,\"\",I{r}/ABS(H{r}))"))
    for j, v, cf, formula in cells:
        if not _given(v):
            ws.write_blank(i, j, None)
        elif formula:
            ws.write_formula(i, j, formula, cf, float(v))
        else:
            ws.write_number(i, j, float(v), cf)
    ws.write(i, 10, rec.plan_kalla)
    ws.write(i, 11, rec.anmarkning)


def write_plan_mot_utfall_sheet(workbook, worksheet_name: str, comparison: Comparison):
    """Write the comparison on a new XlsxWriter worksheet; return the worksheet.

    Number formats (not rounded values), deviations green when better than plan and red when
    worse, computed subtotals bold, findings below the table, frozen header, sign convention
    stated above the table.
    """
    ws = workbook.add_worksheet(worksheet_name[:31])
    f = _sheet_formats(workbook, comparison.outcome.decimals)
    df = plan_mot_utfall_frame(comparison)
    ws.write(0, 0, f"Plan mot utfall – {comparison.outcome.title}", f["title"])
    sign_text = ("kostnader som positiva belopp" if comparison.outcome.sign == "kostnader_positiva"
                 else "resultaträkningens tecken (kostnader negativa)")
    ws.write(1, 0, f"Miljoner kronor; belopp med {sign_text}. Avvikelse = utfall mot plan, positivt = bättre än plan. "
                   f"Plan: {comparison.plan_name}.", f["note"])
    headers = ["Organisation", "År", "Rad", "Plan", "Utfall", "Avvikelse mnkr", "Avvikelse %",
               "Föregående år", "Förändring mnkr", "Förändring %", "Planens källa", "Anmärkning"]
    top = 3
    for j, h in enumerate(headers):
        ws.write(top, j, h, f["head"])
    kinds = [ln.info.kind for ln in comparison.lines]
    for i, (rec, kind) in enumerate(zip(df.itertuples(index=False), kinds, strict=True), start=top + 1):
        _write_line(ws, i, rec, kind, comparison, f)
    last = top + len(df)
    if len(df):
        for col in (5, 6):
            ws.conditional_format(top + 1, col, last, col, {"type": "cell", "criteria": ">", "value": 0,
                                                            "format": f["good"]})
            ws.conditional_format(top + 1, col, last, col, {"type": "cell", "criteria": "<", "value": 0,
                                                            "format": f["bad"]})
    row = last + 2
    if comparison.findings:
        ws.write(row, 0, "Kontroll: angivna siffror som inte stämmer", f["text_b"])
        for fi in comparison.findings:
            row += 1
            ws.write(row, 0, f"{fi.where}: {fi.organisation}, {fi.rad} {fi.ar}: {fi.message}")
        row += 2
    for n in comparison.notes:
        ws.write(row, 0, n, f["note"])
        row += 1
    ws.freeze_panes(top + 1, 3)
    for first, last_col, width in ((0, 0, 28), (1, 1, 6), (2, 2, 44), (3, 9, 13), (10, 11, 22)):
        ws.set_column(first, last_col, width)
    return ws


def write_workbook(path: Path, comparison: Comparison) -> None:
    """A workbook with the `Plan mot utfall` sheet, the commentary and (if any) the split."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    try:
        write_plan_mot_utfall_sheet(wb, "Plan mot utfall", comparison)
        ws = wb.add_worksheet("Kommentarer")
        for i, s in enumerate(commentary(comparison)):
            ws.write(i, 0, s)
        ws.set_column(0, 0, 120)
        if comparison.split is not None:
            ws = wb.add_worksheet("Avvikelseanalys")
            _frame_sheet(wb, ws, comparison.split)
        if comparison.accuracy is not None:
            ws = wb.add_worksheet("Prognosprecision")
            _frame_sheet(wb, ws, comparison.accuracy)
    finally:
        wb.close()


def _frame_sheet(wb, ws, df: pd.DataFrame) -> None:
    head = wb.add_format({"bold": True, "bottom": 1})
    num = wb.add_format({"num_format": "#,##0.0"})
    for j, c in enumerate(df.columns):
        ws.write(0, j, c, head)
    for i, rec in enumerate(df.itertuples(index=False), start=1):
        for j, v in enumerate(rec):
            if isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool):
                if isinstance(v, float) and math.isnan(v):
                    continue
                ws.write_number(i, j, float(v), num)
            else:
                ws.write(i, j, v)
    ws.freeze_panes(1, 0)
    ws.set_column(0, len(df.columns), 16)
