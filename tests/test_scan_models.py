"""A classical model is an AI system too: a library whose one use is a model shows it (no profile key), and a
training call or a fine-tuning library shows `trains_models`; a method that merely shares the name does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from readiness.verify.scan.profile import detect
from tests.conftest import TODAY, Run
from tests.test_scan_profile import reasons, repo

TRAIN = """\
import xgboost as xgb
import pandas as pd


def fit(frame: pd.DataFrame) -> xgb.Booster:
    data = xgb.DMatrix(frame.drop(columns="label"), label=frame["label"])
    return xgb.train({"max_depth": 6, "eta": 0.1}, data, num_boost_round=400)
"""


def test_a_gradient_boosting_pipeline_shows_a_model_and_training(tmp_path: Path) -> None:
    top = repo(tmp_path / "churn", {"requirements.txt": "xgboost==2.1.1\npandas==2.2.3\n", "model/train.py": TRAIN})
    found = detect(top)
    assert found.ai_system
    assert reasons(found, "trains_models") == ["model/train.py:7:12 trains a model (xgb.train, xgboost)"]
    assert reasons(found, "model") == ["model/train.py:1:1 imports xgboost", "requirements.txt:1:1 depends on xgboost"]
    assert found.profile == {"trains_models": True}  # `model` is no profile key


def test_a_train_method_of_something_else_is_no_training(tmp_path: Path) -> None:
    code = "import lightgbm\n\nclass Job:\n    def train(self) -> None: ...\n\nJob().train()\nlightgbm_model = None\n"
    found = detect(repo(tmp_path / "svc", {"app.py": code}))
    assert "trains_models" not in found.clues
    assert reasons(found, "model") == ["app.py:1:1 imports lightgbm"]


def test_fine_tuning_libraries_and_the_transformers_trainer_show_training(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "tuner"\nversion = "0.1.0"\ndependencies = ["peft>=0.13", "torch>=2.4"]\n',
        "tune.py": "from transformers import Trainer, TrainingArguments\n",
    }
    found = detect(repo(tmp_path / "tuner", files))
    assert reasons(found, "trains_models") == [
        "pyproject.toml:4:18 depends on peft",
        "tune.py:1:1 imports transformers.Trainer",
    ]


def test_scan_write_gives_a_classical_model_its_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "churn", {"requirements.txt": "xgboost==2.1.1\n", "model/train.py": TRAIN})
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    assert "  A model at work (no profile key: an AI system):\n    model/train.py:1:1  imports xgboost\n" in run.out
    assert "Wrote readiness.yaml: 1 profile key." in run.out
    text = (top / "readiness.yaml").read_text(encoding="utf-8")
    assert "  profile:\n    trains_models: true " in text
