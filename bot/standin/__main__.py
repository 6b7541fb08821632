"""`python -m bot.standin`: same as `parentvoice standin`."""

from bot.standin.cli import main

raise SystemExit(main())
