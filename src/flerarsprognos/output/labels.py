"""Swedish labels for the line ids, as they read in the budget documents."""

RR = {
    "verksamhetens_intakter": "Verksamhetens intäkter",
    "verksamhetens_kostnader": "Verksamhetens kostnader",
    "avskrivningar": "Avskrivningar",
    "verksamhetens_nettokostnader": "Verksamhetens nettokostnader",
    "skatteintakter": "Skatteintäkter",
    "generella_statsbidrag_och_utjamning": "Generella statsbidrag och utjämning",
    "verksamhetens_resultat": "Verksamhetens resultat",
    "finansiella_intakter": "Finansiella intäkter",
    "finansiella_kostnader": "Finansiella kostnader",
    "arets_resultat": "Årets resultat",
}
RR_SUBTOTALS = {"verksamhetens_nettokostnader", "verksamhetens_resultat", "arets_resultat"}

# Amounts carry their sign (a reservation is negative, a use positive), so the labels do not
# repeat the (−)/(+) of the printed form.
BK = {
    "arets_resultat_enligt_resultatrakningen": "Årets resultat enligt resultaträkningen",
    "reducering_av_samtliga_realisationsvinster": "Reducering av samtliga realisationsvinster",
    "justering_realisationsvinst_enligt_undantagsmojlighet": "Justering för realisationsvinst enl. undantagsmöjlighet",
    "justering_realisationsforlust_enligt_undantagsmojlighet": "Justering för realisationsförlust enl. undantagsmöjlighet",
    "orealiserade_vinster_och_forluster_i_vardepapper": "Orealiserade vinster och förluster i värdepapper",
    "aterforing_av_orealiserade_vinster_och_forluster_i_vardepapper": "Återföring av orealiserade vinster och förluster",
    "arets_resultat_efter_balanskravsjusteringar": "Årets resultat efter balanskravsjusteringar",
    "reservering_till_resultatutjamningsreserv": "Reservering till resultatutjämningsreserv/resultatreserv",
    "anvandning_av_resultatutjamningsreserv": "Användning av resultatutjämningsreserv/resultatreserv",
    "arets_balanskravsresultat": "Årets balanskravsresultat",
    "balanskravsunderskott_fran_tidigare_ar": "Balanskravsunderskott från tidigare år",
    "balanskravsresultat": "Balanskravsresultat",
    "rur_ingaende": "Resultatutjämningsreserv, ingående",
    "rur_utgaende": "Resultatutjämningsreserv, utgående",
    "resultatreserv_ingaende": "Resultatreserv, ingående",
    "resultatreserv_utgaende": "Resultatreserv, utgående",
    "oreglerat_underskott": "Ej återställt balanskravsunderskott",
    "underskott_for_sent_aterstallt": "därav ej återställt inom tre år",
}
BK_SUBTOTALS = {"arets_resultat_efter_balanskravsjusteringar", "arets_balanskravsresultat", "balanskravsresultat"}

BR = {
    "immateriella_anlaggningstillgangar": "Immateriella anläggningstillgångar",
    "mark_och_byggnader": "Mark och byggnader",
    "maskiner_och_inventarier": "Maskiner och inventarier",
    "aktier_andelar_och_bostadsratter": "Aktier, andelar och bostadsrätter",
    "langfristiga_fordringar": "Långfristiga fordringar",
    "summa_anlaggningstillgangar": "Summa anläggningstillgångar",
    "forrad": "Förråd",
    "kortfristiga_fordringar": "Kortfristiga fordringar",
    "kortfristiga_placeringar": "Kortfristiga placeringar",
    "kassa_och_bank": "Kassa och bank",
    "summa_omsattningstillgangar": "Summa omsättningstillgångar",
    "summa_tillgangar": "SUMMA TILLGÅNGAR",
    "eget_kapital_darav_arets_resultat": "därav årets resultat",
    "eget_kapital_darav_resultatutjamningsreserv": "därav resultatutjämningsreserv",
    "eget_kapital_darav_resultatreserv": "därav resultatreserv",
    "eget_kapital_darav_ovrigt": "därav övrigt eget kapital",
    "summa_eget_kapital": "Summa eget kapital",
    "avsattningar_for_pensioner": "Avsättningar för pensioner",
    "ovriga_avsattningar": "Övriga avsättningar",
    "summa_avsattningar": "Summa avsättningar",
    "langfristiga_skulder": "Långfristiga skulder",
    "kortfristiga_skulder": "Kortfristiga skulder",
    "kortfristig_upplaning": "Kortfristig upplåning",
    "summa_skulder": "Summa skulder",
    "summa_skulder_och_eget_kapital": "SUMMA SKULDER OCH EGET KAPITAL",
}
BR_SUBTOTALS = {k for k in BR if k.startswith("summa")}

MAL = {
    "nettokostnadsandel": "Nettokostnadsandel (högst)",
    "resultatmal": "Årets resultat, andel av skatter och bidrag (minst)",
    "balanskrav": "Balanskravet (balanskravsresultat ≥ 0)",
    "soliditet": "Soliditet (ökande)",
    "soliditet_inkl_ansvarsforbindelse": "Soliditet inkl. ansvarsförbindelse (minst)",
    "sjalvfinansieringsgrad": "Självfinansieringsgrad av investeringar (minst)",
}
# Goals whose value is a ratio (shown as percent); the others are amounts in mnkr.
MAL_RATIO = {"nettokostnadsandel", "resultatmal", "soliditet", "soliditet_inkl_ansvarsforbindelse",
             "sjalvfinansieringsgrad"}

INVESTERINGAR = {
    "aterinvesteringar": "Återinvesteringar",
    "prioriterade_ej_fardigstallda_nyinvesteringar": "Prioriterade ej färdigställda nyinvesteringar",
    "nyinvesteringar": "Nyinvesteringar",
    "atgarder_bevara_fastigheternas_varde": "Åtgärder för att bevara fastigheternas värde",
    "nya_csk": "Nya CSK",
}
