# %% tags=["parameters"]
# Parameters (papermill can override them)
folder = "../scenarios/huainan_2007"  # baseline.toml, the overlays and the one-form bundle
overlay = "reforms_2007"
warmup_days = 10
reps = 2
seed = 2007

# %% [markdown]
# # The Huainan 2007 table: report against simhall
#
# The Huainan center's October 2007 report gives figures *after* its 2007 reforms. Here the
# synthetic baseline and the overlay with all 2007 reforms (`reforms_2007.toml`) run with
# common random numbers over the report's Bagongshan window: the results cover 2007-07-06 to
# 2007-09-06 (after a short warm-up), so the district center's case count is simulated over
# exactly the report's two months. The one-form bundle runs on its four departments only.

# %%
%matplotlib inline
from simhall.reporting.tables import run_overview
from simhall.studies import huainan
from simhall.studies.huainan_figure import huainan_table_figure
from simhall.studies.huainan_table import report_table

study = huainan.run_table_study(
    folder, warmup_days=warmup_days, reps=reps, seed=seed, overlay=overlay
)
run_overview(study.comparison.results[overlay])

# %% [markdown]
# ## Report figure, simhall prediction, 95% CI
#
# `basis`: *mechanics* = predicted by the model's mechanics; *input* or *structure* = set by
# the overlay or by how the baseline was built, so agreement says nothing. `agrees`: the
# report's figure lies in the 95% CI (or, for "more than" claims, the prediction goes at
# least as far).

# %%
report_table(study.table)

# %% [markdown]
# The same table as a figure: each prediction divided by the report's figure, with its 95%
# CI (1 is the report; a CI crossing 1 agrees). Grey rows are set by the input, so their
# agreement says nothing.

# %%
huainan_table_figure(study.table)

# %% [markdown]
# ## Why prediction and report differ
#
# **Post-reform figures are not tuned into the model.** The baseline is calibrated only to
# figures from *before* the reforms (departments, items, the 201 and 17.7 working-day totals);
# the overlays describe mechanisms (who signs, which steps go, which sessions are supervised)
# with invented but plausible parameters. No overlay sets a committed limit: the limits after
# are what the model recommends. A "no" in `agrees` is therefore information, not a bug to be
# fitted away. See `docs/reforms.md`.
#
# * **Committed limits are promises with slack.** The report's 142 and 10 days are committed
#   limits (承诺时限); simhall's recommended limit is the shortest one that 95% of simulated
#   cases meet, with no administrative slack. The baseline's own limits are met with wide
#   slack, so "recommended after" falls well below the report even for items that no reform
#   touched. The *relative* rows (the percentage change of the limit at the service level,
#   applied to the committed limits) compare like with like: for the 46 chief-representative
#   items they come much closer to the report's 10 days; for the 36 items the re-engineering
#   overlay predicts a smaller relative cut than the report's 29.4%.
# * **Re-engineering** (流程再造): which steps changed is not in the report; the overlay's
#   choice is an assumption, so the 36-item rows test that assumption as much as the model.
# * **On-site completion** (现场办结率): the report does not define its 89.91%. simhall
#   counts *all* cases completed on their acceptance day; the report most likely counts items
#   or cases "handled in the hall", a much wider notion.
# * **One-form registration**: forms and fields are inputs; the window-minute change is a
#   prediction of one part of "formalities", which in the report also covers copies,
#   signatures and trips.
# * **Bagongshan** (三级联动): the district count is essentially the assumed share (15%) of
#   the baseline's invented volumes of the 66 items; it tests those two numbers, not the
#   mechanics. The baseline's volumes are a whole city's, and the report's 838 cases in two
#   months suggest a much smaller share in a newly opened district center.
# * **Two replications** give wide Student-t intervals (t = 12.7 with one degree of freedom);
#   `simhall study huainan-2007` runs the full year with more replications.
