"""The `mtaudit` command line: a thin layer over mtaudit.run.pipeline, mtaudit.reports.tables and mtaudit.gate.verdict."""

from __future__ import annotations

import copy
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import install_hints
from .cli_coercion import install as _install_plain_coercion

_install_plain_coercion()  # plain option values without pydantic (0.2 s of start-up)

from .checks import load_all, select
from .cli_options import (
    AdequacyOption,
    AllowDuplicates,
    BackModelOption,
    ChecksOption,
    CometBatchSizeOption,
    CometInt8Option,
    CometOption,
    ConfigOption,
    ExcludeOption,
    Executor,
    FailOn,
    FailOnOption,
    GazetteerChoice,
    JobsOption,
    Lang,
    MinScoreOption,
    MtBeamOption,
    MtComputeTypeOption,
    MtModelOption,
    NamesOption,
    OutputFormat,
    ProfileOption,
    ReferenceOption,
    ReferencesOption,
    RulesOption,
    ScoreLevel,
    ScoreLevelOption,
    SourceOption,
    ThreadsOption,
    format_option,
    out_option,
    quiet_option,
    suppressions_option,
)
from .gate.verdict import (
    EXIT_INCOMPLETE,
    EXIT_INPUT,
    EXIT_PASS,
    GatePolicy,
    Verdict,
    evaluate,
    parse_min_scores,
)
from .inputs.readers import InputError, read_inputs
from .knowledge.resources import ReferenceDataError
from .reports.report_set import ReportSet
from .reports.tables import summary, write_reports
from .run.collector import batch_collection
from .run.pipeline import AuditConfig, audit
from .run.stream import audit_to_reports, merge_shards, parse_shard, shard_of, streamable
from .run.time_limit import DEFAULT_SECONDS
from .scorers import ModelUnavailable
from .types import Severity

#: Exit codes of an interrupted run (128 + the signal's number, as shells report them).
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs."""


def _on_sigterm(signum, frame):  # noqa: ARG001 — the signal handler's signature
    raise _Terminated()


app = typer.Typer(
    help="Audit machine translations of news wire copy (English → Arabic).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help text is plain text: with Rich markup on, "mtaudit[comet]" printed as "mtaudit".
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from . import __version__
        from .names.jointdecode import decoder_info

        typer.echo(f"mtaudit {__version__}")
        typer.echo(f"transliteration decoder: {decoder_info()}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print mtaudit's version and exit.")
    ] = False,
) -> None:
    """Audit machine translations of news wire copy (English → Arabic)."""


checks_app = typer.Typer(rich_markup_mode=None, help="List the checks, or explain one.", invoke_without_command=True)
app.add_typer(checks_app, name="checks")
names_app = typer.Typer(rich_markup_mode=None, help="The names gazetteer.", no_args_is_help=True)
app.add_typer(names_app, name="names")
models_app = typer.Typer(rich_markup_mode=None, help="MT models for --mt-model and --back-model.", no_args_is_help=True)
app.add_typer(models_app, name="models")


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
    comet_int8: bool = False,
) -> list:
    """Load the requested models before reading any input, so a missing model fails fast
    (exit 2) with a message naming it."""
    scorers: list = []
    try:
        if comet:
            from .scorers.comet import load_comet

            scorers.append(load_comet(comet, batch_size=comet_batch_size, threads=threads, quantize=comet_int8))
        if mt_model or back_model:
            from .scorers.mt.load import load_mt_model
            from .scorers.mt.model import BackTranslationScorer

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


def _progress(total: int):
    """A progress display for the audit and the report writing: count, articles/s, ETA."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            unit = task.fields.get("unit", "articles")
            return Text(f"{task.speed:,.0f} {unit}/s" if task.speed and unit == "articles" else "")

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(), TimeRemainingColumn(), transient=True
    )
    # One bar a stage, each shown from its first step: the audit, the batch checks, the report
    # pass over the articles (alignment, scores, triage) and the report files themselves.
    progress.tasks_by_stage = {
        "audit": progress.add_task("auditing", total=total),
        "batch": progress.add_task("batch checks", total=None, visible=False, unit="checks"),
        "align": progress.add_task("aligning and scoring", total=total, visible=False),
        "reports": progress.add_task("preparing reports", total=total, visible=False),
        "files": progress.add_task("writing report files", total=None, visible=False, unit="files"),
    }
    return progress


def _progress_callback(progress):
    def update(stage: str, done: int, total: int) -> None:
        task = progress.tasks_by_stage[stage]
        progress.update(task, completed=done, total=total or None, visible=True)

    return update
#: audit option (parameter name) → configuration key, for options a config file can set.
_CONFIGURABLE = {
    "fail_on": "fail_on", "checks": "checks", "exclude": "exclude", "references": "references", "names": "names",
    "min_score": "min_score", "score_level": "score_level", "adequacy": "adequacy", "align": "align", "jobs": "jobs",
    "min_quality": "min_quality", "min_delivery_quality": "min_delivery_quality", "max_findings": "max_findings",
    "baseline": "baseline", "suppressions": "suppressions",
}


def _parse_limits(text: str) -> dict[str, int]:
    """``"repeated-word=0,calque=3"`` → {"repeated-word": 0, "calque": 3}."""
    out = {}
    for item in (i.strip() for i in text.split(",") if i.strip()):
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = int(value)
        except ValueError:
            raise ValueError(f"{item!r}: expected CHECK=COUNT") from None
        if out[name.strip()] < 0:
            raise ValueError(f"{item!r}: a count cannot be negative")
    return out


def _cli_value(name: str, value):
    """A command-line value in the configuration's terms."""
    if name == "fail_on":
        return value.value
    if name == "score_level":
        return value.value
    if name in ("checks", "exclude"):
        return _split_ids(value)
    if name in ("references", "names"):
        return [str(p) for p in value or []]
    if name == "min_score":
        return {k: v for k, v in parse_min_scores(value or "").items()}
    if name == "max_findings":
        return _parse_limits(value or "")
    if name in ("baseline", "suppressions"):
        return str(value)
    return value


def _settings(ctx: typer.Context, config_file: Optional[Path], profile: Optional[str], values: dict):
    """Defaults < config file < profile < options given on the command line."""
    from .config import ConfigError, load

    try:
        settings = load(config_file, profile)
    except ConfigError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    for name, key in _CONFIGURABLE.items():
        if name not in values:
            continue
        # typer vendors click; compare the source by name rather than import its enum.
        source = ctx.get_parameter_source(name)
        if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT"):
            try:
                settings.set(key, _cli_value(name, values[name]), "command line")
            except ValueError as exc:
                _error(f"--{name.replace('_', '-')}: {exc}")
                raise typer.Exit(EXIT_INPUT)
    return settings


def _policy(settings) -> GatePolicy:
    try:
        minimums = parse_min_scores(",".join(f"{k}={v}" for k, v in settings["min_score"].items()))
    except ValueError as exc:
        _error(f"min_score: {exc}")
        raise typer.Exit(EXIT_INPUT)
    fail_on = settings["fail_on"]
    return GatePolicy(
        None if fail_on == "never" else Severity(fail_on), minimums, settings["score_level"],
        {k: float(v) for k, v in settings["weights"].items()},
        settings["min_quality"], settings["min_delivery_quality"], dict(settings["max_findings"]),
    )


def _audit_config(settings) -> AuditConfig:
    """What to run, from the settings; unknown check ids exit 2."""
    from .config import ConfigError, conventions_dir

    off = [c for c, sev in settings["severity"].items() if sev == "off"]
    refs = [Path(p) for p in settings["references"]]
    try:
        conv = conventions_dir(settings["conventions"], refs)
    except ConfigError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    config = AuditConfig(
        settings["checks"] or None, [*settings["exclude"], *off], refs + ([conv] if conv else []),
        settings["jobs"], [Path(p) for p in settings["names"]],
    )
    unknown = [c for c in [*settings["severity"], *settings["max_findings"]] if c not in load_all()]
    try:
        select(config.checks, config.exclude)
        if unknown:
            raise KeyError(", ".join(unknown))
    except KeyError as exc:
        _error(f"unknown check id(s): {exc.args[0]} (see `mtaudit checks`)")
        raise typer.Exit(EXIT_INPUT)
    config.align, config.adequacy = settings["align"], settings["adequacy"]
    return config


@dataclass
class Outputs:
    """What to write besides the report folder, and how to print the result."""

    fmt: str = "text"
    sarif: Optional[Path] = None
    junit: Optional[Path] = None
    xliff_out: Optional[Path] = None
    write_baseline: Optional[Path] = None
    compare_with: Optional[Path] = None


def _triage_inputs(settings):
    """Load the suppression file and the baseline named by the settings (exit 2 if bad)."""
    from .gate.baseline import BaselineError
    from .gate.baseline import load as load_baseline
    from .gate.suppressions import SuppressionError
    from .gate.suppressions import load as load_suppressions

    try:
        sup = load_suppressions(Path(settings["suppressions"])) if settings["suppressions"] else None
        base = load_baseline(Path(settings["baseline"])) if settings["baseline"] else None
    except (SuppressionError, BaselineError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    return sup, base


@app.command("audit")
def audit_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, .jsonl, .csv, .tsv, XLIFF (.xlf, .xliff) or TMX (.tmx) files.")],
    source: SourceOption = None,
    reference: ReferenceOption = None,
    out: out_option("Report folder (default: reports/<date-time>/).") = None,
    config_file: ConfigOption = None,
    profile: ProfileOption = None,
    fail_on: FailOnOption = FailOn.major,
    min_quality: Annotated[Optional[float], typer.Option("--min-quality", min=0, max=100, help="Exit 1 when an article's quality score (100 − penalty per 1,000 words) is below this.")] = None,
    min_delivery_quality: Annotated[Optional[float], typer.Option("--min-delivery-quality", min=0, max=100, help="Exit 1 when the delivery's quality score is below this.")] = None,
    max_findings: Annotated[Optional[str], typer.Option("--max-findings", help="Per-check limits over the delivery, e.g. repeated-word=0,calque=5.")] = None,
    checks: ChecksOption = None,
    exclude: ExcludeOption = None,
    references: ReferencesOption = None,
    names: NamesOption = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Baseline file (mtaudit baseline create): fail only on new findings, report fixed ones.")] = None,
    suppressions: suppressions_option("Suppression file (JSON or CSV) of findings marked not an error.") = None,
    min_score: MinScoreOption = None,
    score_level: ScoreLevelOption = ScoreLevel.article,
    adequacy: AdequacyOption = False,
    comet: CometOption = None,
    comet_batch_size: CometBatchSizeOption = 16,
    comet_int8: CometInt8Option = False,
    mt_model: MtModelOption = None,
    back_model: BackModelOption = None,
    align: Annotated[
        bool, typer.Option("--align/--no-align", help="Align whole articles with source and reference sentence by sentence.")
    ] = True,
    threads: ThreadsOption = None,
    mt_compute_type: MtComputeTypeOption = "int8",
    mt_beam: MtBeamOption = 4,
    gazetteer: Annotated[
        GazetteerChoice,
        typer.Option(
            "--gazetteer",
            help="Names gazetteer: curated (references/gazetteer_curated.tsv) or built (adds the 24,817 Wikidata/CLDR rows of gazetteer_built.tsv; slower to load).",
        ),
    ] = GazetteerChoice.curated,
    jobs: JobsOption = 1,
    output_format: format_option("text: the summary; json: the result on stdout; github: GitHub Actions annotations (also on when GITHUB_ACTIONS=true).") = OutputFormat.text,
    sarif: Annotated[Optional[Path], typer.Option("--sarif", help="Also write SARIF 2.1.0 to this file (GitHub code scanning).")] = None,
    junit: Annotated[Optional[Path], typer.Option("--junit", help="Also write JUnit XML (one testcase per article) to this file.")] = None,
    xliff_out: Annotated[Optional[Path], typer.Option("--xliff-out", help="Write XLIFF inputs back to this folder with the findings as notes and ITS LQI issues.")] = None,
    cache: Annotated[
        Optional[Path], typer.Option("--cache", help="Result-cache folder (default: the user cache dir, or $MTAUDIT_CACHE_DIR).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Audit every article afresh; keep nothing.")] = False,
    executor: Annotated[
        Optional[Executor], typer.Option("--executor", help="Audit on this machine (local) or on a Dask cluster (dask, needs mtaudit[dask]).")
    ] = None,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
    ] = None,
    shard: Annotated[
        Optional[str],
        typer.Option("--shard", help="Audit only shard I of N (e.g. 2/8, split by article id); join them with `mtaudit merge`."),
    ] = None,
    allow_duplicates: AllowDuplicates = False,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0, help="Seconds one article may take; one over it is reported as an input problem (0: no limit)."),
    ] = DEFAULT_SECONDS,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of report.html's messages (the terminal's are English).")] = Lang.ar,
    quiet: quiet_option("Print only the report folder (and the verdict line on stderr).") = False,
    termbase: Annotated[
        Optional[list[Path]],
        typer.Option("--termbase", help="Client termbase: TBX, or CSV/TSV/XLSX with english, arabic, status, note; repeatable."),
    ] = None,
    rules: RulesOption = None,
    enable: Annotated[
        Optional[str],
        typer.Option("--enable", help="Comma-separated off-by-default checks to run too (house style, see `mtaudit checks`)."),
    ] = None,
) -> None:
    """Audit translated articles and write findings.csv, articles.csv, segments.csv, findings.json and report.html."""
    started = time.monotonic()
    settings = _settings(ctx, config_file, profile, locals())
    policy = _policy(settings)
    config = _audit_config(settings)
    triage_in = _triage_inputs(settings)
    config.termbases, config.rules, config.enable = list(termbase or []), list(rules or []), _split_ids(enable)
    try:
        config.specs()
        # A broken rules file or termbase is a usage error before any input is read.
        config.resources().termbase
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    except KeyError as exc:
        _error(f"unknown check id(s): {exc.args[0]} (see `mtaudit checks`)")
        raise typer.Exit(EXIT_INPUT)
    config.time_limit = time_limit or None
    config.gazetteer = gazetteer.value
    config.cache, config.cache_dir = not no_cache, cache
    config.executor, config.scheduler = (executor or Executor.local).value, scheduler
    if config.executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            _error(f"--executor dask needs the dask extra: {install_hints.extra('dask')}")
            raise typer.Exit(EXIT_INPUT)
    if shard:
        try:
            parse_shard(shard)
        except ValueError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_INPUT)
    config.scorers = _load_scorers(comet, comet_batch_size, mt_model, back_model, threads, mt_compute_type, mt_beam, comet_int8)
    if shard and not streamable(config):
        _error("--shard works with the checks and sacrebleu; score with the model scorers after `mtaudit merge`")
        raise typer.Exit(EXIT_INPUT)
    outputs = Outputs(output_format.value, sarif, junit, xliff_out)
    _run(
        paths, source, reference, out, policy, config, quiet, started, settings=settings, triage_in=triage_in,
        outputs=outputs, shard=shard or "", allow_duplicates=allow_duplicates, lang=lang.value,
    )


#: A model scorer's name → the score column it fills.
_SCORER_COLUMNS = {"mt-model": "mt_logprob", "mt-backtranslation": "bt_chrf", "comet": "comet", "comet_qe": "comet_qe"}


def _check_minimums_possible(policy: GatePolicy, config: AuditConfig, inputs, reference: Optional[Path]) -> None:
    """A --min-score that nothing in this run can produce is a usage error before the audit."""
    from .gate.verdict import SCORE_NEEDS

    if not policy.min_scores:
        return
    has_ref = reference is not None or any(a.reference or any(a.record_references) for a in inputs.articles)
    has_src = any(a.source or any(a.record_sources) for a in inputs.articles)
    produced = {"chrf2", "chrf2pp", "bleu", "ter"} if has_ref and config.score else set()
    if has_src and config.adequacy:
        produced.add("adequacy")
    produced |= {_SCORER_COLUMNS.get(getattr(sc, "name", ""), getattr(sc, "name", "")) for sc in config.scorers}
    missing = [n for n in policy.min_scores if n not in produced]
    for name in missing:
        _error(f"--min-score {name}: this run cannot produce it (it needs {SCORE_NEEDS.get(name, 'references: --reference DIR or a reference column')})")
    if missing:
        raise typer.Exit(EXIT_INPUT)


@batch_collection()
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
    settings=None,
    triage_in=(None, None),
    outputs: Outputs | None = None,
    shard: str = "",
    merge: Optional[list[Path]] = None,
    allow_duplicates: bool = False,
    lang: str = "ar",
) -> None:
    """Read, audit, triage, write the reports, print the summary and exit with the gate's
    code (``merge``: join these shard outputs instead of reading and auditing).

    The audit is streamed (constant memory, mtaudit.run.stream) unless something needs the
    whole batch in memory: the model scorers, per-check delivery limits (max-findings), or
    an output built from every article's text (--format json/github, SARIF, JUnit, XLIFF)."""
    from .gate.triage import Triage
    from .inputs.readers import Inputs

    outputs = outputs or Outputs()
    try:
        inputs = read_inputs(paths, source, reference, allow_duplicates=allow_duplicates) if merge is None else Inputs()
    except InputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    for problem in inputs.problems:
        typer.echo(f"mtaudit: {problem.label}: {problem.message}", err=True)
    if signatures and inputs.articles and not config.scorers and not config.adequacy and reference is None and not any(
        a.reference or any(a.record_references) for a in inputs.articles
    ):
        _error("score: nothing to score: give references (--reference DIR, or a reference column/field), "
               "or a model that needs none (--comet with a QE model, --adequacy, --mt-model)")
        raise typer.Exit(EXIT_INPUT)
    if inputs.articles:
        _check_minimums_possible(policy, config, inputs, reference)
    indices = None
    if shard:
        i, n = parse_shard(shard)
        indices = [k for k, a in enumerate(inputs.articles) if shard_of(a.id, n) == i]
        inputs.articles = [inputs.articles[k] for k in indices]

    github = outputs.fmt == "github" or os.environ.get("GITHUB_ACTIONS") == "true"
    whole_batch = bool(
        policy.max_findings or outputs.fmt == "json" or github or outputs.sarif or outputs.junit or outputs.xliff_out
    )
    if whole_batch and (shard or merge is not None):
        _error("--shard and `mtaudit merge` write the report folder only: run max-findings, --format json/github, "
               "--sarif, --junit and --xliff-out on an unsharded audit")
        raise typer.Exit(EXIT_INPUT)
    stream = merge is None and streamable(config) and not whole_batch
    out_dir = out or Path("reports") / time.strftime("%Y%m%d-%H%M%S")
    show = _show_progress() and len(inputs.articles) > 1 and not quiet and outputs.fmt == "text"
    progress = _progress(len(inputs.articles)) if show else None
    callback = _progress_callback(progress) if progress else None
    sup, base = triage_in
    try:
        report_set = ReportSet(out_dir)
    except OSError as exc:
        _error(f"cannot write reports to {out_dir}: {exc}")
        raise typer.Exit(EXIT_INPUT)
    for note in report_set.cleaned:
        typer.echo(f"mtaudit: note: {note}", err=True)
    staging = report_set.staging
    written = False
    try:
        if progress is not None:
            progress.start()
        steps = Triage(
            config.reference_dirs,
            settings["severity"] if settings else {}, settings["disable_critical"] if settings else (), sup, base,
        )
        if merge is not None:
            result, paths_written = merge_shards(merge, config, staging, policy, callback, steps, lang)
        elif stream:
            # constant memory: results spooled to disk, each article triaged, rows written one by one
            options = None
            if settings is not None:
                from .run.report_cache import report_options

                options = report_options(settings.values, policy, lang, (settings["suppressions"], settings["baseline"]))
            result, paths_written = audit_to_reports(
                inputs.articles, config, staging, policy, inputs.problems, callback, len(inputs.articles), indices, shard,
                steps, lang, options,
            )
        else:
            done = [0]

            def advance(_result) -> None:
                done[0] += 1
                callback("audit", done[0], len(inputs.articles))

            result = audit(inputs.articles, config, inputs.problems, advance if callback else None, callback)
            for art in result.articles:
                steps.article(art)
            steps.finish(result)
            files = (lambda done, total: callback("files", done, total)) if callback else None
            paths_written = write_reports(result, staging, policy, lang, config.reference_dirs, progress=files)
        stats = steps.stats
        if whole_batch:
            _write_outputs(result, policy, outputs, inputs, config)
        written = True
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    except ModelUnavailable as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except OSError as exc:
        _error(f"cannot write reports to {out_dir}: {exc}")
        raise typer.Exit(EXIT_INPUT)
    except ValueError as exc:  # shards that do not belong together
        if merge is None:
            raise
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except KeyboardInterrupt as exc:
        kept = "; the articles audited so far are in the result cache, and the same command run again reuses them" if config.cache else ""
        _error(f"interrupted: no report was written; {out_dir} is as it was{kept}")
        raise typer.Exit(EXIT_TERMINATED if isinstance(exc, _Terminated) else EXIT_INTERRUPTED)
    finally:
        if progress is not None:
            progress.stop()
        if not written:  # failed or interrupted: the old set stays whole
            report_set.abort()
    try:
        report_set.commit()
    except OSError as exc:
        report_set.abort()
        _error(f"cannot write reports to {out_dir}: {exc}")
        raise typer.Exit(EXIT_INPUT)
    paths_written = {name: report_set.final(path) for name, path in paths_written.items()}

    verdict = evaluate(result, policy)
    if shard and not result.articles and indices is not None and not inputs.problems:
        verdict = Verdict("pass", EXIT_PASS, ["this shard has no articles"])  # the others have them all
    if github:
        from .reports.github import annotations

        for line in annotations(result, policy, verdict):
            typer.echo(line)
    if outputs.fmt == "json":
        import json

        from .reports.tables import findings_json

        typer.echo(json.dumps(findings_json(result, policy), ensure_ascii=False, indent=1))
    elif quiet:
        typer.echo(str(out_dir))
        typer.echo(f"mtaudit: {verdict.line()}", err=True)
    elif outputs.fmt == "text":
        s = summary(result, policy)
        sev = ", ".join(f"{k} {v}" for k, v in s["findings"].items())
        typer.echo(
            f"Audited {s['articles_audited']} article(s), skipped {s['inputs_skipped']} input(s) "
            f"in {time.monotonic() - started:.1f}s.\n"
            f"Findings: {sev}.\n"
            f"Verdict: {verdict.status.upper()} (fail on {s['fail_on']})"
            + (f": {'; '.join(verdict.reasons)}" if verdict.reasons else "")
            + _scores_line(result)
            + _triage_line(result, stats, s)
            + f"\nReport: {paths_written['report.html']}\n        (findings.csv, articles.csv, segments.csv, findings.json, findings.xlsx in {out_dir})"
        )
    if signatures and not quiet and outputs.fmt == "text":
        for sc in result.corpus_scores:
            typer.echo(f"{sc.text}")
        if not result.corpus_scores:
            typer.echo("No references were given: no sacrebleu scores (use --reference DIR, or a reference column).")
    for crash in result.crashes:
        typer.echo(f"mtaudit: check {crash.check} crashed on {crash.article_id} {crash.segment_id}: {crash.error}", err=True)
    raise typer.Exit(verdict.exit_code)


def _triage_line(result, stats: dict, s: dict) -> str:
    """Quality, critical rules, suppressions and baseline, for the text summary."""
    parts = [f"\nQuality: {s['quality']:.1f}/100 over {s['words']} words (penalty {s['penalty']:g})"]
    if stats.get("critical_rules"):
        parts.append("; critical: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["critical_rules"].items())))
    if stats.get("suppressed") or result.unused_suppressions:
        parts.append(f"; suppressed {stats['suppressed']}" + (f" ({len(result.unused_suppressions)} suppression(s) matched nothing)" if result.unused_suppressions else ""))
    if stats.get("new") is not None:
        parts.append(f"; baseline: {stats['new']} new, {stats['fixed']} fixed")
    return "".join(parts) + "."


def _write_outputs(result, policy: GatePolicy, outputs: Outputs, inputs, config: AuditConfig | None = None) -> None:
    from .files import atomic_write

    if outputs.sarif:
        import json

        from .reports.sarif import to_sarif

        rules = [spec for spec in config.specs() if spec.origin] if config is not None else []
        atomic_write(outputs.sarif, json.dumps(to_sarif(result, policy, extra_specs=rules), ensure_ascii=False, indent=1))
    if outputs.junit:
        from .reports.junit import to_junit

        atomic_write(outputs.junit, to_junit(result, policy))
    if outputs.xliff_out:
        from .inputs.xliff import write_back

        write_back(result, outputs.xliff_out)


def _scores_line(result) -> str:
    system = result.signature.get("system_scores") or {}
    line = ("\nModel scores over the delivery: " + ", ".join(f"{k} {v:.4f}" for k, v in system.items())) if system else ""
    if not result.corpus_scores:
        return line
    names = {"chrf2": "chrF2", "chrf2pp": "chrF2++", "bleu": "BLEU", "ter": "TER"}
    return "\nScores against the references: " + ", ".join(
        f"{names.get(s.name, s.name)} {s.score:.2f}" for s in result.corpus_scores
    ) + line


@app.command("merge")
def merge_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="Report folder to write.")],
    shards: Annotated[list[Path], typer.Argument(help="The --out folders of `mtaudit audit --shard I/N` runs.")],
    config_file: ConfigOption = None,
    profile: ProfileOption = None,
    fail_on: FailOnOption = FailOn.major,
    min_quality: Annotated[Optional[float], typer.Option("--min-quality", min=0, max=100, help="Exit 1 when an article's quality score (100 − penalty per 1,000 words) is below this.")] = None,
    min_delivery_quality: Annotated[Optional[float], typer.Option("--min-delivery-quality", min=0, max=100, help="Exit 1 when the delivery's quality score is below this.")] = None,
    min_score: MinScoreOption = None,
    score_level: ScoreLevelOption = ScoreLevel.article,
    checks: ChecksOption = None,
    exclude: ExcludeOption = None,
    references: ReferencesOption = None,
    names: NamesOption = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Baseline file (mtaudit baseline create): fail only on new findings, report fixed ones.")] = None,
    suppressions: suppressions_option("Suppression file (JSON or CSV) of findings marked not an error.") = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of report.html's messages (the terminal's are English).")] = Lang.ar,
    quiet: quiet_option("Print only the report folder.") = False,
) -> None:
    """Join the outputs of sharded audits into one report set, with the batch checks
    (name-inconsistent, headline-garbled) run over every shard's articles: the same
    reports as one unsharded run, gated by the same policy (the configuration file's
    [tool.mtaudit] or mtaudit.toml settings and profile, then the options given)."""
    started = time.monotonic()
    settings = _settings(ctx, config_file, profile, locals())
    policy = _policy(settings)
    config = _audit_config(settings)
    config.jobs = 1
    triage_in = _triage_inputs(settings)
    _run([], None, None, out, policy, config, quiet, started, settings=settings, triage_in=triage_in,
         merge=list(shards), lang=lang.value)


@app.command("score")
def score_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, .jsonl, .csv or .tsv files.")],
    reference: ReferenceOption = None,
    source: SourceOption = None,
    out: out_option("Report folder (default: reports/<date-time>/).") = None,
    adequacy: AdequacyOption = False,
    comet: CometOption = None,
    comet_batch_size: CometBatchSizeOption = 16,
    comet_int8: CometInt8Option = False,
    mt_model: MtModelOption = None,
    back_model: BackModelOption = None,
    align: Annotated[
        bool, typer.Option("--align/--no-align", help="Align whole articles with source and reference sentence by sentence.")
    ] = True,
    threads: ThreadsOption = None,
    mt_compute_type: MtComputeTypeOption = "int8",
    mt_beam: MtBeamOption = 4,
    min_score: MinScoreOption = None,
    score_level: ScoreLevelOption = ScoreLevel.article,
    quiet: quiet_option("Print only the report folder.") = False,
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
    # The checks of the article and batch stages are off; the model checks (scoring stage)
    # turn the scorers' signals into findings as in an audit.
    config = AuditConfig(exclude=[i for i, s in load_all().items() if s.stage != "scoring"], align=align, adequacy=adequacy)
    config.scorers = _load_scorers(comet, comet_batch_size, mt_model, back_model, threads, mt_compute_type, mt_beam, comet_int8)
    _run(paths, source, reference, out, GatePolicy(None, minimums, score_level.value), config, quiet, started, signatures=True, allow_duplicates=allow_duplicates)


@app.command("fix")
def fix_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, .jsonl, .csv or .tsv files.")],
    decisions: Annotated[
        Optional[Path], typer.Option("--decisions", help="Decisions file exported from report.html: its accepted suggestions are applied.")
    ] = None,
    min_confidence: Annotated[
        Optional[float], typer.Option("--min-confidence", min=0.0, max=1.0, help="Also apply every suggestion at or above this confidence.")
    ] = None,
    out: out_option("Output folder (default: reports/<date-time>-fix/).") = None,
    source: SourceOption = None,
    checks: ChecksOption = None,
    exclude: ExcludeOption = None,
    references: ReferencesOption = None,
    names: NamesOption = None,
) -> None:
    """Apply accepted suggestions to a copy of the delivery: writes fixed/<file>.txt, fix.diff
    (unified diff) and fix.csv (each change, applied or skipped). Never writes to the inputs."""

    from .files import atomic_write
    from .reports.fix import DecisionsError, fix_result, load_decisions, output_name, unified_diff
    from .reports.tables import _csv_text

    if decisions is None and min_confidence is None:
        _error("say which suggestions to apply: --decisions FILE and/or --min-confidence X")
        raise typer.Exit(EXIT_INPUT)
    try:
        accepted = load_decisions(decisions) if decisions else {}
    except DecisionsError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    try:
        config = AuditConfig(_split_ids(checks) or None, _split_ids(exclude), list(references or []), 1, list(names or []))
        select(config.checks, config.exclude)
    except KeyError as exc:
        _error(f"unknown check id(s): {exc.args[0]} (see `mtaudit checks`)")
        raise typer.Exit(EXIT_INPUT)
    try:
        inputs = read_inputs(paths, source, None)
    except InputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    for problem in inputs.problems:
        typer.echo(f"mtaudit: {problem.label}: {problem.message}", err=True)
    try:
        result = audit(inputs.articles, config, inputs.problems)
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    fixed = fix_result(result, accepted, min_confidence)
    out_dir = out or Path("reports") / (time.strftime("%Y%m%d-%H%M%S") + "-fix")
    inputs_seen = {Path(a.article.origin).resolve() for a in result.articles if a.article.origin}
    targets = {}
    for item in fixed:
        name = output_name(item.result)
        path = out_dir / "fixed" / name
        if path.resolve() in inputs_seen:
            _error(f"refusing to overwrite the input {path}: choose another --out")
            raise typer.Exit(EXIT_INPUT)
        targets[name] = (path, item)
    rows, diffs = [], []
    for name, (path, item) in targets.items():
        atomic_write(path, item.text)
        diffs.append(unified_diff(item, name))
        for c in item.changes:
            # who accepted it, from the decisions file (empty for a change chosen by --min-confidence)
            decided = accepted.get(c.fingerprint, {})
            rows.append({"article_id": c.finding.article_id, "file": name, "fingerprint": c.fingerprint, "check": c.finding.check,
                         "start": c.finding.start, "end": c.finding.end, "text": c.finding.text,
                         "suggestion": c.finding.suggestion, "confidence": c.finding.confidence, "status": c.status,
                         "decision": decided.get("decision", ""), "author": decided.get("author", ""),
                         "date": decided.get("date", ""), "note": decided.get("reason", "")})
    atomic_write(out_dir / "fix.diff", "".join(diffs))
    columns = ("article_id", "file", "fingerprint", "check", "start", "end", "text", "suggestion", "confidence", "status",
               "decision", "author", "date", "note")
    atomic_write(out_dir / "fix.csv", _csv_text(columns, rows), "utf-8-sig")
    applied = sum(i.applied for i in fixed)
    typer.echo(
        f"Applied {applied} of {len(rows)} selected suggestion(s) in {sum(1 for i in fixed if i.applied)} of {len(fixed)} article(s).\n"
        f"Corrected text: {out_dir / 'fixed'}\nDiff: {out_dir / 'fix.diff'}\nChanges: {out_dir / 'fix.csv'}"
    )
    if decisions and accepted:
        matched = {c.fingerprint for i in fixed for c in i.changes}
        stale = [fp for fp, d in accepted.items() if d.get("decision") == "accept" and fp not in matched]
        if stale:
            typer.echo(f"mtaudit: warning: {len(stale)} accepted decision(s) matched no finding (the text changed?)", err=True)
    raise typer.Exit(EXIT_INPUT if inputs.problems and any(p.skipped for p in inputs.problems) else 0)


#: How ``mtaudit checks`` names what a check needs: the option that provides it.
_NEEDS_SHOWN = {"adequacy": "--adequacy", "mt-model": "--mt-model", "comet": "--comet", "comet_qe": "--comet"}


@checks_app.callback()
def checks_list(
    ctx: typer.Context,
    rules: RulesOption = None,
) -> None:
    """List every check: id, severity, category, version and title ("off" marks a check that runs only with --enable)."""
    from .knowledge.user_rules import load_rules

    try:
        user = load_rules(rules or [])
    except ReferenceDataError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    ctx.obj = user
    if ctx.invoked_subcommand:
        return
    for spec in [*load_all().values(), *user]:
        shown = dict.fromkeys(_NEEDS_SHOWN.get(n, n) for n in spec.needs if n != "batch")
        needs = f" (needs {', '.join(shown)})" if shown else ""
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
    typer.echo(
        f"{spec.id} (severity {spec.severity.value}, category {spec.category}, version {spec.version}, "
        f"scope {spec.scope}, stage {spec.stage}{', needs ' + ', '.join(spec.needs) if spec.needs else ''})"
    )
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
    transformers and torch (the comet extra brings both: torch's CPU build first, pip install
    torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu, then pip install -e
    ".[comet]" in the mtaudit checkout); the converted model needs neither. Never downloads: see the README's "MT model" section.
    """
    from .scorers.mt.convert import ModelConversionError, convert_model

    try:
        out = convert_model(model, output, quantization=quantization, force=force)
    except ModelConversionError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"Converted {model} to {out} ({quantization}). Use it with: mtaudit audit ... --mt-model {out}")


@names_app.command("lookup")
def names_lookup(
    text: Annotated[str, typer.Argument(help="An Arabic form (أسعد الشيباني, الشارا) or an English one (Sharaa).")],
    references: ReferencesOption = None,
    names: NamesOption = None,
) -> None:
    """Show what the gazetteer knows about a form: entities, accepted variants, titles,
    Latin spellings, and, for a form it does not accept, the names it may be a garbling of."""
    from .knowledge.resources import Resources
    from .names.garbles import candidates
    from .text.normalize import fold
    from .text.tokens import words

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


config_app = typer.Typer(rich_markup_mode=None, help="The configuration ([tool.mtaudit] or mtaudit.toml).", no_args_is_help=True)
app.add_typer(config_app, name="config")
baseline_app = typer.Typer(rich_markup_mode=None, help="Baselines: accept today's findings, fail only on new ones.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")


@config_app.command("show")
def config_show(
    config_file: ConfigOption = None,
    profile: ProfileOption = None,
) -> None:
    """Print the effective configuration and where each value came from."""
    from .config import ConfigError, load, show

    try:
        typer.echo(show(load(config_file, profile)))
    except ConfigError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)


@config_app.command("schema")
def config_schema() -> None:
    """Print the configuration's JSON Schema (what every key may hold)."""
    import json

    from .config import SCHEMA

    typer.echo(json.dumps(SCHEMA, indent=1, ensure_ascii=False))


@baseline_app.command("create")
def baseline_create(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="The delivery, as for `mtaudit audit`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = Path("mtaudit-baseline.json"),
    source: SourceOption = None,
    reference: ReferenceOption = None,
    config_file: ConfigOption = None,
    profile: ProfileOption = None,
    checks: ChecksOption = None,
    exclude: ExcludeOption = None,
    references: ReferencesOption = None,
    names: NamesOption = None,
    suppressions: suppressions_option("Suppression file: suppressed findings stay out of the baseline.") = None,
    jobs: JobsOption = 1,
) -> None:
    """Audit a delivery and write every finding's fingerprint to a baseline file."""
    from .files import atomic_write
    from .gate.baseline import dumps, entries_of
    from .gate.triage import triage

    settings = _settings(ctx, config_file, profile, locals())
    settings.values["baseline"] = None  # a baseline is made from every finding
    config = _audit_config(settings)
    sup, _ = _triage_inputs(settings)
    try:
        inputs = read_inputs(paths, source, reference)
        result = audit(inputs.articles, config, inputs.problems)
        triage(result, config.reference_dirs, settings["severity"], settings["disable_critical"], sup, None)
    except InputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except ReferenceDataError as exc:
        _error(f"reference data: {exc}")
        raise typer.Exit(EXIT_INPUT)
    for problem in inputs.problems:
        typer.echo(f"mtaudit: {problem.label}: {problem.message}", err=True)
    entries = entries_of(result)
    atomic_write(output, dumps(entries))
    typer.echo(f"Wrote {len(entries)} finding(s) of {len(result.articles)} article(s) to {output}.")
    if any(p.skipped for p in inputs.problems):
        raise typer.Exit(EXIT_INPUT)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    old: Annotated[Path, typer.Argument(help="The previous delivery (file or folder, as for `mtaudit audit`).")],
    new: Annotated[Path, typer.Argument(help="The new delivery of the same articles.")],
    source: SourceOption = None,
    reference: ReferenceOption = None,
    out: out_option("Folder for compare.csv, compare.json and compare.html (default: reports/compare-<date-time>/).") = None,
    config_file: ConfigOption = None,
    profile: ProfileOption = None,
    checks: ChecksOption = None,
    exclude: ExcludeOption = None,
    references: ReferencesOption = None,
    names: NamesOption = None,
    suppressions: suppressions_option("Suppression file, applied to both deliveries.") = None,
    align: Annotated[bool, typer.Option("--align/--no-align", help="Align whole articles with source and reference sentence by sentence.")] = True,
    samples: Annotated[int, typer.Option("--samples", min=10, help="Bootstrap resamples.")] = 1000,
    alpha: Annotated[float, typer.Option("--alpha", min=0.0001, max=0.5, help="Significance level.")] = 0.05,
    fail_if_worse: Annotated[bool, typer.Option("--fail-if-worse/--report-only", help="Exit 1 when NEW is significantly worse than OLD (quality, chrF2 or BLEU).")] = True,
    jobs: JobsOption = 1,
    output_format: format_option("text, or json on stdout.") = OutputFormat.text,
    quiet: quiet_option("Print only the verdict line.") = False,
) -> None:
    """Compare two deliveries: new, fixed and unchanged findings, quality and metric deltas, and
    paired-bootstrap significance (sacrebleu for chrF2/BLEU, over articles for the quality score)."""
    import json

    from .files import atomic_write
    from .gate.compare import compare, to_csv, to_html, to_json
    from .gate.triage import triage

    settings = _settings(ctx, config_file, profile, locals())
    policy = _policy(settings)
    config = _audit_config(settings)
    sup, _ = _triage_inputs(settings)
    results = []
    for path in (old, new):
        try:
            inputs = read_inputs([path], source, reference)
            for problem in inputs.problems:
                typer.echo(f"mtaudit: {problem.label}: {problem.message}", err=True)
            result = audit(inputs.articles, config, inputs.problems)
            if sup is not None:
                sup.used.clear()
            triage(result, config.reference_dirs, settings["severity"], settings["disable_critical"], sup, None)
        except InputError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_INPUT)
        except ReferenceDataError as exc:
            _error(f"reference data: {exc}")
            raise typer.Exit(EXIT_INPUT)
        if not result.articles:
            _error(f"{path}: no article could be read")
            raise typer.Exit(EXIT_INPUT)
        results.append(result)
    c = compare(results[0], results[1], policy, samples, alpha)
    if not c.articles:
        _error("the two deliveries share no article id")
        raise typer.Exit(EXIT_INPUT)
    out_dir = out or Path("reports") / time.strftime("compare-%Y%m%d-%H%M%S")
    data = to_json(c)
    try:
        atomic_write(out_dir / "compare.json", json.dumps(data, ensure_ascii=False, indent=1, default=float))
        atomic_write(out_dir / "compare.csv", to_csv(c), "utf-8-sig")
        atomic_write(out_dir / "compare.html", to_html(c))
    except OSError as exc:
        _error(f"cannot write to {out_dir}: {exc}")
        raise typer.Exit(EXIT_INPUT)
    failing = fail_if_worse and c.worse
    line = ("FAIL: not-worse: significantly worse on " + ", ".join(c.worse_measures)) if failing else (
        "PASS: " + ("significantly worse on " + ", ".join(c.worse_measures) + " (report only)" if c.worse else "not significantly worse"))
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=float))
    elif quiet:
        typer.echo(line)
    else:
        typer.echo(f"Compared {len(c.articles)} article(s): findings new {c.delivery['new']}, fixed {c.delivery['fixed']}, unchanged {c.delivery['unchanged']}.")
        for sgn in c.significance:
            typer.echo(f"  {sgn.measure:8} {sgn.old:8.2f} → {sgn.new:8.2f}  Δ {sgn.delta:+.2f}  p = {sgn.p_value}  95% CI [{sgn.ci_low}, {sgn.ci_high}]  ({sgn.units} units)")
        worst = [r for r in c.articles[:5] if r["quality_delta"] < 0 or r["new"]]
        if worst:
            typer.echo("Worst changes: " + ", ".join(f"{r['article_id']} ({r['quality_delta']:+.1f})" for r in worst))
        typer.echo(f"Verdict: {line}\nReport: {out_dir / 'compare.html'} (compare.csv, compare.json)")
    raise typer.Exit(1 if failing else 0)


def only_command(typer_app: typer.Typer, argv: list[str]) -> typer.Typer:
    """``typer_app`` with only the command (or command group) that ``argv`` starts with,
    so that Typer builds the parser of that command alone rather than of all of them (a
    tenth of a one-article audit's start-up); ``typer_app`` itself when argv starts with
    anything else (``--version``, ``--help``, an unknown name: the whole app answers).
    The command parses, helps and fails as in the whole app (tests/test_startup.py)."""
    if not argv:
        return typer_app
    commands = [c for c in typer_app.registered_commands if (c.name or c.callback.__name__) == argv[0]]
    groups = [g for g in typer_app.registered_groups if g.name == argv[0]]
    if len(commands) + len(groups) != 1:
        return typer_app
    pruned = copy.copy(typer_app)
    pruned.registered_commands, pruned.registered_groups = commands, groups
    return pruned


def _interrupt_behind(exc: BaseException) -> BaseException | None:
    """The KeyboardInterrupt or SIGTERM's _Terminated among ``exc``'s causes and contexts, if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (KeyboardInterrupt, _Terminated)):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def main() -> None:
    """The console entry point: an unexpected error is exit 3 ("incomplete"), never exit 1,
    which a vendor's pipeline would read as a failed quality gate. SIGINT and SIGTERM stop
    cleanly: exit 130 / 143, with the report folder either as it was or complete."""
    import signal

    # Put back on the way out: a caller in the same process (a test, a script) keeps its own.
    previous_sigterm = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        _main_with_exit_codes()
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)


def _main_with_exit_codes() -> None:
    try:
        only_command(app, sys.argv[1:])()
    except _Terminated:
        typer.echo("mtaudit: terminated", err=True)
        sys.exit(EXIT_TERMINATED)
    except KeyboardInterrupt:
        typer.echo("mtaudit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        # A signal inside machinery that wraps what it catches: on Python 3.11 a
        # KeyboardInterrupt while a class is created (a dataclass field's __set_name__,
        # during a lazy import) comes out as a RuntimeError. It is still the signal.
        behind = _interrupt_behind(exc)
        if isinstance(behind, _Terminated):
            typer.echo("mtaudit: terminated", err=True)
            sys.exit(EXIT_TERMINATED)
        if behind is not None:
            typer.echo("mtaudit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        import traceback

        traceback.print_exc()
        _error(f"internal error ({type(exc).__name__}: {exc}); the run is incomplete (exit 3). Please report it with the traceback above.")
        sys.exit(EXIT_INCOMPLETE)


if __name__ == "__main__":
    main()
