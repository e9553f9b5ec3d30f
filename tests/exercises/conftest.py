"""Exercise-content tests: make the course's ``rnn_utils`` importable, as inside the sandbox."""

from tests.exercises.helpers import install_rnn_utils

install_rnn_utils()
