"""The projection: parameters (scenario × year) in, the whole result out.

Pure: no files, no printing. Every computation is vectorised over the scenario dimension;
the only loops are over the few years, where the rules are path-dependent (costs after the
plan, pensions, RUR and the deficit ledger, the balance sheet and borrowing).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from flerarsprognos.io.schema import (
    BALANCE_INPUT_POSTS,
    INVESTMENT_CATEGORIES,
    KPA_FIELDS,
    UTJAMNING_COMPONENTS,
    UTJAMNINGSSYSTEM,
)
from flerarsprognos.model import balanskrav as bk
from flerarsprognos.model.costs import new_depreciation, project_costs
from flerarsprognos.model.pension import project_pension
from flerarsprognos.model.revenue import (
    inkomstutjamning,
    medelskattekraft,
    population_factor,
    skatteintakter,
    skatteunderlag,
    skatteunderlag_growth,
    utjamning_component,
)
from flerarsprognos.model.years import compact

RR_POSTS = (
    "verksamhetens_intakter",
    "verksamhetens_kostnader",
    "avskrivningar",
    "verksamhetens_nettokostnader",
    "skatteintakter",
    "generella_statsbidrag_och_utjamning",
    "verksamhetens_resultat",
    "finansiella_intakter",
    "finansiella_kostnader",
    "arets_resultat",
)

BK_POSTS = (
    "arets_resultat_enligt_resultatrakningen",
    "reducering_av_samtliga_realisationsvinster",
    "justering_realisationsvinst_enligt_undantagsmojlighet",
    "justering_realisationsforlust_enligt_undantagsmojlighet",
    "orealiserade_vinster_och_forluster_i_vardepapper",
    "aterforing_av_orealiserade_vinster_och_forluster_i_vardepapper",
    "arets_resultat_efter_balanskravsjusteringar",
    "reservering_till_resultatutjamningsreserv",
    "anvandning_av_resultatutjamningsreserv",
    "arets_balanskravsresultat",
    "balanskravsunderskott_fran_tidigare_ar",
    "balanskravsresultat",
    "rur_ingaende",
    "rur_utgaende",
    "resultatreserv_ingaende",
    "resultatreserv_utgaende",
    "oreglerat_underskott",
    "underskott_for_sent_aterstallt",
)

BR_POSTS = (
    "immateriella_anlaggningstillgangar",
    "mark_och_byggnader",
    "maskiner_och_inventarier",
    "aktier_andelar_och_bostadsratter",
    "langfristiga_fordringar",
    "summa_anlaggningstillgangar",
    "forrad",
    "kortfristiga_fordringar",
    "kortfristiga_placeringar",
    "kassa_och_bank",
    "summa_omsattningstillgangar",
    "summa_tillgangar",
    "eget_kapital_darav_arets_resultat",
    "eget_kapital_darav_resultatutjamningsreserv",
    "eget_kapital_darav_resultatreserv",
    "eget_kapital_darav_ovrigt",
    "summa_eget_kapital",
    "avsattningar_for_pensioner",
    "ovriga_avsattningar",
    "summa_avsattningar",
    "langfristiga_skulder",
    "kortfristiga_skulder",
    "kortfristig_upplaning",
    "summa_skulder",
    "summa_skulder_och_eget_kapital",
)

GOALS = (
    "nettokostnadsandel",
    "resultatmal",
    "balanskrav",
    "soliditet",
    "soliditet_inkl_ansvarsforbindelse",
    "sjalvfinansieringsgrad",
)

# Where each investment category lands in the balance sheet.
INVESTMENT_POST = {
    "aterinvesteringar": "maskiner_och_inventarier",
    "prioriterade_ej_fardigstallda_nyinvesteringar": "maskiner_och_inventarier",
    "nyinvesteringar": "maskiner_och_inventarier",
    "atgarder_bevara_fastigheternas_varde": "mark_och_byggnader",
    "nya_csk": "mark_och_byggnader",
}


class _Params:
    """Numpy views of the parameter Dataset, scenario first, year last."""

    def __init__(self, ds: xr.Dataset):
        self.ds = ds
        self.n_scen = ds.sizes.get("scenario", 1)
        self.years = ds["year"].values.astype(int)
        self.shape = (self.n_scen, len(self.years))
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, name: str) -> np.ndarray:
        # Read through the Variable (not a DataArray): this is called ~150 times per run and
        # its fixed cost dominates small chunks of a sweep.
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        var = self.ds.variables[name]
        dims = [d for d in ("scenario", "year", "plan_year") if d in var.dims]
        values = var.transpose(*dims).values if tuple(dims) != var.dims else var.values
        if "scenario" not in var.dims:
            values = values[None, ...] if values.ndim else np.full(1, values)
        values = values.astype(float) if values.dtype != bool else values
        self._cache[name] = values
        return values


def _scalar(p: _Params, name: str) -> np.ndarray:
    return np.broadcast_to(p(name), (p.n_scen,))


def _path(p: _Params, name: str) -> np.ndarray:
    v = p(name)
    return np.broadcast_to(v if v.ndim == 2 else v.reshape(1, -1), p.shape)


def project(params: xr.Dataset) -> xr.Dataset:
    """Run the flerårsprognos for every scenario in ``params``."""
    p = _Params(params)
    S, Y = p.shape
    years = p.years
    path = lambda n: _path(p, n)  # noqa: E731
    scal = lambda n: _scalar(p, n)  # noqa: E731

    # --- revenue ---------------------------------------------------------------------------
    su_growth = skatteunderlag_growth(
        path("skatteunderlag_forandring"), path("loneokning"), path("loneokning_bas"),
        path("kpi"), path("kpi_bas"), scal("su_kanslighet_lon"), scal("su_kanslighet_kpi_foregaende"))
    pop = population_factor(path("invanare"), scal("invanare_ingaende"), path("befolkning_riket_forandring"))
    su = skatteunderlag(scal("skatteunderlag_ingaende"), su_growth, pop)
    skatt = skatteintakter(su, path("skattesats"), path("slutavrakning_korrigering"))
    # Component first: each component is one contiguous block (cheap to stack and to sum).
    mk = medelskattekraft(scal("medelskattekraft_ingaende"), su_growth, path("befolkning_riket_forandring"))

    def formula():  # the law's inkomstutjämning, computed only if a scenario uses it
        return inkomstutjamning(su, mk, path("invanare"), scal("inkomstutjamning_garantiniva"),
                                scal("inkomstutjamning_skattesats"))

    components = np.stack([
        utjamning_component(scal(f"metod_{c}"), path(c), su_growth, pop, path("invanare"), formula)
        for c in UTJAMNING_COMPONENTS], axis=0)
    bidrag = components.sum(axis=0)
    skatter_och_bidrag = skatt + bidrag

    # The region's own pay: the economy's löneökning plus any drift of its own. Costs and
    # pensions follow it; the skatteunderlag (above) follows the economy's only.
    own_wages = path("loneokning") + path("loneokning_regionen_utover")

    # --- pension ---------------------------------------------------------------------------
    n_plan = params.sizes["plan_year"]
    plan = lambda n: np.broadcast_to(p(n), (S, n_plan))  # noqa: E731
    pension_inputs = {k: scal(k) for k in (
        "loneskatt", "rips_ranta", "pensionsavsattning_ingaende", "ansvarsforbindelse_ingaende",
        "nyintjanande_basar", "avgiftsbestamd_basar", "utbetalningar_avsattning_basar",
        "utbetalningar_ansvarsforbindelse_basar", "utbetalningar_avsattning_real_forandring",
        "utbetalningar_ansvarsforbindelse_real_forandring", "pensionsmedel_insattning_andel")}
    planens_lon_basar = plan("planens_loneokning")[..., 0]
    pension = project_pension(
        **pension_inputs, prisbasbelopp_forandring=path("prisbasbelopp_forandring"), loneokning=own_wages,
        kpa={f: path(f"kpa_{f}") for f in KPA_FIELDS},
        pensionsmedel_insattning=path("pensionsmedel_insattning"), shape=p.shape,
        planens_loneokning_basar=planens_lon_basar)
    # The pension cost the decided plan lines were built on: the same module under the
    # plan's own wage and prisbasbelopp assumptions, without a KPA prognosis. In the plan
    # years the lines carry the pension cost computed now instead (a new KPA prognosis or a
    # higher prisbasbelopp moves verksamhetens kostnader too). Computed once when nothing
    # it depends on varies between scenarios.
    plan_inputs = {k: compact(v) for k, v in pension_inputs.items()}
    plan_inputs["prisbasbelopp_forandring"] = compact(plan("planens_prisbasbelopp_forandring"))
    plan_inputs["loneokning"] = compact(plan("planens_loneokning"))
    s_plan = max(np.shape(v)[0] for v in plan_inputs.values())
    nothing = np.full((1, n_plan), np.nan)
    pension_plan = project_pension(
        **plan_inputs, kpa={f: nothing for f in KPA_FIELDS}, pensionsmedel_insattning=nothing,
        shape=(s_plan, n_plan), planens_loneokning_basar=compact(planens_lon_basar))

    # --- costs -----------------------------------------------------------------------------
    investments = {c: path(f"investeringar_{c}") for c in INVESTMENT_CATEGORIES}
    new_dep = new_depreciation(
        investments, {c: scal(f"avskrivningstid_{c}") for c in INVESTMENT_CATEGORIES},
        {c: scal(f"avskrivning_nettoandel_{c}") for c in INVESTMENT_CATEGORIES},
        {c: scal(f"avskrivning_fran_ar_{c}") for c in INVESTMENT_CATEGORIES}, years)
    costs = project_costs(
        plan_intakter=plan("plan_verksamhetens_intakter"), plan_kostnader=plan("plan_verksamhetens_kostnader"),
        plan_avskrivningar=plan("plan_avskrivningar"), loneokning=own_wages, kpi=path("kpi"),
        volymokning=path("volymokning"), planens_loneokning=plan("planens_loneokning"),
        planens_kpi=plan("planens_kpi"), planens_volymokning=plan("planens_volymokning"),
        personalkostnadsandel=scal("personalkostnadsandel"),
        intakter_prisindexering=scal("intakter_prisindexering"), satsningar=path("satsningar"),
        effektivisering=path("effektivisering"), pension_verksamhet=pension["pensionskostnad_verksamhet"],
        pension_verksamhet_plan=pension_plan["pensionskostnad_verksamhet"],
        new_depreciation=new_dep, shape=p.shape)
    nettokostnader = costs["verksamhetens_intakter"] - costs["verksamhetens_kostnader"] - costs["avskrivningar"]
    verksamhetens_resultat = nettokostnader + skatter_och_bidrag

    # --- year loop: finansnetto, result, balanskrav, balance sheet ------------------------
    rules = bk.Rules(
        reservation_limit=scal("rur_reservation_grans"),
        reservation_limit_negative_equity=scal("rur_reservation_grans_negativt_ek"),
        resultatreserv_from=scal("resultatreserv_fran_ar"), resultatreserv_cap=scal("resultatreserv_tak"),
        regain_years=scal("underskott_aterstallningstid"), reservation_share=scal("reservering_andel"),
        use_always=np.broadcast_to(p("rur_anvandning_alltid"), (S,)).astype(bool),
        su_average=scal("skatteunderlag_snitt"))
    state = bk.State(rur=scal("rur_ingaende").copy(), resultatreserv=scal("resultatreserv_ingaende").copy(),
                     deficits=np.zeros((S, Y)))
    adjustments = {k: path(k) for k in ("realisationsvinster", "realisationsvinster_undantag",
                                        "realisationsforluster_undantag", "orealiserade_vinster_forluster",
                                        "aterforing_orealiserade")}
    fin_int = path("finansiella_intakter")
    ranta = path("ranta")
    ovr_fin = path("ovriga_finansiella_kostnader")
    insattning = pension["pensionsmedel_insattning"]
    avs = pension["pensionsavsattning"]
    af = pension["ansvarsforbindelse"]
    inv_total = sum(investments.values())
    balance_in = {post: scal(f"balans_{post}") for post in BALANCE_INPUT_POSTS}

    # The year loop writes one year of every scenario at a time, so what it fills is stored
    # year-major ((year, scenario), seen through a transposed (scenario, year) view): each
    # write is contiguous. The balanskrav and balance-sheet rows go straight into their
    # output blocks (post, year, scenario), so the result needs no copy to stack them.
    def year_major(*lead):
        return np.empty(lead + (Y, S))

    fin_kost = year_major().T
    resultat = year_major().T
    bk_block = year_major(len(BK_POSTS))
    br_block = year_major(len(BR_POSTS))
    bk_rows = {k: bk_block[j].T for j, k in enumerate(BK_POSTS)}
    br = {k: br_block[j].T for j, k in enumerate(BR_POSTS)}
    lan = year_major().T
    nyupplaning = np.zeros((Y, S)).T
    uttag = np.zeros((Y, S)).T
    lan_prev = scal("laneskuld_ingaende").copy()
    ek_prev = scal("eget_kapital_ingaende").copy()
    avs_prev = scal("pensionsavsattning_ingaende") * (1 + scal("loneskatt"))
    kassa_min = path("kassa_minimum")
    synnerliga = path("synnerliga_skal")

    for i, year in enumerate(years):
        fin_kost[:, i] = pension["pensionskostnad_finansiell"][:, i] + ranta[:, i] * lan_prev + ovr_fin[:, i]
        resultat[:, i] = verksamhetens_resultat[:, i] + fin_int[:, i] - fin_kost[:, i]
        ek = ek_prev + resultat[:, i]

        efter = bk.adjusted_result(resultat[:, i], adjustments["realisationsvinster"][:, i],
                                   adjustments["realisationsvinster_undantag"][:, i],
                                   adjustments["realisationsforluster_undantag"][:, i],
                                   adjustments["orealiserade_vinster_forluster"][:, i],
                                   adjustments["aterforing_orealiserade"][:, i])
        row = bk.step(i, int(year), state, rules, arets_resultat=resultat[:, i], efter_justeringar=efter,
                      skatter_och_bidrag=skatter_och_bidrag[:, i], ek_inkl_ansvarsforbindelse=ek - af[:, i],
                      su_growth=su_growth[:, i], synnerliga_skal=synnerliga[:, i])
        row["arets_resultat_enligt_resultatrakningen"] = resultat[:, i]
        row["reducering_av_samtliga_realisationsvinster"] = -adjustments["realisationsvinster"][:, i]
        row["justering_realisationsvinst_enligt_undantagsmojlighet"] = adjustments["realisationsvinster_undantag"][:, i]
        row["justering_realisationsforlust_enligt_undantagsmojlighet"] = adjustments["realisationsforluster_undantag"][:, i]
        row["orealiserade_vinster_och_forluster_i_vardepapper"] = adjustments["orealiserade_vinster_forluster"][:, i]
        row["aterforing_av_orealiserade_vinster_och_forluster_i_vardepapper"] = adjustments["aterforing_orealiserade"][:, i]
        for k in BK_POSTS:
            bk_rows[k][:, i] = row[k]

        # Balance sheet. The base year is the plan's balansbudget: its unmodelled posts are
        # inputs and kassa och bank is what balances it. Later years roll forward.
        if i == 0:
            for post in BALANCE_INPUT_POSTS:
                br[post][:, 0] = balance_in[post]
            lan[:, 0] = lan_prev
        else:
            for post in ("immateriella_anlaggningstillgangar", "aktier_andelar_och_bostadsratter",
                         "langfristiga_fordringar", "forrad", "kortfristiga_fordringar",
                         "ovriga_avsattningar", "kortfristiga_skulder", "kortfristig_upplaning"):
                br[post][:, i] = br[post][:, i - 1]
            # Avskrivningar fall on the posts in proportion to their book values.
            land, mach = br["mark_och_byggnader"][:, i - 1], br["maskiner_och_inventarier"][:, i - 1]
            share_land = np.divide(land, land + mach, out=np.full(S, 0.5), where=(land + mach) != 0)
            inv_land = sum(investments[c][:, i] for c in INVESTMENT_CATEGORIES if INVESTMENT_POST[c] == "mark_och_byggnader")
            inv_mach = inv_total[:, i] - inv_land
            br["mark_och_byggnader"][:, i] = land + inv_land - costs["avskrivningar"][:, i] * share_land
            br["maskiner_och_inventarier"][:, i] = mach + inv_mach - costs["avskrivningar"][:, i] * (1 - share_land)
            placeringar = br["kortfristiga_placeringar"][:, i - 1] + insattning[:, i]
            kassa = (br["kassa_och_bank"][:, i - 1] + resultat[:, i] + costs["avskrivningar"][:, i]
                     + (avs[:, i] - avs_prev) - inv_total[:, i] - insattning[:, i])
            # Below the minimum cash the region first draws on its placeringar, then borrows.
            shortfall = np.maximum(kassa_min[:, i] - kassa, 0.0)
            uttag[:, i] = np.minimum(shortfall, np.maximum(placeringar, 0.0))
            nyupplaning[:, i] = shortfall - uttag[:, i]
            lan[:, i] = lan_prev + nyupplaning[:, i]
            br["kortfristiga_placeringar"][:, i] = placeringar - uttag[:, i]
            br["kassa_och_bank"][:, i] = kassa + shortfall
            br["langfristiga_skulder"][:, i] = br["langfristiga_skulder"][:, i - 1] + nyupplaning[:, i]

        br["eget_kapital_darav_arets_resultat"][:, i] = resultat[:, i]
        br["eget_kapital_darav_resultatutjamningsreserv"][:, i] = state.rur
        br["eget_kapital_darav_resultatreserv"][:, i] = state.resultatreserv
        br["summa_eget_kapital"][:, i] = ek
        br["eget_kapital_darav_ovrigt"][:, i] = ek - resultat[:, i] - state.rur - state.resultatreserv
        br["avsattningar_for_pensioner"][:, i] = avs[:, i]
        br["summa_avsattningar"][:, i] = avs[:, i] + br["ovriga_avsattningar"][:, i]
        br["summa_skulder"][:, i] = (br["langfristiga_skulder"][:, i] + br["kortfristiga_skulder"][:, i]
                                     + br["kortfristig_upplaning"][:, i])
        br["summa_skulder_och_eget_kapital"][:, i] = ek + br["summa_avsattningar"][:, i] + br["summa_skulder"][:, i]
        br["summa_anlaggningstillgangar"][:, i] = sum(
            br[k][:, i] for k in ("immateriella_anlaggningstillgangar", "mark_och_byggnader",
                                  "maskiner_och_inventarier", "aktier_andelar_och_bostadsratter",
                                  "langfristiga_fordringar"))
        if i == 0:
            br["kassa_och_bank"][:, 0] = (br["summa_skulder_och_eget_kapital"][:, 0] - br["summa_anlaggningstillgangar"][:, 0]
                                          - br["forrad"][:, 0] - br["kortfristiga_fordringar"][:, 0]
                                          - br["kortfristiga_placeringar"][:, 0])
        br["summa_omsattningstillgangar"][:, i] = sum(
            br[k][:, i] for k in ("forrad", "kortfristiga_fordringar", "kortfristiga_placeringar", "kassa_och_bank"))
        br["summa_tillgangar"][:, i] = br["summa_anlaggningstillgangar"][:, i] + br["summa_omsattningstillgangar"][:, i]
        lan_prev, ek_prev, avs_prev = lan[:, i], ek, avs[:, i]

    rr = {
        "verksamhetens_intakter": costs["verksamhetens_intakter"],
        "verksamhetens_kostnader": -costs["verksamhetens_kostnader"],
        "avskrivningar": -costs["avskrivningar"],
        "verksamhetens_nettokostnader": nettokostnader,
        "skatteintakter": skatt,
        "generella_statsbidrag_och_utjamning": bidrag,
        "verksamhetens_resultat": verksamhetens_resultat,
        "finansiella_intakter": fin_int,
        "finansiella_kostnader": -fin_kost,
        "arets_resultat": resultat,
    }
    goals = finansiella_mal(params=p, rr=rr, skatter_och_bidrag=skatter_och_bidrag, bk_rows=bk_rows, br=br,
                            ansvarsforbindelse=af, investeringar=inv_total)

    coords = {"year": years}
    if "scenario" in params.coords:
        coords["scenario"] = params["scenario"].values
    dims = ("scenario", "year")

    def stack(table: dict, posts, dim, block=None, year_major=False):
        # Stored post-first (contiguous per post), shown as (scenario, year, post): a view.
        if block is None:
            block = np.stack([np.broadcast_to(table[k], (S, Y)) for k in posts], axis=0)
        view = np.transpose(block, (2, 1, 0)) if year_major else np.moveaxis(block, 0, -1)
        return xr.DataArray(view, dims=dims + (dim,), coords={dim: list(posts)})

    out = xr.Dataset(
        {
            "resultatrakning": stack(rr, RR_POSTS, "rr_post"),
            "balanskrav": stack(bk_rows, BK_POSTS, "bk_post", bk_block, year_major=True),
            "balansrakning": stack(br, BR_POSTS, "br_post", br_block, year_major=True),
            "mal_varde": stack(goals["varde"], GOALS, "mal", goals["_block"]["varde"]),
            "mal_malvarde": stack(goals["malvarde"], GOALS, "mal", goals["_block"]["malvarde"]),
            "mal_uppfyllt": stack(goals["uppfyllt"], GOALS, "mal", goals["_block"]["uppfyllt"]),
            "mal_gap_mnkr": stack(goals["gap_mnkr"], GOALS, "mal", goals["_block"]["gap_mnkr"]),
            "utjamning": xr.DataArray(np.moveaxis(components, 0, -1), dims=dims + ("komponent",),
                                      coords={"komponent": list(UTJAMNING_COMPONENTS)}),
            "utjamningssystem": (dims, sum(components[UTJAMNING_COMPONENTS.index(c)] for c in UTJAMNINGSSYSTEM)),
            "skatteunderlag": (dims, su),
            "medelskattekraft": (dims, np.broadcast_to(mk, p.shape)),
            "skatteunderlag_forandring_effektiv": (dims, su_growth),
            "skatter_och_bidrag": (dims, skatter_och_bidrag),
            "kostnader_fore_atgarder": (dims, costs["kostnader_fore_atgarder"]),
            "atgarder_netto": (dims, costs["atgarder_netto"]),
            "kostnadsindex": (dims, np.broadcast_to(costs["kostnadsindex"], p.shape)),
            "investeringar": (dims, np.broadcast_to(inv_total, p.shape)),
            "nyupplaning": (dims, nyupplaning),
            "placeringar_uttag": (dims, uttag),
            "laneskuld": (dims, lan),
            "laneram": (dims, path("laneram")),
            **{k: (dims, np.broadcast_to(v, p.shape)) for k, v in pension.items()},
        },
        coords=coords,
    )
    if "scenario" not in params.coords:
        out = out.isel(scenario=0)
    return out


def finansiella_mal(*, params: _Params, rr, skatter_och_bidrag, bk_rows, br, ansvarsforbindelse,
                    investeringar) -> dict[str, dict[str, np.ndarray]]:
    """Value, target, met (1/0, NaN where undefined) and gap in mnkr for each goal (§7).

    gap_mnkr is what it would take to meet the goal (a cost reduction or added revenue);
    a negative gap is the margin by which it is met.
    """
    S, Y = params.shape
    col = lambda n: _scalar(params, n)[:, None]  # noqa: E731
    nk = -rr["verksamhetens_nettokostnader"]
    res = rr["arets_resultat"]
    ek = br["summa_eget_kapital"]
    total = br["summa_tillgangar"]
    soliditet = ek / total
    soliditet_prev = np.concatenate([np.full((S, 1), np.nan), soliditet[:, :-1]], axis=1)
    soliditet_target = soliditet_prev + col("mal_soliditet_okning")
    inkl = (ek - ansvarsforbindelse) / total
    abs_depr = -rr["avskrivningar"]
    sjalv = np.divide(res + abs_depr, investeringar, out=np.full((S, Y), np.nan), where=investeringar != 0)

    bkr = bk_rows["arets_balanskravsresultat"]
    late = bk_rows["underskott_for_sent_aterstallt"]
    values = {
        "nettokostnadsandel": (nk / skatter_och_bidrag, np.broadcast_to(col("mal_nettokostnadsandel"), (S, Y))),
        "resultatmal": (res / skatter_och_bidrag, np.broadcast_to(col("mal_resultat"), (S, Y))),
        "balanskrav": (bkr, np.zeros((S, Y))),
        "soliditet": (soliditet, soliditet_target),
        "soliditet_inkl_ansvarsforbindelse": (inkl, np.broadcast_to(col("mal_soliditet_inkl_ansvarsforbindelse"), (S, Y))),
        "sjalvfinansieringsgrad": (sjalv, np.broadcast_to(col("mal_sjalvfinansieringsgrad"), (S, Y))),
    }
    gaps = {
        "nettokostnadsandel": nk - values["nettokostnadsandel"][1] * skatter_och_bidrag,
        "resultatmal": values["resultatmal"][1] * skatter_och_bidrag - res,
        "balanskrav": np.where(late > 0, np.maximum(late, -bkr), -bkr),
        # Meeting a soliditet goal with x mnkr of better result raises both eget kapital and
        # the assets (the money stays in the balance sheet): (E + x)/(T + x) = m.
        "soliditet": (soliditet_target * total - ek) / (1 - soliditet_target),
        "soliditet_inkl_ansvarsforbindelse": (
            values["soliditet_inkl_ansvarsforbindelse"][1] * total - (ek - ansvarsforbindelse))
        / (1 - values["soliditet_inkl_ansvarsforbindelse"][1]),
        "sjalvfinansieringsgrad": values["sjalvfinansieringsgrad"][1] * investeringar - (res + abs_depr),
    }
    # Each kind is one (goal, scenario, year) block, written in place: the result shows it
    # as (scenario, year, mal) without another copy.
    kinds = ("varde", "malvarde", "uppfyllt", "gap_mnkr")
    blocks = {kind: np.empty((len(GOALS), S, Y)) for kind in kinds}
    out = {kind: {} for kind in kinds}
    years = params.years
    from_year = {"nettokostnadsandel": "mal_nettokostnadsandel_fran_ar", "resultatmal": "mal_resultat_fran_ar",
                 "soliditet": "mal_soliditet_fran_ar",
                 "soliditet_inkl_ansvarsforbindelse": "mal_soliditet_inkl_ansvarsforbindelse_fran_ar",
                 "sjalvfinansieringsgrad": "mal_sjalvfinansieringsgrad_fran_ar"}
    for goal, (value, target) in values.items():
        j = GOALS.index(goal)
        gap = gaps[goal]
        blocks["varde"][j] = value
        blocks["malvarde"][j] = target
        met = blocks["uppfyllt"][j]
        np.less_equal(gap, 1e-9, out=met, casting="unsafe")
        np.copyto(met, np.nan, where=np.isnan(gap))
        if goal in from_year:  # a goal not (yet) in force is shown but not judged
            not_yet = years[None, :] < compact(_scalar(params, from_year[goal]))[:, None]
            if not_yet.shape[0] == 1:  # the same years for every scenario: whole columns
                met[:, not_yet[0]] = np.nan
            else:
                np.copyto(met, np.nan, where=not_yet)
        blocks["gap_mnkr"][j] = gap
        for kind in kinds:
            out[kind][goal] = blocks[kind][j]
    out["_block"] = blocks
    return out
