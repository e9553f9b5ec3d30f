# The two set-up commands are `make run` and `make test`; see README.md.
BIN := .venv/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint typecheck bench

run:
	scripts/setup.sh run
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi users demo
	@echo "Serving on http://$(HOST):$(PORT)"
	$(BIN)/gunicorn --workers 1 --threads 8 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test:
	scripts/setup.sh test
	$(BIN)/ruff check .
	$(BIN)/mypy quizapp graders
	$(BIN)/python -m pytest

bench:
	$(BIN)/python -m graders bench
