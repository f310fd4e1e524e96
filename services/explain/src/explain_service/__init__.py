"""The explanation service: exact SHAP contributions, reasons in plain words (English and
French), global importance and counterfactuals for the registered credit-default model.

The path of a request, top down (each folder imports only those below it):
``main`` builds the app; ``routes/`` resolve the subject (``subjects``: a client, a decision or
submitted fields) and the model version (``deps``); ``explanations/`` assemble one explanation
(reasons, and the waterfall from ``rendering/``, which also draws its image) and
``counterfactuals/`` search the smallest change to the loan; both stand on ``shap/`` (the
explainer built once per version, TreeSHAP, the approved reference, importance, reason units),
which stands on ``wording/`` (labels, units and values written for people).
"""
