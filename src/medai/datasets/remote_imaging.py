"""Public imaging sets too large to ship in a package: optional, checksum-verified download."""

from __future__ import annotations

from medai.datasets.download import RemoteFile, fetch
from medai.datasets.registry import DatasetSpec, Option
from medai.datasets.types import ImageDataset

PNEUMONIAMNIST = RemoteFile(
    dataset="pneumoniamnist",
    url="https://zenodo.org/record/6496656/files/pneumoniamnist.npz?download=1",
    # MedMNIST publishes only an MD5 for this file (medmnist/info.py, v2.2).
    checksum="md5:28209eda62fecd6e6a2d98b1501bb15f",
    filename="pneumoniamnist.npz",
)


def pneumoniamnist(split: str = "train") -> ImageDataset:
    import numpy as np

    with np.load(fetch(PNEUMONIAMNIST)) as archive:
        images = archive[f"{split}_images"].astype(np.float32) / 255.0
        labels = archive[f"{split}_labels"].reshape(-1).astype(np.int64)
    return ImageDataset(
        name="pneumoniamnist",
        images=images,
        labels=labels,
        label_names={0: "normal", 1: "pneumonia"},
        spacing_mm=(float("nan"), float("nan")),
        description=(
            "PneumoniaMNIST (MedMNIST v2): 5,856 paediatric chest radiographs centre-cropped "
            "and resized to 28 x 28, labelled normal or pneumonia; official train/val/test "
            "split (4,708 / 524 / 624)."
        ),
    )


pneumoniamnist.remote = PNEUMONIAMNIST  # lets `verify` check a present copy without downloading

DATASETS = {
    "pneumoniamnist": DatasetSpec(
        pneumoniamnist,
        options={"split": Option("train", "which official split",
                                 choices=("train", "val", "test"))},
    ),
}
