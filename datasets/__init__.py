"""The dataset catalog and cards, installed as the package data of medai.catalog."""
