# Sourced by bin/demo and bin/test: make .venv (Python 3.11 or newer) and install
# requirements.txt into it, again only when requirements.txt changed since.

if [ ! -x .venv/bin/python ]; then
    if command -v python3.11 >/dev/null 2>&1; then
        python3.11 -m venv .venv
    else
        python3 -m venv .venv
    fi
fi
if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Headset needs Python 3.11 or newer: remove .venv and install python3.11." >&2
    exit 1
fi
if ! cmp -s requirements.txt .venv/requirements.installed; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
    cp requirements.txt .venv/requirements.installed
fi
