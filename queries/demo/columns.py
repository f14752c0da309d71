"""Column containers the generators hand to the loader.

A generated table is a dict {column name: array}. Strings with few distinct values (region codes,
kinds, statuses) travel as `Coded` (labels + int codes) so 20 million payment rows never hold
20 million Python strings; they are decoded chunk by chunk while loading.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Coded:
    labels: np.ndarray        # object array of the distinct values (None allowed)
    codes: np.ndarray         # int index into labels

    def __len__(self) -> int:
        return len(self.codes)

    def chunk(self, lo: int, hi: int) -> np.ndarray:
        return self.labels[self.codes[lo:hi]]

    def take(self, idx) -> Coded:
        return Coded(self.labels, self.codes[idx])

    def values(self) -> np.ndarray:
        return self.labels[self.codes]


def coded(labels, codes) -> Coded:
    return Coded(np.asarray(labels, dtype=object), np.asarray(codes, dtype=np.int64))


def encode(values) -> Coded:
    """Coded from an array of strings."""
    labels, inv = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return Coded(labels.astype(object), inv)


def nrows(table: dict) -> int:
    return len(next(iter(table.values())))


def take(table: dict, idx) -> dict:
    """Rows idx of every column."""
    return {k: (v.take(idx) if isinstance(v, Coded) else np.asarray(v)[idx]) for k, v in table.items()}


def concat(parts: list[dict]) -> dict:
    """Row-wise concatenation of tables with the same columns (Coded columns must share labels)."""
    out = {}
    for key in parts[0]:
        cols = [p[key] for p in parts]
        if isinstance(cols[0], Coded):
            out[key] = Coded(cols[0].labels, np.concatenate([c.codes for c in cols]))
        else:
            out[key] = np.concatenate([np.asarray(c) for c in cols])
    return out


def pick(rng: np.random.Generator, labels, p, n: int) -> Coded:
    """n draws of labels with probabilities p, as a Coded column."""
    p = np.asarray(p, dtype=float)
    return coded(labels, rng.choice(len(labels), size=n, p=p / p.sum()))
