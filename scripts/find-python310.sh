#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains where it looked.
set -u
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
candidates+=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$(pyenv root)"/versions/3.10.*/bin/python)
fi
candidates+=("$HOME"/.pyenv/versions/3.10.*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10)
for c in "${candidates[@]}"; do
  if path=$(command -v "$c" 2>/dev/null) && "$path" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
{
  echo "No Python 3.10 found (Rasa 3.6 needs Python >=3.8,<3.11). Looked at:"
  printf '  %s\n' "${candidates[@]}"
  echo "Install one, e.g. 'pyenv install 3.10.13', or set PYTHON310=/path/to/python3.10."
} >&2
exit 1
