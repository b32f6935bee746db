# %% tags=["parameters"]
# Parameters (papermill can override them)
scenario_path = "../scenarios/huainan_2007/baseline.toml"
days = 60
reps = 2
seed = 2007

# %% [markdown]
# # Quick start: simulate a hall
#
# This notebook runs the bundled Huainan 2007 baseline (a synthetic, Huainan-like hall:
# 32 departments, 214 items) for a short period and shows what simhall reports: hall-wide
# figures, the departments' windows, and per item the working-day durations next to the
# committed time limit. Every number comes from one call into `simhall`; the seed makes the
# outputs identical on every machine.

# %%
%matplotlib inline
import simhall
from simhall.reporting import plots, tables

scenario = simhall.load_scenario(scenario_path)
result = simhall.run(scenario, days=days, reps=reps, seed=seed, show_progress=False)
tables.run_overview(result)

# %% [markdown]
# ## Hall-wide figures (mean and 95% confidence interval over replications)

# %%
tables.hall_table(result)

# %% [markdown]
# ## The five busiest departments' windows

# %%
tables.department_table(result, top=5)

# %% [markdown]
# ## Commitment items with the most room to cut their committed limit
#
# `limit@95%` is the shortest committed limit met by 95% of simulated cases (all
# replications' cases pooled); `cut` is the current limit minus that. `completed` is the
# share of the item's cases that finished within the run: below 95%, or with a route through
# an unstable station (work arriving faster than it can be done), the limit and cut are
# withheld and a `note` column says so.

# %%
tables.compression_table(result, top=8)

# %% [markdown]
# ## Committed limits against simulated P95 durations

# %%
plots.limits_vs_simulated(result.items)
