"""The tensorseed REST service: FastAPI routes over the ``tensorseed`` library.

Installed as ``tensorseed_service`` (never as a top-level ``app``); inside this package every
import of its own modules is relative, so the same files run from the repository as ``app``.
"""
