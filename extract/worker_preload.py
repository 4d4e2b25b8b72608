"""Imported once by the forkserver that starts `zhmine run` workers (batch._worker_context): the
pipeline is built and warmed up there, and every worker forked from it shares those pages instead of
building its own."""
import gc

from .batch import warm_up

warm_up()
# PDF reading: imported here once rather than in every worker on its first PDF
import pdfplumber  # noqa: E402,F401
# keep the collector's hands off everything built so far: its bookkeeping writes would copy the shared
# pages into every worker
gc.freeze()
