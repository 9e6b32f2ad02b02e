"""`python -m stance` runs the command line."""

from stance.cli import main

main()
