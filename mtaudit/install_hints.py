"""What to install for an optional feature, written once for every message that needs it.

mtaudit is not on PyPI: it is installed from its source tree, so an extra is installed with
``pip install -e ".[extra]"`` in the checkout (or ``"mtaudit[extra] @ git+URL"``). torch comes
first, and as PyTorch's CPU build unless the machine has a GPU: a bare ``pip install torch``
pulls the CUDA build and several GB of nvidia packages.
"""

from __future__ import annotations

TORCH_CPU = "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"


def extra(name: str) -> str:
    """The command that installs extra ``name`` (``mtaudit[name]``) into a checkout's install."""
    return f'pip install -e ".[{name}]" in the mtaudit checkout'


def with_torch(name: str) -> str:
    """The same for an extra that needs torch, which is installed first."""
    return f"{extra(name)}, torch first (CPU build: {TORCH_CPU})"
