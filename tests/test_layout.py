"""The layout's promises: checks stay independent, and the model back-ends are extras."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from typer.testing import CliRunner

import mtaudit
from mtaudit.checks import load_all

CHECKS = Path(mtaudit.__file__).parent / "checks"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a check module, relative ones made absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = "mtaudit.checks".split(".")[: 2 - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from . import x`: x may be a module of the package.
            found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
    return found


def test_no_check_imports_another_check():
    check_modules = {f"mtaudit.checks.{p.stem}" for p in CHECKS.glob("*.py") if p.stem != "__init__"}
    assert len(check_modules) >= 20
    offences = []
    for path in sorted(CHECKS.glob("*.py")):
        for line, module in _imported_modules(path):
            if any(module == m or module.startswith(m + ".") for m in check_modules):
                offences.append(f"{path.name}:{line} imports {module}")
    assert offences == []


def test_the_walker_sees_a_check_importing_a_check(tmp_path):
    # The test above cannot pass by not looking: a planted import is found.
    bad = tmp_path / "bad.py"
    bad.write_text("from .name_garbled import something\nfrom . import repeated_word, check\n", encoding="utf-8")
    modules = {m for _, m in _imported_modules(bad)}
    assert {"mtaudit.checks.name_garbled", "mtaudit.checks.repeated_word"} <= modules


def test_every_finding_producer_is_in_the_registry():
    registry = load_all()
    for check_id in ("adequacy", "alignment", "comet-error-span", "mt-improbable", "mt-retranslation"):
        assert registry[check_id].stage == "scoring", check_id
    assert registry["headline-garbled"].stage == "article" and registry["headline-garbled"].after_checks
    assert "mt-model" in registry["mt-improbable"].needs and "source" in registry["mt-improbable"].needs


def test_mtaudit_checks_lists_the_model_checks():
    from mtaudit.cli import app

    out = CliRunner().invoke(app, ["checks"]).output
    for check_id in ("adequacy", "alignment", "comet-error-span", "mt-improbable", "mt-retranslation"):
        assert any(line.startswith(check_id + " ") for line in out.splitlines()), check_id
    assert "needs source, --mt-model" in out


def test_a_missing_mt_extra_is_exit_2_naming_the_extra(tmp_path, monkeypatch):
    from mtaudit.cli import app

    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 → ImportError
    (tmp_path / "a.txt").write_text("قال الرئيس إن المحادثات كانت مفيدة.", encoding="utf-8")
    model = tmp_path / "model"
    model.mkdir()
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "a.txt"), "--mt-model", str(model), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert 'pip install -e ".[mt]"' in result.output


def test_comet_int8_reaches_the_loader(tmp_path, monkeypatch):
    # The option is written once in cli_options and passed through to load_comet.
    from mtaudit.cli import app
    from mtaudit.scorers import ModelUnavailable
    from mtaudit.scorers import comet as comet_module

    seen = {}

    def fake_load(model, batch_size=16, threads=None, *, fast=True, quantize=False):
        seen["quantize"] = quantize
        raise ModelUnavailable("no model here")

    monkeypatch.setattr(comet_module, "load_comet", fake_load)
    (tmp_path / "a.txt").write_text("قال الرئيس إن المحادثات كانت مفيدة.", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "a.txt"), "--comet", "x", "--comet-int8", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and seen == {"quantize": True}
