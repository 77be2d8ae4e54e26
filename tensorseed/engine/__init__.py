"""Engine: fills element ranges of planned tensors on a backend, chunk by chunk, within limits."""
