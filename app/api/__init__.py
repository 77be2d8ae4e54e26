"""HTTP only: thin routes that parse, call the domain/engine, and shape responses."""
