"""The served model: a LightGBM booster from the MLflow registry, refused at start when its weights do not match
the hash in config/scorer.yaml (threat model T3)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import lightgbm as lgb
import mlflow
import numpy as np


class WrongModel(RuntimeError):
    pass


def load(name: str, version: str, sha256_prefix: str) -> lgb.Booster:
    folder = Path(mlflow.artifacts.download_artifacts(f"models:/{name}/{version}"))
    weights = next(folder.rglob("*.txt"))
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if not digest.startswith(sha256_prefix):
        raise WrongModel(f"{name}:{version} has weights sha256:{digest[:12]}, the config pins sha256:{sha256_prefix}")
    return lgb.Booster(model_file=str(weights))


def score(booster: lgb.Booster, features: list[float | None]) -> float:
    """One authorisation's raw score; a missing feature is NaN, as in training."""
    row = np.array([[np.nan if value is None else value for value in features]], dtype=np.float64)
    return float(booster.predict(row, num_threads=1)[0])
