"""``python -m kdwars``: the command line (see :mod:`kdwars.cli`)."""

import sys

from .cli import main

sys.exit(main())
