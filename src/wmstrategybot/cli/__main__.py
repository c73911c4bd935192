"""``python -m wmstrategybot.cli``: the command line."""

from wmstrategybot.cli.main import main

main()
