"""Entry point: `python -m loggro_app.dian`."""

import sys

from loggro_app.dian.cli import main

sys.exit(main())
