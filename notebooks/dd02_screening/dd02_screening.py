# %% [markdown]
# # dd02 · Similarity and virtual screening
#
# *Module: AI drug discovery and treatment development · Expected time: the core path takes about
# 110 minutes in the lab; three optional deep dives add about 25 minutes ·
# Prerequisites: dd01 (SMILES, RDKit molecules, standardisation); dx01 helps (ROC curves, AUROC).*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... explain how a **Morgan (ECFP-like) fingerprint** encodes a molecule as a bit vector, and
#   compute one with RDKit's `rdFingerprintGenerator`;
# - ... compute the **Tanimoto similarity** of two fingerprints by hand and with
#   `DataStructs.BulkTanimotoSimilarity`, and use it for a **nearest-neighbour search**;
# - ... extract **Bemis-Murcko scaffolds** and say what "scaffold hopping" means;
# - ... run a **retrospective virtual screen** (rank a library by maximum similarity to known
#   actives) and report it with the **enrichment factor** at 1% and 5%, **ROC AUC** and
#   **BEDROC**, and explain why the result depends on the choice of decoys;
# - ... find **activity cliffs**, pairs of near-identical molecules with very different potency,
#   as MoleculeACE defines them, and explain why they limit any similarity-based method.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# About one in four adults over 40 will develop atrial fibrillation (Lloyd-Jones et al. 2004), and
# without anticoagulation it raises the risk of stroke about fivefold (Wolf et al. 1991). For half
# a century the tablet was warfarin, a vitamin K antagonist that needs regular blood tests (INR)
# and interacts with food and many drugs. Since 2008 the **direct oral anticoagulants** have
# replaced it for most patients: dabigatran, which blocks thrombin, and the **factor Xa
# inhibitors** rivaroxaban, apixaban, edoxaban and betrixaban. Factor Xa sits where the two arms of
# the coagulation cascade meet, and one molecule of it leads to the generation of many hundreds of
# thrombin molecules, so blocking it strongly reduces clot formation (Perzborn et al. 2011). These
# drugs still cause bleeding and depend to varying degrees on the kidneys for clearance, so
# medicinal chemists keep looking for new factor Xa chemotypes.
#
# Screening is the first step. A team can buy or make perhaps a few hundred compounds for the
# first round of assays, out of a library of hundreds of thousands. Computing is cheap; lab
# testing is not.
#
# > **R&D question.** Given a handful of **known actives** (here, the four approved factor Xa
# > inhibitors), can a structural similarity search put the true factor Xa inhibitors of a library
# > **at the top of the list**, so that testing only the top 1-5% finds most of them? How do we
# > measure that honestly?
#
# The errors have different costs. A **false positive** in the top of the list wastes an assay
# slot; a **false negative** is an active the team never tests, possibly a new chemotype, which is
# exactly what a follow-up programme wants. Because only the top of the list is ever tested, what
# matters is **early recognition**, not the ordering of the bottom 90%. We will also see why a
# retrospective screen can look excellent or mediocre depending on what it is compared against.

# %% [markdown]
# ## Data card
# *Core · 8 min*
#
# | Item | Description |
# |---|---|
# | **What** | `moleculeace`, target `CHEMBL244_Ki`: measured inhibition constants (Ki) of compounds against human **coagulation factor X (factor Xa)**, curated from ChEMBL by the MoleculeACE benchmark (van Tilborg et al. 2022). Columns: SMILES, `pKi` = −log10(Ki in mol/L) (higher = more potent; pKi 8 = Ki 10 nM), `Ki_nM`, `cliff_mol` (1 = the molecule is part of an activity cliff, by MoleculeACE's definition) and MoleculeACE's train/test split (not used here). |
# | **Who / where from** | Compounds from medicinal-chemistry publications deposited in ChEMBL v29; repeated measurements averaged and inconsistent ones removed by the MoleculeACE authors. Mostly **congeneric series**: many close analogues from each paper. |
# | **Size** | 3,097 compounds; we count how many are potent and how many are weak below. |
# | **Second set** | `chembl_approved_drugs` (dd01): approved drugs, standardised to parents, supply the four approved factor Xa inhibitors as **queries** and about 1,700 other drugs as **background decoys**. Its approval years are ChEMBL's earliest recorded approval, which for recent drugs is usually the US one (rivaroxaban: 2011 here, 2008 in the EU). |
# | **Licence** | MoleculeACE MIT; bioactivity and drug data from ChEMBL, CC BY-SA 3.0. |
# | **PHI status** | None: chemical structures and in-vitro measurements only. |
# | **Known limitations** | (1) Ki values pooled from many laboratories and assay protocols (noise often 0.3-0.5 log units). (2) The set contains only compounds somebody chose to make and measure against factor Xa: "inactives" are weak analogues from active series, not random chemicals. (3) Approved drugs used as decoys are *assumed* inactive against factor Xa; most have never been tested. (4) Activity-cliff labels depend on MoleculeACE's similarity definitions and tenfold threshold. |

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import Draw, rdFingerprintGenerator
from rdkit.Chem.MolStandardize import rdMolStandardize
from rdkit.Chem.Scaffolds import MurckoScaffold
from rdkit.ML.Scoring import Scoring
from sklearn.metrics import roc_auc_score, roc_curve

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

SEED = 0  # every random draw in this lesson uses this seed
pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 60)
# Every SMILES below comes from curated files and parses cleanly; if one ever did not, RDKit would
# write to stderr. dd01 shows how to collect those messages; here we keep only RDKit errors on.
RDLogger.DisableLog("rdApp.warning")
RDLogger.DisableLog("rdApp.info")

# %%
fxa = datasets.load("moleculeace", target="CHEMBL244_Ki")
print(fxa.description)
activity = fxa.frame.copy()
print(f"\nUnparsed SMILES: {sum(Chem.MolFromSmiles(s) is None for s in activity['smiles'])}")
print(f"pKi >= 8 (Ki <= 10 nM): {(activity['pKi'] >= 8).sum()};  "
      f"6 <= pKi < 8: {((activity['pKi'] >= 6) & (activity['pKi'] < 8)).sum()};  "
      f"pKi < 6 (Ki > 1 µM): {(activity['pKi'] < 6).sum()}")

# %% [markdown]
# Now the approved drugs, standardised as in dd01 (largest organic fragment, uncharged,
# deduplicated by parent, at least 6 heavy atoms). For matching molecules *between* the two files
# we also keep a SMILES without stereochemistry, because one file may draw a stereocentre that the
# other leaves undefined.
#
# A practical point: an RDKit molecule object takes tens of kilobytes of memory, so a table with
# a few thousand of them can fill a good part of a 1 GB notebook server. We therefore parse each
# molecule, keep only the strings and numbers we need, and let the molecule go; when we need a
# molecule again we parse its SMILES, which takes well under a millisecond.

# %%
chooser = rdMolStandardize.LargestFragmentChooser(preferOrganic=True)
uncharger = rdMolStandardize.Uncharger()


def flat_smiles(mol):
    """Canonical SMILES without stereochemistry: for matching the same compound across files."""
    return Chem.MolToSmiles(mol, isomericSmiles=False)


def parent_record(smiles):
    """Registered SMILES -> parent SMILES, its stereo-free form and its heavy-atom count."""
    parent = uncharger.uncharge(chooser.choose(Chem.MolFromSmiles(smiles)))
    return Chem.MolToSmiles(parent), flat_smiles(parent), parent.GetNumHeavyAtoms()


approved = datasets.load("chembl_approved_drugs").frame
approved[["parent", "flat", "heavy_atoms"]] = [parent_record(s) for s in approved["smiles"]]
approved["n_components"] = approved["smiles"].str.count(r"\.") + 1
approved = (approved[approved["heavy_atoms"] >= 6]
            .sort_values(["first_approval", "n_components"])  # earliest entry, free base first
            .drop_duplicates("parent").reset_index(drop=True))
activity["flat"] = [flat_smiles(Chem.MolFromSmiles(s)) for s in activity["smiles"]]
print(f"{len(approved)} approved-drug parents")

queries = approved[approved["name"].str.endswith("XABAN")].copy()
queries["mol"] = [Chem.MolFromSmiles(s) for s in queries["parent"]]  # four molecules: cheap to keep
queries[shown("pKi in MoleculeACE")] = queries["flat"].map(activity.groupby("flat")["pKi"].max())
queries[["name", "first_approval", shown("pKi in MoleculeACE"), "parent"]]

# %% [markdown]
# All four approved factor Xa inhibitors are in the MoleculeACE set, with sub-nanomolar Ki
# (pKi above 9). They will be our **queries**: "known actives" from which we search for more. Here
# they are, with warfarin and dabigatran etexilate (the oral prodrug of the thrombin inhibitor) for
# comparison.

# %%
first_word = approved["name"].str.split().str[0]  # WARFARIN SODIUM -> WARFARIN
show = pd.concat([queries, approved[first_word.isin(["WARFARIN", "DABIGATRAN"])]])
show["mol"] = [Chem.MolFromSmiles(s) for s in show["parent"]]
Draw.MolsToGridImage(list(show["mol"]), legends=[n.title() for n in show["name"]],
                     molsPerRow=3, subImgSize=(300, 240))

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Six ideas: how a molecule becomes a bit vector, how two vectors are compared, how a library is
# ranked against known actives, how molecules are grouped into series, how a ranking is scored,
# and where similarity fails.

# %% [markdown]
# ### 1. Morgan fingerprints
# *Core · 5 min*
#
# A **Morgan fingerprint** (Morgan 1965; popularised as ECFP by Rogers & Hahn 2010) describes a
# molecule by the set of **circular atom environments** it contains. Each atom starts with an
# integer identifier computed from its own properties (element, number of heavy neighbours,
# hydrogens, charge, ring membership). In each iteration every atom's identifier is updated by
# hashing it together with its neighbours' identifiers, so after $r$ iterations an identifier
# describes the atom's neighbourhood up to $r$ bonds away. **Radius 2** (diameter 4, hence
# "ECFP4") is the common choice. The set of all identifiers, from radius 0 to 2, is the
# fingerprint. To get a fixed-length vector, each identifier is **folded** into one of
# $L = 2048$ bit positions (identifier modulo $L$): the bit is 1 if the molecule has at least one
# environment that folds there. Different environments can fold onto the same bit (a
# **collision**); with 2048 bits and typical drug-sized molecules (40-70 environments) this is
# rare.
#
# A **count** fingerprint keeps how often each environment occurs instead of 0/1. Count and bit
# versions, folded and unfolded, give different similarity values; a screen must state which one
# it used.

# %% [markdown]
# ### 2. Tanimoto similarity
# *Core · 3 min*
#
# For two bit vectors $A$ and $B$, let $a$ and $b$ be the numbers of bits set in each and $c$ the
# number set in both. The **Tanimoto (Jaccard) coefficient** is
#
# $$ T(A, B) = \frac{c}{a + b - c} = \frac{|A \cap B|}{|A \cup B|} , $$
#
# the share of all features present in either molecule that are present in both: 1 for identical
# fingerprints, 0 when nothing is shared. (The **Dice** coefficient, $2c / (a + b)$, is a different
# measure and is always at least as large.) For Morgan radius-2 fingerprints of 2,048 bits,
# unrelated drug-like molecules typically score below about 0.25, and pairs above about 0.5-0.6 are
# usually recognisable analogues; these thresholds depend on the fingerprint (Bajusz et al. 2015)
# and should be checked on your own data, as we do below.

# %% [markdown]
# ### 3. Nearest neighbours and similarity screening
# *Core · 2 min*
#
# The **similar property principle** says that structurally similar molecules tend to have similar
# properties, including activity (Johnson & Maggiora 1990). A **similarity screen** ranks every
# library molecule by its similarity to the known actives; with several queries we use the
# **maximum** similarity to any of them ("group fusion by MAX"), so a molecule that closely
# resembles *one* known active ranks high even if it is unlike the others. The mean would dilute
# such a match.

# %% [markdown]
# ### 4. Bemis-Murcko scaffolds
# *Core · 2 min*
#
# Bemis & Murcko (1996) reduced a molecule to its **framework**: all ring systems plus the linkers
# between them, with side chains removed. Molecules with the same scaffold form a chemical series.
# Finding an active with a *different* scaffold from the queries is called **scaffold hopping**
# (Schneider et al. 1999), and it is what a screen for new chemotypes is really after.

# %% [markdown]
# ### 5. A retrospective screen and its metrics
# *Core · 8 min*
#
# We pretend we do not know the activities, rank a library whose actives we *do* know, and check
# where the actives landed. The library mixes:
#
# - **actives**: a random sample of 50 compounds with pKi ≥ 8 (Ki ≤ 10 nM) from the factor Xa
#   set, excluding the queries themselves. Hit rates in real screening libraries are usually well
#   below 1%; 50 actives (about 2% of the combined library) is a compromise that keeps enough
#   actives to measure anything;
# - **measured inactives**: every compound in the set with pKi < 6 (Ki > 1 µM). They were made as
#   factor Xa inhibitors and failed, so they are "hard" decoys, often close analogues of actives;
# - **approved drugs** as background decoys: assumed inactive, chemically unrelated to factor Xa
#   ("easy" decoys). Compounds between pKi 6 and 8 are left out: neither clearly active nor clearly
#   inactive.
#
# With $N$ molecules, $n$ of them active, ranked by score (best first):
#
# - **Enrichment factor** at a fraction $x$ of the list: with $n_x = \lceil xN \rceil$ molecules
#   tested and $h_x$ actives among them,
#   $$ \mathrm{EF}_x = \frac{h_x / n_x}{n / N} , $$
#   the hit rate in the tested top divided by the hit rate of random picking. Its maximum is
#   $\min(1/x,\, N/n)$, so EF values are only comparable at the same $x$ and active ratio.
# - **ROC AUC**: the probability that a random active outranks a random decoy (dx01). It weighs
#   the whole list equally, including the bottom that nobody will test.
# - **BEDROC** (Truchon & Bayly 2007): each active at rank $r_i$ contributes $e^{-\alpha r_i / N}$,
#   an exponentially decaying weight, so early ranks count most. The sum, divided by its expected
#   value under random ranking, is the robust initial enhancement (RIE):
#   $$ \mathrm{RIE} = \frac{\sum_{i=1}^{n} e^{-\alpha r_i / N}}
#      {\frac{n}{N}\,\frac{1 - e^{-\alpha}}{e^{\alpha / N} - 1}} , $$
#   and BEDROC rescales it to lie between 0 and 1 (with $R_a = n/N$):
#   $$ \mathrm{BEDROC} = \mathrm{RIE}\,\frac{R_a \sinh(\alpha/2)}{\cosh(\alpha/2) - \cosh(\alpha/2 - \alpha R_a)}
#      + \frac{1}{1 - e^{\alpha (1 - R_a)}} . $$
#   This equals $(\mathrm{RIE} - \mathrm{RIE}_{\min}) / (\mathrm{RIE}_{\max} - \mathrm{RIE}_{\min})$,
#   the RIE placed between its worst (all actives last) and best (all actives first) values. With
#   $\alpha = 20$, about 80% of the score is decided by the first 8% of the list (Truchon & Bayly
#   2007).

# %% [markdown]
# ### 6. Activity cliffs
# *Core · 3 min*
#
# An **activity cliff** is a pair of structurally very similar molecules with a large difference in
# potency (Maggiora 2006; Stumpfe & Bajorath 2012). MoleculeACE (van Tilborg et al. 2022) calls two
# molecules a cliff pair when their potencies differ **more than tenfold** ($|\Delta \mathrm{pKi}|
# > 1$) and they are similar by **at least one** of three measures, each with threshold 0.9:
# Tanimoto similarity of radius-2 Morgan fingerprints (1,024 bits); Tanimoto similarity of the
# Morgan fingerprints of their **generic molecular graphs** (every atom made carbon and every bond
# single, so only the shape of the graph is compared); and a normalised Levenshtein similarity of
# their SMILES strings. A molecule in at least one such pair is a "cliff molecule".

# %% [markdown]
# ## Results
# *Core · 2 min*
#
# We make one fingerprint generator (radius 2, 2,048 bits) and use it throughout, and fingerprint
# apixaban, the query we look at most closely. A first optional deep dive opens that fingerprint
# bit by bit; the core goes straight on to similarity.

# %%
morgan = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
apixaban = queries.loc[queries["name"] == "APIXABAN", "mol"].iloc[0]
apixaban_fp = morgan.GetFingerprint(apixaban)

# %% [markdown] tags=["deep-dive"]
# ### A fingerprint, bit by bit
# *Deep dive · 6 min · optional: what the bits of a Morgan fingerprint stand for*
#
# For apixaban we count the bits set, compare with the number of distinct environments before
# folding (to see collisions), and ask which atom environments set a few of the bits.

# %% tags=["deep-dive"]
output = rdFingerprintGenerator.AdditionalOutput()
output.AllocateBitInfoMap()
apixaban_fp = morgan.GetFingerprint(apixaban, additionalOutput=output)
unfolded = morgan.GetSparseFingerprint(apixaban)
print(f"apixaban: {apixaban.GetNumHeavyAtoms()} heavy atoms, {unfolded.GetNumOnBits()} distinct "
      f"environments, {apixaban_fp.GetNumOnBits()} of 2048 bits set")

rows = []
for bit, environments in sorted(output.GetBitInfoMap().items())[:40:5]:
    atom, radius = environments[0]
    if radius == 0:
        fragment = apixaban.GetAtomWithIdx(atom).GetSymbol()
    else:
        bonds = Chem.FindAtomEnvironmentOfRadiusN(apixaban, radius, atom)
        fragment = Chem.MolToSmiles(Chem.PathToSubmol(apixaban, bonds))
    rows.append({shown("bit"): bit, shown("centre atom"): atom, shown("radius"): radius,
                 shown("times present"): len(environments),
                 shown("environment (SMILES)"): fragment})
pd.DataFrame(rows)

# %% [markdown] tags=["deep-dive"]
# Each bit stands for a small piece of structure around one atom: radius 0 is the atom alone,
# radius 1 adds its neighbours, radius 2 their neighbours. Compare the two counts printed above:
# wherever there are fewer bits set than distinct environments, some environments collided on the
# same bit. Some environments occur several times (the ring CH2 carbons, the aromatic CH atoms of
# the two para-substituted benzene rings); a bit fingerprint records only that the environment is
# present, a count fingerprint would record how often.

# %% [markdown]
# ### Tanimoto similarity by hand and with RDKit
# *Core · 6 min*
#
# We turn each fingerprint into a NumPy vector of 0s and 1s, compute $c / (a + b - c)$ ourselves,
# and compare with RDKit for every pair of the six anticoagulants above.

# %%
def tanimoto_by_hand(x, y):
    """Tanimoto of two 0/1 vectors: bits in both / bits in either."""
    both = np.sum((x == 1) & (y == 1))
    either = np.sum(x == 1) + np.sum(y == 1) - both
    return both / either if either else 0.0


names = [n.title() for n in show["name"]]
bit_vectors = [morgan.GetFingerprint(m) for m in show["mol"]]
arrays = [morgan.GetFingerprintAsNumPy(m) for m in show["mol"]]
by_hand = np.array([[tanimoto_by_hand(x, y) for y in arrays] for x in arrays])
by_rdkit = np.array([DataStructs.BulkTanimotoSimilarity(fp, bit_vectors) for fp in bit_vectors])
print(f"largest difference between our Tanimoto and RDKit's: {np.abs(by_hand - by_rdkit).max():.2e}")

fig, ax = plt.subplots(figsize=(6.2, 5))
image = ax.imshow(by_rdkit, cmap="viridis", vmin=0, vmax=1)
ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
ax.set_yticks(range(len(names)), names)
for i in range(len(names)):
    for j in range(len(names)):
        ax.text(j, i, f"{by_rdkit[i, j]:.2f}", ha="center", va="center",
                color="white" if by_rdkit[i, j] < 0.6 else "black", fontsize=8)
fig.colorbar(image, ax=ax, label="Tanimoto similarity (Morgan r=2, 2048 bits)")
ax.set_title("Pairwise similarity of oral anticoagulants")
fig.tight_layout()
plt.show()

# %% [markdown]
# Our formula agrees with RDKit exactly (the largest difference printed is zero). All the
# off-diagonal similarities in the heat map are low, far below the 0.5-0.6 at which pairs usually
# look like analogues. Rivaroxaban and apixaban share a design idea (a phenyl ring carrying a
# lactam, which fills the S4 pocket of the enzyme; Perzborn et al. 2011), yet their cell is as dark
# as that of unrelated drugs, and the factor Xa inhibitors are hardly more similar to each other
# than to warfarin or dabigatran.
# Four drugs against the same enzyme, discovered by different companies, are four different
# chemotypes. A similarity search from one of them would not find the others: keep this in mind for
# the screen.

# %% [markdown]
# ### Nearest-neighbour search
# *Core · 4 min*
#
# Which measured compounds are most similar to apixaban? `BulkTanimotoSimilarity` compares one
# fingerprint with a whole list in a single call.

# %%
activity["fp"] = [morgan.GetFingerprint(Chem.MolFromSmiles(s)) for s in activity["smiles"]]
activity["sim_apixaban"] = DataStructs.BulkTanimotoSimilarity(apixaban_fp, list(activity["fp"]))
neighbours = activity.sort_values("sim_apixaban", ascending=False).head(8)
neighbours[["smiles", "sim_apixaban", "pKi", "cliff_mol"]]

# %% [markdown]
# The first neighbour, with similarity 1, is apixaban itself. The next ones are analogues from the
# same medicinal-chemistry programme (the same bicyclic core, different groups on the right-hand
# phenyl ring), and they are potent too: the similar property principle at work. Note the
# `cliff_mol` column, though: most of these analogues have a near twin somewhere in the set whose
# potency differs more than tenfold. That is what activity cliffs (last section) are about.

# %% [markdown]
# ### Scaffolds
# *Core · 5 min*
#
# We compute the Bemis-Murcko scaffold of every compound and count how many distinct scaffolds the
# potent compounds span, and how many compounds share each query's scaffold.

# %%
activity["scaffold"] = [MurckoScaffold.MurckoScaffoldSmiles(s) for s in activity["smiles"]]
queries["scaffold"] = [MurckoScaffold.MurckoScaffoldSmiles(mol=m) for m in queries["mol"]]
potent = activity[activity["pKi"] >= 8]
print(f"{len(potent)} potent compounds (pKi >= 8) have {potent['scaffold'].nunique()} distinct scaffolds; "
      f"all {len(activity)} compounds have {activity['scaffold'].nunique()}")
amidine = Chem.MolFromSmarts("[NX3]C(=[NX2])c")  # aryl amidine: the arginine mimic of early inhibitors
has_amidine = np.array([Chem.MolFromSmiles(s).HasSubstructMatch(amidine) for s in potent["smiles"]])
print(f"potent compounds with an aryl amidine group: {has_amidine.mean():.0%}")
print("Compounds sharing each query's scaffold:")
for _, query in queries.iterrows():
    same = activity["scaffold"] == query["scaffold"]
    n_potent = (same & (activity["pKi"] >= 8)).sum()
    print(f"  {query['name'].title():12s} {same.sum():4d} compounds, {n_potent:3d} potent   "
          f"scaffold {query['scaffold']}")

# %% [markdown]
# The potent compounds are spread over hundreds of scaffolds, and only a handful share a scaffold
# with one of the four drugs. Most factor Xa chemistry in ChEMBL belongs to other series; about a
# quarter of the potent compounds carry an aryl amidine, the strongly basic arginine mimic of the
# early factor Xa and thrombin inhibitors, which the oral drugs avoided because such groups are
# poorly absorbed. A similarity search from the four drugs will find their own series; the
# question is how much else.

# %% [markdown]
# ### The retrospective screen
# *Core · 8 min*
#
# We now build the library described in the Method: 50 potent compounds drawn at random (seed 0),
# all measured inactives, and the approved-drug background. The four queries are removed from the
# library, and so is any approved drug that also appears in the factor Xa set (its activity is
# measured, so it is not a "background" decoy).

# %%
query_flat = set(queries["flat"])
query_fps = [morgan.GetFingerprint(m) for m in queries["mol"]]
candidates = activity[~activity["flat"].isin(query_flat)]
active_pool = candidates[candidates["pKi"] >= 8]
inactives = candidates[candidates["pKi"] < 6]
background = approved[~approved["flat"].isin(query_flat) & ~approved["flat"].isin(set(activity["flat"]))]


def max_similarity(fingerprints, query_fingerprints):
    """For each fingerprint, its highest Tanimoto similarity to any of the queries."""
    return np.array([max(DataStructs.BulkTanimotoSimilarity(fp, query_fingerprints))
                     for fp in fingerprints])


pool_scores = max_similarity(active_pool["fp"], query_fps)
inactive_scores = max_similarity(inactives["fp"], query_fps)
background_scores = max_similarity([morgan.GetFingerprint(Chem.MolFromSmiles(s))
                                    for s in background["parent"]], query_fps)
print(f"pool of potent compounds: {len(active_pool)}; measured inactives: {len(inactives)}; "
      f"approved-drug decoys: {len(background)}")

rng = np.random.default_rng(SEED)
N_ACTIVES = 50
draw = rng.choice(len(active_pool), size=N_ACTIVES, replace=False)
active_scores = pool_scores[draw]

# %% [markdown]
# Before computing any metric, look at the score distributions: the maximum similarity to the
# four drugs, for actives, measured inactives and approved drugs.

# %%
fig, ax = plt.subplots(figsize=(7, 4))
bins = np.linspace(0, 1, 41)
for scores, label, colour in [(background_scores, shown("approved drugs (background)"), "tab:grey"),
                              (inactive_scores, shown("measured inactives (pKi < 6)"), "tab:blue"),
                              (pool_scores, shown("all potent compounds (pKi ≥ 8)"), "tab:red")]:
    ax.hist(scores, bins=bins, density=True, histtype="step", linewidth=2, color=colour, label=label)
ax.set_title("Maximum similarity to the four approved factor Xa inhibitors")
ax.set_xlabel("Max Tanimoto similarity to any query")
ax.set_ylabel("Density")
ax.legend(fontsize=8)
plt.show()
for name, scores in [(shown("approved drugs"), background_scores),
                     (shown("measured inactives"), inactive_scores),
                     (shown("potent compounds"), pool_scores)]:
    print(f"{name:>18}: median {np.median(scores):.2f}, above 0.4: {(scores > 0.4).sum():4d} "
          f"({(scores > 0.4).mean():.1%})")

# %% [markdown]
# Approved drugs sit almost entirely at the low end of the scale, around the medians printed
# above. Most potent compounds are *also* at the low end: they belong to other series. Only a tail of potent compounds, the analogues of the four drugs, reaches
# high similarity. Measured inactives sit a little to the right of the drugs, being factor Xa
# chemistry, and a small number of them are close analogues of the drugs that turned out weak:
# those few compete with the actives for the very top of the list.

# %% [markdown]
# ### The metrics, written out
# *Core · 10 min*
#
# We write the enrichment factor and BEDROC ourselves, following the formulas of the Method, and
# check BEDROC and EF against RDKit's `rdkit.ML.Scoring.Scoring` on the same ranking. Ties in
# score are broken by list order (a stable sort), so the result is reproducible.

# %%
def rank_actives(scores, is_active):
    """Activity labels sorted by decreasing score (stable: ties keep their list order)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    return np.asarray(is_active, dtype=bool)[order]


def enrichment_factor(ranked_active, fraction):
    """Hit rate among the top ceil(fraction * N) over the hit rate of the whole list."""
    n_total, n_active = len(ranked_active), ranked_active.sum()
    n_top = max(1, math.ceil(fraction * n_total))
    return (ranked_active[:n_top].sum() / n_top) / (n_active / n_total)


def bedroc(ranked_active, alpha=20.0):
    """BEDROC of Truchon & Bayly (2007), from the RIE, with ranks starting at 1."""
    n_total, n_active = len(ranked_active), ranked_active.sum()
    ranks = np.flatnonzero(ranked_active) + 1
    ratio = n_active / n_total
    rie = np.exp(-alpha * ranks / n_total).sum() / (
        ratio * (1 - np.exp(-alpha)) / (np.exp(alpha / n_total) - 1))
    scale = ratio * np.sinh(alpha / 2) / (np.cosh(alpha / 2) - np.cosh(alpha / 2 - alpha * ratio))
    return rie * scale + 1 / (1 - np.exp(alpha * (1 - ratio)))


def evaluate(active_scores, decoy_scores):
    scores = np.concatenate([active_scores, decoy_scores])
    labels = np.r_[np.ones(len(active_scores)), np.zeros(len(decoy_scores))]
    ranked = rank_actives(scores, labels)
    return {"N": len(scores), shown("actives"): len(active_scores),
            "EF1%": enrichment_factor(ranked, 0.01), "EF5%": enrichment_factor(ranked, 0.05),
            shown("max EF1%"): min(100, len(scores) / len(active_scores)),
            "ROC AUC": roc_auc_score(labels, scores), "BEDROC(20)": bedroc(ranked, 20.0)}


decoy_sets = {shown("approved drugs"): background_scores,
              shown("measured inactives"): inactive_scores,
              shown("both"): np.concatenate([inactive_scores, background_scores])}
results = pd.DataFrame({name: evaluate(active_scores, decoys) for name, decoys in decoy_sets.items()}).T
results

# %%
ranked = rank_actives(np.concatenate([active_scores, decoy_sets[shown("both")]]),
                      np.r_[np.ones(N_ACTIVES), np.zeros(len(decoy_sets[shown("both")]))])
rdkit_rows = [[bool(a)] for a in ranked]  # RDKit wants rows sorted best first, label in column 0
print(f"BEDROC ours {bedroc(ranked):.6f}  RDKit {Scoring.CalcBEDROC(rdkit_rows, 0, 20.0):.6f}")
for fraction in (0.01, 0.05):
    theirs = Scoring.CalcEnrichment(rdkit_rows, 0, [fraction])[0]
    print(f"EF{fraction:.0%}   ours {enrichment_factor(ranked, fraction):.6f}  RDKit {theirs:.6f}")

# %% [markdown]
# Our functions agree with RDKit. Now read the table. Against **approved drugs** the screen looks
# good: a high AUC and an EF1% close to its maximum. Against **measured inactives** the *same
# actives with the same scores* give a lower AUC, BEDROC and EF1%: a few hard decoys take places at
# the top, and the bulk of them resembles the queries as much as the non-analogue actives do. The
# number that describes "the method" depends on the decoys it was tested against. (Read each EF
# against its ceiling, the `max EF1%` column: the combined library has more decoys per active, so
# its EF1% can go higher.) This is why benchmark sets such as DUD-E choose decoys that match the
# actives in physical properties but differ in topology (Mysinger et al. 2012), and why even such
# decoy sets have been shown to contain biases that flatter a method (Sieg et al. 2019).
#
# The ROC curves show the whole ranking; the enrichment curves (log scale) zoom into the top,
# where the tested compounds are.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
for (name, decoys), colour in zip(decoy_sets.items(), ["tab:grey", "tab:blue", "tab:purple"], strict=True):
    scores = np.concatenate([active_scores, decoys])
    labels = np.r_[np.ones(N_ACTIVES), np.zeros(len(decoys))]
    fpr, tpr, _ = roc_curve(labels, scores)
    axes[0].plot(fpr, tpr, color=colour, label=f"{name} (AUC {roc_auc_score(labels, scores):.2f})")
    ranked_set = rank_actives(scores, labels)
    screened = np.arange(1, len(ranked_set) + 1) / len(ranked_set)
    axes[1].plot(100 * screened, 100 * np.cumsum(ranked_set) / N_ACTIVES, color=colour, label=name)
axes[0].plot([0, 1], [0, 1], "k--", linewidth=1, label="random ranking")
axes[0].set_title("ROC curves of the similarity screen")
axes[0].set_xlabel("False positive rate (decoys ranked above the cut)")
axes[0].set_ylabel("True positive rate (actives found)")
axes[0].legend(fontsize=8, loc="lower right")
grid = np.logspace(-1, 2, 200)
axes[1].plot(grid, grid, "k--", linewidth=1, label="random ranking")
for cut in (1, 5):
    axes[1].axvline(cut, color="grey", linestyle=":", linewidth=1)
axes[1].set_xscale("log")
axes[1].set_xlim(0.1, 100)
axes[1].set_title("Enrichment curves (top of the list on the left)")
axes[1].set_xlabel("Library screened (%, log scale)")
axes[1].set_ylabel("Actives found (%)")
axes[1].legend(fontsize=8, loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# In every setting the enrichment curve rises steeply at first and then flattens: the screen finds
# the analogues of the four drugs within the first few percent, and after that it gains actives no
# faster than random picking would, because the remaining actives are other chemotypes that the
# queries do not describe. The AUC averages over the whole list, including the part that no one
# will test; EF at 1% and BEDROC describe the steep start.

# %% [markdown] tags=["deep-dive"]
# ### How much does the draw of 50 actives matter?
# *Deep dive · 10 min · optional: the sampling spread of EF, BEDROC and AUC*
#
# EF1% of a library of this size is decided by a few dozen molecules in the top 1%. We repeat the
# random draw of 50 actives 200 times (the scores do not change, only which actives are in the
# library) and look at the spread.

# %% tags=["deep-dive"]
repeats = []
for _ in range(200):
    sample = pool_scores[rng.choice(len(active_pool), size=N_ACTIVES, replace=False)]
    for name, decoys in decoy_sets.items():
        row = evaluate(sample, decoys)
        repeats.append({shown("decoys"): name, "EF1%": row["EF1%"], "BEDROC(20)": row["BEDROC(20)"],
                        "ROC AUC": row["ROC AUC"]})
repeats = pd.DataFrame(repeats)
summary = repeats.groupby(shown("decoys"), sort=False).quantile([0.05, 0.5, 0.95]).unstack()
summary.round(2)

# %% tags=["deep-dive"]
fig, axes = plt.subplots(1, 3, figsize=(12, 4))
for ax, metric in zip(axes, ["EF1%", "BEDROC(20)", "ROC AUC"], strict=True):
    groups = [repeats.loc[repeats[shown("decoys")] == name, metric] for name in decoy_sets]
    ax.boxplot(groups, tick_labels=[name.replace(" ", "\n") for name in decoy_sets])
    ax.set_title(f"{metric} over 200 draws of 50 actives")
    ax.set_xlabel("Decoy set")
    ax.set_ylabel(metric)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["deep-dive"]
# The spread from the draw alone is wide: compare the 5% and 95% columns of the table, for EF1%
# several units apart and for BEDROC a sizeable part of its 0-1 range. Small differences in EF or
# BEDROC between two methods on one benchmark, without an interval, mean little. That the measured
# inactives are the hardest decoys, however, holds across draws.

# %% [markdown]
# ### What the screen finds, and what it misses
# *Core · 8 min*
#
# Which potent compounds does such a screen pick up, and are they new chemotypes or analogues of
# the queries? We use every potent compound in the pool (not only the 50 drawn) and call it
# "found" if its score is above the score that only 1% of the decoys (both sets) reach, i.e. it
# would compete for a place in the top 1% of a large library. For the found ones we also record
# which of the four queries it resembles most.

# %%
cut = np.quantile(decoy_sets[shown("both")], 0.99)
pool = active_pool.assign(score=pool_scores)
pool["found"] = pool["score"] > cut
nearest = [int(np.argmax(DataStructs.BulkTanimotoSimilarity(fp, query_fps))) for fp in pool["fp"]]
pool["nearest_query"] = queries["name"].str.title().to_numpy()[nearest]
found = pool[pool["found"]]
print(f"score reached by only 1% of decoys: {cut:.2f}")
print(f"potent compounds found: {len(found)} of {len(pool)} ({len(found) / len(pool):.0%}), "
      f"covering {found['scaffold'].nunique()} of {pool['scaffold'].nunique()} potent scaffolds")
print("nearest query of the found compounds:")
print(found["nearest_query"].value_counts().to_string())

# %% [markdown]
# About a third of the potent compounds would be found, nearly all of them relatives of apixaban,
# betrixaban or rivaroxaban, and they cover only about a third of the potent scaffolds. Below are
# the most potent compounds that the screen *misses* (one per scaffold shape), with their best
# similarity to any query.

# %%
def generic_scaffold(scaffold_smiles):
    """Scaffold with every atom made carbon and every bond single: one entry per ring topology."""
    return Chem.MolToSmiles(MurckoScaffold.MakeScaffoldGeneric(Chem.MolFromSmiles(scaffold_smiles)))


missed = pool[~pool["found"]].sort_values("pKi", ascending=False)
missed = missed[~missed["scaffold"].map(generic_scaffold).duplicated()].head(4)
Draw.MolsToGridImage(
    [Chem.MolFromSmiles(s) for s in missed["smiles"]],
    legends=[shown(f"pKi {p:.1f}, max sim {v:.2f}")
             for p, v in zip(missed["pKi"], missed["score"], strict=True)],
    molsPerRow=4, subImgSize=(260, 220))

# %% [markdown]
# These are picomolar factor Xa inhibitors that the search ranks like random molecules, because
# nothing in the four drugs' fingerprints describes them. Similarity searching with Morgan
# fingerprints is good at finding **analogues** and poor at **scaffold hopping**; pharmacophore or
# shape-based methods, or models trained on many actives, are used when new chemotypes are the
# goal.
#
# The figures this lesson stands on: the early enrichment against each kind of decoy, the AUC and
# BEDROC of the combined library, and the share of all potent compounds the screen would find.

# %%
key_results.show({
    "EF1%, approved-drug decoys": results.loc[shown("approved drugs"), "EF1%"],
    "EF1%, measured-inactive decoys": results.loc[shown("measured inactives"), "EF1%"],
    "ROC AUC, both decoy sets": results.loc[shown("both"), "ROC AUC"],
    "BEDROC(20), both decoy sets": results.loc[shown("both"), "BEDROC(20)"],
    "share of potent compounds found (1% decoy cut)": len(found) / len(pool),
}, caption="dd02 key results: similarity screen from the four approved factor Xa inhibitors (seed 0)")

# %% [markdown]
# ### Activity cliffs
# *Core · 8 min*
#
# Now the reverse problem. We compute the Tanimoto similarity of every pair of the 3,097 compounds
# and the fold difference in Ki, and apply two of MoleculeACE's three similarity criteria: Morgan
# fingerprints of the molecules, and Morgan fingerprints of their generic graphs. (MoleculeACE uses
# 1,024 bits for both; we keep our 2,048-bit fingerprints for the molecules.)

# %%
def similarity_matrix(fingerprints):
    """All-against-all Tanimoto similarities, filled one row at a time (float32 keeps it small)."""
    matrix = np.zeros((len(fingerprints), len(fingerprints)), dtype=np.float32)
    for row, fp in enumerate(fingerprints):
        matrix[row] = DataStructs.BulkTanimotoSimilarity(fp, fingerprints)
    return matrix


morgan_1024 = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)
generic_fps = [morgan_1024.GetFingerprint(MurckoScaffold.MakeScaffoldGeneric(Chem.MolFromSmiles(s)))
               for s in activity["smiles"]]
sim_molecule = similarity_matrix(list(activity["fp"]))
sim_generic = similarity_matrix(generic_fps)
pki = activity["pKi"].to_numpy(dtype=np.float32)
delta = np.abs(pki[:, None] - pki[None, :])  # potency difference of every pair, log10 units

similar = np.triu((sim_molecule >= 0.9) | (sim_generic >= 0.9), k=1)  # upper triangle: each pair once
i, j = np.nonzero(similar & (delta > 1))
cliff_pairs = pd.DataFrame({"i": i, "j": j, "sim_molecule": sim_molecule[i, j],
                            "sim_generic": sim_generic[i, j], "delta_pKi": delta[i, j]})
n_pairs = len(pki) * (len(pki) - 1) // 2
print(f"{n_pairs:,} pairs; similar by either criterion: {similar.sum():,}; cliff pairs: "
      f"{len(cliff_pairs):,} ({len(cliff_pairs) / similar.sum():.0%} of similar pairs)")

ours = np.zeros(len(activity), dtype=bool)
ours[cliff_pairs["i"]] = True
ours[cliff_pairs["j"]] = True
labelled = activity["cliff_mol"].to_numpy() == 1
print(f"cliff molecules: ours {ours.sum()}, MoleculeACE {labelled.sum()}; "
      f"ours also labelled: {labelled[ours].mean():.0%}; labelled ones we find: {ours[labelled].mean():.0%}")

# %% [markdown]
# Every cliff molecule we find is also labelled by MoleculeACE. We recover a bit under half of their
# labels: the rest come from the third criterion, SMILES string similarity, which we did not
# compute (it is an exercise). About one similar pair in four is a cliff: "similar" does not
# guarantee "similarly potent".

# %% [markdown] tags=["deep-dive"]
# ### The cliff landscape
# *Deep dive · 8 min · optional: similarity against potency difference, and the steepest cliff*
#
# The plot shows similarity against potency difference for the pairs with Morgan similarity of
# at least 0.5; the top right corner holds the cliffs.

# %% tags=["deep-dive"]
ci, cj = np.nonzero(np.triu(sim_molecule >= 0.5, k=1))
close = pd.DataFrame({"sim_molecule": sim_molecule[ci, cj], "delta_pKi": delta[ci, cj]})
del sim_molecule, sim_generic, delta, similar  # about 100 MB we no longer need
fig, ax = plt.subplots(figsize=(7, 4.5))
hb = ax.hexbin(close["sim_molecule"], close["delta_pKi"], gridsize=40, bins="log", cmap="Blues", mincnt=1)
ax.axvline(0.9, color="tab:red", linestyle="--", linewidth=1)
ax.axhline(1, color="tab:red", linestyle="--", linewidth=1)
ax.text(0.905, close["delta_pKi"].max() * 0.95, "cliffs\n(Morgan\ncriterion)", color="tab:red",
        fontsize=8, va="top")
fig.colorbar(hb, ax=ax, label="Number of pairs (log scale)")
ax.set_title(f"Similarity vs potency difference, {len(close):,} factor Xa pairs")
ax.set_xlabel("Tanimoto similarity (Morgan r=2, 2048 bits)")
ax.set_ylabel("|ΔpKi| (log10 units; 1 = tenfold)")
plt.show()

# %% [markdown] tags=["deep-dive"]
# As similarity increases, large potency differences become rarer, which is the similar property
# principle, but they never disappear: even above 0.9 some pairs differ by a hundredfold or more.
# Here is the most extreme pair by the Morgan criterion.

# %% tags=["deep-dive"]
top = cliff_pairs[cliff_pairs["sim_molecule"] >= 0.9].sort_values("delta_pKi").iloc[-1]
pair = activity.iloc[[int(top["i"]), int(top["j"])]]
print(f"similarity {top['sim_molecule']:.2f}, potency difference {top['delta_pKi']:.1f} log units "
      f"(about {10 ** top['delta_pKi']:.0f}-fold)")
Draw.MolsToGridImage([Chem.MolFromSmiles(s) for s in pair["smiles"]],
                     legends=[f"pKi {p:.2f}" for p in pair["pKi"]], molsPerRow=2, subImgSize=(380, 280))

# %% [markdown] tags=["deep-dive"]
# The two molecules differ only in the size of one ring (one methylene group), yet their Ki differ
# by the factor printed above, about three orders of magnitude: the ring change presumably alters how the molecule sits in the
# binding site. A similarity search would rank both equally; so would any model that sees the world
# through these fingerprints. MoleculeACE found that all 24 machine-learning methods it tested
# predicted cliff molecules worse than other molecules (van Tilborg et al. 2022).

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Decoy choice decides the headline number.** Property-mismatched or random decoys make any
#   method look good. Report which decoys were used, and prefer measured inactives or
#   property-matched decoys; say how many actives were in the library.
# - **Analogue bias.** If the actives in a benchmark are mostly analogues of the queries, any
#   similarity method shines (Good & Oprea 2008). Count scaffolds among the actives found, not
#   only actives.
# - **"Decoys" that are active.** Background molecules are assumed inactive; a few may be true
#   actives never tested. A retrospective screen can then punish a method for a correct hit.
# - **EF is not comparable across libraries.** Its maximum depends on the share of actives; state
#   $x$, $N$ and $n$, and give an interval (the draw-to-draw spread above is large).
# - **AUC averages over what nobody tests.** A method can have a higher AUC and a worse top 1%.
#   Use EF at small $x$ or BEDROC for early recognition, and always show the enrichment curve.
# - **Fingerprint details change numbers.** Radius, bit length, bits versus counts, folded versus
#   unfolded, chirality flags: each changes Tanimoto values and the thresholds that go with them.
#   Write them down; "ECFP4" alone is not enough.
# - **Similar is not always equipotent.** Activity cliffs break the similar property principle
#   exactly where lead optimisation works, between close analogues.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: exercise 1, then one exercise of your track*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Both tracks) One query at a time.** Run the screen (approved-drug plus inactive decoys)
#    with each of the four drugs alone as the query. Which single drug gives the best EF1%? Does
#    the maximum over four queries beat the best single one? Try the **mean** similarity instead of
#    the maximum and explain the difference.
# 2. **(Engineer track) Fingerprint choices.** Repeat the screen with radius 1 and 3, with 1,024
#    and 4,096 bits, and with count fingerprints (`GetCountFingerprint` and
#    `DataStructs.BulkTanimotoSimilarity` on count vectors). Which choices change EF1% by more
#    than the draw-to-draw spread?
# 3. **(Engineer track) The third cliff criterion.** Implement the normalised Levenshtein
#    similarity of two SMILES strings, $1 - d(s, t) / \max(|s|, |t|)$, and add it to the cliff
#    definition. Hint: a pair can only reach 0.9 if the lengths differ by at most 10%, and the
#    difference in character counts gives a cheap lower bound on $d$; use both to skip most pairs.
#    How close do you get to MoleculeACE's 1,478 cliff molecules?
# 4. **(Clinician track) What would you buy?** Look at the top 30 molecules of the combined
#    ranking. How many are actives, inactive analogues, and approved drugs? If each assay costs the
#    same, how many assays per active found does the screen need, compared with picking at random?
# 5. **(Both tracks) A different target.** Repeat the screen for thrombin (`CHEMBL204_Ki`) with
#    dabigatran and argatroban as queries (check that they are in the set and how potent they are).
#    Is the screen easier or harder than for factor Xa, and why?

# %% [markdown]
# ## References
#
# 1. van Tilborg D, Alenicheva A, Grisoni F. Exposing the limitations of molecular machine learning
#    with activity cliffs. *J Chem Inf Model*. 2022;62(23):5938–5951. doi:10.1021/acs.jcim.2c01073
# 2. Mendez D, Gaulton A, Bento AP, et al. ChEMBL: towards direct deposition of bioassay data.
#    *Nucleic Acids Res*. 2019;47(D1):D930–D940. doi:10.1093/nar/gky1075
# 3. Morgan HL. The generation of a unique machine description for chemical structures: a technique
#    developed at Chemical Abstracts Service. *J Chem Doc*. 1965;5(2):107–113.
#    doi:10.1021/c160017a018
# 4. Rogers D, Hahn M. Extended-connectivity fingerprints. *J Chem Inf Model*. 2010;50(5):742–754.
#    doi:10.1021/ci100050t
# 5. Bajusz D, Rácz A, Héberger K. Why is Tanimoto index an appropriate choice for
#    fingerprint-based similarity calculations? *J Cheminform*. 2015;7:20.
#    doi:10.1186/s13321-015-0069-3
# 6. Johnson MA, Maggiora GM, eds. *Concepts and Applications of Molecular Similarity*. New York:
#    Wiley; 1990.
# 7. Willett P, Barnard JM, Downs GM. Chemical similarity searching. *J Chem Inf Comput Sci*.
#    1998;38(6):983–996. doi:10.1021/ci9800211
# 8. Bemis GW, Murcko MA. The properties of known drugs. 1. Molecular frameworks. *J Med Chem*.
#    1996;39(15):2887–2893. doi:10.1021/jm9602928
# 9. Schneider G, Neidhart W, Giller T, Schmid G. "Scaffold-hopping" by topological pharmacophore
#    search: a contribution to virtual screening. *Angew Chem Int Ed*. 1999;38(19):2894–2896.
#    doi:10.1002/(SICI)1521-3773(19991004)38:19<2894::AID-ANIE2894>3.0.CO;2-F
# 10. Truchon JF, Bayly CI. Evaluating virtual screening methods: good and bad metrics for the
#     "early recognition" problem. *J Chem Inf Model*. 2007;47(2):488–508. doi:10.1021/ci600426e
# 11. Mysinger MM, Carchia M, Irwin JJ, Shoichet BK. Directory of useful decoys, enhanced (DUD-E):
#     better ligands and decoys for better benchmarking. *J Med Chem*. 2012;55(14):6582–6594.
#     doi:10.1021/jm300687e
# 12. Good AC, Oprea TI. Optimization of CAMD techniques 3. Virtual screening enrichment studies: a
#     help or hindrance in tool selection? *J Comput Aided Mol Des*. 2008;22(3–4):169–178.
#     doi:10.1007/s10822-007-9167-2
# 13. Riniker S, Landrum GA. Open-source platform to benchmark fingerprints for ligand-based
#     virtual screening. *J Cheminform*. 2013;5:26. doi:10.1186/1758-2946-5-26
# 14. Maggiora GM. On outliers and activity cliffs: why QSAR often disappoints. *J Chem Inf Model*.
#     2006;46(4):1535. doi:10.1021/ci060117s
# 15. Stumpfe D, Bajorath J. Exploring activity cliffs in medicinal chemistry. *J Med Chem*.
#     2012;55(7):2932–2942. doi:10.1021/jm201706b
# 16. Sieg J, Flachsenberg F, Rarey M. In need of bias control: evaluating chemical data for
#     machine learning in structure-based virtual screening. *J Chem Inf Model*.
#     2019;59(3):947–961. doi:10.1021/acs.jcim.8b00712
# 17. Lloyd-Jones DM, Wang TJ, Leip EP, et al. Lifetime risk for development of atrial
#     fibrillation: the Framingham Heart Study. *Circulation*. 2004;110(9):1042–1046.
#     doi:10.1161/01.CIR.0000140263.20897.42
# 18. Wolf PA, Abbott RD, Kannel WB. Atrial fibrillation as an independent risk factor for stroke:
#     the Framingham Study. *Stroke*. 1991;22(8):983–988. doi:10.1161/01.STR.22.8.983
# 19. Perzborn E, Roehrig S, Straub A, Kubitza D, Misselwitz F. The discovery and development of
#     rivaroxaban. *Nat Rev Drug Discov*. 2011;10(1):61–75. doi:10.1038/nrd3185
# 20. RDKit documentation: `rdFingerprintGenerator`, `DataStructs`, `Chem.Scaffolds.MurckoScaffold`
#     and `ML.Scoring.Scoring`, https://www.rdkit.org/docs/
