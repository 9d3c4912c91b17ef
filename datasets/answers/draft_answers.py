"""Regenerate the example enterprises' answers files from profiles.yaml.

Run from the repository root: ``python datasets/answers/draft_answers.py``. The
output is committed; the script is kept so the drafts can be reproduced and changed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from maturity import load_model
from maturity.answers import answers_from_mapping, validate_answers, write_answers
from maturity.profiles import answers_for_levels

HERE = Path(__file__).parent


def main() -> None:
    profiles = yaml.safe_load((HERE / "profiles.yaml").read_text(encoding="utf-8"))
    for seed, (enterprise, spec) in enumerate(profiles.items()):
        folder = HERE / enterprise
        folder.mkdir(exist_ok=True)
        for model_id, levels in spec.items():
            if model_id == "enterprise":
                continue
            model = load_model(model_id)
            default = levels.get("default")
            profile = {d.id: levels.get(d.id, default) for d in model.dimensions}
            row = answers_for_levels(model, profile, noise=0.25, seed=seed).iloc[0]
            data = {"model": model_id, "enterprise": spec["enterprise"],
                    "answers": {k: _plain(v) for k, v in row.items() if v is not None}}
            answers = validate_answers(model, answers_from_mapping(data))
            write_answers(answers, folder / f"{model_id}.yaml")


def _plain(value):
    return value.item() if hasattr(value, "item") else value


if __name__ == "__main__":
    main()
