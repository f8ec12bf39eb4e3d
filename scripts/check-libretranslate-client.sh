#!/usr/bin/env bash
# An existing LibreTranslate client against `tern serve`, unchanged: installs the PyPI client
# libretranslatepy, starts `tern serve` on a free loopback port, lists the languages and
# translates two lines through the client, and checks them against `tern translate`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet libretranslatepy
swift build -c release --product tern >&2
work="$(mktemp -d)"
.build/release/tern serve --model en-de --port 0 >"$work/serve.out" 2>"$work/serve.log" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
port="$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.out")"
printf 'A man in a blue shirt is riding a bike.\nTwo dogs are playing in the snow.\n' >"$work/lines.en"
.build/release/tern translate --model en-de --input "$work/lines.en" >"$work/expected.de"
python3 - "$port" "$work/lines.en" "$work/expected.de" <<'PY'
import sys
from libretranslatepy import LibreTranslateAPI
client = LibreTranslateAPI(f"http://127.0.0.1:{sys.argv[1]}/")
languages = client.languages()
assert any(entry["code"] == "en" and "de" in entry["targets"] for entry in languages), languages
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
expected = open(sys.argv[3], encoding="utf-8").read().splitlines()
received = [client.translate(line, "en", "de") for line in lines]
assert received == expected, (received, expected)
print("libretranslatepy: languages and", len(lines), "translations as tern translate gives them")
PY
