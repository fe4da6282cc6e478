"""What lessons import besides the datasets: helpers for teaching in a notebook.

``key_results``: a lesson's headline figures, shown as a table and read back by
the tests, the benchmarks and the website. ``figures``: Hangul in matplotlib.
``labels``: ``shown()``, the mark on a text the reader sees that is also a value.
"""
