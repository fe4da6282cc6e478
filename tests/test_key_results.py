"""Headline figures travel from a lesson's output to the tests, through a real kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from medai.course.execute import execute
from medai.teach import key_results


def test_figures_shown_in_a_kernel_are_read_back(tmp_path):
    path = tmp_path / "lesson.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("print('training...')"),
        new_code_cell("from medai.teach import key_results\n"
                      "key_results.show({'test RMSE (kcal/mol)': 1.0734, 'epochs': 300},\n"
                      "                 published={'test RMSE (kcal/mol)': '1.15 (MPNN)'})"),
    ]), path)
    executed = execute(path)
    assert key_results.read(executed) == {"test RMSE (kcal/mol)": 1.0734, "epochs": 300.0}
    assert key_results.published(executed) == {"test RMSE (kcal/mol)": "1.15 (MPNN)"}
    shown = executed.cells[1].outputs[0]["data"]
    assert "| test RMSE (kcal/mol) | 1.073 | 1.15 (MPNN) |" in shown["text/markdown"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "0.9", None])
def test_a_figure_must_be_a_finite_number(value):
    with pytest.raises(ValueError, match="must be a finite number"):
        key_results.show({"Dice": value})


def test_a_notebook_without_figures_reads_empty():
    assert key_results.read(new_notebook(cells=[new_code_cell("1 + 1")])) == {}


def test_numpy_scalars_are_figures():
    """Lessons compute their figures with numpy; a float32 mean must not need a cast."""
    import numpy as np

    bundle = key_results._bundle({"Dice": np.float32(0.978), "n": np.int64(3)}, None, "Key")
    figures = bundle[key_results.MIME]["figures"]
    assert figures == {"Dice": pytest.approx(0.978), "n": 3.0}
    assert all(type(v) is float for v in figures.values())
