"""Imported once by the forkserver that starts `zhmine run` workers (executors._worker_context): the
pipeline is built and warmed up there, and every worker forked from it shares those pages instead of
building its own."""
import gc
import os
import signal

# Ctrl-C and SIGTERM are the main process's to handle: it stops the workers, then this server (and
# waits for it). The server would ignore Ctrl-C only once this warm-up is over, and dying of a SIGTERM
# sent to the whole group it would leave its workers to be reaped by init (init_worker gives them
# back SIGTERM: the pool stops them with it)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)

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
