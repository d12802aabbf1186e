"""Pairwise precision and recall of syndicated-copy detection on a generated news set.

Generates stories, each published by 1-6 outlets with edited titles and leads under different
URLs, plus distinct stories about the same pairs and topics (sharing words such as "talks" and
"tariffs"), runs them through the same MinHash/LSH matching the poll uses, and prints the
pairwise precision and recall of "same story".

    .venv/bin/python scripts/syndication_eval.py               # 240 stories
    .venv/bin/python scripts/syndication_eval.py --stories 40  # quick
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass

from tensionwatch.sources.syndication import StoryIndex, signature

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


def _story(rng: random.Random) -> tuple[str, str]:
    first, second = rng.sample(COUNTRIES.split("|"), 2)
    topic = rng.choice(TOPICS)
    title = f"{first} and {second} {rng.choice(EVENTS)} {topic} in {rng.choice(CITIES)}"
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


def _copy(story: int, title: str, lead: str, outlet: str, rng: random.Random) -> Copy:
    title = _edit(title, rng, rng.randint(0, 2))
    title = rng.choice(["{}", "UPDATE 1-{}", "{} - {}", "{} | {}"]).format(
        title, outlet.split(".", maxsplit=1)[0].upper()
    )
    sentences = _edit(lead, rng, rng.randint(0, 3)).split(". ")
    lead = ". ".join(sentences[: rng.randint(1, len(sentences))])
    if rng.random() < 0.5:
        lead = f"{rng.choice(CITIES).upper()} ({outlet.split('.', maxsplit=1)[0]}) - {lead}"
    url = f"https://www.{outlet}/world/{story}-{rng.getrandbits(32):08x}?utm_source=rss"
    return Copy(story, url, title, lead)


def generate(stories: int, seed: int) -> list[Copy]:
    """`stories` stories, each in 1-6 outlets' edited copies, in a shuffled arrival order."""
    rng = random.Random(seed)
    copies = []
    for story in range(stories):
        title, lead = _story(rng)
        for outlet in rng.sample(OUTLETS, rng.randint(1, 6)):
            copies.append(_copy(story, title, lead, outlet, rng))
    rng.shuffle(copies)
    return copies


def evaluate(copies: list[Copy]) -> tuple[float, float]:
    """Pairwise (precision, recall) of the predicted story clusters against the truth."""
    index = StoryIndex()
    predicted: list[int] = []
    for n, copy in enumerate(copies):
        sig = signature(copy.title, copy.lead)
        found = index.match(sig)
        if found is None:
            index.add(str(n), sig)
            predicted.append(n)
        else:
            predicted.append(int(found))
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(copies)), 2):
        truth = copies[i].story == copies[j].story
        guess = predicted[i] == predicted[j]
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    copies = generate(args.stories, args.seed)
    precision, recall = evaluate(copies)
    print(f"stories={args.stories} articles={len(copies)} seed={args.seed}")
    print(f"pairwise precision={precision:.3f} recall={recall:.3f}")
    return 0 if precision >= 0.95 and recall >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
