"""Write the notebooks in ``notebooks/`` from the cell texts below, without outputs.

The notebooks are generated, not edited by hand, so that a review reads plain
Python and Markdown here and the stored ``.ipynb`` files never carry outputs
or execution counts. Cell ids are fixed (``<notebook>-<nn>``): the same texts
give the same bytes. ``tests/test_notebooks.py`` checks that the stored files
match this script and runs every notebook from top to bottom.

Every notebook runs from the ``notebooks/`` folder (as Jupyter, nbmake and the
test start it) on the shipped examples; every number in it comes from the
library's data or is a user input marked ``# brukerinput``.

Run from the repository root::

    python notebooks/build_notebooks.py           # write the notebooks
    python notebooks/build_notebooks.py --check   # exit 1 if a stored notebook differs
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

__all__ = ["NOTEBOOKS", "notebook", "render", "build", "stale", "main"]


def md(text: str) -> tuple[str, str]:
    """A Markdown cell."""
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str) -> tuple[str, str]:
    """A code cell."""
    return ("code", textwrap.dedent(text).strip("\n"))


def setup(messages: str) -> tuple[str, str]:
    """First code cell: imports (``messages``: names from klimafotavtrykk.messages), number
    format in bokmål, where the examples are."""
    return code(_SETUP.replace("MESSAGES", messages))


_SETUP = '''
    from pathlib import Path

    import pandas as pd
    from IPython.display import Markdown, display

    import klimafotavtrykk as kf
    from klimafotavtrykk.messages import MESSAGES

    # tall som en bokmålsleser skriver dem: 1 234 567 og 6,36 (hele tall og store tall uten desimaler)
    pd.set_option("display.float_format",
                  lambda v: format_number(v, "nb", 0 if abs(v) >= 100 or float(v).is_integer() else 2))
    pd.set_option("display.max_colwidth", 70)
    pd.set_option("display.max_rows", 80)

    # notatboken kjøres fra mappen notebooks/ (Jupyter, nbmake); eksemplene ligger i examples/
    EKSEMPLER = Path("..", "examples") if Path("..", "examples").is_dir() else Path("examples")
'''


# ============================================================================ 01

HURTIGSTART = [
    md('''
        # 01 Hurtigstart: klimafotavtrykket til en skole, rett fra mengdebeskrivelsen

        Denne notatboken går hele veien fra en mengdebeskrivelse i Excel til et klimagassregnskap:

        1. lese mengdebeskrivelsen med `kf.read_boq`,
        2. beregne etter TEK17 § 17-1 med bruttoareal (BTA) med `kf.calculate`,
        3. se utslippene per livsløpsmodul, per bygningsdel og per m² BTA og år,
        4. se hvilke linjer som ikke ble beregnet, og hvorfor,
        5. tegne resultatet: stablede søyler per modul og linjene som veier mest (Pareto).

        Eksempelet er `examples/skole.xlsx`: en oppdiktet barneskole på om lag 2 400 m² BTA med
        bæresystem i betong, stål og tre. Mengdene er anslag laget for demonstrasjon, ikke fra et
        reelt prosjekt.
    '''),
    setup("column_label, format_number, module_label, reason_text"),
    md('''
        ## 1 Les mengdebeskrivelsen

        `kf.read_boq` finner overskriftsraden selv, oversetter norske kolonnenavn til bibliotekets
        navn og tar vare på hvor hver linje kom fra (fil, ark og celle). Formler i regnearket blir
        ikke regnet ut; verdiene leses slik de er lagret.
    '''),
    code('''
        linjer, meta = kf.read_boq(EKSEMPLER / "skole.xlsx")

        display(Markdown(
            f"Leste **{len(linjer)} linjer** fra arket *{meta.sheet}* i `{meta.file}` "
            f"(overskrifter på rad {meta.header_row})."
        ))
        if meta.warnings:
            display(Markdown("Merknader fra innlesingen:\\n\\n" + "\\n".join(f"- `{w}`" for w in meta.warnings)))
        visning = ["source_ref", "post_number", "item_code", "description", "quantity", "unit", "building_part"]
        linjer[visning].head(8).rename(columns=column_label)
    '''),
    md('''
        ## 2 Beregn etter TEK17

        Profilen `tek17` følger TEK17 § 17-1: analyseperiode 50 år, modulene A1–A3, A4, A5 (bare
        avfall på byggeplassen), B2 og B4, og bygningsdelene 215, 216 og 22–26. Generiske
        utslippsfaktorer får profilens påslag. Bruttoarealet er en opplysning fra prosjektet, her
        hentet fra tittelfeltet i mengdebeskrivelsen; det brukes bare til å regne om til
        kg CO₂e per m² BTA.
    '''),
    code('''
        BTA_M2 = 2400  # brukerinput: bruttoareal [m²] fra tittelfeltet i skole.xlsx

        resultat = kf.calculate(linjer, profile="tek17", bta_m2=BTA_M2)

        profil = resultat.profile
        periode = profil.reference_study_period
        display(Markdown(
            f"**{profil.title_nb}**: analyseperiode {format_number(periode)} år, "
            f"moduler {', '.join(profil.modules)}, bygningsdeler {', '.join(profil.building_parts)}, "
            f"påslag på generiske data {format_number(100 * profil.generic_markup)} %."
        ))
    '''),
    md('''
        ## 3 Utslipp per livsløpsmodul og bygningsdel

        Tabellen viser modulene profilen tar med. Modul D (nytte og belastning utenfor
        systemgrensen) rapporteres alltid ved siden av totalen, aldri i den.
    '''),
    code('''
        moduler = list(profil.modules)
        per_modul = pd.DataFrame(
            {
                "Fase": [module_label(m) for m in moduler],
                "kg CO₂e": resultat.by_module.reindex(moduler).to_numpy(),
            },
            index=pd.Index(moduler, name="Modul"),
        )
        per_modul["Andel [%]"] = 100 * per_modul["kg CO₂e"] / resultat.total
        per_modul
    '''),
    code('''
        display(Markdown(
            f"Totalt **{format_number(resultat.total / 1000)} tonn CO₂e** over {format_number(periode)} år, "
            f"det vil si **{format_number(resultat.per_m2_year, 'nb', 2)} kg CO₂e per m² BTA per år** "
            f"({format_number(resultat.total / BTA_M2)} kg CO₂e/m² BTA over hele perioden). "
            f"Modul D, utenfor totalen: {format_number(resultat.d)} kg CO₂e."
        ))
        per_del = resultat.by_building_part[moduler].copy()
        per_del["Sum uten D"] = per_del.sum(axis=1)
        per_del
    '''),
    md('''
        ## 4 Linjer som ikke ble beregnet, og hvorfor

        Ingen linje forsvinner i stillhet: hver linje er enten beregnet (`resultat.lines`) eller står
        i `resultat.unmatched` med en årsak. Linjer utenfor TEK17-omfanget (rigg, grunnarbeid,
        tekniske anlegg, utomhus) er ikke et problem. Linjer *innenfor* omfanget som ikke ble
        beregnet, gjør derimot totalen for lav: de mangler en utslippsfaktor, en mengde, eller en
        enhet som kan regnes om (for eksempel m² av et produkt som bare har en densitet, uten
        tykkelse). De bør rettes i mengdebeskrivelsen eller få en egen faktor.
    '''),
    code('''
        ikke_beregnet = resultat.unmatched.assign(årsak=resultat.unmatched["reason"].map(reason_text))
        utenfor = ikke_beregnet["reason"] == "out_of_scope"

        display(Markdown(
            f"**{len(resultat.lines)}** av {len(linjer)} linjer er beregnet. "
            f"{int(utenfor.sum())} linjer er utenfor profilens omfang, og "
            f"**{int((~utenfor).sum())} linjer innenfor omfanget er ikke beregnet**:"
        ))
        ikke_beregnet[~utenfor].groupby("årsak").size().rename("Antall linjer").sort_values(ascending=False).to_frame()
    '''),
    code('''
        ikke_beregnet.loc[~utenfor, ["source_ref", "building_part", "description", "quantity", "unit", "årsak"]].rename(
            columns=column_label
        )
    '''),
    md('''
        ## 5 Figurer

        Alle figurene kommer fra `kf.plot`, har norske tekster og gir tilbake matplotlib-aksene, så
        de kan lagres med `ax.figure.savefig("figur.png")`. Først utslippene per modul, i
        kg CO₂e per m² BTA og år, og fordelt på bygningsdeler:
    '''),
    code('''
        ax = kf.plot.modules_by_alternative({"Eksempelskolen": resultat}, per_m2_year=True)
    '''),
    code('''
        ax = kf.plot.parts_by_module(resultat)
    '''),
    md('''
        Pareto-figuren viser linjene som driver fotavtrykket, fra den største og nedover, og den
        kumulative andelen av totalen. Resten av linjene er summert i den siste søylen. Det er
        her det lønner seg å lete etter tiltak først.
    '''),
    code('''
        TOPP = 15  # brukerinput: antall linjer som vises hver for seg

        ax = kf.plot.pareto(resultat, top=TOPP)
    '''),
    code('''
        største = resultat.lines.nlargest(TOPP, "kg_co2e")
        display(Markdown(
            f"De {TOPP} største av {len(resultat.lines)} beregnede linjer står for "
            f"**{format_number(100 * største['kg_co2e'].sum() / resultat.lines['kg_co2e'].sum())} %** "
            f"av utslippene fra linjene. Den største er «{største['description'].iloc[0]}» "
            f"({format_number(største['kg_co2e'].iloc[0])} kg CO₂e)."
        ))
    '''),
    md('''
        ## Videre

        - På kommandolinjen gir `klimafotavtrykk beregn examples/skole.xlsx --bta 2400 -o rapport.xlsx`
          samme resultat som en Excel-rapport med alle linjer, faktorkilder og opprinnelse.
        - Notatbok 02 sammenligner alternativer for bæresystem, yttervegger og dekker, 03 setter en
          utslippsramme, 04 evaluerer tilbud og 05 regner et anleggsprosjekt (veg med VA-ledninger).
    '''),
]


# ============================================================================ 02

#: Substitutions shared by notebooks 02 and 03: measure -> (new factor, current factor, NS 3451 part).
TILTAK = code('''
    # Tiltak: (ny faktor, faktoren linjen har nå, bygningsdel NS 3451). Faktor-ID-ene er rader i
    # data/emission_factors/materials.csv, hver med kilde; ingen utslippstall skrives inn her.
    TILTAK = {
        "Limtre (22)": [
            ("glulam", "concrete_c45_55", "22"),  # plasstøpte betongsøyler
            ("glulam", "precast_column", "22"),   # prefabrikkerte søyler
            ("glulam", "precast_beam", "22"),     # prefabrikkerte bjelker
        ],
        "Skrapstål (22, 25)": [
            ("steel_structural_scrap", "steel_structural", "22"),
            ("steel_structural_scrap", "steel_structural", "25"),
        ],
        "Vinduer og isolasjon (23)": [
            ("window_wood", "window_wood_aluminium", "23"),
            ("glass_wool_facade", "stone_wool_facade", "23"),
        ],
        "Lavkarbonbetong (25)": [
            ("concrete_lowcarbon_b_b30", "concrete_c30_37", "25"),
        ],
    }


    def lag_alternativ(linjer, bytter):
        """Ny linjetabell med byttene gjort etter tur; originalen står urørt."""
        for ny, nå, bygningsdel in bytter:
            linjer = kf.substitute(linjer, ny, factor=nå, building_part=bygningsdel)
        return linjer


    alternativer = {"Referanse": linjer}
    for navn, bytter in TILTAK.items():
        alternativer[navn] = lag_alternativ(linjer, bytter)
    alternativer["Kombinert"] = lag_alternativ(linjer, [b for bytter in TILTAK.values() for b in bytter])
''')

ALTERNATIVER = [
    md('''
        # 02 Alternativer for bæresystem, yttervegger og dekker

        DFØs kriterium for «utvalgte bygningsdeler» ber om klimagassberegninger av alternativer for
        bæresystemet (NS 3451 bygningsdel 22), yttervegger (23) og dekker (25), og om en
        redegjørelse for hvordan beregningene har påvirket valgene.

        Her lager vi slike alternativer for eksempelskolen uten å redigere regnearket:
        `kf.substitute` bytter utslippsfaktoren på de linjene som passer et utvalg (bygningsdel,
        nåværende faktor, NS 3420-kode eller tekst) og gir en ny tabell, mens originalen står
        urørt. `kf.compare` sammenligner alternativene modul for modul og bygningsdel for
        bygningsdel, med forskjellen mot referansen i kg CO₂e og prosent.
    '''),
    setup("column_label, format_number, reason_text"),
    code('''
        BTA_M2 = 2400  # brukerinput: bruttoareal [m²] fra tittelfeltet i skole.xlsx
        DELER = ["22", "23", "25"]  # bæresystem, yttervegger, dekker

        linjer, _ = kf.read_boq(EKSEMPLER / "skole.xlsx")
        referanse = kf.calculate(linjer, profile="tek17", bta_m2=BTA_M2)
        moduler = list(referanse.profile.modules)

        utvalgte = referanse.by_building_part.loc[DELER, moduler]
        utvalgte["Sum uten D"] = utvalgte.sum(axis=1)
        display(Markdown(
            f"Referansen er skolen slik mengdebeskrivelsen beskriver den: "
            f"{format_number(referanse.total / 1000)} tonn CO₂e, "
            f"{format_number(referanse.per_m2_year, 'nb', 2)} kg CO₂e/m² BTA per år. "
            f"Bygningsdel 22, 23 og 25 står for "
            f"{format_number(100 * utvalgte['Sum uten D'].sum() / referanse.total)} % av totalen:"
        ))
        utvalgte
    '''),
    md('''
        Et alternativ kan bare endre linjer som faktisk er beregnet. Disse linjene i bygningsdel 22,
        23 og 25 er ikke med i referansen, og derfor heller ikke i sammenligningen:
    '''),
    code('''
        mangler = referanse.unmatched[referanse.unmatched["building_part"].astype(str).str[:2].isin(DELER)]
        mangler.assign(årsak=mangler["reason"].map(reason_text))[
            ["building_part", "description", "quantity", "unit", "årsak"]
        ].rename(columns=column_label)
    '''),
    md('''
        ## Alternativene

        | Alternativ | Bygningsdel | Tiltak |
        |---|---|---|
        | Limtre (22) | 22 | søyler og bjelker i betong (plasstøpt og prefabrikkert) byttes med limtre, **med samme volum** |
        | Skrapstål (22, 25) | 22, 25 | konstruksjonsstål byttes med stål fra 100 % skrap (lysbueovn); et krav til stålleveransen, ikke en ny konstruksjon |
        | Vinduer og isolasjon (23) | 23 | vinduer i tre/aluminium byttes med trevinduer, fasadeisolasjon av steinull med glassull |
        | Lavkarbonbetong (25) | 25 | plasstøpt B30 byttes med lavkarbonbetong klasse B |
        | Kombinert | 22, 23, 25 | alle tiltakene over |

        Hvert tiltak er en liste av bytter fra én faktor til en annen innenfor én bygningsdel:
    '''),
    TILTAK,
    md('''
        Faktorene som byttes, slik de står i bibliotekets data (A1–A3 per deklarert enhet, før
        profilens påslag på generiske data):
    '''),
    code('''
        faktorer = kf.load_factors().frame
        brukt = list(dict.fromkeys(f for bytter in TILTAK.values() for b in bytter for f in b[:2]))
        faktorer.loc[brukt, ["name_nb", "declared_unit", "A1-A3", "density_kg_m3", "source_id"]].rename(
            columns={"name_nb": "Navn", "declared_unit": "Deklarert enhet", "A1-A3": "A1–A3 [kg CO₂e]",
                     "density_kg_m3": "Densitet [kg/m³]", "source_id": "Kilde"}
        )
    '''),
    md('''
        ## Beregn og sammenlign

        Alle alternativene beregnes med samme profil og BTA. Tabellen viser hvilke linjer som fikk
        ny faktor i det kombinerte alternativet, og hva det betyr for hver linje.
    '''),
    code('''
        resultater = {navn: kf.calculate(tabell, profile="tek17", bta_m2=BTA_M2)
                      for navn, tabell in alternativer.items()}
        sammenligning = kf.compare(resultater, reference="Referanse")


        def endrede_linjer(før, etter):
            """Linjene som har fått en annen faktor, med utslipp før og etter [kg CO₂e]."""
            a = før.lines.set_index("row_id")
            b = etter.lines.set_index("row_id").reindex(a.index)
            endret = a["factor_id"] != b["factor_id"]
            return pd.DataFrame({
                "Bygningsdel": a.loc[endret, "building_part"],
                "Beskrivelse": a.loc[endret, "description"],
                "Mengde": a.loc[endret, "quantity"],
                "Enhet": a.loc[endret, "unit"],
                "Fra faktor": a.loc[endret, "factor_id"],
                "Til faktor": b.loc[endret, "factor_id"],
                "Før [kg CO₂e]": a.loc[endret, "kg_co2e"],
                "Etter [kg CO₂e]": b.loc[endret, "kg_co2e"],
            })


        endrede_linjer(resultater["Referanse"], resultater["Kombinert"])
    '''),
    md('''
        Forskjellen mot referansen for hele bygget (uten modul D), i kg CO₂e og prosent:
    '''),
    code('''
        i_total = sammenligning[sammenligning["in_total"]]
        totaler = i_total.groupby("alternative", sort=False)[
            ["kg_co2e", "difference_kg_co2e", "kg_co2e_per_m2_year"]
        ].sum()
        totaler["Endring [%]"] = 100 * totaler["difference_kg_co2e"] / totaler.loc["Referanse", "kg_co2e"]
        totaler.rename_axis("Alternativ").rename(columns={
            "kg_co2e": "Sum [kg CO₂e]",
            "difference_kg_co2e": "Endring [kg CO₂e]",
            "kg_co2e_per_m2_year": "kg CO₂e/m² BTA per år",
        })
    '''),
    md('''
        Og per bygningsdel: endringen i kg CO₂e, og i prosent av referansens utslipp i samme
        bygningsdel.
    '''),
    code('''
        deler = i_total[i_total["building_part"].isin(DELER)]
        endring = deler.pivot_table(index="alternative", columns="building_part", values="difference_kg_co2e",
                                    aggfunc="sum", sort=False)
        grunnlag = deler.pivot_table(index="alternative", columns="building_part", values="reference_kg_co2e",
                                     aggfunc="sum", sort=False)
        pd.concat({"Endring [kg CO₂e]": endring, "Endring [%]": 100 * endring / grunnlag}, axis=1).rename_axis(
            index="Alternativ", columns=["", "Bygningsdel"]
        )
    '''),
    md('''
        ## Figurer

        Stablede søyler per modul for hvert alternativ, i kg CO₂e per m² BTA og år:
    '''),
    code('''
        ax = kf.plot.modules_by_alternative(sammenligning, per_m2_year=True)
    '''),
    md('''
        Vannfallet går fra referansen til det kombinerte alternativet, ett trinn per bygningsdel:
    '''),
    code('''
        ax = kf.plot.waterfall(sammenligning, "Referanse", "Kombinert", by="building_part")
    '''),
    md('''
        ## Et forbehold om limtre

        Byttet fra betong til limtre er gjort med samme volum. En limtresøyle eller -bjelke trenger
        som regel større tverrsnitt enn betong for samme last, så tallet er et grovt anslag før
        dimensjonering. Beregningen kan likevel si hvor mye mer volum limtreet kan ha før
        alternativet slutter å lønne seg:
    '''),
    code('''
        tre = endrede_linjer(resultater["Referanse"], resultater["Limtre (22)"])
        brekkpunkt = tre["Før [kg CO₂e]"].sum() / tre["Etter [kg CO₂e]"].sum()
        display(Markdown(
            f"Betongen som byttes ut, gir {format_number(tre['Før [kg CO₂e]'].sum())} kg CO₂e; "
            f"samme volum limtre gir {format_number(tre['Etter [kg CO₂e]'].sum())} kg CO₂e. "
            f"Limtrealternativet gir lavere utslipp så lenge limtrevolumet er under "
            f"**{format_number(brekkpunkt, 'nb', 1)} ganger** betongvolumet det erstatter."
        ))
    '''),
    md('''
        ## Hvordan resultatet styrer valget
    '''),
    code('''
        tiltak = totaler.drop(index=["Referanse", "Kombinert"]).sort_values("difference_kg_co2e")


        def effekt(navn):
            rad = totaler.loc[navn]
            retning = "reduksjon" if rad["difference_kg_co2e"] < 0 else "økning"
            return (f"*{navn}* ({retning} {format_number(abs(rad['difference_kg_co2e']) / 1000, 'nb', 1)} tonn, "
                    f"{format_number(rad['Endring [%]'], 'nb', 1)} %)")


        kombinert = totaler.loc["Kombinert"]
        display(Markdown(
            "Rangert etter effekt: " + "; ".join(effekt(n) for n in tiltak.index) + ". "
            f"Alle tiltakene sammen gir {format_number(kombinert['Endring [%]'], 'nb', 1)} % "
            f"({format_number(kombinert['kg_co2e_per_m2_year'], 'nb', 2)} mot "
            f"{format_number(totaler.loc['Referanse', 'kg_co2e_per_m2_year'], 'nb', 2)} kg CO₂e/m² BTA per år). "
            f"For dette bygget bør prosjekteringen derfor først se på *{tiltak.index[0]}* og "
            f"*{tiltak.index[1]}*, som gir mest per tiltak."
        ))
    '''),
    md('''
        Slik kan beregningen brukes i redegjørelsen DFØ-kriteriet ber om:

        - Legg ved tabellene over (endrede linjer, endring per alternativ og per bygningsdel) og
          figurene, med analyseperiode, profil og datagrunnlag.
        - Skriv hvilke alternativer som ble valgt, og hvorfor de andre ble valgt bort: klimaeffekten
          står her, men kostnad, brann, akustikk, fukt og leveranse må veies inn av
          prosjekteringsgruppen.
        - Beregningen bruker generiske data med påslag. Når produktene er valgt, gir EPD-er for de
          faktiske produktene et sikrere tall (egen faktortabell med `kf.calculate(..., factors=...)`).
        - Linjene som ikke er beregnet (tabellen øverst), er ikke med i noe alternativ.
    '''),
]


# ============================================================================ 03

UTSLIPPSRAMME = [
    md('''
        # 03 Utslippsramme fra en referanseoppbygging

        Før konkurransen må kommunen sette en realistisk utslippsramme, i kg CO₂e per m² BTA, som
        tilbudene skal holde seg innenfor. Rammen bør være krevende, men mulig å nå med kjente
        tiltak. Her setter vi den ut fra beregninger av eksempelskolen:

        - **referansen**: skolen slik mengdebeskrivelsen beskriver den,
        - **lavutslippsalternativet**: de fire tiltakene fra notatbok 02 sammen,
        - **rammen** = lavutslippsalternativet pluss en oppgitt margin for usikkerheten i
          mengdene i tidligfasen, rundet opp.

        Marginen og avrundingen er kommunens valg og står som brukerinput nedenfor.
    '''),
    setup("format_number"),
    code('''
        BTA_M2 = 2400  # brukerinput: bruttoareal [m²] fra tittelfeltet i skole.xlsx
        MARGIN = 0.10  # brukerinput: margin over lavutslippsalternativet for usikre mengder [-]
        AVRUNDING = 5  # brukerinput: rammen rundes opp til nærmeste 5 kg CO₂e/m² BTA

        linjer, _ = kf.read_boq(EKSEMPLER / "skole.xlsx")
    '''),
    md('''
        ## Alternativene

        Samme tiltak som i notatbok 02: hvert er en liste av bytter fra én faktor til en annen
        innenfor én bygningsdel.
    '''),
    TILTAK,
    code('''
        resultater = {navn: kf.calculate(tabell, profile="tek17", bta_m2=BTA_M2)
                      for navn, tabell in alternativer.items()}
        periode = resultater["Referanse"].profile.reference_study_period

        # kg CO₂e per m² BTA over hele analyseperioden, og per år
        intensitet = pd.DataFrame({
            "kg CO₂e/m² BTA": {navn: r.total / BTA_M2 for navn, r in resultater.items()},
            "kg CO₂e/m² BTA per år": {navn: r.per_m2_year for navn, r in resultater.items()},
        }).rename_axis("Alternativ")
        intensitet
    '''),
    md('''
        ## Rammen

        Rammen settes over hele analyseperioden (kg CO₂e/m² BTA over 50 år), samme grunnlag som
        konkurransefila i notatbok 04 bruker (`frame_period = "study_period"`).
    '''),
    code('''
        import math

        lavutslipp = intensitet.loc["Kombinert", "kg CO₂e/m² BTA"]
        RAMME = math.ceil(lavutslipp * (1 + MARGIN) / AVRUNDING) * AVRUNDING
        referanse = intensitet.loc["Referanse", "kg CO₂e/m² BTA"]

        display(Markdown(
            f"Lavutslippsalternativet gir {format_number(lavutslipp, 'nb', 1)} kg CO₂e/m² BTA. "
            f"Med {format_number(100 * MARGIN)} % margin og avrundet opp blir rammen "
            f"**{format_number(RAMME)} kg CO₂e/m² BTA over {format_number(periode)} år** "
            f"({format_number(RAMME / periode, 'nb', 2)} kg CO₂e/m² BTA per år). "
            f"Referansen ligger {format_number(referanse - RAMME, 'nb', 1)} kg CO₂e/m² "
            f"{'over' if referanse > RAMME else 'under'} rammen."
        ))
    '''),
    code('''
        ax = kf.plot.emission_frame(intensitet["kg CO₂e/m² BTA"], RAMME, per_year=False)
    '''),
    code('''
        (intensitet["kg CO₂e/m² BTA"] - RAMME).rename("Over (+) eller under (−) rammen [kg CO₂e/m² BTA]").to_frame()
    '''),
    md('''
        ## Forutsetninger

        En ramme er bare meningsfull sammen med reglene den er regnet etter. Disse forutsetningene
        må stå i konkurransegrunnlaget, og tilbudene må regnes etter de samme:
    '''),
    code('''
        ref = resultater["Referanse"]
        profil = ref.profile
        innenfor = ref.unmatched[ref.unmatched["reason"] != "out_of_scope"]
        display(Markdown("\\n".join([
            f"- Metode og omfang: **{profil.title_nb}** (profil `{profil.name}`), moduler "
            f"{', '.join(profil.modules)}, bygningsdeler {', '.join(profil.building_parts)}.",
            f"- Analyseperiode: {format_number(periode)} år; BTA: {format_number(BTA_M2)} m² (brukerinput).",
            f"- Datagrunnlag: generiske faktorer fra `{ref.metadata['factor_table']}` med "
            f"{format_number(100 * profil.generic_markup)} % påslag; biogent karbon "
            f"{'holdes utenfor' if profil.exclude_biogenic else 'er med'}.",
            f"- Ikke med: {len(innenfor)} linjer innenfor omfanget mangler faktor eller omregnbar enhet "
            f"(se notatbok 01). Rammen gjelder det som er beregnet; får disse linjene tall, må rammen "
            f"regnes på nytt.",
            f"- Margin {format_number(100 * MARGIN)} % over lavutslippsalternativet og avrunding opp til "
            f"nærmeste {AVRUNDING} kg CO₂e/m² (kommunens valg).",
        ])))
    '''),
    md('''
        ## Sammenlignet med konkurransen i notatbok 04

        Konkurransefila `examples/anbud/konkurranse.toml` har sin egen ramme, med kilde. Den er satt
        uavhengig av denne beregningen; sammenligningen viser om den er realistisk for dette bygget.
    '''),
    code('''
        konkurranse = kf.load_competition(EKSEMPLER / "anbud" / "konkurranse.toml")
        ramme_konkurranse = konkurranse.rule.frame_kg_co2e_per_m2
        grunnlag = "over hele analyseperioden" if konkurranse.rule.frame_period == "study_period" else "per år"


        def avstand(verdi):
            prosent = 100 * (verdi / ramme_konkurranse - 1)
            return f"{format_number(abs(prosent), 'nb', 1)} % {'over' if prosent > 0 else 'under'}"


        display(Markdown(
            f"Konkurransens ramme: **{format_number(ramme_konkurranse)} kg CO₂e/m² BTA** "
            f"{grunnlag}, kilde: «{konkurranse.sources.get('gates.frame_kg_co2e_per_m2')}». "
            f"Rammen beregnet her: {format_number(RAMME)} kg CO₂e/m² BTA. "
            f"Referansen ligger {avstand(referanse)} konkurransens ramme, lavutslippsalternativet "
            f"{avstand(lavutslipp)}."
        ))
        ax = kf.plot.emission_frame(intensitet["kg CO₂e/m² BTA"], ramme_konkurranse, per_year=False)
    '''),
    md('''
        ## Å skrive rammen inn i konkurransen

        I konkurransefila står rammen under `[gates]`, med kilde under `[sources]`:

        ```toml
        [gates]
        frame_kg_co2e_per_m2 = ...      # verdien over
        frame_period = "study_period"   # over hele analyseperioden

        [sources]
        "gates.frame_kg_co2e_per_m2" = "lavutslippsalternativ + 10 % (notatbok 03)"
        ```

        Et tilbud over rammen blir avvist av `kf.score_bids`, med årsak (se notatbok 04). Fordi
        rammen er satt ut fra generiske data, kan leverandører med EPD-er for sine produkter komme
        godt under den.
    '''),
]


# ============================================================================ 04

ANBUD = [
    md('''
        # 04 Tilbudsevaluering med klima som tildelingskriterium

        En gjennomgang av `kf.score_bids` på eksempelkonkurransen i `examples/anbud/`:
        konkurransefila `konkurranse.toml` og fem fiktive tilbud på eksempelskolen, hvert med
        mengder, produkt-EPD-er og en byggeplassplan i bibliotekets tilbudsmal. Vi ser på
        rangering og poeng, hvorfor tilbud ble nedgradert eller avvist, den effektive klimavekten,
        og tilbudene mot utslippsrammen.

        Alle tilbydere, EPD-numre, priser og kvalitetspoeng er oppdiktet.
    '''),
    setup("format_number, t"),
    md('''
        ## Konkurransen

        Konkurransefila bestemmer profil, BTA, tilbudsfrist, vekter, poengmodeller, krav
        (utslippsramme og grenseverdi for betong) og hva som skjer med påstander en tilbyder ikke
        har forpliktet seg til. Hver parameter har en kilde: kommunens valg, profilen eller
        bibliotekets standardverdier.
    '''),
    code('''
        from klimafotavtrykk.tender import DOWNGRADES

        ANBUD = EKSEMPLER / "anbud"
        konkurranse = kf.load_competition(ANBUD / "konkurranse.toml")
        regel = konkurranse.rule

        display(Markdown("\\n".join([
            f"**{konkurranse.name}**",
            "",
            f"- Profil `{konkurranse.profile.name}`, BTA {format_number(konkurranse.bta_m2)} m², "
            f"analyseperiode {format_number(konkurranse.reference_study_period)} år, tilbudsfrist {konkurranse.tender_date}.",
            f"- Vekter: pris {format_number(100 * regel.price_weight)} %, kvalitet {format_number(100 * regel.quality_weight)} %, "
            f"klima {format_number(100 * regel.climate_weight)} %; poengmodell for klima `{regel.climate_model}` "
            f"på grunnlag `{regel.basis}`.",
            f"- Utslippsramme {format_number(regel.frame_kg_co2e_per_m2)} kg CO₂e/m² BTA "
            f"{'over hele analyseperioden' if regel.frame_period == 'study_period' else 'per år'}.",
            f"- Ikke forpliktende materialpåstander regnes som `{konkurranse.material_fallback}`, "
            f"byggeplassmaskiner som `{konkurranse.site_fallback}`.",
        ])))
        konkurranse.product_limits_frame().rename(columns={
            "key_column": "Gjelder", "key": "Verdi", "declared_unit": "Deklarert enhet",
            "limit_kg_co2e": "Grense A1–A3 [kg CO₂e]", "source": "Kilde",
        })
    '''),
    md('''
        Kvalitetspoengene settes av evalueringskomiteen, ikke av biblioteket. De ligger i
        `kvalitet.csv` (brukerinput).
    '''),
    code('''
        kvalitet = pd.read_csv(ANBUD / "kvalitet.csv").set_index("fil")["poeng"]
        kvalitet.to_frame("Kvalitetspoeng")
    '''),
    md('''
        ## EPD-kontroll

        Hver EPD-verdi i et tilbud kontrolleres før den teller: mot et plausibelt område for
        materialet (`data/procurement/epd_ranges.csv`), EPD-nummerets form (NEPD-…, S-P-…,
        EPD-IES-…) og «gyldig til»-datoen. En verdi som ikke består, evalueres med generisk verdi
        med påslag til oppdragsgiveren godtar dokumentasjonen ved å føre EPD-nummeret i
        `accepted_epds` i konkurransefila. Et utløpt EPD godtas aldri: i eksempelet har
        Fjordbygg et utløpt EPD for armeringen, som derfor regnes generisk med påslag.
        Områdene for betong:
    '''),
    code('''
        omrader = pd.read_csv(EKSEMPLER.parent / "data" / "procurement" / "epd_ranges.csv")
        omrader[omrader["range_id"].str.startswith("concrete")].iloc[:, :7]
'''),
    md('''
        ## Evaluer tilbudene

        `kf.score_bids` leser hver tilbudsfil, beregner den etter konkurransens regler og gir poeng.
        Resultatet er det samme hver gang for de samme filene; med `executor=` kan tilbudene regnes
        parallelt.
    '''),
    code('''
        evaluering = kf.score_bids(konkurranse, ANBUD / "bud", quality=kvalitet.to_dict())

        rangering = evaluering.ranking
        rangering.assign(status=rangering["status"].map(lambda s: t(f"eval.status.{s}")))[["bidder", "rank", "status", "total", "points_price", "points_quality", "points_climate",
                   "kg_co2e_per_m2", "price_nok"]].rename(columns={
            "bidder": "Tilbyder", "rank": "Rang", "status": "Status", "total": "Totalpoeng",
            "points_price": "Poeng pris", "points_quality": "Poeng kvalitet", "points_climate": "Poeng klima",
            "kg_co2e_per_m2": "kg CO₂e/m² BTA", "price_nok": "Pris [NOK]",
        })
    '''),
    code('''
        vinner = rangering[rangering["rank"] == 1].iloc[0]
        display(Markdown(
            f"**{vinner['bidder']}** vinner med {format_number(vinner['total'], 'nb', 2)} poeng. "
            f"Beste klimaverdi har {rangering.loc[rangering['points_climate'].idxmax(), 'bidder']}, "
            f"laveste pris {rangering.loc[rangering['points_price'].idxmax(), 'bidder']}."
        ))
        poeng = evaluering.points.set_index("bidder")[["weighted_price", "weighted_quality", "weighted_climate"]]
        ax = poeng.dropna().rename(columns={"weighted_price": "Pris", "weighted_quality": "Kvalitet",
                                            "weighted_climate": "Klima"}).plot.barh(stacked=True, figsize=(8, 3.5))
        ax.invert_yaxis()
        ax.set_xlabel("Vektede poeng")
        ax.set_ylabel("")
        ax.set_title("Vektede poeng per kriterium")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False);
    '''),
    md('''
        ## Hvorfor et tilbud ble nedgradert

        En påstand som ikke holder, gir ikke poeng: en EPD som var utløpt på tilbudsfristen, eller
        et produkt eller en elektrisk maskin tilbyderen ikke har forpliktet seg til (KOFA 2024/1940),
        evalueres med generisk verdi med påslag eller som fossil diesel. Tabellen viser hva
        tilbyderen oppga og hva som ble evaluert.
    '''),
    code('''
        funn = evaluering.findings
        nedgradert = funn[funn["kind"].isin(DOWNGRADES)].copy()
        nedgradert["Tilbyder"] = nedgradert["file"].map(rangering["bidder"])
        nedgradert["Hva"] = nedgradert["kind"].map(lambda k: t(f"finding.{k}"))
        nedgradert[["Tilbyder", "source_ref", "detail", "Hva", "kg_co2e_claimed", "kg_co2e"]].rename(
            columns={"source_ref": "Celle", "detail": "EPD / bærer", "kg_co2e_claimed": "Oppgitt [kg CO₂e]",
                     "kg_co2e": "Evaluert [kg CO₂e]"}
        )
    '''),
    code('''
        display(Markdown("\\n".join(
            f"- {rangering.loc[fil, 'bidder']}: {len(rader)} linjer nedgradert "
            f"({', '.join(dict.fromkeys(t(f'finding.{k}').split(':')[0] for k in rader['kind']))}); "
            f"evaluert {format_number(rangering.loc[fil, 'kg_co2e_per_m2'], 'nb', 1)} kg CO₂e/m² BTA, "
            f"rang {rangering.loc[fil, 'rank']}."
            for fil, rader in nedgradert.groupby("file", sort=False)
        )))
    '''),
    md('''
        ## Avviste tilbud

        Et tilbud som bryter et krav, rangeres ikke. Årsaken står med kode og tekst:
    '''),
    code('''
        def forklaring(koder):
            return "; ".join(t(f"explanation.{k}") for k in str(koder).split(";") if k)


        avvist = evaluering.rejected.copy()
        avvist["Årsak"] = avvist["reason"].map(forklaring)
        display(avvist[["bidder", "stage", "Årsak"]].rename(columns={"bidder": "Tilbyder", "stage": "Trinn"}))
        funn[funn["kind"] == "product_limit_exceeded"][["source_ref", "detail", "kg_co2e"]].rename(
            columns={"source_ref": "Celle", "detail": "Grenseverdi", "kg_co2e": "Linjens utslipp [kg CO₂e]"}
        )
    '''),
    md('''
        ## Den effektive klimavekten

        Den nominelle vekten sier hvor mye klima *kan* telle. Hvor mye den faktisk teller, avhenger
        av hvor langt poengene spriker mellom tilbudene: et kriterium der alle får nesten like
        mange poeng, avgjør lite. Den effektive vekten er vekt × poengspredning, delt på summen
        over kriteriene. Anskaffelsesforskriften § 7-9 krever at klima og miljø vektes minst 30 %.
    '''),
    code('''
        vekter = pd.DataFrame({
            "Nominell vekt [%]": {"price": 100 * regel.price_weight, "quality": 100 * regel.quality_weight,
                                   "climate": 100 * regel.climate_weight},
            "Effektiv vekt [%]": {k: 100 * v for k, v in evaluering.effective_weights.items()},
        }).rename(index={"price": "Pris", "quality": "Kvalitet", "climate": "Klima"})
        display(vekter)
        display(Markdown(
            f"Effektiv klimavekt {format_number(100 * evaluering.effective_climate_weight, 'nb', 1)} % "
            f"mot minst {format_number(100 * regel.min_climate_weight)} % etter § 7-9: "
            + ("**under minstekravet**." if evaluering.effective_climate_weight < regel.min_climate_weight
               else "minstekravet er oppfylt.")
        ))
        for advarsel in evaluering.warnings:
            display(Markdown(f"> {advarsel}"))
    '''),
    md('''
        ## Tilbudene mot utslippsrammen

        Evaluert utslipp per m² BTA over analyseperioden, mot konkurransens ramme. Det avviste
        tilbudet er med, så det ses hvor det ligger.
    '''),
    code('''
        per_m2 = rangering.set_index("bidder")["kg_co2e_per_m2"]
        ax = kf.plot.emission_frame(per_m2, regel.frame_kg_co2e_per_m2, per_year=False)
        ax.set_xlabel("Tilbyder")
    '''),
    md('''
        ## Videre

        - På kommandolinjen gir
          `klimafotavtrykk anbud score examples/anbud/konkurranse.toml examples/anbud/bud/ --kvalitet examples/anbud/kvalitet.csv -o evaluering.xlsx`
          samme evaluering, skrevet til Excel med sammendrag, rangering, poeng, nedgraderte linjer
          og parametre med kilder, til protokollen.
        - Fra Python gjør `klimafotavtrykk.reports.write_evaluation_workbook(evaluering, "evaluering.xlsx")`
          det samme.
    '''),
]


# ============================================================================ 05

ANLEGG = [
    md('''
        # 05 Anlegg: veg med vann- og avløpsledninger

        Eksempelet `examples/veg.xlsx` er en oppdiktet kommunal veg på om lag 300 m med nye vann-,
        spillvanns- og overvannsledninger under. For anlegg gjelder NS-EN 17472 i stedet for
        bygningsdelene i NS 3451: alle linjer teller, og masser, massetransport og maskinbruk på
        anlegget er en stor del av regnskapet.

        Notatboken viser masser og transportavstander, asfalt og rør fra mengdebeskrivelsen, og
        legger til en aktivitetstabell for anleggsmaskinene (modul A5), med andelen utslippsfri
        energi.
    '''),
    setup("column_label, format_number, module_label, reason_text"),
    md('''
        ## Profil og analyseperiode

        Profilen `en17472` har 100 år som standard analyseperiode, et begrunnet valg i
        biblioteket (levetiden man ønsker for VA-ledninger). Det finnes ingen norsk standardperiode
        for anlegg, så byggherren bør sette sin egen; her 60 år for en kommunal veg.
    '''),
    code('''
        import dataclasses

        ANALYSEPERIODE = 60  # brukerinput: byggherrens analyseperiode for vegen [år]
        VEGLENGDE_M = 300  # brukerinput: veglengde [m] fra tittelfeltet i veg.xlsx

        standard = kf.load_profile("en17472")
        profil = dataclasses.replace(standard, reference_study_period=ANALYSEPERIODE)
        display(Markdown(
            f"**{profil.title_nb}**: analyseperiode {format_number(ANALYSEPERIODE)} år "
            f"(standard {format_number(standard.reference_study_period)} år), moduler {', '.join(profil.modules)}; "
            f"maskinbruk på anlegget tas med: {'ja' if profil.site_energy else 'nei'}."
        ))
    '''),
    code('''
        linjer, meta = kf.read_boq(EKSEMPLER / "veg.xlsx")
        uten_anlegg = kf.calculate(linjer, profile=profil)
        display(Markdown(
            f"{len(linjer)} linjer lest; {len(uten_anlegg.lines)} beregnet, {len(uten_anlegg.unmatched)} ikke beregnet."
        ))
        if meta.warnings:
            display(Markdown("Merknader fra innlesingen:\\n\\n" + "\\n".join(f"- `{w}`" for w in meta.warnings)))
    '''),
    md('''
        ## Masser og massetransport

        Graving, utskifting og transport av stedlige masser har ingen produktutslipp (A1–A3 = 0),
        men transporten til deponi eller mottak gir A4: tonn × km × lastebilens faktor. Massene
        regnes om fra m³ (pfm3, prosjektert fast masse) til tonn med densiteten i faktortabellen.
    '''),
    code('''
        beregnet = uten_anlegg.lines
        masser = beregnet[beregnet["factor_id"].str.startswith(("civil_soil", "civil_rock"))]
        masser.assign(tonn=masser["mass"] / 1000)[
            ["description", "quantity", "unit", "tonn", "transport_km", "A1-A3", "A4", "kg_co2e"]
        ].rename(columns={**{c: column_label(c) for c in ["description", "quantity", "unit", "transport_km"]},
                          "tonn": "Masse [tonn]", "kg_co2e": "Sum [kg CO₂e]"})
    '''),
    md('''
        ## Asfalt og rør

        Asfalt i m² regnes om til tonn med lagtykkelsen og densiteten, når linjen har en tykkelse
        (kolonnen *Tykkelse (m)* i eksempelet); asfalt i tonn regnes direkte. Plast- og betongrør i
        meter trenger en metermasse for dimensjonen. Tabellen viser hver linje med asfalt eller
        rør, beregnet eller ikke, med årsak.
    '''),
    code('''
        alle = pd.concat([beregnet.assign(status="beregnet"),
                          uten_anlegg.unmatched.assign(status=uten_anlegg.unmatched["reason"].map(reason_text))],
                         ignore_index=True).sort_values("row_id")
        asfalt_og_rør = alle[alle["description"].str.contains(r"^asfalt|\\b(?:PE100|PVC)\\b|^betongrør", case=False,
                                                               regex=True)]
        asfalt_og_rør.set_index("post_number")[["description", "quantity", "unit", "factor_id", "kg_co2e", "status"]].rename(
            columns={**{c: column_label(c) for c in ["description", "quantity", "unit", "factor_id"]},
                     "kg_co2e": "Sum [kg CO₂e]", "status": "Status"}
        ).rename_axis(column_label("post_number"))
    '''),
    md('''
        ## Maskiner og energi på anlegget

        Entreprenørens plan for maskinbruken er en aktivitetstabell: én rad per maskin eller
        energibruk, med målte liter eller kWh, eller driftstimer med motoreffekt. Timer uten målt
        drivstoff regnes om med maskinklassens lastfaktor og spesifikke forbruk fra
        `data/emission_factors/machinery.csv`. Her er én gravemaskin elektrisk.

        Tallene i tabellen er brukerinput: et oppdiktet eksempel på en plan, ikke målte verdier.
        Massetransporten til og fra anlegget står allerede i mengdebeskrivelsen (transportavstand
        per linje) og tas derfor ikke med her, for ikke å telle den to ganger.
    '''),
    code('''
        # brukerinput: entreprenørens plan (oppdiktet eksempel)
        aktiviteter = pd.DataFrame([
            {"activity": "Graving og lasting", "machine": "Gravemaskin 30 t", "carrier": "diesel",
             "litres": 9500.0},
            {"activity": "Graving av VA-grøft", "machine": "Elektrisk gravemaskin 25 t", "carrier": "electricity",
             "machine_hours": 520.0, "rated_power_kw": 115.0, "machine_class": "excavator"},
            {"activity": "Massetransport i anlegget", "machine": "Dumper 25 t", "carrier": "hvo100",
             "litres": 6200.0},
            {"activity": "Komprimering", "machine": "Vals 10 t", "carrier": "diesel",
             "machine_hours": 240.0, "rated_power_kw": 95.0, "machine_class": "roller"},
            {"activity": "Asfaltutlegging", "machine": "Asfaltutlegger", "carrier": "diesel",
             "litres": 1400.0},
            {"activity": "Brakkerigg og belysning", "machine": None, "carrier": "electricity",
             "kwh": 16000.0},
        ])
        anlegg = kf.calculate_site(aktiviteter)
        KLASSER = {"fossil": "fossil", "fossil_free": "fossilfri", "emission_free": "utslippsfri"}
        anlegg.lines.assign(
            method=anlegg.lines["method"].map({"metered": "målt", "machine_hours": "maskintimer", "tonne_km": "tonnkm"}),
            energy_class=anlegg.lines["energy_class"].map(KLASSER),
        )[["activity", "machine", "carrier_key", "method", "amount", "amount_unit", "energy_kwh",
           "kg_co2e", "energy_class"]].rename(columns={
            "activity": "Aktivitet", "machine": "Maskin", "carrier_key": "Energibærer", "method": "Grunnlag",
            "amount": "Mengde", "amount_unit": "Enhet", "energy_kwh": "Energi [kWh]", "kg_co2e": "kg CO₂e",
            "energy_class": "Klasse",
        })
    '''),
    md('''
        Andelen fossilfri og utslippsfri energi kan måles på tre måter: etter levert energi, etter
        maskintimer og etter antall maskiner. Elektrisitet regnes som utslippsfri, biodrivstoff
        (HVO) som fossilfritt.
    '''),
    code('''
        andeler = 100 * anlegg.shares
        andeler.rename(
            index={"energy": "Energi", "machine_hours": "Maskintimer", "machine_count": "Antall maskiner"},
            columns={k: f"{v.capitalize()} [%]" for k, v in KLASSER.items()},
        ).rename_axis(index="Grunnlag", columns=None)
    '''),
    md('''
        ## Hele regnskapet

        `kf.calculate(linjer, site=aktiviteter)` legger maskinbruken til i A5. Til sammenligning
        regner vi samme plan med bare fossil diesel: den elektriske gravemaskinen og HVO-dumperen
        byttes med diesel (timer blir liter gjennom maskinklassens forbruk), og strømmen til
        brakkeriggen står uendret.
    '''),
    code('''
        med_anlegg = kf.calculate(linjer, profile=profil, site=aktiviteter)

        bare_diesel = aktiviteter.copy()
        maskiner = bare_diesel["machine"].notna()
        bare_diesel.loc[maskiner, "carrier"] = "diesel"
        diesel = kf.calculate(linjer, profile=profil, site=bare_diesel)



        def per_modul(resultater):
            """Tabell i formen kf.plot tar (som kf.compare gir), bygd fra by_module: linjer og anlegg sammen."""
            return pd.concat([
                pd.DataFrame({"alternative": navn, "building_part": "", "module": r.by_module.index,
                              "in_total": r.by_module.index != "D", "kg_co2e": r.by_module.to_numpy()})
                for navn, r in resultater.items()
            ], ignore_index=True)


        ax = kf.plot.modules_by_alternative(per_modul({"Bare diesel": diesel, "Som planlagt": med_anlegg}))
    '''),
    code('''
        display(Markdown(
            f"Som planlagt: **{format_number(med_anlegg.total / 1000, 'nb', 1)} tonn CO₂e**, hvorav maskiner og "
            f"energi på anlegget (A5) {format_number(anlegg.total / 1000, 'nb', 1)} tonn. Med bare diesel: "
            f"{format_number(diesel.total / 1000, 'nb', 1)} tonn. Per meter veg: "
            f"{format_number(med_anlegg.total / VEGLENGDE_M)} kg CO₂e, eller "
            f"{format_number(med_anlegg.total / VEGLENGDE_M / ANALYSEPERIODE, 'nb', 1)} kg CO₂e per meter og år "
            f"over {ANALYSEPERIODE} år."
        ))
        per_modul = med_anlegg.by_module[med_anlegg.by_module != 0].rename("kg CO₂e").to_frame()
        per_modul.insert(0, "Fase", [module_label(m) for m in per_modul.index])
        per_modul
    '''),
    md('''
        De linjene som veier mest, fra mengdebeskrivelsen (maskinbruken på anlegget er ikke en
        linje og står i A5 over):
    '''),
    code('''
        ax = kf.plot.pareto(med_anlegg, top=12)
    '''),
    md('''
        ## Det som ikke er med

        Linjene under er ikke beregnet. For anlegg gjelder det typisk sprengning (ingen kildebelagt
        faktor for sprengstoff), leverte pukk- og grusmasser, kantstein og kumlokk, og rør eller
        kummer uten meter- eller stykkmasse for dimensjonen. De bør få egne faktorer (EPD-er fra
        leverandøren) før regnskapet brukes til beslutninger.
    '''),
    code('''
        ikke = med_anlegg.unmatched
        ikke.assign(årsak=ikke["reason"].map(reason_text))[["post_number", "description", "quantity", "unit", "årsak"]].rename(
            columns=column_label
        )
    '''),
]


# ============================================================================ 06

USIKKERHET = [
    md('''
        # 06 Hvor sikkert er tallet? Usikkerhet i klimaregnskap og i tilbudsrangering

        Et klimaregnskap er aldri sikrere enn dataene bak det. Generiske utslippsfaktorer er
        gjennomsnitt for en materialgruppe; produktet som faktisk leveres kan ligge langt over
        eller under. Mengdene i et tidlig prosjekt er anslag. Denne notatboken viser:

        1. `kf.uncertainty`: persentiler for totalen, per modul og per bygningsdel, trukket over
           datakvaliteten til hver faktor (og mengdene, når prosjektfasen er oppgitt),
        2. `kf.compare(..., uncertainty=True)`: sannsynligheten for at et alternativ virkelig er
           lavere enn referansen,
        3. `kf.score_bids(..., uncertainty=True)`: hvor sikker rangeringen av tilbud er, ved siden
           av poengene, som ikke endres.

        Spredningene står i `data/uncertainty/` med kilde og regnestykke på hver rad.
    '''),
    setup("format_number, t"),
    code('''
        BTA_M2 = 2400  # brukerinput: bruttoareal [m²] fra tittelfeltet i skole.xlsx
        TREKNINGER = 2000  # brukerinput: antall trekninger
        FRØ = 16  # brukerinput: samme frø gir samme tall

        linjer, _ = kf.read_boq(EKSEMPLER / "skole.xlsx")
        skole = kf.calculate(linjer, profile="tek17", bta_m2=BTA_M2)
        spredning = kf.uncertainty(skole, n=TREKNINGER, seed=FRØ)

        p = spredning.total
        display(Markdown(
            f"Beregnet total: **{format_number(skole.total / 1000)} tonn CO₂e**. Over datakvaliteten "
            f"til faktorene ligger 95 % av trekningene mellom {format_number(p[2.5] / 1000)} og "
            f"{format_number(p[97.5] / 1000)} tonn (median {format_number(p[50.0] / 1000)} tonn)."
        ))
        (spredning.by_building_part / 1000).rename_axis(index="Bygningsdel", columns="Persentil [%]")
    '''),
    md('''
        Hver faktorrad får en lognormal spredning etter datakvalitet: produkt-EPD smalest,
        bransje-EPD bredere, generiske data bredest (betong har sin egen rad). Linjer med samme
        faktor trekkes sammen: blir betongen dyrere i én trekning, blir den det på alle linjene.
    '''),
    code('''
        faktorer = spredning.factors
        (faktorer.groupby(["dataset_type", "material_group", "gsd"])["kg_co2e"].sum() / 1000
         ).sort_values(ascending=False).head(10).to_frame("tonn CO₂e")
    '''),
    code('''
        ax = kf.plot.distribution(spredning)
    '''),
    md('''
        ## Tidlig fase: usikre mengder

        I et skisseprosjekt er mengdene anslag. Med `design_stage` får hver linje i tillegg en
        spredning på mengden (AACE-klassene for kostnadsoverslag, lest som spredning på
        mengder). En linje kan også ha sin egen (`design_stage` eller `quantity_gsd` som kolonne).
    '''),
    code('''
        FASE = "skisse"  # brukerinput: skisse, forprosjekt, detaljprosjekt eller bygget
        tidlig = kf.uncertainty(skole, n=TREKNINGER, seed=FRØ, design_stage=FASE)
        (pd.DataFrame({"Bare faktorer": spredning.total, f"Faktorer og mengder ({FASE})": tidlig.total})
         / 1000).rename_axis(index="Persentil [%]")
    '''),
    md('''
        ## Er alternativet virkelig lavere?

        Lavkarbonbetong i stedet for B35 gir en liten nedgang. Begge alternativene trekkes med de
        samme trekningene for faktorene de deler, så sannsynligheten måler bare det som skiller
        dem.
    '''),
    code('''
        lavkarbon = kf.substitute(linjer, "concrete_lowcarbon_a_b35", factor="concrete_c35_45")
        tabell = kf.compare({"Referanse": linjer, "Lavkarbonbetong": lavkarbon}, profile="tek17",
                            bta_m2=BTA_M2, uncertainty=True, n_samples=TREKNINGER, seed=FRØ)
        sannsynlighet = tabell.groupby("alternative", sort=False)["probability_lower"].first()
        totaler = tabell[tabell["in_total"]].groupby("alternative", sort=False)["kg_co2e"].sum()
        pd.DataFrame({"Total [tonn CO₂e]": totaler / 1000,
                      "Sannsynlighet for lavere enn referansen": sannsynlighet})
    '''),
    code('''
        ax = kf.plot.distribution(tabell)
    '''),
    code('''
        ax = kf.plot.probabilities(tabell)
    '''),
    md('''
        ## Tilbud: holder rangeringen?

        Poengene regnes som før. Ved siden av dem trekkes hvert tilbuds evaluerte utslipp over
        datakvaliteten til hver linje: en godkjent produkt-EPD med smal spredning, generiske data
        med påslag med bred. Generiske faktorer som tilbudene deler, trekkes likt for alle.
    '''),
    code('''
        ANBUD = EKSEMPLER / "anbud"
        kvalitet = pd.read_csv(ANBUD / "kvalitet.csv").set_index("fil")["poeng"]
        evaluering = kf.score_bids(kf.load_competition(ANBUD / "konkurranse.toml"),
                                   sorted((ANBUD / "bud").glob("*.xlsx")), quality=kvalitet,
                                   uncertainty=True)
        for nøkkel, felt in evaluering.notices:
            if nøkkel.startswith("eval.notice.uncertainty"):
                display(Markdown(t(nøkkel, "nb", **felt)))
        evaluering.uncertainty.pairs.rename(columns={
            "better": "Bedre rangert", "worse": "Lavere rangert", "rank_better": "Plass",
            "rank_worse": "Plass ", "kg_co2e_better": "kg CO₂e", "kg_co2e_worse": "kg CO₂e ",
            "probability_lower": "Sannsynlighet for lavere utslipp",
            "within_uncertainty": "Innenfor usikkerheten"})
    '''),
    code('''
        ax = kf.plot.probabilities(evaluering.uncertainty)
    '''),
    code('''
        ax = kf.plot.distribution(evaluering.uncertainty)
    '''),
    md('''
        Vinneren har flere kg CO₂e enn nummer to, men vinner på pris og kvalitet; på klima alene
        er de to innenfor usikkerheten. Det endrer ikke poengene. Det sier at et tilbud som vil
        vinne på klima, bør dokumentere med produkt-EPD-er: de trekkes med smal spredning, og
        forskjellen blir da tydelig.
    '''),
]


# ============================================================================ 07

OPPFOLGING = [
    md('''
        # 07 Oppfølging av kontrakten: holder entreprenøren det tilbudet lovet?

        Poengene ved tildeling betyr noe bare hvis løftene følges opp mens byggeplassen går:
        maskiner og energibærere, andelen utslippsfri energi og EPD-ene til materialene.
        Eksempelet i `examples/oppfolging/` er kontrakten med vinneren av anbudskonkurransen i
        notatbok 04 og åtte månedsrapporter fra entreprenøren. Tre av dem avviker med vilje: én
        er levert for sent, én har en dieselgraver der det ble lovet en elektrisk, og én har betong
        med et annet EPD-nummer enn i tilbudet.
    '''),
    setup("format_number"),
    code('''
        from klimafotavtrykk.followup.contract import load_contract
        from klimafotavtrykk.followup.reader import read_reports

        kontrakt = load_contract(EKSEMPLER / "oppfolging" / "kontrakt.toml")
        rapporter, avvist = read_reports(EKSEMPLER / "oppfolging" / "rapporter", kontrakt)
        display(Markdown(
            f"**{kontrakt.name}**: {len(rapporter)} månedsrapporter lest, {len(avvist)} avvist; "
            f"kontraktssum {format_number(kontrakt.contract_sum_nok)} kr, "
            f"{kontrakt.start} til {kontrakt.end}."))
        kontrakt.machines[["machine_id", "activity", "machine", "carrier", "emission_free"]]
    '''),
    md('''
        ## Status nå

        `kf.follow_up` regner alle rapporterte rader i ett kall, med de samme faktorene som i
        tilbudsevalueringen, og sammenligner med løftet måned for måned.
    '''),
    code('''
        status = kf.follow_up(kontrakt, rapporter, refused=avvist)
        status.by_month[["month", "reported", "kg_co2e", "cumulative_kg_co2e",
                         "cumulative_budget_kg_co2e", "cumulative_share_energy"]]
    '''),
    code('''
        ax = kf.plot.followup_emissions(status)
    '''),
    code('''
        ax = kf.plot.followup_share(status)
    '''),
    md('''
        ## Funn og bonus

        Hvert funn peker på filen og cellen det gjelder. Bonus eller trekk regnes etter
        kontraktens regel, med kilde for hver parameter.
    '''),
    code('''
        status.findings[["month", "file", "kind", "detail"]]
    '''),
    code('''
        status.bonus[["rule", "kind", "amount_nok", "capped"]]
    '''),
    md('''
        ## Statusen slik den sto i november

        Med `as_of="2025-11"` telles bare rapportene som var levert da novemberrapporten skulle
        inn. Oktober-rapporten ble signert i januar, så oktober regnes som manglende, og
        prognosen til ferdigstillelse blir en annen.
    '''),
    code('''
        november = kf.follow_up(kontrakt, rapporter, as_of="2025-11")
        pd.Series({"prognose nå [kg CO2e]": status.summary["projection_kg_co2e"],
                   "prognose i november [kg CO2e]": november.summary["projection_kg_co2e"],
                   "bonus (+) eller trekk (−) i november [kr]": november.summary["bonus_nok"]})
    '''),
]


#: Notebook file stem -> cells, in order.
NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_hurtigstart": HURTIGSTART,
    "02_alternativer_bygningsdeler": ALTERNATIVER,
    "03_utslippsramme": UTSLIPPSRAMME,
    "04_anbudsevaluering": ANBUD,
    "05_anlegg_veg": ANLEGG,
    "06_usikkerhet": USIKKERHET,
    "07_oppfolging": OPPFOLGING,
}


def notebook(stem: str) -> nbformat.NotebookNode:
    """The notebook ``stem`` with fixed cell ids and no outputs."""
    cells = []
    for i, (kind, source) in enumerate(NOTEBOOKS[stem]):
        cell_id = f"{stem[:2]}-{i:02d}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        else:
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(stem: str) -> str:
    """The notebook ``stem`` as the text stored in ``notebooks/<stem>.ipynb``."""
    return nbformat.writes(notebook(stem)) + "\n"


def build(directory: Path = HERE) -> list[Path]:
    """Write every notebook into ``directory``; returns the paths written."""
    written = []
    for stem in NOTEBOOKS:
        path = directory / f"{stem}.ipynb"
        path.write_text(render(stem), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def stale(directory: Path = HERE) -> list[str]:
    """Names of the stored notebooks that differ from what this script writes."""
    out = []
    for stem in NOTEBOOKS:
        path = directory / f"{stem}.ipynb"
        if not path.is_file() or path.read_text(encoding="utf-8") != render(stem):
            out.append(path.name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a stored notebook differs from this script")
    args = parser.parse_args(argv)
    if args.check:
        differing = stale()
        if differing:
            sys.stderr.write("notebooks differ from build_notebooks.py: " + ", ".join(differing) + "\n")
            return 1
        return 0
    build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
