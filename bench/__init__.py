"""Benchmark tooling: ``bench.generate`` fills PostgreSQL with a province's ten years of data.

Run it through ``manage.py generate_scale_data --scale 1``; it writes what a benchmark needs
to know (logins, a long-timeline issue, the newest campaign) to ``bench/out/dataset.json``.
"""
