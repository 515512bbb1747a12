"""The balansräkning, likviditet, placeringar and borrowing (docs/modell.md, "Balansräkningen").

The base year is the plan's balansbudget: its unmodelled posts are inputs and kassa och bank
is what balances it. Later years roll forward: anläggningstillgångar + investeringar −
avskrivningar, placeringar + insättning, kassa from the kassaflöde; below the minimum cash the
region first draws on its placeringar, then borrows.
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.investeringar import Investeringar
from flerarsprognos.model.statements import BALANCE_HELD_POSTS, BALANCE_INPUT_POSTS, BALANSRAKNING, BR_POSTS

_FORMULAS = BALANSRAKNING.formulas


class Balansrakning:
    """The balance sheet of every scenario, filled one year at a time.

    What the year loop fills is stored year-major ((year, scenario), seen through a transposed
    (scenario, year) view): each write is contiguous. The posts go straight into ``block``
    (post, year, scenario), so the result needs no copy to stack them.
    """

    def __init__(self, p: Inputs, investeringar: Investeringar, avskrivningar, pension: dict):
        S, Y = p.shape
        self.S = S
        self.block = np.empty((len(BR_POSTS), Y, S))
        self.post = {k: self.block[j].T for j, k in enumerate(BR_POSTS)}
        self.laneskuld = np.empty((Y, S)).T
        self.nyupplaning = np.zeros((Y, S)).T
        self.placeringar_uttag = np.zeros((Y, S)).T
        self.fund_return = np.zeros((Y, S)).T  # the placeringar's return, set by the engine's loop
        self.uttag_andel = p.path("placeringar_uttag_andel")
        self.inv = investeringar
        self.avskrivningar = avskrivningar
        self.insattning = pension["pensionsmedel_insattning"]
        self.avsattning = pension["pensionsavsattning"]
        self.balance_in = {post: p.scalar(f"balans_{post}") for post in BALANCE_INPUT_POSTS}
        self.kassa_min = p.path("kassa_minimum")
        self.lan_prev = p.scalar("laneskuld_ingaende").copy()
        self.nyupplaning_basar = p.scalar("nyupplaning_basar")
        self.avs_prev = p.scalar("pensionsavsattning_ingaende") * (1 + p.scalar("loneskatt"))

    def year(self, i: int, *, arets_resultat, eget_kapital, rur, resultatreserv) -> None:
        """Year i's balance sheet, after its result and reserves are known."""
        br = self.post
        if i == 0:
            for post in BALANCE_INPUT_POSTS:
                br[post][:, 0] = self.balance_in[post]
            # the balansbudget's new borrowing in the base year (in its långfristiga skulder)
            self.nyupplaning[:, 0] = self.nyupplaning_basar
            self.laneskuld[:, 0] = self.lan_prev + self.nyupplaning_basar
        else:
            self._roll_forward(i, arets_resultat)
        br["eget_kapital_darav_arets_resultat"][:, i] = arets_resultat
        br["eget_kapital_darav_resultatutjamningsreserv"][:, i] = rur
        br["eget_kapital_darav_resultatreserv"][:, i] = resultatreserv
        br["summa_eget_kapital"][:, i] = eget_kapital
        br["eget_kapital_darav_ovrigt"][:, i] = eget_kapital - arets_resultat - rur - resultatreserv
        br["avsattningar_for_pensioner"][:, i] = self.avsattning[:, i]
        self._sum(i, "summa_avsattningar")
        self._sum(i, "summa_skulder")
        self._sum(i, "summa_skulder_och_eget_kapital")
        self._sum(i, "summa_anlaggningstillgangar", start=0)
        if i == 0:  # the base year's kassa balances the balansbudget
            br["kassa_och_bank"][:, 0] = (br["summa_skulder_och_eget_kapital"][:, 0] - br["summa_anlaggningstillgangar"][:, 0]
                                          - br["forrad"][:, 0] - br["kortfristiga_fordringar"][:, 0]
                                          - br["kortfristiga_placeringar"][:, 0])
        self._sum(i, "summa_omsattningstillgangar", start=0)
        self._sum(i, "summa_tillgangar")
        self.lan_prev, self.avs_prev = self.laneskuld[:, i], self.avsattning[:, i]

    def _sum(self, i: int, total: str, *, start=None) -> None:
        """A subtotal by the catalogue's formula. ``start=0`` adds as Python's sum() does
        (0 + a + b …, which turns a −0 into 0): kept where the figures were always summed so."""
        terms = [self.post[k][:, i] for k in _FORMULAS[total]]
        acc = terms[0] if start is None else start + terms[0]
        for t in terms[1:]:
            acc = acc + t
        self.post[total][:, i] = acc

    def _roll_forward(self, i: int, arets_resultat) -> None:
        br, S = self.post, self.S
        for post in BALANCE_HELD_POSTS:
            br[post][:, i] = br[post][:, i - 1]
        # Avskrivningar fall on the posts in proportion to their book values.
        avskr = self.avskrivningar[:, i]
        land, mach = br["mark_och_byggnader"][:, i - 1], br["maskiner_och_inventarier"][:, i - 1]
        share_land = np.divide(land, land + mach, out=np.full(S, 0.5), where=(land + mach) != 0)
        inv_land = self.inv.on_post("mark_och_byggnader", i)
        inv_mach = self.inv.total[:, i] - inv_land
        br["mark_och_byggnader"][:, i] = land + inv_land - avskr * share_land
        br["maskiner_och_inventarier"][:, i] = mach + inv_mach - avskr * (1 - share_land)
        placeringar = br["kortfristiga_placeringar"][:, i - 1] + self.insattning[:, i]
        kassa = (br["kassa_och_bank"][:, i - 1] + arets_resultat + avskr
                 + (self.avsattning[:, i] - self.avs_prev) - self.inv.total[:, i] - self.insattning[:, i])
        if self.fund_return[:, i].any():  # the return stays in the fund, not in the cash
            placeringar = placeringar + self.fund_return[:, i]
            kassa = kassa - self.fund_return[:, i]
        # Below the minimum cash the region first draws on the share of its placeringar the
        # financing policy allows (placeringar_uttag_andel), then borrows.
        shortfall = np.maximum(self.kassa_min[:, i] - kassa, 0.0)
        drawable = np.maximum(placeringar, 0.0)
        if not (self.uttag_andel[:, i] == 1.0).all():
            drawable = drawable * self.uttag_andel[:, i]
        self.placeringar_uttag[:, i] = np.minimum(shortfall, drawable)
        self.nyupplaning[:, i] = shortfall - self.placeringar_uttag[:, i]
        self.laneskuld[:, i] = self.lan_prev + self.nyupplaning[:, i]
        br["kortfristiga_placeringar"][:, i] = placeringar - self.placeringar_uttag[:, i]
        br["kassa_och_bank"][:, i] = kassa + shortfall
        br["langfristiga_skulder"][:, i] = br["langfristiga_skulder"][:, i - 1] + self.nyupplaning[:, i]
