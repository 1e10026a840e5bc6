"""Every controlled vocabulary and display order of the dataset, in one place.

Standard library only: the raw-record schema (:mod:`kdwars.schema`), the build,
the data dictionary (enum constraints and ordered categories in
``datapackage.json``), the loaders, analysis, plotting and the raw-data README
(checked by a test) all take their vocabularies from here. Tuples are ordered:
where an order means something (precisions, qualitative levels) it is the
order of the ordered categoricals the loaders return.
"""

from __future__ import annotations

#: Sides (polities and peoples); ``both``/``none`` for records that name no single side.
SIDES: tuple[str, ...] = (
    "kazakh", "dzungar", "oirat", "bukhara", "khoshut", "khalkha", "qing", "russia",
    "kalmyk", "kyrgyz", "uzbek", "kokand", "khiva", "yarkent", "altan-khanate",
    "bashkir", "karakalpak", "tibet", "both", "none",
)
#: The three Kazakh jüzes (hordes), as place claims name them (``places[].juz``).
JUZES: tuple[str, ...] = ("senior", "middle", "junior")
#: What an outcome claim may name as winner.
WINNERS: tuple[str, ...] = SIDES + ("inconclusive",)
#: ``events.winner``: a winner, or what the build says when sources differ or are silent.
EVENT_WINNERS: tuple[str, ...] = WINNERS + ("disputed", "unknown")
EVENT_TYPES: tuple[str, ...] = (
    "war", "campaign", "invasion", "battle", "siege", "city-capture", "raid", "council",
    "embassy", "treaty", "protectorate", "death", "succession", "capture-of-person",
    "displacement", "founding", "fortification",
)
#: Event types whose outcome is a military result (winner ``unknown`` when no source says).
#: Only these contests may carry a ``winner``; any other type keeps its outcome as a phrase.
MILITARY_TYPES: tuple[str, ...] = ("war", "campaign", "invasion", "battle", "siege", "city-capture", "raid")
CONTEST_TYPES: tuple[str, ...] = MILITARY_TYPES
#: Event types grouped into a few categories (few enough to colour apart).
EVENT_CATEGORIES: dict[str, str] = {
    "battle": "fighting", "siege": "fighting", "raid": "fighting", "city-capture": "fighting",
    "campaign": "campaign or invasion", "invasion": "campaign or invasion", "war": "war",
    "embassy": "diplomacy", "treaty": "diplomacy", "protectorate": "diplomacy", "council": "diplomacy",
    "death": "rulers and captives", "succession": "rulers and captives", "capture-of-person": "rulers and captives",
    "founding": "rulers and captives", "fortification": "fighting", "displacement": "displacement",
}
#: Order of the event categories in charts.
EVENT_CATEGORY_ORDER: tuple[str, ...] = (
    "fighting", "campaign or invasion", "war", "diplomacy", "rulers and captives", "displacement",
)
#: Order of event types in charts (military first).
EVENT_TYPE_ORDER: tuple[str, ...] = (
    "war", "campaign", "invasion", "battle", "siege", "city-capture", "raid", "capture-of-person",
    "displacement", "council", "embassy", "treaty", "protectorate", "succession", "death", "founding",
    "fortification",
)
MEASURES: tuple[str, ...] = (
    "strength", "killed", "wounded", "captured", "losses", "livestock-taken", "migrants",
    "hostages", "tribute", "subjects",
)
UNITS: tuple[str, ...] = (
    "men", "people", "families", "yurts", "kibitkas", "horses", "camels", "cattle", "head",
    "percent", "km", "fox-skins",
)
#: What a strength figure means.
KINDS: tuple[str, ...] = (
    "initial", "reinforcement", "detachment", "relief", "total", "planned", "rumoured",
    "returned", "garrison",
)
WITNESSES: tuple[str, ...] = ("article", "historian", "envoy-report", "testimony", "chronicle", "legend", "infobox")
PLACE_KINDS: tuple[str, ...] = (
    "city", "fortress", "river", "lake", "mountains", "desert", "steppe", "region", "valley",
    "pass", "battlefield", "sea", "country",
)
PLACE_PRECISIONS: tuple[str, ...] = ("exact", "approximate", "centroid")
#: ``events.place_precision``: a place's precision, or ``region``/``country`` for such a place.
EVENT_PLACE_PRECISIONS: tuple[str, ...] = PLACE_PRECISIONS + ("region", "country")
REGIONS: tuple[str, ...] = (
    "jetisu", "chu-talas", "syr-darya", "tashkent-oasis", "fergana", "transoxiana", "khwarezm",
    "central-kazakhstan", "northern-kazakhstan", "western-kazakhstan", "irtysh-altai",
    "dzungaria", "tian-shan", "tarim", "mongolia", "siberia", "volga", "tibet", "china", "pamir",
    "european-russia", "khorasan",
)
#: Names of the regions for charts and tables (never the slugs).
REGION_LABELS: dict[str, str] = {
    "jetisu": "Jetisu", "chu-talas": "Chu–Talas", "syr-darya": "Syr Darya", "tashkent-oasis": "Tashkent oasis",
    "fergana": "Fergana", "transoxiana": "Transoxiana", "khwarezm": "Khwarezm",
    "central-kazakhstan": "Central Kazakhstan", "northern-kazakhstan": "Northern Kazakhstan",
    "western-kazakhstan": "Western Kazakhstan", "irtysh-altai": "Irtysh–Altai", "dzungaria": "Dzungaria",
    "tian-shan": "Tian Shan", "tarim": "Tarim basin", "mongolia": "Mongolia", "siberia": "Siberia",
    "volga": "Volga", "tibet": "Tibet", "china": "China", "pamir": "Pamir", "european-russia": "European Russia",
    "khorasan": "Khorasan",
}
#: Participant roles (event × person).
ROLES: tuple[str, ...] = (
    "commander", "co-commander", "ruler", "envoy", "captive", "killed", "ally", "claimant",
    "rival", "participant", "informant", "recipient",
)
#: The roles counted as commanding.
COMMAND_ROLES: tuple[str, ...] = ("commander", "co-commander")
FATES: tuple[str, ...] = ("KIA", "POW")
#: Fields a person claim may state.
PERSON_FIELDS: tuple[str, ...] = ("juz", "fate", "died", "title", "side", "born", "clan")
#: What a place is to an event (event × place table).
PLACE_ROLES: tuple[str, ...] = (
    "site", "near", "theatre", "target", "captured", "destination", "origin", "route", "border", "named", "held",
)
#: ``event_places.role``: a place claim's role, or ``primary`` for the event's own place.
EVENT_PLACE_ROLES: tuple[str, ...] = ("primary",) + PLACE_ROLES
#: What two claims can disagree about (``disagreements[].aspect``; ``events.disputed``).
DISPUTE_ASPECTS: tuple[str, ...] = ("date", "place", "outcome", "figures", "participants", "route", "terms")
#: How a date or a place was obtained: from the event's own sentences, or inferred from the narrative.
BASES: tuple[str, ...] = ("stated", "inferred")
#: Where an ``event_sides`` row comes from.
SIDE_BASES: tuple[str, ...] = ("stated", "derived")
#: What a side was to an event (``event_sides.role``): a combatant (principal or ally) or not.
SIDE_ROLES: tuple[str, ...] = ("principal", "ally", "supplier", "host", "mediator")
#: The side roles that fight (counted in a camp's strength and wins).
COMBATANT_ROLES: tuple[str, ...] = SIDE_ROLES[:2]
#: How two claims on the same event and field relate (``kdwars.claim_relations``).
RELATIONS: tuple[str, ...] = ("same", "refines", "overlaps", "conflicts")
#: Fields compared in ``claim_relations``.
RELATION_FIELDS: tuple[str, ...] = ("date", "figure", "outcome", "place")
#: The two periodisations.
SCHEMES: tuple[str, ...] = ("period", "stage")
#: Kinds of source article.
SOURCE_KINDS: tuple[str, ...] = ("overview", "war")
#: Date precision codes, finest first.
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "season", "year", "years", "decade", "century")
SEASONS: tuple[str, ...] = ("spring", "summer", "autumn", "winter")
#: Ordered scale of qualitative severity words (lowest first).
QUALITATIVE_LEVELS: tuple[str, ...] = (
    "light", "moderate", "many", "heavy", "heavier", "very heavy", "catastrophic",
)
#: Figure precision codes.
FIGURE_PRECISIONS: tuple[str, ...] = (
    "exact", "approximate", "range", "lower-bound", "upper-bound", "vague", "qualitative", "unknown",
)

#: The two belligerents every chart shows first, in this order.
MAIN_SIDES: tuple[str, ...] = ("kazakh", "dzungar")
#: Order of sides and outcomes in legends (the rest follow alphabetically).
SIDE_ORDER: tuple[str, ...] = (
    "kazakh", "dzungar", "oirat", "khoshut", "bukhara", "qing", "russia", "kalmyk", "uzbek",
    "inconclusive", "disputed", "unknown", "none",
)

#: A claim's stable id inside its event: a letter (d, o, p, f, c, s) and 4-12 letters/digits.
CLAIM_ID_PATTERN = r"^[a-z][a-z0-9]{4,12}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

#: The one separator between the values of a multi-value column in the CSV tables.
LIST_SEPARATOR = ";"

#: Rough bounding box (lon0, lat0, lon1, lat1, WGS84) of each region: a place's
#: coordinates must fall inside its region's box (widened by REGION_TOLERANCE_DEG).
REGION_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "jetisu": (73.0, 42.0, 83.0, 47.5),
    "chu-talas": (68.5, 41.5, 76.5, 45.5),
    "syr-darya": (60.0, 40.0, 70.5, 47.0),
    "tashkent-oasis": (67.5, 40.0, 71.5, 42.5),
    "fergana": (69.5, 39.5, 74.0, 42.0),
    "transoxiana": (61.0, 36.5, 70.0, 42.0),
    "khwarezm": (56.0, 38.5, 62.5, 44.0),
    "central-kazakhstan": (64.0, 45.0, 78.0, 51.5),
    "northern-kazakhstan": (60.0, 50.0, 80.0, 56.5),
    "western-kazakhstan": (46.0, 43.0, 64.0, 52.5),
    "irtysh-altai": (76.0, 46.0, 91.0, 54.5),
    "dzungaria": (79.0, 42.0, 96.0, 49.5),
    "tian-shan": (70.0, 39.0, 90.0, 45.5),
    "tarim": (73.0, 35.5, 95.0, 43.0),
    "mongolia": (87.0, 41.0, 120.0, 53.0),
    "siberia": (60.0, 50.0, 110.0, 65.0),
    "volga": (42.0, 44.0, 56.0, 58.0),
    "tibet": (78.0, 27.0, 100.0, 37.0),
    "china": (95.0, 20.0, 125.0, 45.0),
    "pamir": (70.0, 36.0, 76.0, 40.0),
    "european-russia": (27.0, 44.0, 60.0, 66.0),
    "khorasan": (55.0, 30.0, 71.0, 38.5),
}
REGION_TOLERANCE_DEG = 1.0

#: How far (years) a child event may lie outside its parent's span.
PARENT_SPAN_TOLERANCE_YEARS = 2

#: The vocabularies of the raw records, as listed in ``data/raw/README.md``:
#: (field label, constant name, what the field is).
RAW_VOCABULARIES: tuple[tuple[str, str, str], ...] = (
    ("side", "SIDES", "a side slug; `both`/`none` for a record outside any one side"),
    ("winner", "WINNERS", "a side, or `inconclusive` (write `winner: kazakh` and keep \"Pyrrhic Kazakh "
     "victory\" in `as_written`); only the contest types below have a winner"),
    ("event type", "EVENT_TYPES", "`war` a numbered war or the whole wars, `council` a kurultai, `treaty` "
     "peace, ceasefire or alliance proposal, `protectorate` submission, `displacement` mass flight"),
    ("contest types", "CONTEST_TYPES", "the event types that may carry a `winner`"),
    ("measure", "MEASURES", "what a figure counts (`losses`: unspecified; `subjects`: people under a side's "
     "authority, e.g. a share of a horde, where `side` is the ruling side, not the side the people belong to)"),
    ("unit", "UNITS", "required for a figure with a number; may be left out for a qualitative one"),
    ("kind", "KINDS", "what a strength figure means; other measures may leave it empty"),
    ("witness", "WITNESSES", "who the article says the claim comes from (`article`: its own voice, the "
     "default; `envoy-report`: a contemporary official or envoy; `testimony`: prisoner, soldier, escapee)"),
    ("place role", "PLACE_ROLES", "what a place is to an event"),
    ("place kind", "PLACE_KINDS", "what a place is"),
    ("place precision", "PLACE_PRECISIONS", "`exact` a town or known site, `approximate` within ~50 km, "
     "`centroid` a representative point of a river, lake, range or region"),
    ("region", "REGIONS", "historical region; a place's coordinates lie within its region's bounds"),
    ("participant role", "ROLES", "a person's part in an event"),
    ("fate", "FATES", "killed in action or taken prisoner (or empty)"),
    ("person claim field", "PERSON_FIELDS", "what a person claim states"),
    ("dispute aspect", "DISPUTE_ASPECTS", "what a stated disagreement is about"),
    ("basis", "BASES", "`date_basis`/`place_basis`: from the event's own sentences, or inferred"),
    ("side role", "SIDE_ROLES", "a side's part in an event (`sides` claims)"),
    ("scheme", "SCHEMES", "the two periodisations of `phases.yaml`"),
    ("source kind", "SOURCE_KINDS", "kind of source article"),
)


def vocabulary_markdown() -> str:
    """The vocabulary section of ``data/raw/README.md``, generated from this module.

    Returns
    -------
    str
        One Markdown bullet per raw vocabulary: its label, its values in
        backticks, and what the field is.

    Examples
    --------
    >>> vocabulary_markdown().splitlines()[0].startswith("- **side** (`SIDES`): `kazakh`")
    True
    """
    lines = []
    for label, const, gloss in RAW_VOCABULARIES:
        values = ", ".join(f"`{v}`" for v in globals()[const])
        lines.append(f"- **{label}** (`{const}`): {values}. {gloss[0].upper() + gloss[1:]}.")
    return "\n".join(lines) + "\n"


__all__ = [name for name in dir() if name.isupper()] + ["vocabulary_markdown"]
