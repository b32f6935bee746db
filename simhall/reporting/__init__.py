"""From results to what people read: summary metrics (pure functions on tidy frames),
tables, figures and Markdown."""
