"""Imported once by the forkserver that starts `zhmine run` workers (batch._worker_context): the
pipeline is built and warmed up there, and every worker forked from it shares those pages instead of
building its own."""
import gc
import os

os.nice(5)

from .batch import warm_up

warm_up()
# (no pdfplumber: in a local run PDFs are read by reader processes of their own, batch.read_ahead)
# keep the collector's hands off everything built so far: its bookkeeping writes would copy the shared
# pages into every worker
gc.freeze()
