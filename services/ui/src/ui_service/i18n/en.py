"""English messages of the dashboard (keys mirror ``fr.py``)."""

MESSAGES: dict[str, str] = {
    # page
    "app_title": "Credit decision dashboard",
    "language_label": "Language / Langue",
    "signed_in_as": "Signed in as {user} ({role}).",
    "role_advisor": "advisor",
    "role_admin": "administrator",
    "sign_out": "Sign out",
    "monitoring_ok": "Model monitoring: last drift check {when}: {drifted} of {total} features "
                     "drifted.",
    "monitoring_alert": "⚠ Model monitoring: last drift check {when}: {drifted} of {total} "
                        "features drifted; the data has shifted since training.",
    "monitoring_none": "Model monitoring: no drift check has been run yet.",
    "monitoring_down": "ℹ Model monitoring is unavailable: the drift status of the model is not "
                       "shown. Scores and reasons are not affected.",
    # choosing an applicant
    "choose_heading": "Choose an applicant",
    "search_label": "Search by client id (digits; Enter opens an exact id)",
    "split_label": "Which clients",
    "split_test": "Applicants to decide",
    "split_train": "Past clients",
    "results_label": "Matching applicants",
    "results_count": "{shown} of {total} matching applicants listed; type more digits to narrow.",
    "results_none": "No applicant matches “{query}”.",
    "client_choice": "{id} — {contract}, credit {credit}, income {income}",
    "open_button": "Show decision",
    "choose_first": "Choose an applicant in the list, or type a client id.",
    "invalid_id": "A client id is made of digits only: “{query}” is not one.",
    "not_found": "No client with id {id}. Check the number, or choose from the list.",
    # decision
    "decision_heading": "Decision",
    "decision_none": "Choose an applicant or enter a new application to see the decision.",
    "approved": "Approved",
    "refused": "Refused",
    "applicant_known": "Client {id}",
    "applicant_new": "New application (not a client yet)",
    "applicant_whatif": "Simulation (what-if)",
    "probability_line": "Probability of default {probability}, threshold {threshold}: {relation}.",
    "relation_below": "below the threshold, so the model approves",
    "relation_above": "at or above the threshold, so the model refuses",
    "percentile_line": "Riskier than {percentile} of {population}.",
    "population_all": "all clients",
    "model_line": "Model {name}, version {version}; scored {when}.",
    "gauge_title": "Probability of default against the threshold",
    "gauge_desc": "Gauge from 0 to {maximum}: the probability of default is {probability}, the "
                  "threshold {threshold}. {decision}.",
    "gauge_approve": "approve",
    "gauge_refuse": "refuse",
    "gauge_threshold": "threshold {threshold}",
    "explain_down": "⚠ The reasons are unavailable right now (explanation service down): the "
                    "score is shown without them.",
    "percentile_down": "⚠ The comparison with other clients is unavailable right now.",
    "scoring_down": "⛔ The scoring service is unavailable: no decision can be shown right now. "
                    "Nothing was lost; try again in a moment, and tell IT support if it lasts.",
    "scoring_key": "⛔ The scoring service refused the dashboard's credentials: tell IT support.",
    "version_mismatch": "ℹ The reasons come from model version {explained}, the score from "
                        "version {scored} (the model changed in between).",
    # reasons
    "tab_reasons": "Reasons",
    "reasons_heading": "Main factors for and against",
    "reasons_chart_title": "Contribution of each factor to the risk (log-odds)",
    "reasons_axis": "Contribution to the risk score (+ toward refusal, − toward approval)",
    "reasons_caption": "Main factors, with the numbers of the chart",
    "col_factor": "Factor",
    "col_effect": "Effect",
    "col_contribution": "Contribution",
    "col_value": "Applicant's value",
    "toward_refusal": "Toward refusal",
    "toward_approval": "Toward approval",
    "effect_refusal": "raises the risk",
    "effect_approval": "lowers the risk",
    "reasons_summary": "Bar chart of the {count} main factors. Toward refusal: {refusal}. Toward "
                       "approval: {approval}.",
    "none": "none",
    "sentences_refusal": "What raises the risk",
    "sentences_approval": "What lowers the risk",
    "reasons_pending": "The reasons appear here once an applicant is chosen.",
    # population
    "tab_population": "Among other clients",
    "feature_label": "Feature to compare (most important first)",
    "population_help": "Bars: the share of the clients who repaid, and of those who defaulted, "
                       "in each interval of the feature (defaulted bars are hatched). The black "
                       "line marks this applicant. The numbers are in the tables.",
    "dist_all": "All clients",
    "dist_similar": "Clients similar to this applicant",
    "repaid": "Repaid",
    "defaulted": "Defaulted",
    "this_applicant": "This applicant",
    "axis_clients": "Share of each group (%)",
    "col_interval": "Interval",
    "col_default_rate": "Default rate",
    "dist_caption": "{title}, {feature}: clients per interval",
    "dist_summary": "{title}, {feature}: {repaid} clients repaid and {defaulted} defaulted. "
                    "{position}",
    "dist_position": "This applicant's value is {value}, in the interval {interval}, where "
                     "{rate} of the clients defaulted.",
    "dist_no_value": "This applicant's value is missing for this feature.",
    "scatter_heading": "Two features together",
    "scatter_x": "Horizontal axis",
    "scatter_y": "Vertical axis",
    "colour_by": "Colour the points by",
    "colour_outcome": "Outcome (repaid or defaulted)",
    "colour_score": "Estimated probability of default",
    "scatter_button": "Draw the scatter plot",
    "scatter_title": "{y} against {x}",
    "scatter_summary": "Scatter plot of {count} clients ({repaid} repaid, {defaulted} "
                       "defaulted), {y} against {x}. {position}",
    "scatter_position": "This applicant (black star) has {x} = {x_value} and {y} = {y_value}; "
                        "{x_share} of the clients shown have a lower {x} and {y_share} a lower "
                        "{y}.",
    "scatter_no_applicant": "This applicant's values are unknown for these features, so they are "
                            "not marked.",
    "scatter_caption": "Clients by quarter of {x}: count and default rate",
    "col_quarter": "Quarter of {x}",
    "col_clients": "Clients",
    "population_down": "⚠ The other clients cannot be shown right now (scoring service "
                       "unavailable).",
    "population_pending": "Choose an applicant to compare them with the other clients.",
    # what-if
    "tab_whatif": "What-if",
    "whatif_intro": "Change the loan, or correct the application, then recompute: the new score "
                    "and reasons appear below. Nothing is recorded.",
    "whatif_button": "Recompute",
    "whatif_pending": "Choose an applicant first: the form is filled with their application.",
    "whatif_result": "With these changes: {decision}, probability of default "
                     "{probability} (threshold {threshold}).",
    "whatif_compare": "Before the changes, on the same basis: {before} ({change}).",
    "whatif_history": "ℹ This simulation scores the application alone: the client's credit "
                      "history (credit bureau, previous loans, repayments) is left out, which is "
                      "why the 'before' figure can differ from the decision above.",
    "whatif_history_kept": "ℹ The client's credit history (credit bureau, previous loans, "
                           "repayments) is kept: only what you changed was recomputed.",
    "whatif_scored_by": "ℹ The explanation service is down: the simulation was scored without "
                        "reasons (and is recorded by the scoring service as a decision).",
    "counterfactual_heading": "What would change the decision",
    "cf_apply": "Copy the suggestion into the what-if form",
    "cf_down": "⚠ The suggestion is unavailable right now (explanation service down).",
    "cf_not_refused": "The application is approved: no change is needed.",
    # recording the decision
    "tab_record": "Record the decision",
    "record_intro": "You take the final decision. To differ from the model, write your "
                    "justification in the comment.",
    "final_label": "Final decision",
    "final_approve": "Approve",
    "final_refuse": "Refuse",
    "comment_label": "Comment (required when you override the model)",
    "record_button": "Record the decision",
    "record_model": "The model's decision: {decision}.",
    "record_none": "Choose an applicant first: only a scored application can be decided.",
    "record_choose": "Choose approve or refuse.",
    "record_needs_comment": "Comment: a justification is required, because your decision "
                            "differs from the model's ({decision}).",
    "record_ok": "Recorded: {final} by {advisor}, {when}.",
    "record_override": "The override of the model's decision ({decision}) is stored with your "
                       "justification.",
    "record_conflict": "This decision was already recorded; it cannot be recorded twice.",
    "record_down": "⛔ Not recorded: the scoring service is unavailable. Nothing was saved; try "
                   "again in a moment.",
    "record_invalid": "Not recorded: {reason}",
    # new application
    "tab_new": "New application",
    "new_intro": "Enter the application. Fields marked * are required; the others may stay "
                 "empty. Errors are named under the form.",
    "new_button": "Score this application",
    "errors_heading": "Please correct {count} field(s):",
    "err_required": "{label}: this field is required.",
    "err_range": "{label}: enter a value from {minimum} to {maximum}.",
    "err_choice": "{label}: choose one of the options.",
    "err_annuity": "{label}: the annuity cannot be larger than the credit amount.",
    "err_server": "{label}: {message}",
    "required_mark": " *",
    "yes": "Yes",
    "no": "No",
    "f_AMT_CREDIT": "Credit amount",
    "f_AMT_ANNUITY": "Annuity (yearly repayment)",
    "f_AMT_GOODS_PRICE": "Price of the goods",
    "f_AMT_INCOME_TOTAL": "Total annual income",
    "f_NAME_CONTRACT_TYPE": "Contract type",
    "f_AGE_YEARS": "Age (years)",
    "f_YEARS_EMPLOYED": "Years in current employment (empty if not employed)",
    "f_NAME_INCOME_TYPE": "Income type",
    "f_NAME_EDUCATION_TYPE": "Education",
    "f_NAME_HOUSING_TYPE": "Housing",
    "f_FLAG_OWN_CAR": "Owns a car",
    "f_FLAG_OWN_REALTY": "Owns real estate",
    "f_EXT_SOURCE_1": "External score 1 (0 to 1)",
    "f_EXT_SOURCE_2": "External score 2 (0 to 1)",
    "f_EXT_SOURCE_3": "External score 3 (0 to 1)",
    # login page
    "login_title": "Sign in — Credit decision dashboard",
    "login_heading": "Sign in",
    "login_intro": "For credit advisors. Use the account given to you by your administrator.",
    "username": "User name",
    "password": "Password",
    "sign_in": "Sign in",
    "login_failed": "The user name or the password is wrong.",
    "login_forbidden": "This account may not use the dashboard (advisors and administrators "
                       "only).",
    "login_missing": "Enter your user name and your password.",
    "login_expired": "Your session has expired: please sign in again.",
    "login_signed_out": "You are signed out.",
    "login_down": "Signing in is impossible right now: the scoring service does not answer. "
                  "Try again in a moment.",
    "login_throttled": "Too many failed attempts for this account: wait 5 minutes, then try "
                       "again.",
    "other_language": "Français",
    "error_prefix": "Error:",
}
