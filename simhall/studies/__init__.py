"""Case studies on real logs: :mod:`simhall.studies.bpic15` (Dutch building permits).

A study is a worked exercise with its answer written down, like a textbook's solved example:
it runs the whole pipeline (read, calibrate, validate) on one real log and reports what it
found, including where the model does worse than a simple benchmark.
"""
