"""The research forms, one module per page group as in ``research/views``."""
