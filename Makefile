.PHONY: run test lint format package icons

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# The one-folder desktop bundle in dist/tobeout-host-stand/ (PyInstaller, packaging/tobeout.spec).
# Installs PyInstaller into .venv first when it is missing. Check the result with
#   dist/tobeout-host-stand/tobeout-host-stand --self-check
package:
	@test -x .venv/bin/python || bash scripts/bootstrap.sh run >/dev/null
	@.venv/bin/python -c "import PyInstaller" 2>/dev/null || .venv/bin/pip install --quiet -e ".[package]"
	.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/tobeout.spec
	@du -sh dist/tobeout-host-stand

# Re-render resources/icons/tobeout-<N>.png and tobeout.ico after changing tobeout.svg.
icons:
	.venv/bin/python packaging/make_icons.py
