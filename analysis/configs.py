"""The hashing configurations the analysis compares, as ringlb flags and simulate flags."""

from dataclasses import dataclass


@dataclass(frozen=True)
class HashConfig:
    key: str          # short identifier, used in file names and results.json
    label: str        # how charts and the report name it
    ringlb_flags: tuple
    simulate_flags: tuple


def classic(functions, label):
    return HashConfig(f"classic-{functions}", label,
                      ("--hash", "classic", "--hash-functions", functions),
                      ("--algorithm", "classic", "--classic-functions", functions))


ASSIGNMENT = classic("assignment", "classic, assignment's H and Φ")

CONFIGS = (
    ASSIGNMENT,
    classic("splitmix", "classic, SplitMix64 H and Φ"),
    classic("xxh3", "classic, xxh3 H and Φ"),
    HashConfig("ring", "ring, 256 virtual nodes", ("--hash", "ring"), ("--algorithm", "ring")),
    HashConfig("maglev", "maglev", ("--hash", "maglev"), ("--algorithm", "maglev")),
    HashConfig("default", "default: maglev-incremental", ("--hash", "default"),
               ("--algorithm", "default")),
)

DEFAULT = CONFIGS[-1]
