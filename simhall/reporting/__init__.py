"""From results to what people read: summary metrics (pure functions on tidy frames),
tables, figures and Markdown.

Modules, one concept each: :mod:`~simhall.reporting.metrics` (per-replication metrics and
confidence intervals), :mod:`~simhall.reporting.summary` (a run's summary: per replication,
then across replications), :mod:`~simhall.reporting.formatting` (metric labels, decimals and
``mean [low, high]`` strings), :mod:`~simhall.reporting.tables` (a run's display tables),
:mod:`~simhall.reporting.paired_tables` (a comparison's display tables),
:mod:`~simhall.reporting.plots` (a run's figures), :mod:`~simhall.reporting.figures` (the
one style module: fonts, sizes, colours, saving), :mod:`~simhall.reporting.labels`
(bilingual labels), :mod:`~simhall.reporting.export` (tables and figures in the formats of
slides and papers), :mod:`~simhall.reporting.folder_report` (``simhall report``),
:mod:`~simhall.reporting.dictionary` (the data dictionary of output folders),
:mod:`~simhall.reporting.markdown` (Markdown tables).
"""
