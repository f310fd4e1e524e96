"""The explanation service: exact SHAP contributions, reasons in plain words (English and
French), global importance and counterfactuals for the registered credit-default model."""
