"""Exact SHAP for a model version: the explainer built once per version, TreeSHAP, the approved
reference sample, global importance and the grouping of features into reason units."""
