"""Case studies: :mod:`simhall.studies.huainan` (the Huainan 2007 report) and
:mod:`simhall.studies.bpic15` (Dutch building permits, a real log).

A study is a worked exercise with its answer written down, like a textbook's solved example:
it runs the whole pipeline on one case and reports what it found, including where the model
does worse than a simple benchmark or differs from the published figures.
"""
