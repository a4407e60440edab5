"""Running an audit: the pipeline, streaming, workers and executors, the result cache, time limits."""
