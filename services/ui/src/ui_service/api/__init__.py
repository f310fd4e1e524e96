"""Talking to the peer services: the HTTP clients (``peers``) and the actions built on them."""
