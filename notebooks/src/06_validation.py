# %% tags=["parameters"]
# Parameters (papermill can override them)
mmc_configs = [(1, 6.0, 0.7), (2, 8.0, 0.8), (3, 10.0, 0.85)]  # windows, mean service min, rho
mmc_days = 40
mmc_reps = 4
seed = 0
bpic15_reps = 3
bpic15_seed = 2015

# %% [markdown]
# # Validation
#
# Two checks of the simulator, one against theory and one against a real log.
#
# 1. **Queueing theory.** A hall open 24 hours with Poisson arrivals and exponential window
#    service is an M/M/c queue, whose mean wait is given exactly by Erlang's C formula and
#    whose mean queue length follows from Little's law. simhall's own model is run on that
#    hall and compared with the formulas.
# 2. **A held-out real log.** The BPI Challenge 2015 log (municipality 1: building-permit
#    applications of a Dutch municipality, public data bundled with simhall) is calibrated on
#    2011 to mid-2013 and the calibrated hall forecasts the throughput of the cases that
#    started from July 2013 to June 2014, next to the naive forecast "the test period looks
#    like the training period".

# %% [markdown]
# ## Erlang C against simulated M/M/c waits
#
# Per configuration: `rho` the utilization, `p_wait` the share of applicants who wait,
# `wait_*_min` the mean wait from ticket to call (simulated: mean over replications with its
# 95% interval), `rel_error` the relative difference, `queue_*` the time-average queue
# length, and `little_ratio` the simulated queue length divided by (measured arrival rate x
# simulated mean wait): 1 when Little's law holds. `cases` are applicants per replication.

# %%
from simhall.queueing import mmc_validation
from simhall.studies.bpic15 import run_study

mmc_validation(mmc_configs, days=mmc_days, warmup_days=2, reps=mmc_reps, seed=seed, digits=3)

# %% [markdown]
# ## BPIC15: calibrated model vs the naive forecast on held-out cases
#
# Training and test periods (cases by the date of their first event). `censored` cases were
# still open when the log was extracted and are left out of the main comparison.

# %%
study = run_study(reps=bpic15_reps, seed=bpic15_seed)
study.split

# %% [markdown]
# Throughput from acceptance to the last event, in working days and in calendar days.
# `model` and `naive` are 1-Wasserstein distances to the observed test cases (smaller is
# better); `naive_followup` is the naive forecast censored like the test period (test cases
# can only be seen closed if they closed before the end of the log). A model that beats
# `naive` but not `naive_followup` owes its margin to censoring, not to foresight. `closed
# only` scores closed cases; `none` every accepted case (a sensitivity check).

# %%
study.comparison.round(2)
