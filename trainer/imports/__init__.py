"""Pure import parsers: uploaded files in, validated rows or a complete list of problems out; no database."""
