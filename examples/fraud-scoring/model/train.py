"""Train a fraud model on a snapshot: `python -m model.train --params params.yaml` (the `train` stage of dvc.lock).

The model is a LightGBM binary classifier saved in LightGBM's text format; `model-gate` in .gitlab-ci.yml scores
it on the holdout before it may be registered in MLflow.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import yaml

SNAPSHOT = Path("data/tx-2026-03.parquet")
# The 8 features of schemas/transaction-features.schema.json, abridged as it is; the feature registry holds all
# 214, and the scorer reads the same values from the feature store.
FEATURES = [
    "amount_eur",
    "amount_ratio_median_90d",
    "tx_count_1h",
    "merchant_mcc",
    "is_card_present",
    "device_age_days",
    "country_mismatch",
    "vendor_device_risk",
]


def build(rows: pd.DataFrame) -> pd.DataFrame:
    """One row of features per authorisation, in FEATURES order; a missing value stays NaN (LightGBM learns
    where missing goes, which is how vendor timeouts are served too)."""
    rows = rows.sort_values("authorised_at")
    by_card = rows.groupby("card_ref")
    median_90d = by_card.rolling("90D", on="authorised_at")["amount_eur"].median().reset_index(level=0, drop=True)
    count_1h = by_card.rolling("1h", on="authorised_at")["amount_eur"].count().reset_index(level=0, drop=True)
    first_seen = rows.groupby("device_hash")["authorised_at"].transform("min")
    return pd.DataFrame(
        {
            "amount_eur": rows["amount_eur"],
            "amount_ratio_median_90d": rows["amount_eur"] / median_90d.replace(0, np.nan),
            "tx_count_1h": count_1h,
            "merchant_mcc": rows["merchant_mcc"].astype(int),
            "is_card_present": rows["card_present"].astype(int),
            "device_age_days": (rows["authorised_at"] - first_seen).dt.days,
            "country_mismatch": rows["country_mismatch"].astype(int),
            "vendor_device_risk": rows.get("vendor_device_risk", pd.Series(np.nan, index=rows.index)),
        },
        index=rows.index,
    )[FEATURES]


def train(params: dict, snapshot: Path) -> lgb.Booster:
    rows = pd.read_parquet(snapshot).sort_values("authorised_at")  # labels and features in one order
    data = lgb.Dataset(build(rows), label=rows["is_fraud"].astype(int), feature_name=FEATURES, free_raw_data=True)
    settings = {
        "objective": "binary",
        "metric": ["auc", "average_precision"],
        "max_depth": params["max_depth"],
        "num_leaves": 2 ** params["max_depth"] - 1,
        "learning_rate": params["learning_rate"],
        "scale_pos_weight": params["scale_pos_weight"],
        "feature_pre_filter": False,
        "deterministic": True,
        "seed": 20260331,
        "verbose": -1,
    }
    return lgb.train(settings, data, num_boost_round=params["num_trees"])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m model.train")
    parser.add_argument("--params", type=Path, required=True)
    args = parser.parse_args()
    params = yaml.safe_load(args.params.read_text(encoding="utf-8"))
    booster = train(params["lgbm"], SNAPSHOT)
    out = Path("models") / f"{params['model']['name']}-{params['model']['version']}.txt"
    out.parent.mkdir(exist_ok=True)
    booster.save_model(str(out))
    print(f"{out}: {booster.num_trees()} trees on {len(FEATURES)} features")


if __name__ == "__main__":
    main()
