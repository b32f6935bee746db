"""``python -m simhall``: the same as the ``simhall`` command."""

import sys

from simhall.cli import main

sys.exit(main())
