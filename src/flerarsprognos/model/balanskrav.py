"""Balanskravsutredning, resultatutjämningsreserv, resultatreserv and the deficit ledger
(docs/modell.md, "Balanskravet").

One call of :func:`step` is one year for every scenario at once; the state (reserves and
open deficits by year of origin) is carried by the caller's loop over years.
:class:`Balanskravsutredning` holds the rules, the state and the rows of the statement and is
what the engine calls year by year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.statements import BK_POSTS
from flerarsprognos.model.years import cumsum


@dataclass
class Rules:
    reservation_limit: np.ndarray  # 1 % of skatter + bidrag
    reservation_limit_negative_equity: np.ndarray  # 2 % when EK incl. ansvarsförbindelse < 0
    resultatreserv_from: np.ndarray  # year
    resultatreserv_cap: np.ndarray  # 5 %
    regain_years: np.ndarray  # 3
    reservation_share: np.ndarray  # decision: share of the room that is reserved
    use_always: np.ndarray  # bool: RUR may be used whenever needed
    su_average: np.ndarray  # trigger: national SU growth below this average


@dataclass
class State:
    rur: np.ndarray
    resultatreserv: np.ndarray
    # (scenario, year of origin): open balanskravsunderskott. Column ``offset + i`` is year i of
    # the horizon; the first ``offset`` columns are deficits from years before the base year
    # (column o is the year basår − offset + o).
    deficits: np.ndarray
    open_total: np.ndarray | None = None  # deficits.sum(-1) as left by the last step
    offset: int = 0


def adjusted_result(arets_resultat, realisationsvinster, realisationsvinster_undantag,
                    realisationsforluster_undantag, orealiserade, aterforing):
    """Årets resultat efter balanskravsjusteringar (LKBR 11 kap. 10 §)."""
    return (arets_resultat - realisationsvinster + realisationsvinster_undantag
            + realisationsforluster_undantag + orealiserade + aterforing)


def _reserve(year, state, rules, arets_resultat, efter_justeringar, skatter_och_bidrag,
             ek_inkl_ansvarsforbindelse, open_before):
    """Reserving: only from the part of the lower of the two results above 1 % (2 %) of
    skatter och bidrag, and only after open deficits are regained (KL 11 kap. 14 §)."""
    if not np.any(rules.reservation_share):  # no reservation decided in any scenario (the default)
        zero = np.zeros(np.shape(arets_resultat))
        return zero, zero, zero
    limit = np.where(ek_inkl_ansvarsforbindelse < 0, rules.reservation_limit_negative_equity,
                     rules.reservation_limit)
    room = np.minimum(arets_resultat, efter_justeringar) - limit * skatter_och_bidrag - open_before
    room = np.maximum(room, 0.0) * rules.reservation_share
    to_resultatreserv = year >= rules.resultatreserv_from
    cap = np.maximum(rules.resultatreserv_cap * skatter_och_bidrag - state.resultatreserv, 0.0)
    reserve_rr = np.where(to_resultatreserv, np.minimum(room, cap), 0.0)
    reserve_rur = np.where(to_resultatreserv, 0.0, room)
    return reserve_rur, reserve_rr, reserve_rur + reserve_rr


def _regain(d: np.ndarray, amount: np.ndarray) -> None:
    """Regain ``amount`` of the open deficits ``d`` (scenario, origin), oldest first, in place:
    open after = max(cum − amount, 0) − max(cum − d − amount, 0)."""
    cumulative = cumsum(d)
    after = cumulative - amount[..., None]
    np.maximum(after, 0.0, out=after)
    before = cumulative - d
    before -= amount[..., None]
    np.maximum(before, 0.0, out=before)
    after -= before
    d[...] = after


def _late(state: State, rules: Rules, c: int, i: int, anything_open: bool, like) -> np.ndarray:
    """Open deficits past their deadline: one from year o must be regained by the end of
    o + regain_years (KL 11 kap. 12 §)."""
    ledger = state.deficits[..., :c + 1]
    regain = np.asarray(rules.regain_years)
    if not anything_open:
        return np.zeros_like(like)
    if regain.size and (regain == regain.flat[0]).all() and float(regain.flat[0]).is_integer():
        # One whole-year deadline for every scenario: the late origins are the first c − R + 1.
        return ledger[..., :max(c - int(regain.flat[0]) + 1, 0)].sum(axis=-1)
    origin = np.arange(state.deficits.shape[-1]) - state.offset
    late = origin[None, :] <= i - regain[..., None]
    return (ledger * late[..., :c + 1]).sum(axis=-1)


def step(i: int, year: int, state: State, rules: Rules, *, arets_resultat, efter_justeringar,
         skatter_och_bidrag, ek_inkl_ansvarsforbindelse, su_growth, synnerliga_skal) -> dict:
    """Reserve, use, regain and record one year's balanskrav for all scenarios.

    ``synnerliga_skal`` (mnkr) is fullmäktige's decision that a deficit need not be regulated:
    it exempts first this year's deficit, then open deficits of earlier years, oldest first.
    An exempted deficit is neither carried in the ledger nor a missed balanskrav.
    """
    c = state.offset + i  # this year's column in the ledger
    # Before year i only origins < c can be open; later columns of the ledger are zero.
    open_before = state.open_total if state.open_total is not None else state.deficits[..., :c].sum(axis=-1)
    reserve_rur, reserve_rr, reservering = _reserve(year, state, rules, arets_resultat, efter_justeringar,
                                                    skatter_och_bidrag, ek_inkl_ansvarsforbindelse, open_before)

    # Using: only to cover a negative result after adjustments, never to create a surplus.
    need = np.maximum(-efter_justeringar, 0.0)
    allowed = rules.use_always | (su_growth < rules.su_average)
    use_rur = np.where(allowed, np.minimum(need, state.rur), 0.0)
    use_rr = np.where(allowed, np.minimum(need - use_rur, state.resultatreserv), 0.0)
    anvandning = use_rur + use_rr

    arets_bkr = efter_justeringar - reservering + anvandning

    # Regain the oldest deficits first with a positive balanskravsresultat, and exempt those
    # fullmäktige decides on (synnerliga skäl) after this year's own deficit.
    gross_deficit = np.maximum(-arets_bkr, 0.0)
    new_deficit = np.maximum(gross_deficit - synnerliga_skal, 0.0)
    exempt_earlier = np.maximum(synnerliga_skal - gross_deficit, 0.0)
    any_open = bool(open_before.any())
    exempt_old = np.zeros_like(arets_bkr)
    if any_open:  # with no open deficit anywhere the ledger stays all zeros
        d = state.deficits[..., :c]
        if exempt_earlier.any():
            before_exempt = d.sum(axis=-1)
            _regain(d, exempt_earlier)
            exempt_old = before_exempt - d.sum(axis=-1)
        _regain(d, np.maximum(arets_bkr, 0.0))
    state.deficits[..., c] += new_deficit

    rur_in, rr_in = state.rur, state.resultatreserv
    state.rur = state.rur + reserve_rur - use_rur
    state.resultatreserv = state.resultatreserv + reserve_rr - use_rr
    forfallet = _late(state, rules, c, i, any_open or bool(new_deficit.any()), arets_bkr)
    state.open_total = state.deficits[..., :c + 1].sum(axis=-1)
    return {
        "arets_resultat_efter_balanskravsjusteringar": efter_justeringar,
        "reservering_till_resultatutjamningsreserv": -reservering,
        "anvandning_av_resultatutjamningsreserv": anvandning,
        "arets_balanskravsresultat": arets_bkr,
        "balanskravsunderskott_fran_tidigare_ar": -open_before,
        "balanskravsresultat": arets_bkr - open_before,
        "synnerliga_skal": (gross_deficit - new_deficit) + exempt_old,
        "rur_ingaende": rur_in,
        "rur_utgaende": state.rur,
        "resultatreserv_ingaende": rr_in,
        "resultatreserv_utgaende": state.resultatreserv,
        "oreglerat_underskott": state.open_total,
        "underskott_for_sent_aterstallt": forfallet,
    }


ADJUSTMENTS = ("realisationsvinster", "realisationsvinster_undantag", "realisationsforluster_undantag",
               "orealiserade_vinster_forluster", "aterforing_orealiserade")


def opening_state(p: Inputs) -> State:
    """Reserves and the deficit ledger at the start of the base year.

    ``balanskravsunderskott_ingaende`` gives the open deficits by year of origin (years before
    the base year, what remains to be regulated after any decision on synnerliga skäl); they
    keep their deadline, counted from the year of origin. Without any, the ledger has only
    the horizon's columns.
    """
    S, Y = p.shape
    opening = np.nan_to_num(p.history("balanskravsunderskott_ingaende"), nan=0.0)
    offset = opening.shape[-1] if opening.any() else 0
    deficits = np.zeros((S, offset + Y))
    deficits[:, :offset] = opening[:, :offset]
    return State(rur=p.scalar("rur_ingaende").copy(), resultatreserv=p.scalar("resultatreserv_ingaende").copy(),
                 deficits=deficits, offset=offset)


def rur_trigger_average(p: Inputs, su_growth: np.ndarray) -> np.ndarray:
    """The RUR trigger's average SU growth for each year: the mean of the N years before it
    (N = ``rur_snitt_ar``), from the history series ``skatteunderlag_historik`` and the
    forecast's own growth; years not given are left out; with none, ``skatteunderlag_snitt``."""
    hist = p.history("skatteunderlag_historik")
    series = np.concatenate([np.broadcast_to(hist, (p.n_scen, hist.shape[-1])), su_growth], axis=-1)
    n_hist = hist.shape[-1]
    window = p.scalar("rur_snitt_ar").astype(int)
    out = np.empty(p.shape)
    for i in range(p.shape[1]):
        end = n_hist + i
        cols = np.arange(series.shape[-1])[None, :]
        inside = (cols < end) & (cols >= end - window[:, None]) & ~np.isnan(series)
        n = inside.sum(axis=-1)
        total = np.where(inside, series, 0.0).sum(axis=-1)
        out[:, i] = np.where(n > 0, total / np.maximum(n, 1), p.scalar("skatteunderlag_snitt"))
    return out


class Balanskravsutredning:
    """The balanskravsutredning of every scenario, filled one year at a time.

    The rows are written year-major into ``block`` (post, year, scenario): each year's write
    is contiguous and the result shows the block as (scenario, year, post) without a copy.
    """

    def __init__(self, p: Inputs, su_growth: np.ndarray):
        S, Y = p.shape
        self.rules = Rules(
            reservation_limit=p.scalar("rur_reservation_grans"),
            reservation_limit_negative_equity=p.scalar("rur_reservation_grans_negativt_ek"),
            resultatreserv_from=p.scalar("resultatreserv_fran_ar"), resultatreserv_cap=p.scalar("resultatreserv_tak"),
            regain_years=p.scalar("underskott_aterstallningstid"), reservation_share=p.scalar("reservering_andel"),
            use_always=np.broadcast_to(p("rur_anvandning_alltid"), (S,)).astype(bool),
            su_average=p.scalar("skatteunderlag_snitt"))
        self.state = opening_state(p)
        self.su_average = rur_trigger_average(p, su_growth) if not self.rules.use_always.all() else None
        self.adjustments = {k: p.path(k) for k in ADJUSTMENTS}
        self.synnerliga = p.path("synnerliga_skal")
        self.block = np.empty((len(BK_POSTS), Y, S))
        self.rows = {k: self.block[j].T for j, k in enumerate(BK_POSTS)}

    def year(self, i: int, year: int, *, arets_resultat, skatter_och_bidrag, ek_inkl_ansvarsforbindelse,
             su_growth, orealiserat=None) -> None:
        """One year's rows; ``orealiserat``: the placeringar's unrealised return this year,
        adjusted out (with the given orealiserade vinster och förluster)."""
        adj = {k: v[:, i] for k, v in self.adjustments.items()}
        if orealiserat is not None:
            adj["orealiserade_vinster_forluster"] = adj["orealiserade_vinster_forluster"] - orealiserat
        if self.su_average is not None:
            self.rules.su_average = self.su_average[:, i]
        efter = adjusted_result(arets_resultat, adj["realisationsvinster"], adj["realisationsvinster_undantag"],
                                adj["realisationsforluster_undantag"], adj["orealiserade_vinster_forluster"],
                                adj["aterforing_orealiserade"])
        row = step(i, year, self.state, self.rules, arets_resultat=arets_resultat, efter_justeringar=efter,
                   skatter_och_bidrag=skatter_och_bidrag, ek_inkl_ansvarsforbindelse=ek_inkl_ansvarsforbindelse,
                   su_growth=su_growth, synnerliga_skal=self.synnerliga[:, i])
        row["arets_resultat_enligt_resultatrakningen"] = arets_resultat
        row["reducering_av_samtliga_realisationsvinster"] = -adj["realisationsvinster"]
        row["justering_realisationsvinst_enligt_undantagsmojlighet"] = adj["realisationsvinster_undantag"]
        row["justering_realisationsforlust_enligt_undantagsmojlighet"] = adj["realisationsforluster_undantag"]
        row["orealiserade_vinster_och_forluster_i_vardepapper"] = adj["orealiserade_vinster_forluster"]
        row["aterforing_av_orealiserade_vinster_och_forluster_i_vardepapper"] = adj["aterforing_orealiserade"]
        for k in BK_POSTS:
            self.rows[k][:, i] = row[k]
