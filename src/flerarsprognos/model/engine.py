"""The projection: parameters (scenario × year) in, the whole result out (docs/modell.md).

This module only wires the parts of the model over the years; each line of the statements
is computed in the module named after it:

=====================================  ============================================
skatteintäkter                         :mod:`~flerarsprognos.model.skatteintakter`
generella statsbidrag och utjämning    :mod:`~flerarsprognos.model.utjamning`
pensioner (kostnad, avsättning)        :mod:`~flerarsprognos.model.pension`
verksamhetens intäkter och kostnader   :mod:`~flerarsprognos.model.nettokostnader`
investeringar, avskrivningar           :mod:`~flerarsprognos.model.investeringar`
finansiella intäkter och kostnader     :mod:`~flerarsprognos.model.finansnetto`
balanskravsutredning, RUR, underskott  :mod:`~flerarsprognos.model.balanskrav`
balansräkning, likviditet, lån         :mod:`~flerarsprognos.model.balansrakning`
finansiella mål                        :mod:`~flerarsprognos.model.finansiella_mal`
=====================================  ============================================

Pure: no files, no printing. Every computation is vectorised over the scenario dimension;
the only loops are over the few years, where the rules are path-dependent (costs after the
plan, pensions, RUR and the deficit ledger, the balance sheet and borrowing).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from flerarsprognos.model.balanskrav import Balanskravsutredning
from flerarsprognos.model.balansrakning import Balansrakning
from flerarsprognos.model.finansiella_mal import finansiella_mal
from flerarsprognos.model.finansnetto import avkastning_placeringar, finansiella_kostnader
from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.investeringar import project_investeringar
from flerarsprognos.model.nettokostnader import project_verksamhet
from flerarsprognos.model.pension import pension_now_and_plan, prisbasbelopp_change
from flerarsprognos.model.skatteintakter import project_skatteintakter
from flerarsprognos.model.statements import (
    BK_POSTS,
    BR_POSTS,
    GOALS,
    RR_POSTS,
    UTJAMNING_COMPONENTS,
    UTJAMNINGSSYSTEM,
)
from flerarsprognos.model.utjamning import inkomstutjamning_riket, project_utjamning

# The three parts of the skatteintäkter (``skatteintakter_delar``), beside the total line.
SKATTEPOSTER = ("preliminar_skatt", "slutavrakning", "korrigering_slutavrakning")

__all__ = ["project", "SKATTEPOSTER", "RR_POSTS", "BK_POSTS", "BR_POSTS", "GOALS"]


def project(params: xr.Dataset) -> xr.Dataset:
    """Run the flerårsprognos for every scenario in ``params``."""
    p = Inputs(params)

    rev = project_skatteintakter(p)
    components = project_utjamning(p, rev)
    bidrag = components.sum(axis=0)
    skatter_och_bidrag = rev.skatteintakter + bidrag

    # The region's own pay: the economy's löneökning plus any drift of its own. Costs and
    # pensions follow it; the skatteunderlag (above) follows the economy's only.
    own_wages = p.path("loneokning") + p.path("loneokning_regionen_utover")
    pbb = prisbasbelopp_change(p)
    pension, pension_plan = pension_now_and_plan(p, own_wages, pbb)
    inv = project_investeringar(p)
    costs = project_verksamhet(p, own_wages, pension, pension_plan, inv.new_depreciation)
    nettokostnader = costs["verksamhetens_intakter"] - costs["verksamhetens_kostnader"] - costs["avskrivningar"]
    verksamhetens_resultat = nettokostnader + skatter_och_bidrag

    bku = Balanskravsutredning(p, rev.su_growth)
    br = Balansrakning(p, inv, costs["avskrivningar"], pension)
    fin_int, fin_kost, resultat = _years(p, verksamhetens_resultat, skatter_och_bidrag, rev, pension, bku, br)
    af = pension["ansvarsforbindelse"]

    rr = {
        "verksamhetens_intakter": costs["verksamhetens_intakter"],
        "verksamhetens_kostnader": -costs["verksamhetens_kostnader"],
        "avskrivningar": -costs["avskrivningar"],
        "verksamhetens_nettokostnader": nettokostnader,
        "skatteintakter": rev.skatteintakter,
        "generella_statsbidrag_och_utjamning": bidrag,
        "verksamhetens_resultat": verksamhetens_resultat,
        "finansiella_intakter": fin_int,
        "finansiella_kostnader": -fin_kost,
        "arets_resultat": resultat,
    }
    goals = finansiella_mal(p, rr=rr, skatter_och_bidrag=skatter_och_bidrag, bk_rows=bku.rows, br=br.post,
                            ansvarsforbindelse=af, investeringar=inv.total)
    extra = {
        "inkomstutjamning_upprakning": rev.upprakning,
        "inkomstutjamning_riket": inkomstutjamning_riket(p, rev),
        "utjamningssystem": sum(components[UTJAMNING_COMPONENTS.index(c)] for c in UTJAMNINGSSYSTEM),
        "skatteunderlag": rev.skatteunderlag,
        "medelskattekraft": rev.medelskattekraft,
        "skatteunderlag_forandring_effektiv": rev.su_growth,
        "prisbasbelopp_forandring_effektiv": pbb,
        "skatter_och_bidrag": skatter_och_bidrag,
        "kostnader_fore_atgarder": costs["kostnader_fore_atgarder"],
        "atgarder_netto": costs["atgarder_netto"],
        "kostnadsindex": costs["kostnadsindex"],
        "investeringar": inv.total,
        "nyupplaning": br.nyupplaning,
        "placeringar_uttag": br.placeringar_uttag,
        "laneskuld": br.laneskuld,
        "laneram": p.path("laneram"),
        **pension,
    }
    return _dataset(params, p, rr, bku.block, br.block, goals, components, rev, extra)


def _years(p: Inputs, verksamhetens_resultat, skatter_och_bidrag, rev, pension, bku, br):
    """The year loop: finansnetto, årets resultat, the balanskravsutredning and the balance
    sheet, one year of every scenario at a time. Year-major storage ((year, scenario) seen as
    (scenario, year)): each year's write is contiguous. Returns (finansiella intäkter,
    finansiella kostnader (positive), årets resultat)."""
    S, Y = p.shape
    fin_int = p.path("finansiella_intakter")
    ranta = p.path("ranta")
    ovr_fin = p.path("ovriga_finansiella_kostnader")
    af = pension["ansvarsforbindelse"]
    fin_kost = np.empty((Y, S)).T
    resultat = np.empty((Y, S)).T
    ek_prev = p.scalar("eget_kapital_ingaende").copy()
    fund_return = p.path("placeringar_avkastning")
    if fund_return.any():  # the placeringar's return: a finansiell intäkt, computed in the loop
        fin_int = np.array(fin_int)
    realiserad_andel = p.scalar("placeringar_avkastning_realiserad_andel")
    for i, year in enumerate(p.years):
        unrealised = None
        if fund_return.any() and i > 0:
            realised, unrealised = avkastning_placeringar(br.post["kortfristiga_placeringar"][:, i - 1],
                                                          fund_return[:, i], realiserad_andel)
            fin_int[:, i] += realised + unrealised
            br.fund_return[:, i] = realised + unrealised
        fin_kost[:, i] = finansiella_kostnader(pension["pensionskostnad_finansiell"][:, i], ranta[:, i],
                                               br.lan_prev, ovr_fin[:, i])
        resultat[:, i] = verksamhetens_resultat[:, i] + fin_int[:, i] - fin_kost[:, i]
        ek = ek_prev + resultat[:, i]
        bku.year(i, int(year), arets_resultat=resultat[:, i], skatter_och_bidrag=skatter_och_bidrag[:, i],
                 ek_inkl_ansvarsforbindelse=ek - af[:, i], su_growth=rev.su_growth[:, i], orealiserat=unrealised)
        br.year(i, arets_resultat=resultat[:, i], eget_kapital=ek, rur=bku.state.rur,
                resultatreserv=bku.state.resultatreserv)
        ek_prev = ek
    return fin_int, fin_kost, resultat


def _dataset(params, p: Inputs, rr, bk_block, br_block, goals, components, rev, extra) -> xr.Dataset:
    """The result Dataset: the statements with their post dimensions, then the other series."""
    S, Y = p.shape
    coords = {"year": p.years}
    if "scenario" in params.coords:
        coords["scenario"] = params["scenario"].values
    dims = ("scenario", "year")

    def stack(posts, dim, block=None, table=None, year_major=False):
        # Stored post-first (contiguous per post), shown as (scenario, year, post): a view.
        if block is None:
            block = np.stack([np.broadcast_to(table[k], (S, Y)) for k in posts], axis=0)
        view = np.transpose(block, (2, 1, 0)) if year_major else np.moveaxis(block, 0, -1)
        return xr.DataArray(view, dims=dims + (dim,), coords={dim: list(posts)})

    out = xr.Dataset(
        {
            "resultatrakning": stack(RR_POSTS, "rr_post", table=rr),
            "balanskrav": stack(BK_POSTS, "bk_post", bk_block, year_major=True),
            "balansrakning": stack(BR_POSTS, "br_post", br_block, year_major=True),
            "mal_varde": stack(GOALS, "mal", goals["varde"]),
            "mal_malvarde": stack(GOALS, "mal", goals["malvarde"]),
            "mal_uppfyllt": stack(GOALS, "mal", goals["uppfyllt"]),
            "mal_gap_mnkr": stack(GOALS, "mal", goals["gap_mnkr"]),
            "skatteintakter_delar": xr.DataArray(np.moveaxis(rev.delar, 0, -1), dims=dims + ("skattepost",),
                                                 coords={"skattepost": list(SKATTEPOSTER)}),
            "utjamning": xr.DataArray(np.moveaxis(components, 0, -1), dims=dims + ("komponent",),
                                      coords={"komponent": list(UTJAMNING_COMPONENTS)}),
            **{k: (dims, v if np.shape(v) == p.shape else np.broadcast_to(v, p.shape)) for k, v in extra.items()},
        },
        coords=coords,
    )
    if "scenario" not in params.coords:
        out = out.isel(scenario=0)
    return out
