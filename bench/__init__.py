"""Benchmarks: scripts that measure and print figures (``python -m bench.<name>``).

They are not tests and hold no thresholds that fail a run; each one writes its figures
to ``bench/results/<name>.json`` and a short ``bench/results/<name>.md``.
"""
