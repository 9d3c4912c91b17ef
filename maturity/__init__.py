"""Manufacturing digital-maturity assessment and transformation planning.

The menu:

* reference models: :func:`load_model`, :func:`read_model`, :func:`list_models`
* answers: :func:`read_answers`, :func:`validate_answers`; many files (respondents x rounds):
  :func:`read_assessments`
* scoring: :func:`score` (one enterprise) and :func:`score_frame` (many)
* evidence: :func:`add_evidence` checks answers against an IT/OT landscape
* roadmap: :func:`plan_roadmap` turns gaps and islands into a phased, budgeted plan
* data: :func:`list_datasets`, :func:`load_dataset`, :func:`generate_population`

Examples
--------
>>> import maturity
>>> model = maturity.load_model("siri")
>>> model.id
'siri'
"""

from maturity.answers import Answers, Enterprise, read_answers, validate_answers, write_answers
from maturity.assessment import Assessment, DimensionResult, assessments_frame
from maturity.collect import read_assessments
from maturity.datasets import generate_population, list_datasets, load_dataset
from maturity.evidence import add_evidence
from maturity.reference_model import (
    ReferenceModel,
    list_models,
    load_model,
    models_frame,
    read_model,
)
from maturity.roadmap import Roadmap, plan_roadmap
from maturity.scoring import score, score_frame
from value_chain.errors import InputError, Problem

__all__ = [
    "Answers",
    "Assessment",
    "DimensionResult",
    "Enterprise",
    "InputError",
    "Problem",
    "ReferenceModel",
    "Roadmap",
    "add_evidence",
    "assessments_frame",
    "generate_population",
    "list_datasets",
    "list_models",
    "load_dataset",
    "load_model",
    "models_frame",
    "plan_roadmap",
    "read_answers",
    "read_assessments",
    "read_model",
    "score",
    "score_frame",
    "validate_answers",
    "write_answers",
]
