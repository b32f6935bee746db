"""The first thing the workers' fork server imports: Ctrl-C is left to the command.

The hall's back office keeps working when the public line is told to go home: the command
that started the workers decides what an interrupt means (stop, clean up, exit status
130). The fork server (:func:`simhall.executors.local_pool`) is a child in the same process
group, so a Ctrl-C at the terminal reaches it too; while it is still importing simhall and
pandas it would die with a traceback of its own. :mod:`multiprocessing` makes the server
ignore SIGINT once its imports are done. The server is spawned with SIGINT blocked
(:func:`simhall.executors.start_worker_server`); importing this module first, before the
others, ignores it and then unblocks it (a module imported only by the server, for this
side effect): an interrupt that came meanwhile is dropped.
"""

from __future__ import annotations

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a fork server: POSIX
