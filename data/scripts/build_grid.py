#!/usr/bin/env python3
"""Build the per-country electricity impact factors and the Epoch country table.

Outputs (in --out, default: the ``data`` folder that holds this script):

* ``grid_factors.csv``  long format ``country,criterion,source,year,value``
  country   ISO 3166-1 alpha-3 (``WOR`` world, ``EEE`` MLCA/Boavizta Europe average)
  criterion gwp_kgco2e_per_kwh | adpe_kgsbeq_per_kwh | pe_mj_per_kwh
  source    mlca | boavizta | owid_codecarbon | owid_carbontracker | green_algorithms
  year      data year given by the source (composite years such as "2019/2020" or
            "2011 & 2016" -> the latest year named; empty when the source gives none)
* ``countries.csv``     ``iso3,name,epoch_name`` for every single country string in
  the "Country (of organization)" column of the three Epoch "Notable AI Models" files.

Inputs are read from --shared (default /work/shared/data); nothing there is modified.
EcoLogits (MPL-2.0, must ship unmodified) is deliberately not used.

Every row that is read but not written is reported on stdout with the reason; the
script stops (non-zero exit) on any identifier it cannot map unambiguously, on any
non-positive / non-finite value that is not on the documented exclusion list, and on
GWP values outside broad plausibility bounds (guards against g vs kg mistakes).

Usage:  python data/scripts/build_grid.py [--shared DIR] [--out DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from pathlib import Path

import pandas as pd

GWP, ADPE, PE = "gwp_kgco2e_per_kwh", "adpe_kgsbeq_per_kwh", "pe_mj_per_kwh"
CRITERIA = (GWP, ADPE, PE)

# ISO 3166-1 alpha-2 + alpha-3 pairs (249 entries), transcribed from Debian iso-codes 4.15.0
# (iso_3166-1.json), embedded so that the build needs no extra package.
_ISO_PAIRS = """
ADAND AEARE AFAFG AGATG AIAIA ALALB AMARM AOAGO AQATA ARARG ASASM ATAUT AUAUS AWABW AXALA AZAZE
BABIH BBBRB BDBGD BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BLBLM BMBMU BNBRN BOBOL BQBES BRBRA BSBHS
BTBTN BVBVT BWBWA BYBLR BZBLZ CACAN CCCCK CDCOD CFCAF CGCOG CHCHE CICIV CKCOK CLCHL CMCMR CNCHN
COCOL CRCRI CUCUB CVCPV CWCUW CXCXR CYCYP CZCZE DEDEU DJDJI DKDNK DMDMA DODOM DZDZA ECECU EEEST
EGEGY EHESH ERERI ESESP ETETH FIFIN FJFJI FKFLK FMFSM FOFRO FRFRA GAGAB GBGBR GDGRD GEGEO GFGUF
GGGGY GHGHA GIGIB GLGRL GMGMB GNGIN GPGLP GQGNQ GRGRC GSSGS GTGTM GUGUM GWGNB GYGUY HKHKG HMHMD
HNHND HRHRV HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD IOIOT IQIRQ IRIRN ISISL ITITA JEJEY JMJAM
JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA KPPRK KRKOR KWKWT KYCYM KZKAZ LALAO LBLBN LCLCA
LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA LYLBY MAMAR MCMCO MDMDA MEMNE MFMAF MGMDG MHMHL MKMKD
MLMLI MMMMR MNMNG MOMAC MPMNP MQMTQ MRMRT MSMSR MTMLT MUMUS MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM
NCNCL NENER NFNFK NGNGA NINIC NLNLD NONOR NPNPL NRNRU NUNIU NZNZL OMOMN PAPAN PEPER PFPYF PGPNG
PHPHL PKPAK PLPOL PMSPM PNPCN PRPRI PSPSE PTPRT PWPLW PYPRY QAQAT REREU ROROU RSSRB RURUS RWRWA
SASAU SBSLB SCSYC SDSDN SESWE SGSGP SHSHN SISVN SJSJM SKSVK SLSLE SMSMR SNSEN SOSOM SRSUR SSSSD
STSTP SVSLV SXSXM SYSYR SZSWZ TCTCA TDTCD TFATF TGTGO THTHA TJTJK TKTKL TLTLS TMTKM TNTUN TOTON
TRTUR TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA UMUMI USUSA UYURY UZUZB VAVAT VCVCT VEVEN VGVGB VIVIR
VNVNM VUVUT WFWLF WSWSM YEYEM YTMYT ZAZAF ZMZMB ZWZWE
"""
ISO2_TO_3 = {p[:2]: p[2:] for p in _ISO_PAIRS.split()}
ISO3 = set(ISO2_TO_3.values())
assert len(ISO2_TO_3) == 249 and len(ISO3) == 249
PSEUDO = {"WOR", "EEE"}  # world, Europe average (MLCA/Boavizta convention)

# Source identifiers whose name differs from the OWID (codecarbon) country_name for the
# same ISO3 code, checked one by one and accepted.  Any other difference stops the build.
NAME_ALIASES = {
    "Czech Republic": "Czechia", "DR Congo": "Democratic Republic of Congo",
    "Congo, The Democratic Republic Of The": "Democratic Republic of Congo",
    "Ivory Coast": "Cote d'Ivoire", "Cote D'ivoire": "Cote d'Ivoire",
    "Libyan Arab Jamahiriya": "Libya", "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria", "United States of America": "United States",
    "Tanzania, United Republic Of": "Tanzania", "Moldova, Republic Of": "Moldova",
    "Korea, Republic Of": "South Korea", "Korea": "South Korea",
    "Korea, Democratic People's Republic Of": "North Korea",
    "Iran, Islamic Republic Of": "Iran", "Brunei Darussalam": "Brunei",
    "Bosnia-Herzegovina": "Bosnia and Herzegovina", "Serbie": "Serbia",  # French
}
# Codes used by MLCA/Boavizta that are not current ISO 3166-1 alpha-3.
CODE_FIXES = {"SCG": "SRB"}  # "Serbia"/"Serbie": SCG was Serbia and Montenegro (withdrawn 2006)
CODE_DROP = {
    "ANT": "Netherlands Antilles: dissolved 2010, ISO code withdrawn; value is ADEME 2011, "
           "no successor (CUW/SXM/BES) can be assigned unambiguously",
    "_MIN": "summary row (min over countries), not a country",
    "_MAX": "summary row (max over countries), not a country",
}

# Epoch "Country (of organization)" strings -> (iso3, English short name).
EPOCH_COUNTRIES = {
    "United States of America": ("USA", "United States"),
    "United Kingdom of Great Britain and Northern Ireland": ("GBR", "United Kingdom"),
    "China": ("CHN", "China"), "Canada": ("CAN", "Canada"), "Germany": ("DEU", "Germany"),
    "France": ("FRA", "France"), "Korea (Republic of)": ("KOR", "South Korea"),
    "Japan": ("JPN", "Japan"), "Switzerland": ("CHE", "Switzerland"),
    "Hong Kong": ("HKG", "Hong Kong"), "Singapore": ("SGP", "Singapore"),
    "Israel": ("ISR", "Israel"), "Australia": ("AUS", "Australia"), "India": ("IND", "India"),
    "United Arab Emirates": ("ARE", "United Arab Emirates"),
    "Saudi Arabia": ("SAU", "Saudi Arabia"), "Netherlands": ("NLD", "Netherlands"),
    "Finland": ("FIN", "Finland"), "Czechia": ("CZE", "Czechia"), "Italy": ("ITA", "Italy"),
    "Taiwan": ("TWN", "Taiwan"), "Spain": ("ESP", "Spain"), "Sweden": ("SWE", "Sweden"),
    "Austria": ("AUT", "Austria"), "Belgium": ("BEL", "Belgium"), "Poland": ("POL", "Poland"),
    "Ireland": ("IRL", "Ireland"), "Iran (Islamic Republic of)": ("IRN", "Iran"),
    "Denmark": ("DNK", "Denmark"), "Norway": ("NOR", "Norway"),
    "Argentina": ("ARG", "Argentina"), "Russia": ("RUS", "Russia"),
    "Malaysia": ("MYS", "Malaysia"), "Croatia": ("HRV", "Croatia"),
    # Not countries: use the world average.
    "Multinational": ("WOR", "Multinational (not a country; use world average)"),
    "Unknown": ("WOR", "Unknown (not a country; use world average)"),
    # Comma-containing spellings, not present in the current files but accepted by the
    # splitter (see split_countries) should a future export use ISO "Name, qualifier" style.
    "Korea, Republic of": ("KOR", "South Korea"),
    "Iran, Islamic Republic of": ("IRN", "Iran"),
    "Taiwan, Province of China": ("TWN", "Taiwan"),
    "Congo, The Democratic Republic of the": ("COD", "DR Congo"),
    "Tanzania, United Republic of": ("TZA", "Tanzania"),
    "Moldova, Republic of": ("MDA", "Moldova"),
    "Venezuela, Bolivarian Republic of": ("VEN", "Venezuela"),
    "Bolivia, Plurinational State of": ("BOL", "Bolivia"),
    "Korea, Democratic People's Republic of": ("PRK", "North Korea"),
}
EPOCH_FILES = ("epoch/notable_ai_models_2024-07-16.csv",
               "epoch/notable_ai_models_2025-02-24.csv",
               "epoch/notable_ai_models_2026-07.csv")
EPOCH_COUNTRY_COLS = ("Country (of organization)", "Country (from Organization)")

# Sources that share their upstream data: mlca and boavizta carry the same numbers (MLCA
# is a fork of boaviztapi); codecarbon and carbontracker both ship OWID extracts.
FAMILY = {"mlca": "ember2020_scarlat2022", "boavizta": "ember2020_scarlat2022",
          "owid_codecarbon": "owid", "owid_carbontracker": "owid",
          "green_algorithms": "carbonfootprint_2022"}

MAJOR = ("USA", "CHN", "FRA", "DEU", "GBR", "CAN", "KOR", "JPN", "IND")
PRINT_COUNTRIES = ("USA", "CHN", "FRA", "DEU", "GBR", "IND", "AUS", "WOR")
# Broad GWP bounds (kg/kWh) for a few well-known grids: every source must fall inside.
GWP_BOUNDS = {"FRA": (0.03, 0.12), "DEU": (0.30, 0.45), "USA": (0.35, 0.45),
              "CHN": (0.45, 0.65), "IND": (0.55, 0.80), "WOR": (0.35, 0.55)}
PLAUSIBLE = {GWP: (1e-4, 1.5), ADPE: (1e-9, 1e-6), PE: (1e-3, 1e3)}

EXCLUDED: list[tuple[str, str, str]] = []  # (source, identifier, reason)
NOTES: list[str] = []


def exclude(source: str, ident: str, reason: str) -> None:
    EXCLUDED.append((source, ident, reason))


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", str(s)).strip()


def year_of(text) -> str:
    """Data year: a single year, or the latest year named in a composite string."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", str(text))]
    # "2019/20" style
    for a, b in re.findall(r"(?<!\d)(\d{4})/(\d{2})(?!\d)", str(text)):
        years.append(int(a[:2] + b))
    return str(max(years)) if years else ""


def fmt(v: float) -> str:
    return format(float(v), ".10g")


# ---------------------------------------------------------------------------- sources
def load_owid_names(shared: Path) -> dict[str, str]:
    d = json.loads((shared / "codecarbon/global_energy_mix.json").read_text())
    return {k: v["country_name"] for k, v in d.items()}


def check_name(source: str, iso3: str, name: str, owid: dict[str, str]) -> None:
    name = norm(name)
    if iso3 in PSEUDO or iso3 not in owid:
        return
    if name != owid[iso3] and NAME_ALIASES.get(name) != owid[iso3]:
        sys.exit(f"[{source}] name {name!r} for {iso3} does not match OWID {owid[iso3]!r}: "
                 "check the mapping and extend NAME_ALIASES if it is right")


def rows_mlca(shared: Path, owid) -> list[dict]:
    src = "mlca"
    df = pd.read_csv(shared / "mlca/electricity_impact_factors.csv")
    out = []
    seen = set()
    for _, r in df.iterrows():
        code = norm(r["code"])
        if code in seen:
            exclude(src, f"{code} ({r['country']}) 2nd row",
                    "duplicate code; its ADPf 10.892 / ADPe 8.16e-08 equal Boavizta's HKG "
                    "(Hong Kong) values, so it is a mislabelled Hong Kong row carrying "
                    "Honduras's GWP and renewable share (hence its PE is not valid for "
                    "either): all three criteria dropped, first HND row kept")
            continue
        seen.add(code)
        if code in CODE_FIXES:
            NOTES.append(f"mlca: code {code} ({norm(r['country'])}) mapped to {CODE_FIXES[code]}")
            code = CODE_FIXES[code]
        if code in CODE_DROP:
            exclude(src, code, CODE_DROP[code])
            continue
        if code not in ISO3 and code not in PSEUDO:
            sys.exit(f"[mlca] unknown code {code}")
        check_name(src, code, r["country"], owid)
        pe_year = year_of(f"{r['adpf_emission_year']} {r['renewable_energy_year']}")
        for crit, col, ycol in ((GWP, "gwp_emission_factor", "gwp_emission_year"),
                                (ADPE, "adpe_emission_factor", "adpe_emission_year"),
                                (PE, "pe_emission_factor", None)):
            out.append(dict(country=code, criterion=crit, source=src,
                            year=year_of(r[ycol]) if ycol else pe_year, value=r[col]))
    return out


def rows_boavizta(shared: Path, owid) -> list[dict]:
    src = "boavizta"
    df = pd.read_csv(shared / "boavizta/electricity_factors_flat.csv")
    out = []
    for _, r in df.iterrows():
        code = norm(r["iso3"])
        if code in CODE_FIXES:
            NOTES.append(f"boavizta: code {code} ({norm(r['country'])}) mapped to {CODE_FIXES[code]}")
            code = CODE_FIXES[code]
        if code in CODE_DROP:
            exclude(src, code, CODE_DROP[code])
            continue
        if code not in ISO3 and code not in PSEUDO:
            sys.exit(f"[boavizta] unknown code {code}")
        check_name(src, code, r["country"], owid)
        for crit, col in ((GWP, "gwp"), (ADPE, "adpe"), (PE, "pe")):
            if pd.isna(r[col]):
                exclude(src, f"{code} {crit}", "no value in source")
                continue
            out.append(dict(country=code, criterion=crit, source=src,
                            year=year_of(r[col + "_year"]), value=r[col]))
    return out


def rows_codecarbon(shared: Path) -> list[dict]:
    src = "owid_codecarbon"
    d = json.loads((shared / "codecarbon/global_energy_mix.json").read_text())
    out = []
    num = den = 0.0
    for k, v in d.items():
        if k != v["iso_code"] or k not in ISO3:
            sys.exit(f"[codecarbon] bad key {k}/{v['iso_code']}")
        ci = v["carbon_intensity"]
        if not (isinstance(ci, (int, float)) and math.isfinite(ci) and ci > 0):
            exclude(src, f"{k} ({v['country_name']})",
                    f"carbon_intensity={ci!r} (year {v['year']}) is not positive (almost-all-hydro "
                    "grid; a zero factor is unusable for a positive-valued prior)")
            continue
        out.append(dict(country=k, criterion=GWP, source=src, year=str(v["year"]),
                        value=ci / 1000.0))
        if v.get("total_TWh"):
            num += ci * v["total_TWh"]
            den += v["total_TWh"]
    # The file has no "World" entry: derive a generation-weighted world mean from the
    # same file (sum CI_i * TWh_i / sum TWh_i over the country rows with CI > 0).
    years = sorted({v["year"] for v in d.values()})
    out.append(dict(country="WOR", criterion=GWP, source=src, year="",
                    value=num / den / 1000.0))
    NOTES.append(f"owid_codecarbon WOR: derived here = generation-weighted mean of "
                 f"{len(out) - 1} country rows (weights total_TWh, years {years[0]}-{years[-1]}); "
                 f"total {den:,.0f} TWh, value {num / den:.1f} g/kWh")
    return out


def rows_carbontracker(shared: Path) -> list[dict]:
    src = "owid_carbontracker"
    df = pd.read_csv(shared / "carbontracker/carbon-intensities.csv",
                     keep_default_na=False)  # "NA" is Namibia's alpha-2
    col = "Carbon intensity of electricity (gCO2eq/kWh)"
    out = []
    for _, r in df.iterrows():
        a2, a3 = norm(r["alpha-2"]), norm(r["Code"])
        if ISO2_TO_3.get(a2) != a3:
            sys.exit(f"[carbontracker] alpha-2 {a2} and Code {a3} disagree")
        ci = float(r[col])
        if not (math.isfinite(ci) and ci > 0):
            exclude(src, f"{a3} ({r['Entity']})",
                    f"carbon intensity {ci} (year {r['Year']}) is not positive (as codecarbon)")
            continue
        out.append(dict(country=a3, criterion=GWP, source=src, year=str(r["Year"]),
                        value=ci / 1000.0))
    return out


def rows_green_algorithms(shared: Path, owid) -> list[dict]:
    src = "green_algorithms"
    df = pd.read_csv(shared / "green_algorithms/CI_aggregated.csv", skiprows=1,
                     keep_default_na=False)  # first line is a units/description header
    out = []
    for _, r in df.iterrows():
        loc, typ = norm(r["location"]), norm(r["Type"])
        text = f"{r['source']} {r['comments']}"
        m = re.search(r"data from (?:[A-Za-z]+ )?(\d{4})", text, re.I) \
            or re.search(r"using (\d{4}/\d{2}) data", text, re.I) \
            or re.search(r"based on (\d{4}) data", text, re.I)
        year = year_of(m.group(1)) if m else ""
        if typ == "World" and loc == "WORLD":
            code = "WOR"
        elif typ == "Country":
            code = ISO2_TO_3.get(loc)
            if code is None:
                sys.exit(f"[green_algorithms] unknown location {loc}")
            check_name(src, code, r["countryName"], owid)
        elif typ == "Region" and loc == "TW":
            # Listed as a region of China, but Taiwan has its own ISO 3166-1 code (TW/TWN)
            # and its own grid; every other source treats it as a country.
            code = "TWN"
            NOTES.append("green_algorithms: TW (listed as Type=Region, countryName=China, "
                         "regionName=Taiwan) kept as country TWN")
        else:
            exclude(src, f"{loc} ({r['countryName']} / {r['regionName']})",
                    "sub-national" if not loc.startswith("CN-HK") else
                    "Hong Kong utility-level factor (HK Electric / CLP), not a territory "
                    "average")
            continue
        out.append(dict(country=code, criterion=GWP, source=src, year=year,
                        value=float(r["carbonIntensity"]) / 1000.0))
    return out


# ---------------------------------------------------------------------------- epoch
def split_countries(cell: str) -> list[str]:
    """Split an Epoch country cell into single country names.

    Rule: split the cell on every ","; strip whitespace around each piece and drop empty
    pieces.  Scan left to right.  At piece i, if the next piece i+1 is NOT itself a known
    country name and "piece_i, piece_i+1" (whitespace normalised, case-insensitive) IS a
    known name, the two pieces form one name (e.g. "Korea, Republic of"); otherwise
    piece i must itself be a known name.  Anything else stops the build.  A known country
    name is never swallowed as a qualifier, so "Hong Kong,China" stays two countries.
    """
    known = {k.casefold(): k for k in EPOCH_COUNTRIES}
    pieces = [norm(p) for p in str(cell).split(",")]
    pieces = [p for p in pieces if p]
    out, i = [], 0
    while i < len(pieces):
        if i + 1 < len(pieces) and pieces[i + 1].casefold() not in known:
            joined = f"{pieces[i]}, {pieces[i + 1]}".casefold()
            if joined in known:
                out.append(known[joined])
                i += 2
                continue
        if pieces[i].casefold() in known:
            out.append(known[pieces[i].casefold()])
            i += 1
            continue
        raise ValueError(f"unknown country piece {pieces[i]!r} in cell {cell!r}")
    return out


def _selftest_split() -> None:
    cases = {
        "United States of America,France": ["United States of America", "France"],
        "Korea, Republic of,China": ["Korea, Republic of", "China"],
        "Korea (Republic of),Korea (Republic of)": ["Korea (Republic of)"] * 2,
        "Hong Kong,China": ["Hong Kong", "China"],
        " Iran, Islamic Republic of ,Taiwan, Province of China":
            ["Iran, Islamic Republic of", "Taiwan, Province of China"],
        "": [],
    }
    for cell, want in cases.items():
        got = split_countries(cell)
        assert got == want, (cell, got, want)
    for bad in ("Narnia", "Republic of,China"):
        try:
            split_countries(bad)
        except ValueError:
            continue
        raise AssertionError(f"split_countries accepted {bad!r}")


def build_countries(shared: Path) -> tuple[pd.DataFrame, dict]:
    _selftest_split()
    names: set[str] = set()
    freq26: dict[str, int] = {}
    for f in EPOCH_FILES:
        df = pd.read_csv(shared / f, dtype=str, keep_default_na=False)
        col = next((c for c in EPOCH_COUNTRY_COLS if c in df.columns), None)
        if col is None:
            sys.exit(f"{f}: no country column among {EPOCH_COUNTRY_COLS}")
        comma_names = [k for k in EPOCH_COUNTRIES if "," in k
                       and df[col].str.contains(re.escape(k), case=False).any()]
        n_empty = int((df[col].str.strip() == "").sum())
        print(f"  {f}: column {col!r}, {len(df)} rows, {n_empty} empty cells, "
              f"comma-containing names present: {comma_names or 'none'}")
        if n_empty:
            exclude("epoch", f"{f}: {n_empty} empty country cells",
                    "no country given (not a country string; treat as WOR downstream)")
        for cell in df[col]:
            parts = split_countries(cell)
            names.update(parts)
            if f.endswith("2026-07.csv"):
                for p in set(parts):  # count models, not repetitions within a cell
                    freq26[p] = freq26.get(p, 0) + 1
    rows = [dict(iso3=EPOCH_COUNTRIES[n][0], name=EPOCH_COUNTRIES[n][1], epoch_name=n)
            for n in names]
    out = pd.DataFrame(rows).sort_values(["iso3", "epoch_name"]).reset_index(drop=True)
    bad = [c for c in out.iso3 if c not in ISO3 and c != "WOR"]
    if bad:
        sys.exit(f"non-ISO codes in countries: {bad}")
    return out, freq26


# ---------------------------------------------------------------------------- main
def sha16(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16]


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--out", type=Path, default=here)
    a = ap.parse_args(argv)

    owid = load_owid_names(a.shared)
    rows = (rows_mlca(a.shared, owid) + rows_boavizta(a.shared, owid)
            + rows_codecarbon(a.shared) + rows_carbontracker(a.shared)
            + rows_green_algorithms(a.shared, owid))
    g = pd.DataFrame(rows, columns=["country", "criterion", "source", "year", "value"])
    g["value"] = g["value"].astype(float)

    # ---- checks
    if g.duplicated(["country", "criterion", "source"]).any():
        sys.exit(f"duplicate rows:\n{g[g.duplicated(['country', 'criterion', 'source'], keep=False)]}")
    bad = g[~(g.value.apply(math.isfinite) & (g.value > 0))]
    if len(bad):
        sys.exit(f"non-positive / non-finite values:\n{bad}")
    for crit, (lo, hi) in PLAUSIBLE.items():
        s = g[(g.criterion == crit) & ~g.value.between(lo, hi)]
        if len(s):
            sys.exit(f"{crit} outside [{lo}, {hi}]:\n{s}")
    gw = g[g.criterion == GWP]
    for c, (lo, hi) in GWP_BOUNDS.items():
        s = gw[(gw.country == c) & ~gw.value.between(lo, hi)]
        if len(s):
            sys.exit(f"GWP for {c} outside [{lo}, {hi}]:\n{s}")
    for c in MAJOR:
        n = gw[gw.country == c].source.nunique()
        if n < 2:
            sys.exit(f"GWP for {c} from {n} source(s) only")

    g = g.sort_values(["criterion", "country", "source"]).reset_index(drop=True)
    a.out.mkdir(parents=True, exist_ok=True)
    gpath = a.out / "grid_factors.csv"
    g.assign(value=g.value.map(fmt)).to_csv(gpath, index=False, lineterminator="\n")

    countries, freq26 = build_countries(a.shared)
    cpath = a.out / "countries.csv"
    countries.to_csv(cpath, index=False, lineterminator="\n")

    # ---- report
    pd.set_option("display.width", 200)
    print("\n== notes")
    for n in NOTES:
        print("  " + n)
    print("\n== excluded (source | identifier | reason)")
    for s, i, r in EXCLUDED:
        print(f"  {s} | {i} | {r}")
    print(f"\n== grid_factors.csv: {len(g)} rows, sha256[:16] {sha16(gpath)}")
    print(g.groupby(["criterion", "source"]).size().unstack(0).fillna(0).astype(int))
    print("countries (excl. WOR/EEE) per criterion:",
          {c: int(g[(g.criterion == c) & ~g.country.isin(PSEUDO)].country.nunique())
           for c in CRITERIA})
    for crit in CRITERIA:
        t = g[(g.criterion == crit) & g.country.isin(PRINT_COUNTRIES)].pivot(
            index="country", columns="source", values="value").reindex(PRINT_COUNTRIES)
        print(f"\n-- {crit}\n{t.to_string(float_format=lambda v: format(v, '.4g'))}")

    print(f"\n== countries.csv: {len(countries)} rows, sha256[:16] {sha16(cpath)}")
    print(countries.to_string(index=False))
    print("\n== GWP coverage of countries.csv")
    nsrc = gw.groupby("country").source.nunique()
    nfam = gw.assign(f=gw.source.map(FAMILY)).groupby("country").f.nunique()
    for iso in sorted(set(countries.iso3)):
        n, nf = int(nsrc.get(iso, 0)), int(nfam.get(iso, 0))
        flag = "" if n >= 2 else ("  <-- ONE SOURCE" if n == 1 else "  <-- NONE")
        srcs = ",".join(sorted(gw[gw.country == iso].source))
        print(f"  {iso}: {n} sources / {nf} families ({srcs}){flag}")

    def spread(iso, n_models):
        s = gw[gw.country == iso].set_index("source").value
        return (iso, n_models, len(s), s.index.map(FAMILY).nunique(), s.min(), s.idxmin(),
                s.max(), s.idxmax(), s.max() / s.min())

    print("\n== GWP spread, 15 most frequent countries in the 2026-07 file (models listing it)")
    top = sorted(((v, k) for k, v in freq26.items() if EPOCH_COUNTRIES[k][0] != "WOR"),
                 reverse=True)[:15]
    lines = []
    for v, name in top:
        iso = EPOCH_COUNTRIES[name][0]
        s = gw[gw.country == iso].set_index("source").value
        lines.append(spread(iso, v))
    lines.append(spread("WOR", freq26.get("Multinational", 0)))
    print(pd.DataFrame(lines, columns=["iso3", "n_models", "n_src", "n_fam", "min", "min_src",
                                       "max", "max_src", "max/min"]).to_string(index=False))

    print("\n== GWP max/min > 2 across sources (all countries)")
    agg = gw.groupby("country").value.agg(["min", "max", "count"])
    agg["ratio"] = agg["max"] / agg["min"]
    wide = gw.pivot(index="country", columns="source", values="value")
    big = wide.loc[agg[(agg.ratio > 2)].sort_values("ratio", ascending=False).index]
    print(big.assign(ratio=agg.ratio).to_string(float_format=lambda v: format(v, '.3g')))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
