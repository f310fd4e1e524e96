"""The serving kit: what every model-serving service shares around its own domain object.

- ``holder``: the model holder (atomic swap when the alias moves, load history, reload loop),
  built from a function that turns a loaded registry version into the service's object;
- ``pinned``: other versions loaded on demand and kept in a small LRU (explain's option);
- ``lifespan``: start-up (wait for the database, load the model) and the background tasks;
- ``routes``: ``GET /v1/model`` and ``POST /v1/model/reload``;
- ``deps``: the dependencies route handlers declare (settings, engine, caller, the model).

Needs the ``web`` and ``registry`` extras. A service keeps only its routes and its domain object.
"""
