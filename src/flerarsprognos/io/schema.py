"""The catalogue of assumptions: every key an assumption file may hold.

Each :class:`Spec` says which file (topic) the key belongs in, its unit, which years it
must cover, and two ranges: values outside ``error`` are impossible (or plainly in the
wrong unit) and rejected; values outside ``warn`` are possible but implausible and give a
warning. Ranges are in canonical units: rates as fractions (0.035), amounts in mnkr.

The *values* (with their sources) live in ``assumptions/*.yaml``; this module holds only
what a value may be, the way ParamTools keeps a schema beside the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from flerarsprognos.output.labels import BR, INVESTERINGAR

# Units a file may state. "procent" and "andel" are two spellings of one kind (a rate);
# the loader converts procent to a fraction.
RATE_UNITS = ("procent", "andel")
UNIT_LABELS = {
    "rate": "procent",
    "mnkr": "mnkr",
    "kr_per_invanare": "kr per invånare",
    "antal": "antal",
    "ar": "årtal",
    "antal_ar": "antal år",
    "text": "text",
}

# Coverage: which years a year-indexed key must have.
#   horisont  every year basår..slutår; `forlangning: senaste` fills later years (marked extended)
#   plan      every plan year basår..planslut, nothing else
#   gles_noll any years; a missing year means 0
#   gles      any years; a missing year means "not given" (e.g. a KPA override)
#   skalar    one value, no years
YEAR_COVERAGES = ("horisont", "plan", "gles_noll", "gles")


@dataclass(frozen=True)
class Spec:
    name: str
    topic: str
    unit: str  # "rate", "mnkr", "kr_per_invanare", "antal", "ar", "antal_ar", "text"
    coverage: str  # one of YEAR_COVERAGES or "skalar"
    label: str
    error: tuple[float | None, float | None] = (None, None)
    warn: tuple[float | None, float | None] = (None, None)
    choices: tuple[str, ...] = ()
    component: bool = False  # an utjämning component: has a `metod`

    @property
    def by_year(self) -> bool:
        return self.coverage in YEAR_COVERAGES


BIG = 1e7  # mnkr; larger than any Swedish region's balance sheet
# SCB:s länskoder for the 21 län (and so the 21 regions).
LANSKODER = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20",
             "21", "22", "23", "24", "25")

# Utjämning components (lag 2004:773) and the methods a component may be projected with.
UTJAMNING_COMPONENTS = (
    "inkomstutjamning",
    "kostnadsutjamning",
    "strukturbidrag",
    "regleringsbidrag",
    "lakemedelsbidrag",
    "tillfalliga_bidrag",
)
UTJAMNING_LABELS = {
    "inkomstutjamning": "inkomstutjämning",
    "kostnadsutjamning": "kostnadsutjämning",
    "strukturbidrag": "strukturbidrag",
    "regleringsbidrag": "regleringsbidrag/-avgift",
    "lakemedelsbidrag": "läkemedelsbidrag",
    "tillfalliga_bidrag": "tillfälliga bidrag",
}
UTJAMNINGSSYSTEM = ("inkomstutjamning", "kostnadsutjamning", "strukturbidrag", "regleringsbidrag")
UTJAMNING_METHODS = ("fast", "folj_skatteunderlag", "per_invanare", "inkomstutjamning")

INVESTMENT_CATEGORIES = (
    "aterinvesteringar",
    "prioriterade_ej_fardigstallda_nyinvesteringar",
    "nyinvesteringar",
    "atgarder_bevara_fastigheternas_varde",
    "nya_csk",
)

# Balance-sheet posts of the base year that the model does not compute itself.
BALANCE_INPUT_POSTS = (
    "immateriella_anlaggningstillgangar",
    "mark_och_byggnader",
    "maskiner_och_inventarier",
    "aktier_andelar_och_bostadsratter",
    "langfristiga_fordringar",
    "forrad",
    "kortfristiga_fordringar",
    "kortfristiga_placeringar",
    "ovriga_avsattningar",
    "langfristiga_skulder",
    "kortfristiga_skulder",
    "kortfristig_upplaning",
)

KPA_LABELS = {
    "avgiftsbestamd": "avgiftsbestämd pension",
    "nyintjanande": "nyintjänande",
    "utbetalningar_avsattning": "utbetalningar ur avsättningen",
    "utbetalningar_ansvarsforbindelse": "utbetalningar av ansvarsförbindelsen",
    "finansiell_kostnad": "finansiell kostnad",
    "avsattning_utgaende": "utgående avsättning",
    "ansvarsforbindelse_utgaende": "utgående ansvarsförbindelse",
}
KPA_FIELDS = (
    "avgiftsbestamd",
    "nyintjanande",
    "utbetalningar_avsattning",
    "utbetalningar_ansvarsforbindelse",
    "finansiell_kostnad",
    "avsattning_utgaende",
    "ansvarsforbindelse_utgaende",
)


def _specs() -> list[Spec]:
    s: list[Spec] = []

    def add(*args, **kw):
        s.append(Spec(*args, **kw))

    # --- makro ---------------------------------------------------------------------------
    add("skatteunderlag_forandring", "makro", "rate", "horisont",
        "Skatteunderlagets förändring i riket", (-0.2, 0.3), (-0.03, 0.08))
    add("loneokning", "makro", "rate", "horisont",
        "Löneökning (timlön) i regionsektorn", (-0.1, 0.3), (0.0, 0.06))
    add("kpi", "makro", "rate", "horisont",
        "Prisökning (KPI), används för verksamhetens övriga kostnader", (-0.1, 0.4), (-0.01, 0.08))
    add("prisbasbelopp_forandring", "makro", "rate", "horisont",
        "Prisbasbeloppets förändring (styr pensionsskuldens uppräkning)", (-0.1, 0.4), (-0.02, 0.1))
    add("befolkning_riket_forandring", "makro", "rate", "horisont",
        "Befolkningsförändring i riket", (-0.05, 0.05), (-0.01, 0.02))
    add("ranta", "makro", "rate", "horisont",
        "Upplåningsränta", (-0.05, 0.3), (-0.01, 0.08))

    # --- region ----------------------------------------------------------------------------
    add("region_namn", "region", "text", "skalar", "Regionens namn, som det står på rapporter (t.ex. Region Värmland)")
    add("lanskod", "region", "text", "skalar", "Länskod enligt SCB (två siffror, t.ex. 17)", choices=LANSKODER)
    add("basar", "region", "ar", "skalar", "Basår (första året i prognosen)", (2000, 2100))
    add("planslut", "region", "ar", "skalar", "Sista året i den beslutade flerårsplanen", (2000, 2100))
    add("slutar", "region", "ar", "skalar", "Sista året i prognosen", (2000, 2100))
    add("invanare", "region", "antal", "horisont", "Invånare i regionen", (1, 2e7), (5e4, 3e6))
    add("skattesats", "region", "rate", "horisont",
        "Regionens skattesats (kr per 100 kr)", (0.05, 0.2), (0.10, 0.14))
    add("invanare_ingaende", "region", "antal", "skalar", "Invånare året före basåret", (1, 2e7), (5e4, 3e6))
    add("skatteunderlag_ingaende", "region", "mnkr", "skalar",
        "Regionens skatteunderlag året före basåret", (1, BIG))

    # --- intakter --------------------------------------------------------------------------
    add("slutavrakning_korrigering", "intakter", "mnkr", "gles_noll",
        "Slutavräkning och korrigering av slutavräkning", (-1e4, 1e4), (-500, 500))
    for comp in UTJAMNING_COMPONENTS:
        add(comp, "intakter", "mnkr", "horisont", f"Generellt statsbidrag/utjämning: {UTJAMNING_LABELS[comp]}",
            (-1e5, 1e5), component=True)

    add("medelskattekraft_ingaende", "intakter", "kr_per_invanare", "skalar",
        "Medelskattekraften i riket (skatteunderlag per invånare) året före basåret", (1e4, 1e7))
    add("inkomstutjamning_garantiniva", "intakter", "rate", "skalar",
        "Inkomstutjämningens garantinivå, andel av medelskattekraften", (0.5, 2.0), (1.0, 1.3))
    add("inkomstutjamning_skattesats", "intakter", "rate", "skalar",
        "Den länsvisa skattesats som inkomstutjämningen räknas med", (0.0, 0.3), (0.05, 0.15))

    # --- kostnader -------------------------------------------------------------------------
    add("plan_verksamhetens_intakter", "kostnader", "mnkr", "plan",
        "Beslutad plan: verksamhetens intäkter", (0, BIG))
    add("plan_verksamhetens_kostnader", "kostnader", "mnkr", "plan",
        "Beslutad plan: verksamhetens kostnader (negativt tal)", (-BIG, 0))
    add("plan_avskrivningar", "kostnader", "mnkr", "plan",
        "Beslutad plan: avskrivningar (negativt tal)", (-BIG, 0))
    add("planens_loneokning", "kostnader", "rate", "plan",
        "Löneökning som den beslutade planen bygger på", (-0.1, 0.3), (0.0, 0.06))
    add("planens_kpi", "kostnader", "rate", "plan",
        "Prisökning som den beslutade planen bygger på", (-0.1, 0.4), (-0.01, 0.08))
    add("planens_prisbasbelopp_forandring", "kostnader", "rate", "plan",
        "Prisbasbeloppets förändring som planens pensionskostnader bygger på", (-0.1, 0.4), (-0.02, 0.1))
    add("planens_volymokning", "kostnader", "rate", "plan",
        "Volymökning som den beslutade planen bygger på", (-0.2, 0.2))
    add("loneokning_regionen_utover", "kostnader", "rate", "horisont",
        "Regionens löneökning utöver löneökningen i ekonomin (skatteunderlaget följer inte)",
        (-0.1, 0.3), (-0.02, 0.03))
    add("personalkostnadsandel", "kostnader", "rate", "skalar",
        "Personalkostnadernas andel av verksamhetens kostnader", (0.0, 1.0), (0.3, 0.8))
    add("intakter_prisindexering", "kostnader", "rate", "skalar",
        "Andel av verksamhetens intäkter som följer prisökningen", (0.0, 1.0))
    add("volymokning", "kostnader", "rate", "horisont",
        "Volymökning i verksamheten (för planåren: utöver planens)", (-0.2, 0.2), (-0.02, 0.03))
    add("satsningar", "kostnader", "mnkr", "gles_noll",
        "Nya satsningar (varaktig kostnadsökning från året)", (-1e5, 1e5), (0, 2000))
    add("effektivisering", "kostnader", "mnkr", "gles_noll",
        "Effektivisering (varaktig kostnadsminskning från året)", (-1e5, 1e5), (0, 2000))

    # --- pension ---------------------------------------------------------------------------
    add("loneskatt", "pension", "rate", "skalar", "Särskild löneskatt på pensionskostnader",
        (0.0, 0.5), (0.2, 0.3))
    add("rips_ranta", "pension", "rate", "skalar", "RIPS realränta", (-0.05, 0.1), (0.0, 0.03))
    add("pensionsavsattning_ingaende", "pension", "mnkr", "skalar",
        "Avsättning för pensioner året före basåret, exkl. löneskatt", (0, BIG))
    add("ansvarsforbindelse_ingaende", "pension", "mnkr", "skalar",
        "Ansvarsförbindelse (före 1998) året före basåret, exkl. löneskatt", (0, BIG))
    add("nyintjanande_basar", "pension", "mnkr", "skalar",
        "Nyintjänande förmånsbestämd pension basåret, exkl. löneskatt", (0, 1e5))
    add("avgiftsbestamd_basar", "pension", "mnkr", "skalar",
        "Avgiftsbestämd pension basåret, exkl. löneskatt", (0, 1e5))
    add("utbetalningar_avsattning_basar", "pension", "mnkr", "skalar",
        "Utbetalningar ur avsättningen basåret, exkl. löneskatt", (0, 1e5))
    add("utbetalningar_ansvarsforbindelse_basar", "pension", "mnkr", "skalar",
        "Utbetalningar av ansvarsförbindelsen basåret, exkl. löneskatt", (0, 1e5))
    add("utbetalningar_avsattning_real_forandring", "pension", "rate", "skalar",
        "Årlig real ökning av utbetalningarna ur avsättningen", (-0.5, 0.5), (-0.05, 0.15))
    add("utbetalningar_ansvarsforbindelse_real_forandring", "pension", "rate", "skalar",
        "Årlig real förändring av utbetalningarna av ansvarsförbindelsen", (-0.5, 0.5), (-0.1, 0.05))
    for f in KPA_FIELDS:
        add(f"kpa_{f}", "pension", "mnkr", "gles",
            f"KPA:s prognos, {KPA_LABELS[f]} inkl. löneskatt (ersätter modellens värde)", (-BIG, BIG))
    add("pensionsmedel_insattning", "pension", "mnkr", "gles",
        "Beslutad insättning i pensionsmedelsförvaltningen", (0, 1e5))
    add("pensionsmedel_insattning_andel", "pension", "rate", "skalar",
        "Insättning som andel av avsättningens ökning (finanspolicy)", (0.0, 2.0))

    # --- investeringar ---------------------------------------------------------------------
    for cat in INVESTMENT_CATEGORIES:
        name = INVESTERINGAR[cat]
        add(f"investeringar_{cat}", "investeringar", "mnkr", "horisont", f"Investeringar: {name}", (0, 1e5))
        add(f"avskrivningstid_{cat}", "investeringar", "antal_ar", "skalar", f"Avskrivningstid: {name}", (1, 100))
        add(f"avskrivning_nettoandel_{cat}", "investeringar", "rate", "skalar",
            f"Andel av investeringen som ger nya avskrivningar: {name}", (0.0, 1.0))
        add(f"avskrivning_fran_ar_{cat}", "investeringar", "ar", "skalar",
            f"Första år med avskrivning: {name}", (2000, 2200))

    # --- finans (balansräkning, likviditet, finansnetto) ----------------------------------
    for post in BALANCE_INPUT_POSTS:
        add(f"balans_{post}", "finans", "mnkr", "skalar", f"Balansbudget basåret: {BR[post]}", (0, BIG))
    add("eget_kapital_ingaende", "finans", "mnkr", "skalar",
        "Eget kapital året före basåret", (-BIG, BIG))
    add("rur_ingaende", "finans", "mnkr", "skalar",
        "Resultatutjämningsreserv året före basåret", (0, BIG))
    add("resultatreserv_ingaende", "finans", "mnkr", "skalar",
        "Resultatreserv året före basåret", (0, BIG))
    add("laneskuld_ingaende", "finans", "mnkr", "skalar",
        "Räntebärande lån året före basåret", (0, BIG))
    add("laneram", "finans", "mnkr", "horisont", "Låneram", (0, BIG))
    add("kassa_minimum", "finans", "mnkr", "horisont",
        "Lägsta kassa innan upplåning", (0, BIG))
    add("finansiella_intakter", "finans", "mnkr", "horisont",
        "Finansiella intäkter (realiserad avkastning m.m.)", (-1e5, 1e5))
    add("ovriga_finansiella_kostnader", "finans", "mnkr", "gles_noll",
        "Övriga finansiella kostnader (utöver pension och ränta)", (0, 1e5))

    # --- regler ----------------------------------------------------------------------------
    add("rur_reservation_grans", "regler", "rate", "skalar",
        "Reservering till RUR: del av resultatet över denna andel av skatter och bidrag",
        (0.0, 0.2))
    add("rur_reservation_grans_negativt_ek", "regler", "rate", "skalar",
        "Gränsen när eget kapital inkl. ansvarsförbindelse är negativt", (0.0, 0.2))
    add("resultatreserv_fran_ar", "regler", "ar", "skalar",
        "Första år då nya reserveringar går till resultatreserv", (2000, 2200))
    add("resultatreserv_tak", "regler", "rate", "skalar",
        "Resultatreservens tak, andel av skatter och bidrag", (0.0, 1.0))
    add("underskott_aterstallningstid", "regler", "antal_ar", "skalar",
        "År inom vilka ett balanskravsunderskott ska återställas", (1, 20))
    add("reservering_andel", "regler", "rate", "skalar",
        "Andel av det tillåtna utrymmet som reserveras (beslut)", (0.0, 1.0))
    add("rur_anvandning_villkor", "regler", "text", "skalar",
        "När RUR får användas", choices=("alltid", "skatteunderlag_under_snitt"))
    add("skatteunderlag_snitt", "regler", "rate", "skalar",
        "Skatteunderlagets genomsnittliga tillväxt (10 år), villkor för RUR", (-0.1, 0.2))
    add("synnerliga_skal", "regler", "mnkr", "gles_noll",
        "Underskott som fullmäktige undantar med synnerliga skäl", (0, 1e5))
    for key, label in (
        ("realisationsvinster", "Samtliga realisationsvinster"),
        ("realisationsvinster_undantag", "Realisationsvinster enligt undantagsmöjlighet"),
        ("realisationsforluster_undantag", "Realisationsförluster enligt undantagsmöjlighet"),
        ("orealiserade_vinster_forluster", "Orealiserade vinster och förluster i värdepapper"),
        ("aterforing_orealiserade", "Återföring av orealiserade vinster och förluster"),
    ):
        add(key, "regler", "mnkr", "gles_noll", label, (-1e5, 1e5))
    add("mal_nettokostnadsandel", "regler", "rate", "skalar",
        "Mål: nettokostnadsandel högst", (0.5, 1.5))
    add("mal_resultat", "regler", "rate", "skalar",
        "Mål: årets resultat minst andel av skatter och bidrag", (-0.5, 0.5))
    add("mal_soliditet_okning", "regler", "rate", "skalar",
        "Mål: soliditeten ökar minst (procentenheter per år)", (-1.0, 1.0))
    add("mal_soliditet_inkl_ansvarsforbindelse", "regler", "rate", "skalar",
        "Mål: soliditet inkl. ansvarsförbindelse minst", (-1.0, 1.0))
    add("mal_sjalvfinansieringsgrad", "regler", "rate", "skalar",
        "Mål: självfinansieringsgrad av investeringar minst", (0.0, 10.0))
    for goal, label in (("nettokostnadsandel", "nettokostnadsandelen"), ("resultat", "resultatmålet"),
                        ("soliditet", "soliditeten ökar"),
                        ("soliditet_inkl_ansvarsforbindelse", "soliditet inkl. ansvarsförbindelse"),
                        ("sjalvfinansieringsgrad", "självfinansieringsgraden")):
        add(f"mal_{goal}_fran_ar", "regler", "ar", "skalar",
            f"Första år som målet för {label} gäller (före: visas, men bedöms inte)", (1900, 2200))
    add("su_kanslighet_lon", "regler", "rate", "skalar",
        "Skatteunderlagets känslighet för löneökning samma år", (0.0, 2.0), (0.3, 1.0))
    add("su_kanslighet_kpi_foregaende", "regler", "rate", "skalar",
        "Skatteunderlagets känslighet för föregående års KPI (pensioner)", (0.0, 2.0), (0.0, 0.5))
    return s


SPECS: dict[str, Spec] = {spec.name: spec for spec in _specs()}
TOPICS = ("makro", "region", "intakter", "kostnader", "pension", "investeringar", "finans", "regler")
