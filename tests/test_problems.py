"""Messages name the place (file, key, year) and say in Swedish what an assumption key is."""

from flerarsprognos.problems import Problem


def test_an_assumption_key_gets_its_swedish_label():
    p = Problem("riket/makro.yaml", "prisbasbelopp_forandring", "värde saknas för året", 2024)
    text = str(p)
    assert text.startswith("fel: riket/makro.yaml: prisbasbelopp_forandring [år 2024]: värde saknas för året")
    assert "(Prisbasbeloppets förändring" in text


def test_no_label_for_other_keys_or_where_the_message_has_it():
    assert str(Problem("utfall.csv", "rad 11", "text där ett tal ska stå")) == \
        "fel: utfall.csv: rad 11: text där ett tal ska stå"
    said = Problem("makro.yaml", "kpi", "saknas (Prisökning (KPI), används för verksamhetens övriga kostnader, procent)")
    assert str(said).count("Prisökning (KPI)") == 1
