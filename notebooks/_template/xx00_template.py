# %% [markdown]
# # xx00 · Title of the lesson
#
# **Module:** the module from course.yml · **Track:** core · **Time:** about 110 minutes
#
# *Copy this folder to `notebooks/<id>_<name>/`, rename this file to match, and add the
# lesson to `course/course.yml`. Every `##` section below is required, in this order
# (`tests/test_lessons.py`). Each `##` and `###` heading carries a note on its next line:
# `*Core · N min*` or `*Deep dive · N min · optional*`; every cell of a deep dive is
# tagged `deep-dive`, and the core must not use a name only a deep dive defines
# (`medai course check`). Delete these instructions.*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# After this lesson you can:
#
# 1. state the objective as something a student can do and you can check;
# 2. keep the list identical to the lesson's `objectives` in `course.yml`.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# The decision a clinician faces, who is affected, and what a wrong answer costs. Explain
# before you compute: every later section answers part of this question.

# %% [markdown]
# ## Data card
# *Core · 5 min*
#
# What the data are, where they come from, their licence, who is in them and who is
# missing. Load data only through `medai.datasets.load(name)`, never by path.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from medai import datasets
from medai.teach import figures, key_results

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

data = datasets.load("breast_cancer_wisconsin")
print(data.features.shape, f"prevalence {data.target.mean():.2f}")

# %% [markdown]
# ## Method
# *Core · 15 min*
#
# The method in words first, then in code. Split before anything learns from the data.

# %%
X_train, X_test, y_train, y_test = train_test_split(
    data.features, data.target, test_size=0.3, stratify=data.target, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
scores = model.predict_proba(X_test)[:, 1]

# %% [markdown] tags=["deep-dive"]
# ### A deeper look
# *Deep dive · 10 min · optional: what the core does not need*
#
# Material that deepens the lesson but that no core cell relies on.

# %% tags=["deep-dive"]
coefficients = model[-1].coef_[0]
print(f"largest standardised coefficient: {np.abs(coefficients).max():.2f}")

# %% [markdown]
# ## Results
# *Core · 15 min*
#
# Show the headline figures once with `key_results.show` (beside the published ones
# where the lesson compares); the prose points to the table and never retypes its numbers.

# %%
accuracy = float(np.mean((scores >= 0.5) == y_test.to_numpy()))
key_results.show({"test accuracy": accuracy}, caption="Key results")
figure, axis = plt.subplots(figsize=(4, 3))
axis.hist(scores[y_test.to_numpy() == 1], bins=20, alpha=0.6, label="malignant")
axis.hist(scores[y_test.to_numpy() == 0], bins=20, alpha=0.6, label="benign")
axis.set_xlabel("predicted probability")
axis.legend()
plt.show()

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# The mistakes this method invites, each with how to see it happening.

# %% [markdown]
# ## Exercises
# *Core · 10 min*
#
# Worked answers are with your instructor and discussed in the seminar.
#
# 1. An exercise with a clear task and something to check.
# 2. Another one; answer each in `instructor_notes.md` under `## Exercise N`.

# %% [markdown]
# ## References
#
# 1. Author A, Author B. Title. *Journal*. Year;Volume:Pages. doi:...
