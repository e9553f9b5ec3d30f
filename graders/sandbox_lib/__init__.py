"""Course helper modules that submissions may import inside the sandbox (``from rnn_utils import *``).

This directory is placed on the sandbox's ``sys.path`` and bound read-only into its root.
"""
