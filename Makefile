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
	@# Two processes, each with its own grading pool: grading and page serving then share two GILs, not one
	@# (measured in docs/pipeline.md). Every pool claims jobs atomically from the database. 32 threads each:
	@# at most LONG_POLL_MAX_WAITERS (24) wait for verdicts, and REQUEST_CONCURRENCY (4) of the others run
	@# at once. Idle connections stay open 30 s, longer than a student's pause between two requests. Each
	@# worker listens on a socket of its own (--reuse-port), so the kernel spreads connections over both:
	@# with one shared socket, one worker took 149 of a class's 160 kept-alive connections.
	$(BIN)/gunicorn --config deploy/gunicorn_pinning.py --workers 2 --threads 32 --keep-alive 30 --reuse-port --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test:
	scripts/setup.sh test
	$(BIN)/ruff check .
	$(BIN)/mypy quizapp graders bench/*.py
	$(BIN)/python -m pytest -n auto -m "not timing"
	@# The latency tests run alone: on two cores the parallel run's own load can delay any one thread by
	@# more than the 100 ms they check.
	$(BIN)/python -m pytest -m timing

bench:
	$(BIN)/python -m graders bench
