#!/usr/bin/env bash
# Development-only, before the first release: rebuilds the single initial migration from every schema.ts.
# Generates into a temporary folder and swaps it in, so a test run in progress never sees a half-written folder.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d ./.drizzle-tmp.XXXX)
trap 'rm -rf "$tmp"' EXIT
npx drizzle-kit generate --dialect postgresql --schema './src/**/schema.ts' --out "$tmp" --name foundation >/dev/null
# What a schema.ts cannot express (triggers, functions) sits beside it as schema.sql and joins the same migration.
for extra in $(find src -name schema.sql | sort); do
  printf '\n--> statement-breakpoint\n-- from %s\n' "$extra" >>"$tmp"/0000_foundation.sql
  cat "$extra" >>"$tmp"/0000_foundation.sql
done
rm -rf drizzle.old && { [ -d drizzle ] && mv drizzle drizzle.old || true; } && mv "$tmp" drizzle && rm -rf drizzle.old
echo "drizzle/ regenerated: $(ls drizzle/*.sql)"
