"""Reading inputs: files, folders, JSONL/CSV/TSV records, XLIFF/TMX; every record audited or reported."""
