"""Does a Latin name word hide letters Latin cannot write? A character n-gram model.

The sounded-out reading of a Latin spelling is a garble only where the name's Arabic
spelling has letters that Latin script cannot write (ع ح ء ض ظ ذ ث ص ط ق): Sartawi is
سرطاوي, and سارتاوي has lost its ط; Hamilton is هاملتون, and the sounded-out reading is the
spelling. Whether a name is of that kind shows in its Latin spelling: kh, gh, dh, aa, -awi,
-iri, ou for و, a q are Arabic, Persian or Turkish spellings; -son, -ck, w before a
consonant, -ez are not. :class:`NameOrigin` is a multinomial naive Bayes over the word's
character 1–4-grams (``^`` and ``$`` mark its ends): ``logodds(latin)`` is the log-odds
that its Arabic spelling has such a letter (other than ث and ذ, which English writes th and
dh, so that Thomas and Health say nothing). Trained by scripts/train_name_origin.py on the
transliteration model's training split only (the Latin words it holds out, SHA-1 ≡ 0 mod 10
and Google's eval and test files, are never seen), so it can be measured and fitted on them.
The table (``data/name_origin.tsv``: n-gram, weight) is data; unseen n-grams weigh 0.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "name_origin.tsv"
MAX_N = 4
PRIOR = "<prior>"


def ngrams(latin: str) -> list[str]:
    """The character 1–4-grams of ``^latin$`` (a lower-cased a–z word)."""
    w = f"^{latin}$"
    return [w[i : i + n] for n in range(1, MAX_N + 1) for i in range(len(w) - n + 1) if w[i : i + n] not in ("^", "$")]


class NameOrigin:
    """log P(opaque | latin) − log P(transparent | latin) by naive Bayes over n-grams."""

    def __init__(self, weights: dict[str, float], prior: float):
        self.weights = weights
        self.prior = prior

    @classmethod
    def load(cls, path: Path | None = None) -> "NameOrigin":
        path = path or DEFAULT_PATH
        weights: dict[str, float] = {}
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#") or line.startswith("ngram\t"):
                continue
            cells = line.split("\t")
            try:
                weights[cells[0]] = float(cells[1])
            except (IndexError, ValueError):
                raise ValueError(f"{path}:{lineno}: expected ngram<TAB>weight") from None
        prior = weights.pop(PRIOR, 0.0)
        return cls(weights, prior)

    @lru_cache(maxsize=100_000)
    def logodds(self, latin: str) -> float:
        """The log-odds that ``latin`` (lower case a–z) is spelled in Arabic with a letter Latin cannot write."""
        w = self.weights
        return self.prior + sum(w.get(g, 0.0) for g in ngrams(latin))


@lru_cache(maxsize=1)
def default_origin() -> NameOrigin:
    """The table shipped in the package, loaded once."""
    return NameOrigin.load()
