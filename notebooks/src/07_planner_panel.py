# %% tags=["parameters"]
# Parameters (papermill can override them)
scenario_path = "../scenarios/huainan_2007/baseline.toml"
department = "jianwei"
days = 40
reps = 2
seed = 2007

# %% [markdown]
# # The planner panel (规划面板)
#
# Pick a department, change its windows and back-office staff, switch a chief representative
# (首席代表) on or off and set the service level: **Run** simulates the department as it is and
# as planned with common random numbers (a small replication set, a few seconds) and redraws
# the table and the figure. Only the department and the departments its items pass through
# are simulated (a closed sub-hall), so every figure is the one the whole hall would give.
# The logic is `simhall.panel`; this notebook only lays out the controls.
#
# Below the panel, the same run for the parameters above, so that the notebook also reads
# without a live kernel.

# %%
%matplotlib inline
import ipywidgets as w
from IPython.display import display

import simhall
from simhall.panel import Plan, current_plan, department_choices, run_plan

scenario = simhall.load_scenario(scenario_path)
start = current_plan(scenario, department)
options = dict(days=days, reps=reps, seed=seed)
start

# %%
# NBVAL_IGNORE_OUTPUT
wide = {"style": {"description_width": "initial"}}  # bilingual descriptions in full
pick = w.Dropdown(
    options=department_choices(scenario), value=department, description="部门 dept", **wide
)
windows = w.IntSlider(value=start.windows, min=1, max=12, description="窗口 windows", **wide)
staff = w.IntSlider(value=start.staff, min=1, max=20, description="人员 staff", **wide)
chief = w.Checkbox(value=False, description="首席代表 chief representative", **wide)
level = w.FloatSlider(
    value=0.95, min=0.80, max=0.99, step=0.01, description="服务水平 service level", **wide
)
run = w.Button(description="Run 运行", button_style="primary")
status = w.Label()
table_out, figure_out = w.Output(), w.Output()


def reset(change):
    now = current_plan(scenario, pick.value)
    windows.value, staff.value, chief.value = now.windows, max(now.staff, 1), False


def redraw(_):
    status.value = "running ..."
    plan = Plan(pick.value, windows.value, staff.value, chief.value, level.value)
    result = run_plan(scenario, plan, **options)
    table_out.clear_output(wait=True)
    figure_out.clear_output(wait=True)
    with table_out:
        display(result.table)
    with figure_out:
        display(result.figure)
    status.value = "done"


pick.observe(reset, names="value")
run.on_click(redraw)
controls = w.VBox([pick, windows, staff, chief, level, w.HBox([run, status])])
display(w.VBox([controls, table_out, figure_out]))
redraw(None)

# %% [markdown]
# ## The parameters' plan, without the panel: one more window and a chief representative

# %%
plan = Plan(department, start.windows + 1, start.staff, True, 0.95)
result = run_plan(scenario, plan, **options)
result.table

# %%
result.figure
