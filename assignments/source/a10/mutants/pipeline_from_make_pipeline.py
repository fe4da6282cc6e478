# %% [markdown]
# The pipeline is built with make_pipeline, so its steps are called selectkbest, standardscaler and logisticregression instead of select, scale and logreg.

# %% nbgrader={"grade_id": "q2_answer"}
from sklearn.pipeline import make_pipeline


def response_model(k, C):
    return make_pipeline(SelectKBest(f_classif, k=k), StandardScaler(),
                         LogisticRegression(C=C, max_iter=1000))


def cv_auroc(X, y, k, C, n_splits=5, seed=0):
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return cross_val_score(response_model(k, C), X, np.asarray(y), cv=folds, scoring="roc_auc")
