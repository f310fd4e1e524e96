"""`python -m credit_launcher`: the same as `credit serve-all`, without the `credit` command line."""

import typer

from credit_launcher.serve_all import serve_all_command

typer.run(serve_all_command)
