"""The advisors dashboard.

- ``layout/``: what is on the page (typed components, their arrangement, the theme);
- ``events/``: what happens on an event (wiring, handlers, the updates they return);
- ``api/``: talking to the peer services over HTTP;
- ``views/``: pure rendering of HTML and charts from the peers' answers;
- ``i18n/``: the texts in English and French; ``form``: the application form's fields.

``app`` builds the FastAPI app (sign-in in ``login``, sessions in ``session``); ``main`` runs it.
"""
