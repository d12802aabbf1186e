"""Pairwise precision and recall of syndicated-copy detection, on real wire copies and on a
generated news set, through `tensionwatch stories` (the poll's own matching).

Real: ../shared/eval/syndication_dev.jsonl (wire stories as outlets carried them, labelled by
story; read in publication order where dated). Generated: stories, each carried by 1-6 outlets
with the edits real copies show (headline rewritten or rebuilt from the URL slug, lead trimmed,
dateline and wire credit added or dropped, words swapped), plus distinct stories about the same
pairs and topics and, for some, another wire's own report of the same event (corroboration: a
separate story).

    .venv/bin/python scripts/syndication_eval.py               # 240 generated stories + real
    .venv/bin/python scripts/syndication_eval.py --stories 40 --real ''  # quick, generated only
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from tensionwatch.commands.stories import StoryLine, assign

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "syndication_dev.jsonl"
WIRES = ["AP", "Reuters", "AFP", "Xinhua", "Kyodo"]
START = datetime(2025, 3, 1, tzinfo=UTC)

COUNTRIES = """China|United States|Japan|South Korea|India|Pakistan|Russia|Ukraine|Turkey|Greece
|Iran|Israel|Egypt|Ethiopia|Brazil|Argentina|Germany|France|Poland|Serbia|Kosovo|Armenia
|Azerbaijan|Vietnam|Philippines|Australia|Canada|Mexico|Morocco|Algeria""".replace("\n", "")
EVENTS = [
    "hold talks on",
    "resume talks on",
    "impose tariffs on",
    "threaten tariffs on",
    "sign a deal on",
    "trade accusations over",
    "agree to cooperate on",
    "clash over",
    "lift sanctions on",
    "expel diplomats over",
    "open negotiations on",
    "freeze talks on",
]
TOPICS = [
    "steel",
    "semiconductors",
    "fishing rights",
    "the border",
    "grain exports",
    "gas supplies",
    "rare earths",
    "electric cars",
    "airspace",
    "water rights",
    "visa rules",
    "farm goods",
]
CITIES = [
    "Geneva",
    "Vienna",
    "Doha",
    "Oslo",
    "Singapore",
    "Istanbul",
    "Brussels",
    "Nairobi",
    "Riyadh",
    "Jakarta",
]
ROLES = ["foreign minister", "trade minister", "envoy", "president", "prime minister"]
NAMES = [
    "Adeyemi",
    "Bauer",
    "Castillo",
    "Dimitrov",
    "Eriksen",
    "Farouk",
    "Gallo",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kato",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Santos",
    "Tanaka",
    "Umarov",
    "Varga",
    "Wright",
    "Yilmaz",
    "Zhou",
    "Mendes",
    "Costa",
    "Novak",
    "Sato",
    "Kim",
]
DETAILS = [
    "a {n} percent levy on imports worth {m} billion dollars",
    "a {n}-point plan to be reviewed within {m} days",
    "a ceasefire line monitored by {n} observers from {m} countries",
    "quotas cut by {n} percent starting in {month}",
    "{n} detained crew members held since {month}",
    "a pipeline carrying {n} million cubic metres a day",
    "a {m}-year framework covering {n} sectors",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
]
OUTLETS = ["reuters.com", "apnews.com", "bbc.co.uk", "aljazeera.com", "dw.com", "france24.com",
           "nikkei.com", "scmp.com", "thehindu.com", "abc.net.au"]  # fmt: skip
SYNONYMS = {"talks": "negotiations", "hold": "open", "agree": "pledge", "deal": "pact",
            "said": "says", "tariffs": "duties", "clash": "spar", "sanctions": "penalties",
            "officials": "diplomats", "expected": "likely"}  # fmt: skip


@dataclass(frozen=True)
class Copy:
    story: int
    url: str
    title: str
    lead: str
    published_at: datetime = START


@dataclass(frozen=True)
class Event:
    first: str
    second: str
    event: str
    topic: str
    city: str


def _event(rng: random.Random) -> Event:
    first, second = rng.sample(COUNTRIES.split("|"), 2)
    return Event(first, second, rng.choice(EVENTS), rng.choice(TOPICS), rng.choice(CITIES))


def _story(rng: random.Random, event: Event) -> tuple[str, str]:
    first, second, topic = event.first, event.second, event.topic
    title = f"{first} and {second} {event.event} {topic} in {event.city}"
    detail = rng.choice(DETAILS).format(
        n=rng.randint(2, 90), m=rng.randint(2, 40), month=rng.choice(MONTHS)
    )
    name, role = rng.choice(NAMES), rng.choice(ROLES)
    lead = (
        f"{first}'s {role} {name} said on {rng.choice(MONTHS)} {rng.randint(1, 28)} that "
        f"officials had discussed {detail}. {second} was expected to respond after talks "
        f"on {topic} and tariffs, {rng.choice(NAMES)} told reporters."
    )
    return title, lead


def _edit(text: str, rng: random.Random, swaps: int) -> str:
    words = text.split()
    for _ in range(swaps):
        i = rng.randrange(len(words))
        bare = words[i].strip(".,").lower()
        if bare in SYNONYMS:
            words[i] = SYNONYMS[bare]
        elif rng.random() < 0.5 and len(words) > 6:
            del words[i]
    return " ".join(words)


REPORT_TITLES = [
    "{second} says talks with {first} on {topic} to go on",
    "{first}, {second} trade blame as {topic} row deepens",
    "What the {topic} dispute between {first} and {second} means",
    "{second} hits back at {first} over {topic}",
]
# Another wire's own lead: an opening and a closing clause drawn apart, so two reports share
# their facts (countries, topic, city) and little of their wording.
REPORT_OPENINGS = [
    "{name}, a spokesperson for {second}'s {role}, told a briefing in {city} on {month} {day}",
    "A row between {first} and {second} over {topic} deepened on {month} {day}",
    "The {topic} dispute has hung over ties between {second} and {first} since {month}",
    "{second} accused {first} of breaking a promise on {topic} made in {city}",
    "Envoys of {first} and {second} left {city} without a statement after {n} hours",
]
REPORT_CLOSINGS = [
    "and {n} rounds of talks over {topic} would continue, a second official said.",
    "while {name} of the {role}'s office put the cost at {n} billion dollars a year.",
    "according to {n} officials familiar with the matter who asked not to be named.",
    "as markets in both countries fell by {n} percent in early trading.",
    "in a sign that a settlement on {topic} is still months away, analysts said.",
]


def _report(event: Event, rng: random.Random) -> tuple[str, str]:
    """Another wire's own report of `event`: its own headline and lead, the same facts."""
    facts = {
        "first": event.first, "second": event.second, "topic": event.topic, "city": event.city,
        "name": rng.choice(NAMES), "role": rng.choice(ROLES), "month": rng.choice(MONTHS),
        "day": rng.randint(1, 28), "n": rng.randint(2, 90),
    }  # fmt: skip
    lead = f"{rng.choice(REPORT_OPENINGS)}, {rng.choice(REPORT_CLOSINGS)}"
    return rng.choice(REPORT_TITLES).format(**facts), lead.format(**facts)


def _headline(title: str, lead: str, rng: random.Random) -> str:
    """The headline an outlet gives its copy: the wire's, edited, or its own from the lead."""
    kind = rng.random()
    if kind < 0.25:  # rewritten from the lead's opening words
        return " ".join(lead.split()[: rng.randint(6, 10)]).rstrip(".,")
    title = _edit(title, rng, rng.randint(0, 2))
    if kind < 0.45:  # rebuilt from the URL slug, as a page without a headline shows it
        return " ".join(w.strip(".,'").lower() for w in title.split())
    return rng.choice(["{}", "UPDATE 1-{}", "{} - {}", "{} | {}"]).format(
        title, rng.choice(OUTLETS).split(".", maxsplit=1)[0].upper()
    )


def _copy(story: int, text: tuple[str, str], *, outlet: str, wire: str, rng: random.Random,
          published: datetime) -> Copy:  # fmt: skip
    title, lead = text
    sentences = _edit(lead, rng, rng.randint(0, 3)).split(". ")
    lead = ". ".join(sentences[: rng.randint(1, len(sentences))])
    headline = _headline(title, lead, rng)
    dateline = rng.random()
    if dateline < 0.35:
        lead = f"{rng.choice(CITIES).upper()} ({wire}) - {lead}"
    elif dateline < 0.55:
        lead = f"{rng.choice(CITIES)}: {lead}"
    url = f"https://www.{outlet}/world/{story}-{rng.getrandbits(32):08x}?utm_source=rss"
    return Copy(story, url, headline, lead, published + timedelta(minutes=rng.randint(0, 600)))


def generate(stories: int, seed: int) -> list[Copy]:
    """`stories` stories, each in 1-6 outlets' edited copies, and for a fifth of them another
    wire's report of the same event (its own story), in publication order."""
    rng = random.Random(seed)
    copies = []
    story = 0
    for n in range(stories):
        event = _event(rng)
        published = START + timedelta(hours=3 * n)
        wire, other = rng.sample(WIRES, 2)
        texts = [(_story(rng, event), wire)]
        if rng.random() < 0.2:
            texts.append((_report(event, rng), other))
        for text, credit in texts:
            for outlet in rng.sample(OUTLETS, rng.randint(1, 6)):
                copies.append(
                    _copy(story, text, outlet=outlet, wire=credit, rng=rng, published=published)
                )
            story += 1
    return sorted(copies, key=lambda copy: copy.published_at)


def evaluate(labels: list[str], lines: list[StoryLine]) -> tuple[float, float]:
    """Pairwise (precision, recall) of `tensionwatch stories`' clusters against the labels."""
    predicted = [story for _, story in assign(lines)]
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(lines)), 2):
        truth = labels[i] == labels[j]
        guess = predicted[i] == predicted[j]
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def generated_lines(copies: list[Copy]) -> list[StoryLine]:
    return [
        StoryLine(id=str(n), title=c.title, summary=c.lead, url=c.url, published_at=c.published_at)
        for n, c in enumerate(copies)
    ]


def real_set(path: Path) -> tuple[list[str], list[StoryLine]]:
    """The labelled real copies in file order, without times: half the rows carry only a day
    and half none, so no publication order can be rebuilt (a wrong one would let the store's
    TTL forget stories the labels join); matching reads text only."""
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    lines = [
        StoryLine(id=row["id"], title=row["title"], summary=row["summary"], url=row["url"],
                  outlet=row["outlet"])
        for row in rows
    ]  # fmt: skip
    return [row["story"] for row in rows], lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--real", default=str(REAL), help="labelled real copies ('' to skip)")
    args = parser.parse_args(argv)
    passed = True
    if args.real and Path(args.real).exists():
        labels, lines = real_set(Path(args.real))
        precision, recall = evaluate(labels, lines)
        print(f"real: {Path(args.real).name} articles={len(lines)} stories={len(set(labels))}")
        print(f"real: pairwise precision={precision:.3f} recall={recall:.3f}")
        passed = precision >= 0.97 and recall >= 0.80
    elif args.real:
        print(f"real: {args.real} not found, skipped")
    copies = generate(args.stories, args.seed)
    precision, recall = evaluate([str(c.story) for c in copies], generated_lines(copies))
    print(f"generated: stories={args.stories} articles={len(copies)} seed={args.seed}")
    print(f"generated: pairwise precision={precision:.3f} recall={recall:.3f}")
    return 0 if passed and precision >= 0.99 and recall >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main())
