# %% tags=["parameters"]
# Parameters (papermill can override them)
scenario_path = "../scenarios/examples/small_hall.toml"
days = 120
reps = 2
seed = 2007

# %% [markdown]
# # From case logs to a calibrated hall
#
# A hall's case-handling system records every step of every case (办件): when the applicant
# took a ticket, when the window accepted the file (受理), when each back-office step and the
# leader's sign-off finished. `simhall.calibration.calibrate` reads such a log and rebuilds a
# scenario that reproduces it; `simhall.validation.validate` then checks the rebuilt hall
# against the log.
#
# **The log in this notebook is SYNTHETIC.** It is simulated from the small example hall
# (three departments, nine items, invented parameters), not exported from a real hall. That
# is the point: because the true parameters are known, we can see how well calibration gets
# them back.

# %%
%matplotlib inline
import simhall
from simhall.calibration import calibrate
from simhall.synth import synthesize
from simhall.validation import validate
from simhall.validation.recovery import recovery_table

truth = simhall.load_scenario(scenario_path)
events, items = synthesize(truth, days=days, seed=seed)
events.head(8)

# %% [markdown]
# ## Calibrate
#
# Calibration first sorts the activities into kinds: window visits, timed work by staff,
# batch sessions (sign-off, meetings: events bunched at a few clock times), courier
# transfers and pure delays. `n` is the number of events; `coverage` the share of events at
# the detected clock times.

# %%
calibration = calibrate(events, items, source="synthetic small hall")
calibration.classification.round(3)

# %% [markdown]
# ## Recovered parameters: truth vs calibrated
#
# Departments first (windows, staff, sign-off and courier timetables), then per item the
# daily volume (mean first visits per Monday-Friday working day), the probability that a
# visit ends without acceptance (补正), the mean window service and the mean duration of each
# route step (working minutes of work steps, working days of delays).

# %%
recovery_table(truth, calibration.scenario(), digits=3)

# %% [markdown]
# Calibration records how it measured every number as a comment in the scenario file it
# writes. The top of that file:

# %%
toml = calibration.to_toml()
print("\n".join(toml[toml.index("[calendar]") :].splitlines()[:30]))

# %% [markdown]
# ## Validate the calibrated hall against the log
#
# The calibrated scenario is simulated over the log's period (`reps` replications) and
# compared with the log: working days from acceptance to completion, on-site completion rate,
# weekly case counts, window waits and the hourly ticket profile, each against a stated
# tolerance.
# Hall-wide and department rows:

# %%
validation = validate(events, calibration.scenario(), items=items, reps=reps, seed=seed)
validation.table.query("scope != 'item'").round(3).reset_index(drop=True)

# %% [markdown]
# Every row, items included, by status:

# %%
validation.table.groupby(["scope", "status"]).size().unstack(fill_value=0)

# %% [markdown]
# ## Working days per case: observed vs simulated

# %%
validation.figures()["durations_ecdf.png"]
