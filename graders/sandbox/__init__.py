"""The sandbox: warm "zygote" processes that fork one fully isolated child per job.

This package is imported inside the zygotes too, so it must stay light: it imports
only the standard library and NumPy, never the rest of ``graders``.
"""
