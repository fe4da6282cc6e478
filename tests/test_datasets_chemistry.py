"""Drug-discovery datasets: real files read without importing their packages, and
synthetic labels that follow their documented rules."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from medai import datasets
from medai.datasets import public_molecules, synthetic_chemistry
from medai.datasets.registry import spec

rdkit = pytest.importorskip("rdkit")
from rdkit import Chem, DataStructs, RDLogger  # noqa: E402
from rdkit.Chem import Crippen, Descriptors, rdFingerprintGenerator, rdMolDescriptors  # noqa: E402

RDLogger.DisableLog("rdApp.*")

INSTALL = "pip install --no-deps -r requirements-data.txt"


def _unparsable(smiles) -> int:
    return sum(Chem.MolFromSmiles(s) is None for s in smiles)


def _package_folder(name: str) -> Path:
    return Path(importlib.util.find_spec(name).submodule_search_locations[0])


# --------------------------------------------------------------------------- real data


def test_solubility_combines_the_train_and_test_files():
    data = datasets.load("solubility")
    frame = data.frame
    # RDKit's split of the Huuskonen set: 1,025 + 257 records.
    assert len(frame) == 1282
    assert frame["split"].value_counts().to_dict() == {"train": 1025, "test": 257}
    assert data.target == "logS"
    assert _unparsable(frame["smiles"]) == 0
    # The files' own SMILES property: 18 use the "n(H)" dialect RDKit rejects (documented).
    assert _unparsable(frame["source_smiles"]) == 18
    assert frame["logS"].between(-11.7, 1.6).all()
    assert frame["logS"].min() == pytest.approx(-11.62)
    # The class labels follow the documented logS cut-offs.
    low, high = frame["solubility_class"] == "low", frame["solubility_class"] == "high"
    assert (frame.loc[low, "logS"] <= -3).all() and (frame.loc[high, "logS"] > -1).all()
    assert frame["name"].str.len().gt(0).all()
    assert set(data.data_dictionary) == set(frame.columns)
    assert "Huuskonen" in data.source


def test_freesolv_has_642_molecules_with_experimental_and_calculated_values():
    data = datasets.load("freesolv")
    frame = data.frame
    assert len(frame) == 642 and data.target == "expt"
    assert list(frame.columns) == ["smiles", "iupac", "expt", "calc"]
    assert _unparsable(frame["smiles"]) == 0
    assert frame[["expt", "calc"]].notna().all().all()
    assert frame["expt"].between(-25.5, 3.5).all()
    # The physics baseline quoted in the card: about 1.5 kcal/mol RMSE.
    rmse = float(np.sqrt(((frame["calc"] - frame["expt"]) ** 2).mean()))
    assert 1.4 < rmse < 1.7


def test_chembl_drugs_are_1935_parsable_drug_substances():
    data = datasets.load("chembl_drugs")
    frame = data.frame
    assert len(frame) == 1935
    assert _unparsable(frame["smiles"]) == 0
    assert int((frame["n_components"] > 1).sum()) == 198  # salts and mixtures
    assert data.licence.startswith("ChEMBL data CC BY-SA 3.0")


def test_moleculeace_default_is_thrombin_with_cliffs_and_the_published_split():
    data = datasets.load("moleculeace")
    frame = data.frame
    assert len(frame) == 2754 and data.target == "pKi"
    assert "thrombin" in data.description
    assert frame["split"].value_counts().to_dict() == {"train": 2201, "test": 553}
    assert set(frame["cliff_mol"]) == {0, 1} and int(frame["cliff_mol"].sum()) == 1094
    # Cliff molecules are in both parts of the split (it is stratified on them).
    assert frame.groupby("split")["cliff_mol"].mean().between(0.3, 0.5).all()
    assert np.allclose(frame["pKi"], 9 - np.log10(frame["Ki_nM"]), atol=1e-6)
    assert frame["pKi"].between(2.5, 11.1).all()
    assert _unparsable(frame["smiles"]) == 0


def test_moleculeace_target_choices_are_the_installed_files():
    folder = _package_folder("MoleculeACE") / "Data" / "benchmark_data"
    stems = sorted(path.stem for path in folder.glob("*.csv"))
    choices = spec("moleculeace").options["target"].choices
    assert sorted(choices) == stems and len(stems) == 30
    assert set(stems) == set(public_molecules.MOLECULEACE_TARGETS)
    ec50 = datasets.load("moleculeace", target="CHEMBL4616_EC50")
    assert ec50.target == "pEC50" and len(ec50.frame) == 682
    assert {"cliff_mol", "split", "EC50_nM"} <= set(ec50.frame.columns)


def test_every_moleculeace_file_has_values_cliffs_and_a_split():
    for path in sorted((_package_folder("MoleculeACE") / "Data" / "benchmark_data")
                       .glob("*.csv")):
        frame = datasets.load("moleculeace", target=path.stem).frame
        assert frame.notna().all().all(), path.stem
        assert set(frame["split"]) == {"train", "test"}, path.stem
        assert set(frame["cliff_mol"]) == {0, 1}, path.stem


def test_an_unknown_moleculeace_target_lists_the_valid_ones():
    with pytest.raises(datasets.DatasetOptionError) as caught:
        datasets.load("moleculeace", target="CHEMBL999_Ki")
    message = str(caught.value)
    assert "CHEMBL999_Ki" in message and "CHEMBL204_Ki" in message
    assert "CHEMBL4792_Ki" in message


# ---------------------------------------------------------------------- missing packages


@pytest.fixture
def no_data_packages(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.split(".")[0] in ("datamol", "MoleculeACE"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("name", ["solubility", "freesolv", "chembl_drugs", "moleculeace",
                                  "assay", "ddi_graph"])
def test_a_missing_data_package_says_how_to_install_it(no_data_packages, name):
    with pytest.raises(ModuleNotFoundError) as caught:
        datasets.load(name)
    assert isinstance(caught.value, public_molecules.DataPackageMissingError)
    assert INSTALL in str(caught.value)
    assert ("MoleculeACE" if name == "moleculeace" else "datamol") in str(caught.value)


def test_requirements_data_file_exists_for_the_install_hint():
    from helpers import REPO

    text = (REPO / "requirements-data.txt").read_text()
    assert "datamol" in text and "MoleculeACE" in text


def test_medai_never_imports_the_data_packages():
    code = (
        "import sys\n"
        "from medai import datasets\n"
        "datasets.available()\n"
        "for name in ('solubility', 'freesolv', 'chembl_drugs', 'moleculeace', 'assay',\n"
        "             'ddi_graph'):\n"
        "    datasets.load(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('datamol', 'MoleculeACE'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------------------- assay


@pytest.fixture(scope="module")
def assay():
    return datasets.load("assay")


def _rule_score(smiles, rule) -> np.ndarray:
    """The noise-free score computed here from the documented rule only."""
    mols = [Chem.MolFromSmiles(s) for s in smiles]
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    reference = generator.GetFingerprint(Chem.MolFromSmiles(rule["reference_active"]["smiles"]))
    scores = []
    for mol in mols:
        score = 0.0
        for smarts, weight in rule["substructures"].values():
            score += weight * mol.HasSubstructMatch(Chem.MolFromSmarts(smarts))
        rings = rdMolDescriptors.CalcNumAromaticRings(mol)
        score += rule["aromatic_rings"]["weight"] * (rings >= rule["aromatic_rings"]["minimum"])
        logp, mw = Crippen.MolLogP(mol), Descriptors.MolWt(mol)
        window = rule["logp_window"]
        score += window["weight"] * (window["low"] <= logp <= window["high"])
        window = rule["mw_window"]
        score += window["weight"] * (window["low"] <= mw <= window["high"])
        similarity = DataStructs.TanimotoSimilarity(reference, generator.GetFingerprint(mol))
        scores.append(score + rule["reference_active"]["weight"] * similarity)
    return np.array(scores)


def test_assay_shape_and_hit_rate(assay):
    # The option maximum is the size of the molecule pool.
    assert len(public_molecules.chembl_drug_parents()) == synthetic_chemistry.N_PARENT_DRUGS
    frame = assay.frame
    assert len(frame) == 1000 and assay.target == "active"
    assert list(frame.columns) == ["compound_id", "smiles", "pIC50", "active"]
    assert frame["compound_id"].is_unique and frame["smiles"].is_unique
    assert int(frame["active"].sum()) == 50
    assert _unparsable(frame["smiles"]) == 0
    # active <=> pIC50 >= 6 (1 uM), values within the documented clip.
    assert (frame.loc[frame["active"] == 1, "pIC50"] >= 6 - 1e-9).all()
    assert (frame.loc[frame["active"] == 0, "pIC50"] < 6 + 1e-9).all()
    assert frame["pIC50"].between(3, 10).all()


@pytest.mark.parametrize("hit_rate", [0.01, 0.2, 0.5])
def test_assay_hit_rate_follows_the_option(hit_rate):
    frame = datasets.load("assay", n_molecules=300, hit_rate=hit_rate, seed=3).frame
    assert int(frame["active"].sum()) == round(hit_rate * 300)


def test_assay_noise_free_score_is_recoverable_from_the_documented_rule(assay):
    rule = assay.ground_truth["rule"]
    ours = _rule_score(assay.frame["smiles"], rule)
    assert np.allclose(ours, assay.ground_truth["score"].to_numpy(), atol=1e-9)
    # The reference active is a real drug: haloperidol.
    assert rule["reference_active"]["name"] == "haloperidol"


def test_assay_without_noise_calls_the_top_scores_active():
    data = datasets.load("assay", n_molecules=400, noise=0.0, seed=5)
    score = data.ground_truth["score"]
    actives = data.frame["active"] == 1
    assert score[actives].min() >= score[~actives].max()


def test_a_simple_model_on_the_documented_features_beats_chance(assay):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features = synthetic_chemistry.assay_features(
        [Chem.MolFromSmiles(s) for s in assay.frame["smiles"]])
    X = pd.DataFrame(features).astype(float).to_numpy()
    y = assay.frame["active"].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    auc = cross_val_score(model, X, y, cv=5, scoring="roc_auc").mean()
    shuffled = np.random.default_rng(0).permutation(y)
    chance = cross_val_score(model, X, shuffled, cv=5, scoring="roc_auc").mean()
    assert auc > 0.85 and chance < 0.65 and auc - chance > 0.25


def test_assay_is_deterministic_per_seed():
    first = datasets.load("assay", n_molecules=200, seed=11)
    again = datasets.load("assay", n_molecules=200, seed=11)
    other = datasets.load("assay", n_molecules=200, seed=12)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    pd.testing.assert_series_equal(first.ground_truth["score"], again.ground_truth["score"])
    assert not first.frame["smiles"].equals(other.frame["smiles"])


# --------------------------------------------------------------------------- ddi graph


@pytest.fixture(scope="module")
def ddi():
    return datasets.load("ddi_graph")


def _implied_types(a, b) -> list[str]:
    """The interaction rule, written out again from the card."""
    types = []
    if (a["cyp3a4_inhibitor"] and b["cyp3a4_substrate"]) or (
            b["cyp3a4_inhibitor"] and a["cyp3a4_substrate"]):
        types.append("increased exposure (CYP3A4)")
    for mechanism, label in (("qt_prolonging", "QT prolongation"),
                             ("serotonergic", "serotonin syndrome risk"),
                             ("bleeding_risk", "bleeding risk")):
        if a[mechanism] and b[mechanism]:
            types.append(label)
    return types


def test_ddi_graph_nodes_and_edge_table(ddi):
    nodes, edges = ddi.nodes, ddi.edges
    assert len(nodes) == 300 and nodes["drug_id"].is_unique and nodes["smiles"].is_unique
    assert _unparsable(nodes["smiles"]) == 0
    assert list(edges.columns) == ["source", "target", "interaction_type", "is_noise"]
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["drug_id"])
    assert (edges["source"] < edges["target"]).all()  # each unordered pair once
    assert not edges.duplicated(["source", "target"]).any()
    assert 500 < len(edges) < 6000


def test_every_rule_edge_is_explained_by_the_mechanisms(ddi):
    mechanisms = ddi.ground_truth["mechanisms"]
    rows = mechanisms.to_dict("index")
    for edge in ddi.edges.itertuples():
        implied = _implied_types(rows[edge.source], rows[edge.target])
        if edge.is_noise:
            assert implied == [], edge
            assert edge.interaction_type in ddi.ground_truth["interaction_rule"]
        else:
            assert edge.interaction_type == "; ".join(implied), edge


def test_ddi_missing_and_noise_edges_are_as_documented(ddi):
    mechanisms = ddi.ground_truth["mechanisms"].to_dict("index")
    ids = list(ddi.nodes["drug_id"])
    implied = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
               if _implied_types(mechanisms[a], mechanisms[b])}
    edges = ddi.edges
    kept = set(map(tuple, edges.loc[~edges["is_noise"], ["source", "target"]].to_numpy()))
    missing = set(map(tuple, ddi.ground_truth["missing_edges"][["source", "target"]]
                      .to_numpy()))
    assert kept | missing == implied and not kept & missing
    # Missing rate 10%: binomial, so allow 4 standard errors.
    rate = ddi.ground_truth["missing_rate"]
    assert rate == 0.10
    se = np.sqrt(rate * (1 - rate) / len(implied))
    assert abs(len(missing) / len(implied) - rate) < 4 * se
    # Noise edges: exactly round(5% of the kept rule edges).
    assert ddi.ground_truth["noise_rate"] == 0.05
    assert int(edges["is_noise"].sum()) == round(0.05 * len(kept))


def test_ddi_mechanisms_follow_their_structural_alerts(ddi):
    mechanisms = ddi.ground_truth["mechanisms"]
    alerts = mechanisms["alerts"].str.split(";")
    for name, rule in ddi.ground_truth["mechanism_rule"].items():
        flagged = alerts.apply(lambda found, name=name: name in found)
        # Each mechanism is far more common among drugs carrying its alert.
        if flagged.sum() >= 5:
            assert mechanisms.loc[flagged, name].mean() > mechanisms.loc[~flagged, name].mean()
        assert rule["p_alert"] > rule["p_base"]
    # The serotonergic alert matches fluoxetine-like aryl-propylamines.
    fluoxetine = Chem.MolFromSmiles("CNCCC(Oc1ccc(C(F)(F)F)cc1)c1ccccc1")
    patterns = ddi.ground_truth["mechanism_rule"]["serotonergic"]["smarts"]
    assert any(fluoxetine.HasSubstructMatch(Chem.MolFromSmarts(p)) for p in patterns)


def test_ddi_graph_is_deterministic_per_seed():
    first = datasets.load("ddi_graph", n_drugs=80, seed=4)
    again = datasets.load("ddi_graph", n_drugs=80, seed=4)
    other = datasets.load("ddi_graph", n_drugs=80, seed=5)
    pd.testing.assert_frame_equal(first.nodes, again.nodes)
    pd.testing.assert_frame_equal(first.edges, again.edges)
    pd.testing.assert_frame_equal(first.ground_truth["mechanisms"],
                                  again.ground_truth["mechanisms"])
    assert not first.nodes["smiles"].equals(other.nodes["smiles"])
