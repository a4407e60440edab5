"""The verdict: policy and quality score, triage (suppressions, baseline, critical rules), fingerprints, compare."""
