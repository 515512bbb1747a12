"""`init`: a new region's assumption directory from a short set of figures."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import console, handles_bad_input, print_problems, say

TEMPLATE = """\
# Underlag för flerarsprognos init (docs/regioner.md). Fyll i regionens publicerade siffror,
# var och en med sin källa, och kör: flerarsprognos init KATALOG --underlag {name}
beskrivning: Region X, budget och flerårsplan
region_namn: Region X
lanskod: "17"          # SCB:s länskod; väljer den länsvisa skattesatsen i inkomstutjämningen
basar: 2023            # ska vara prognosunderlagets basår (riket/makro.yaml: prognosunderlag_basar)
planslut: 2025
slutar: 2028
riket: standard        # det medföljande nationella prognosunderlaget, eller en katalog
siffror:
  skattesats: {{kalla: "Regionens budget", varden: {{2023: 11.5}}}}
  invanare: {{kalla: "SCB, folkmängd 31 december", varden: {{2022: 300000, 2023: 301000}}}}
  verksamhetens_nettokostnader: {{kalla: "Regionens budget", varden: {{2023: -12000}}}}
  skatteintakter: {{kalla: "Regionens budget", varden: {{2023: 8500}}}}
  generella_statsbidrag_och_utjamning: {{kalla: "Regionens budget", varden: {{2023: 3600}}}}
  # Frivilliga (utan dem uppskattas värdena ur standardregionen, skalade med invånarantalet):
  # verksamhetens_intakter, avskrivningar, finansiella_intakter, investeringar: {{kalla: ..., varden: {{år: mnkr}}}}
  # eget_kapital, summa_tillgangar, pensionsavsattning, ansvarsforbindelse, rur, laneskuld: {{kalla: ..., varde: mnkr}}
"""


InitRiketOption = typer.Option(
    None, "--riket", show_default=False, metavar="<katalog>",
    help="Katalog med det nationella prognosunderlaget (SKR:s utgåva) som regionen ska stå på. Utan "
         "flaggan: underlagets 'riket:' (en katalog relativt underlaget, eller standard: det medföljande).")


@app.command("init", help="Skapa en ny regions antagandekatalog ur några publicerade siffror "
                          "(underlag.yaml); resten tas ur det nationella prognosunderlaget eller "
                          "härleds, och varje härlett värde märks med sin metod. Indata (underlaget, "
                          "prognosunderlaget, standardregionen) ändras aldrig.")
@handles_bad_input
def init_command(
    katalog: Path = typer.Argument(..., metavar="KATALOG",
                                   help="Den nya regionens katalog (får inte finnas eller ska vara tom, och får "
                                        "inte ligga i eller innehålla indata)."),
    underlag: Path = typer.Option(None, "--underlag", "-u", show_default=False, metavar="<fil>",
                                  help="Svarsfil med regionens siffror. Utan flaggan: skriv en mall "
                                       "KATALOG/underlag.yaml att fylla i."),
    riket: Path = InitRiketOption,
):
    from flerarsprognos.io.nyregion import create_region

    if underlag is None:
        write_template(katalog)
        return
    created = create_region(underlag, katalog, riket)
    print_problems(created.warnings)
    aset = created.aset
    say(f"Skapade {katalog}/ för {aset['region_namn']} (länskod {aset['lanskod']}, "
        f"{aset.basar}–{aset.slutar}) på prognosunderlaget {aset['prognosunderlag_namn']}.")
    console.print(f"Kontroll: inga fel ({len(created.warnings)} varningar).")
    if created.checks:
        from flerarsprognos.output import fmt
        from flerarsprognos.output.labels import RR

        console.print("Underlagets siffror mot modellens:")
        for name, year, stated, model, _ in created.checks:
            diff = model - stated
            console.print(f"  {RR[name]} {year}: angivet {fmt.mnkr(stated)}, modellen {fmt.mnkr(model)}"
                          + (f" (skillnad {fmt.mnkr(diff)} mnkr: de uppskattade posterna bär den)" if abs(diff) >= 0.5 else ""))
    if created.derived:
        console.print(f"Fortfarande uppskattat ({len(created.derived)} nycklar, källan börjar med "
                      "'härlett:'); ersätt med regionens egna siffror när de finns:")
        by_file: dict[str, list[str]] = {}
        for key in created.derived:
            by_file.setdefault(Path(aset.values[key].file).name, []).append(key)
        for file, keys in by_file.items():
            console.print(f"  {file}: {', '.join(keys)}", soft_wrap=True)
        say(f"Metoden står i varje värdes källa: flerarsprognos antaganden --antaganden {katalog}.")
    say(f"Kör: flerarsprognos run --antaganden {katalog}")


def write_template(katalog: Path) -> None:
    """KATALOG/underlag.yaml, a template to fill in (written atomically; a directory with content,
    or a file of that name, is refused and nothing is written)."""
    from flerarsprognos.io.nyregion import check_target
    from flerarsprognos.output.files import atomic_path
    from flerarsprognos.problems import Problems

    problems = Problems()
    check_target(katalog, [], problems)
    problems.raise_if_errors()
    template = katalog / "underlag.yaml"
    katalog.mkdir(parents=True, exist_ok=True)
    with atomic_path(template) as tmp:
        tmp.write_text(TEMPLATE.format(name=template), encoding="utf-8")
    say(f"Skrev en mall: {template}. Fyll i regionens siffror och kör "
        f"flerarsprognos init NY_KATALOG --underlag {template}.")
