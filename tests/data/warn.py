# %% [markdown]
# A question whose test calls a library that prints a warning on stderr.

# %% nbgrader={"grade": false, "grade_id": "answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def no_positive_predictions(n):
    ### BEGIN SOLUTION
    return [0] * n
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "answer_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from sklearn.metrics import precision_score
predicted = no_positive_predictions(4)
assert predicted == [0, 0, 0, 0]
# scikit-learn writes an UndefinedMetricWarning to stderr here.
assert precision_score([1, 0, 1, 0], predicted) == 0.0
