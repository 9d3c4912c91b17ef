"""Open datasets of digital maturity, published aggregate figures and synthetic populations.

One import for the research side of the package; each job lives in its own
module and is re-exported here under the names it always had:

* :mod:`maturity.catalogue` - the bundled datasets and their metadata
  (:func:`list_datasets`, :func:`load_dataset`);
* :mod:`maturity.published` - published numbers reproduced from the real
  data (Eurostat DII identities and tables, Honti et al. 2020, IMPULS groups);
* :mod:`maturity.geography` - country and NUTS-2 region labels (en/zh, EU
  membership, aggregate flags, NUTS versions) and Honti's regions with them;
* :mod:`maturity.population` - the QUOTA-MATCHED synthetic CMMM population
  (its level shares equal the published ones by construction);
* :mod:`maturity.latent_population` - the latent-maturity synthetic
  population, whose level shares emerge from drawn answers and a fit.

The files are built from the raw downloads by the maintainers' scripts in
``datasets/build/`` (kept beside the data, not shipped).

Examples
--------
>>> table = list_datasets()
>>> "honti2020_rankings" in set(table["name"])
True
>>> round(honti_r2(), 3)
0.459
"""

from __future__ import annotations

from maturity.catalogue import ColumnMeta, DatasetMeta, list_datasets, load_dataset
from maturity.geography import country_labels, honti_regions, region_labels
from maturity.latent_population import (
    fit_latent_population,
    generate_latent_population,
    latent_fit_report,
    latent_population_batches,
)
from maturity.population import (
    PopulationConfig,
    generate_population,
    level_groups,
    population_config,
    synthetic_vs_published,
)
from maturity.published import (
    DII_BANDS,
    check_dii_versions,
    dii_identities,
    dii_sector_table,
    dii_table,
    honti_r2,
    impuls_groups,
)

__all__ = [
    "DII_BANDS",
    "ColumnMeta",
    "DatasetMeta",
    "PopulationConfig",
    "check_dii_versions",
    "country_labels",
    "dii_identities",
    "dii_sector_table",
    "dii_table",
    "fit_latent_population",
    "generate_latent_population",
    "generate_population",
    "honti_r2",
    "honti_regions",
    "impuls_groups",
    "latent_fit_report",
    "latent_population_batches",
    "level_groups",
    "list_datasets",
    "load_dataset",
    "population_config",
    "region_labels",
    "synthetic_vs_published",
]
