"""Writes notebooks/sensitivity.ipynb (outputs stripped); run after editing the cells below.

    python notebooks/make_notebooks.py
"""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

SENSITIVITY = [
    md("# Which uncertain input drives the interval?\n\n"
       "Variance-based global sensitivity analysis (Sobol indices) of two training runs with "
       "lca-bayes: a **frontier run** (16,384 H100 for 90 days in the USA) and a **small academic "
       "run** (8 A100 for 100 hours in France, a low-carbon grid). First-order indices S1 give the "
       "share of the output variance one input explains alone; total indices ST include its "
       "interactions. Sample sizes are small here so that the notebook runs in CI; set "
       "`LCA_BAYES_NB_SAMPLES` (base samples N) for publication figures."),
    code("import os\n\nfrom IPython.display import Image, display\n\n"
         "from lca_bayes import estimate\n"
         "from lca_bayes.results import UNITS\n"
         "from lca_bayes.sensitivity import (estimate_sensitivity, run_problem, sobol_figure, tornado,\n"
         "                                   tornado_figure)\n\n"
         "N = int(os.environ.get('LCA_BAYES_NB_SAMPLES', 2**12))  # base samples of the Saltelli design\n"
         "RUNS = {\n"
         "    'frontier': dict(gpu='NVIDIA H100 SXM5 80GB', count=16384, hours=90 * 24, country='USA'),\n"
         "    'academic': dict(gpu='NVIDIA A100 SXM4 80 GB', count=8, hours=100, country='FRA'),\n"
         "}"),
    md("## The two runs and their 90 % intervals"),
    code("for name, run in RUNS.items():\n"
         "    r = estimate(run['gpu'], run['count'], run['hours'], country=run['country'], num_samples=4000)\n"
         "    g = r['results']['gwp_kgco2e']\n"
         "    print(f\"{name:9s} GWP total {g['total']['median']:.3g} kgCO2e \"\n"
         "          f\"[{g['total']['q05']:.3g}, {g['total']['q95']:.3g}], \"\n"
         "          f\"embodied share {g['embodied']['median'] / g['total']['median']:.0%}\")"),
    md("## Sobol indices, inputs grouped\n\n"
       "Groups keep the indices readable: power draw (power fraction of TDP, host overhead, PUE), "
       "lifetime and busy share, embodied factors (die, base and DRAM factors, DRAM density), grid "
       "factors."),
    code("results = {}\n"
         "for name, run in RUNS.items():\n"
         "    results[name] = estimate_sensitivity(run['gpu'], run['count'], run['hours'],\n"
         "                                         country=run['country'], num_base=N, grouped=True)\n"
         "    path = sobol_figure(results[name], f'sobol_{name}.png')\n"
         "    print(name)\n"
         "    display(Image(filename=path))"),
    code("gwp = {name: r.to_df().query(\"output == 'gwp_kgco2e'\").set_index('input')['ST']\n"
         "       for name, r in results.items()}\n"
         "for name, st in gwp.items():\n"
         "    print(name, st.round(2).to_dict())"),
    md("## What changes between the two runs\n\n"
       "(Figures from N = 4096, 2026-12-04.) For the **frontier run in the USA**, the five grid "
       "sources lie within 15 % of each other (prior gsd 1.2), and the **power draw** of the GPUs — "
       "how far below TDP they run, the server overhead, the PUE — explains most of the GWP "
       "variance (ST ≈ 0.59), the grid factor the rest (≈ 0.44); GPU production is negligible "
       "(ST ≈ 0.00) because use dominates. For the **academic run in France**, the grid is nearly "
       "carbon-free and its sources disagree by 2× (0.044–0.098 kgCO2e/kWh): the **grid factor** "
       "leads (≈ 0.49), power draw follows (≈ 0.38), and the **embodied factors** now matter "
       "(≈ 0.16) because GPU production is a larger share of a low-carbon footprint. For ADPe, GPU "
       "production dominates in both runs (embodied factors ≈ 0.94, lifetime and busy share ≈ "
       "0.16): better data on the card's base and DRAM factors would narrow it, better grid data "
       "would not."),
    md("## One-at-a-time view (tornado)\n\n"
       "Each input at its 5th and 95th percentile, the others at their median: cheap and familiar, "
       "but blind to interactions (the Sobol total indices are not)."),
    code("for name, run in RUNS.items():\n"
         "    model, names = run_problem(run['gpu'], run['count'], run['hours'], country=run['country'])\n"
         "    bars, median = tornado(model, names)\n"
         "    path = tornado_figure(bars, median, names, ('energy_kwh', 'gwp_kgco2e', 'adpe_kgsbeq', 'pe_mj'),\n"
         "                          f'tornado_{name}.png', UNITS)\n"
         "    print(name)\n"
         "    display(Image(filename=path))"),
]


def write(cells, path: Path) -> None:
    nb = nbf.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, path)


if __name__ == "__main__":
    write(SENSITIVITY, Path(__file__).with_name("sensitivity.ipynb"))
