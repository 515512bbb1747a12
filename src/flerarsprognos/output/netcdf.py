"""`resultat.nc` that describes itself: CF conventions, units and Swedish names on everything.

Units follow the CF conventions (udunits): an amount in mnkr has ``units = "1e6"`` (a number of
millions; kronor have no udunits unit) and ``enhet = "mnkr"`` says the currency; rates and
shares are ``"1"`` with ``enhet = "andel"``. Text coordinates (the line ids, the scenarios)
are written as fixed-width character arrays, which CF tools read, and each has a companion
``*_etikett`` coordinate with the Swedish label. Checked with the CF checker in the tests.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from flerarsprognos.output import labels

CONVENTIONS = "CF-1.8"  # the newest version cfchecker 4.1 checks against

MNKR = {"units": "1e6", "enhet": "mnkr"}
ANDEL = {"units": "1", "enhet": "andel"}
INDEX = {"units": "1", "enhet": "index (faktor)"}
KR_PER_INVANARE = {"units": "1", "enhet": "kr per invånare"}

# Every variable of the result: its Swedish long name and unit.
VARIABLES: dict[str, tuple[str, dict]] = {
    "resultatrakning": ("Resultaträkning (resultatbudget) per post", MNKR),
    "balanskrav": ("Balanskravsutredning per post", MNKR),
    "balansrakning": ("Balansräkning (balansbudget) 31 december per post", MNKR),
    "mal_varde": ("Finansiella mål: målets värde (andel; balanskrav i mnkr, se mal_enhet)", ANDEL),
    "mal_malvarde": ("Finansiella mål: målvärde (andel; balanskrav i mnkr, se mal_enhet)", ANDEL),
    "mal_uppfyllt": ("Finansiella mål: uppfyllt (1), ej uppfyllt (0), ej bedömt (saknas)", {"units": "1"}),
    "mal_gap_mnkr": ("Finansiella mål: lägre kostnad eller högre intäkt som behövs för att nå målet", MNKR),
    "mal_marginal_osakerhet": ("Finansiella mål: hur mycket en rimlig felbedömning av de uppskattade antagandena "
                               "kan flytta målets behov (osäkerhetsmarginal)", MNKR),
    "mal_knappt": ("Finansiella mål: knappt uppfyllt, med mindre marginal än osäkerheten (1), uppfyllt med "
                   "marginal eller ej uppfyllt (0), ej bedömt (saknas)", {"units": "1"}),
    "utjamning": ("Generella statsbidrag och utjämning per komponent", MNKR),
    "inkomstutjamning_riket": ("Inkomstutjämningen netto i hela landet (regionerna)", MNKR),
    "utjamningssystem": ("Kommunalekonomisk utjämning (inkomst-, kostnadsutjämning, struktur- och regleringsbidrag)",
                         MNKR),
    "skatteunderlag": ("Regionens skatteunderlag", MNKR),
    "inkomstutjamning_upprakning": ("Inkomstutjämningen: uppräkning av inkomståret t−2 till bidragsåret "
                                    "(uppräkningsfaktorer)", INDEX),
    "medelskattekraft": ("Skatteunderlag per invånare i riket (medelskattekraft)", KR_PER_INVANARE),
    "skatteunderlag_forandring_effektiv": ("Skatteunderlagets förändring i regionen", ANDEL),
    "skatteintakter_delar": ("Skatteintäkter i delar: preliminär skatteinbetalning, slutavräkning, "
                             "korrigering av föregående års slutavräkning", MNKR),
    "prisbasbelopp_forandring_effektiv": ("Prisbasbeloppets förändring som används (följer KPI året efter, "
                                          "om inte en egen bana anges)", ANDEL),
    "skatter_och_bidrag": ("Skatteintäkter och generella statsbidrag och utjämning", MNKR),
    "kostnader_fore_atgarder": ("Nettokostnad före åtgärder", MNKR),
    "atgarder_netto": ("Åtgärder (satsningar minus effektiviseringar), netto", MNKR),
    "kostnadsindex": ("Kostnadsindex (löner och priser)", INDEX),
    "investeringar": ("Investeringar (likviditetsutfall)", MNKR),
    "nyupplaning": ("Ny upplåning under året", MNKR),
    "placeringar_uttag": ("Uttag ur placeringar (pensionsmedel) under året", MNKR),
    "laneskuld": ("Låneskuld 31 december", MNKR),
    "laneram": ("Låneram", MNKR),
    "pension_index_upp": ("Pensioner: uppräkning av avsättningen (index)", MNKR),
    "pension_nyintjanande": ("Pensioner: nyintjänande", MNKR),
    "pension_avgiftsbestamd": ("Pensioner: avgiftsbestämd ålderspension", MNKR),
    "pension_utbetalningar_avsattning": ("Pensioner: utbetalningar ur avsättningen", MNKR),
    "pension_utbetalningar_ansvarsforbindelse": ("Pensioner: utbetalningar av ansvarsförbindelsen", MNKR),
    "pensionskostnad_verksamhet": ("Pensionskostnad i verksamheten inkl. löneskatt", MNKR),
    "pensionskostnad_finansiell": ("Pensionskostnad, finansiell del inkl. löneskatt", MNKR),
    "pensionsavsattning": ("Avsättning för pensioner 31 december inkl. löneskatt", MNKR),
    "ansvarsforbindelse": ("Pensionsförpliktelser inom linjen (ansvarsförbindelse) inkl. löneskatt", MNKR),
    "pensionsmedel_insattning": ("Insättning i pensionsmedel (placeringar)", MNKR),
}

# Text coordinates: long name and the Swedish label of each value.
TEXT_COORDS: dict[str, tuple[str, dict[str, str] | None]] = {
    "scenario": ("Scenario (bas = basalternativet)", None),
    "rr_post": ("Post i resultaträkningen", labels.RR),
    "bk_post": ("Post i balanskravsutredningen", labels.BK),
    "br_post": ("Post i balansräkningen", labels.BR),
    "mal": ("Finansiellt mål", labels.MAL),
    "komponent": ("Komponent i generella statsbidrag och utjämning", None),
    "skattepost": ("Del av skatteintäkterna", labels.SKATTEPOSTER),
}


def describe(ds: xr.Dataset, *, region: str = "", scenario_titles: dict[str, str] | None = None) -> xr.Dataset:
    """A copy of the result with CF attributes; nothing in the data changes."""
    ds = ds.copy()
    region = region or str(ds.attrs.get("region", ""))
    for name in ds.data_vars:
        # Attributes a variable already has (an analysis's own names) are kept; a variable this
        # catalogue does not know gets a readable name and no guessed unit.
        long_name, unit = VARIABLES.get(name, (name.replace("_", " "), {}))
        for key, value in {"long_name": long_name, **unit}.items():
            ds[name].attrs.setdefault(key, value)
    if "mal_uppfyllt" in ds:
        ds["mal_uppfyllt"].attrs.update(flag_values=np.array([0.0, 1.0]), flag_meanings="ej_uppfyllt uppfyllt")
    if "mal_knappt" in ds:
        ds["mal_knappt"].attrs.update(flag_values=np.array([0.0, 1.0]), flag_meanings="ej_knappt knappt_uppfyllt")
    if "year" in ds.coords:
        ds["year"].attrs.update(long_name="Kalenderår", units="1")
    for dim, (long_name, names) in TEXT_COORDS.items():
        if dim not in ds.coords:
            continue
        ds[dim].attrs.setdefault("long_name", long_name)
        values = [str(v) for v in ds[dim].values]
        if dim == "scenario" and scenario_titles:
            names = scenario_titles
        if names:
            ds.coords[f"{dim}_etikett"] = ((dim,), [names.get(v, v) for v in values])
            ds[f"{dim}_etikett"].attrs.update(long_name=f"{long_name}, benämning")
    if "mal" in ds.coords:
        ds.coords["mal_enhet"] = (("mal",), ["mnkr" if g not in labels.MAL_RATIO else "andel"
                                             for g in (str(v) for v in ds["mal"].values)])
        ds["mal_enhet"].attrs.update(long_name="Enhet för målets värde och målvärde")
    title = "Flerårsprognos: resultatbudget, balanskrav och finansiella mål"
    ds.attrs.setdefault("title", f"{title} – {region}" if region else title)
    ds.attrs.update(Conventions=CONVENTIONS, institution=region, source="flerarsprognos",
                    history=ds.attrs.get("kommando", ""))
    return ds


def encoding(ds: xr.Dataset) -> dict[str, dict]:
    """Text variables as character arrays (CF 2.2), which CF tools read; the rest as they are."""
    return {name: {"dtype": "S1"} for name, var in ds.variables.items() if var.dtype.kind in "UO"}
