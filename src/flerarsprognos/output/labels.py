"""Swedish labels for the line ids, as they read in the budget documents.

The labels, subtotals and goal kinds come from the statements catalogue
(``model/statements.yaml``, read by :mod:`flerarsprognos.model.statements`); these names are
kept for the modules that import them. New code may use the catalogue directly (formulas,
headings and decimals are there too).
"""

from flerarsprognos.model.statements import (
    BALANSKRAVSUTREDNING,
    BALANSRAKNING,
    GOAL_LABELS,
    GOAL_RATIO,
    INVESTMENT_LABELS,
    RESULTATRAKNING,
)

RR = RESULTATRAKNING.labels
RR_SUBTOTALS = set(RESULTATRAKNING.subtotals)

# Amounts carry their sign (a reservation is negative, a use positive), so the labels do not
# repeat the (−)/(+) of the printed form.
BK = BALANSKRAVSUTREDNING.labels
BK_SUBTOTALS = set(BALANSKRAVSUTREDNING.subtotals)

BR = BALANSRAKNING.labels
BR_SUBTOTALS = set(BALANSRAKNING.subtotals)

MAL = GOAL_LABELS
# Goals whose value is a ratio (shown as percent); the others are amounts in mnkr.
MAL_RATIO = set(GOAL_RATIO)

INVESTERINGAR = INVESTMENT_LABELS

# The three parts of the skatteintäkter (result variable ``skatteintakter_delar``), as RKR R2 names them.
SKATTEPOSTER = {
    "preliminar_skatt": "Preliminär skatteinbetalning",
    "slutavrakning": "Prognos för årets slutavräkning",
    "korrigering_slutavrakning": "Korrigering av föregående års slutavräkning",
}
