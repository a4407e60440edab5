"""Hatch build hook: compile the transliteration model's searches (mtaudit/names/_jointdecode.c).

The extension is optional. Without a C compiler (or with MTAUDIT_PURE_PYTHON=1 set while
installing) the build goes on without it and mtaudit runs the same searches in pure
Python (mtaudit/names/jointdecode.py says which one it uses; ``mtaudit --version`` prints it).

- a wheel (``pip install .``) gets the compiled module added and a platform tag;
- an editable install (``pip install -e .``) imports the package from the source tree, so
  the module is compiled in place, beside the C file (and ignored by git). After editing the
  C file, reinstall; a module built from other source is not used (jointdecode checks the
  source digest compiled into it).

The compiler and flags are Python's own ($LDSHARED, else sysconfig's, and its include path), with
-O2 and -ffp-contract=off: no fused multiply-adds, so the floats are those of the Python code.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("mtaudit") / "names" / "_jointdecode.c"
MODULE = "mtaudit/names/_jointdecode"


def compile_extension(root: Path, out: Path) -> str | None:
    """Compile the extension to ``out``; None when done, else why not."""
    if os.environ.get("MTAUDIT_PURE_PYTHON", "").strip() not in ("", "0"):
        return "MTAUDIT_PURE_PYTHON is set"
    if sys.platform == "win32":
        return "no build recipe for Windows here"
    src = root / SOURCE
    try:
        digest = hashlib.sha1(src.read_bytes()).hexdigest()
    except OSError as exc:  # a source tree without the C file: build the pure-Python package
        return f"cannot read {SOURCE}: {exc}"
    ldshared = os.environ.get("LDSHARED") or sysconfig.get_config_var("LDSHARED") or "cc -shared"
    cmd = [
        *shlex.split(ldshared),
        "-O2",
        "-fPIC",
        "-ffp-contract=off",
        "-fno-fast-math",
        f'-DJOINTDECODE_SOURCE_SHA1="{digest}"',
        "-I",
        sysconfig.get_paths()["include"],
        str(src),
        "-o",
        str(out),
        "-lm",
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{cmd[0]}: {exc}"
    if done.returncode != 0:
        return f"{' '.join(cmd)} failed:\n{done.stderr.strip()}"
    return None


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        name = MODULE + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":
            out = root / name
            why = compile_extension(root, out)
        else:
            self._tmp = tempfile.TemporaryDirectory()
            out = Path(self._tmp.name) / Path(name).name
            why = compile_extension(root, out)
            if why is None:
                build_data["force_include"][str(out)] = name
        if why is not None:
            self.app.display_warning(f"mtaudit: the compiled transliteration decoder is not built ({why}); "
                                     "the pure-Python one will be used")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
