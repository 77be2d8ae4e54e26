"""Sinks: the safetensors byte stream and the statistics reducer."""
