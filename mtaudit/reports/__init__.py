"""What a run writes: CSV/JSON tables, the HTML review desk, XLSX, SARIF, JUnit, GitHub annotations, fixed copies."""
