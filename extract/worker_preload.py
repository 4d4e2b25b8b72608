"""Imported once by the forkserver that starts `zhmine run` workers (executors._worker_context): the
pipeline is built and warmed up there, and every worker forked from it shares those pages instead of
building its own."""
import gc
import os

# below the readers and the writer, which feed and drain the workers: on a machine with as many
# workers as cores they keep the pipeline flowing, and the workers get every cycle they leave
os.nice(5)
# the warm-up makes millions of objects and no garbage worth a collection: the collector would only
# walk the growing heap again and again
gc.disable()

from .worker import warm_up  # noqa: E402

warm_up()
# (no pdfplumber: in a local run PDFs are read by reader processes of their own, LocalExecutor.read_ahead)
# keep the collector's hands off everything built so far: its bookkeeping writes would copy the shared
# pages into every worker
gc.freeze()
gc.enable()
