"""French messages of the dashboard (keys mirror ``en.py``) and the French categorical levels."""

MESSAGES: dict[str, str] = {
    # page
    "app_title": "Tableau de bord des décisions de crédit",
    "language_label": "Language / Langue",
    "signed_in_as": "Connecté·e : {user} ({role}).",
    "role_advisor": "conseiller·ère",
    "role_admin": "administrateur·rice",
    "sign_out": "Se déconnecter",
    "monitoring_ok": "Surveillance du modèle : dernier contrôle de dérive {when} : {drifted} "
                     "caractéristiques sur {total} ont dérivé.",
    "monitoring_alert": "⚠ Surveillance du modèle : dernier contrôle de dérive {when} : {drifted} "
                        "caractéristiques sur {total} ont dérivé ; les données ont changé depuis "
                        "l'entraînement.",
    "monitoring_none": "Surveillance du modèle : aucun contrôle de dérive n'a encore été fait.",
    "monitoring_down": "ℹ La surveillance du modèle est indisponible : l'état de dérive du modèle "
                       "n'est pas affiché. Les scores et les raisons ne sont pas concernés.",
    # choosing an applicant
    "choose_heading": "Choisir un demandeur",
    "search_label": "Rechercher par identifiant client (chiffres ; Entrée ouvre un identifiant "
                    "exact)",
    "split_label": "Quels clients",
    "split_test": "Demandes à décider",
    "split_train": "Anciens clients",
    "results_label": "Demandeurs correspondants",
    "results_count": "{shown} demandeurs listés sur {total} ; tapez d'autres chiffres pour "
                     "affiner.",
    "results_none": "Aucun demandeur ne correspond à « {query} ».",
    "client_choice": "{id} — {contract}, crédit {credit}, revenu {income}",
    "open_button": "Afficher la décision",
    "choose_first": "Choisissez un demandeur dans la liste, ou tapez un identifiant client.",
    "invalid_id": "Un identifiant client ne contient que des chiffres : « {query} » n'en est pas "
                  "un.",
    "not_found": "Aucun client n'a l'identifiant {id}. Vérifiez le numéro, ou choisissez dans la "
                 "liste.",
    # decision
    "decision_heading": "Décision",
    "decision_none": "Choisissez un demandeur ou saisissez une nouvelle demande pour voir la "
                     "décision.",
    "approved": "Acceptée",
    "refused": "Refusée",
    "applicant_known": "Client {id}",
    "applicant_new": "Nouvelle demande (pas encore client)",
    "applicant_whatif": "Simulation",
    "probability_line": "Probabilité de défaut {probability}, seuil {threshold} : {relation}.",
    "relation_below": "sous le seuil, le modèle accepte",
    "relation_above": "au seuil ou au-dessus, le modèle refuse",
    "percentile_line": "Plus risqué que {percentile} de {population}.",
    "population_all": "l'ensemble des clients",
    "model_line": "Modèle {name}, version {version} ; score calculé le {when}.",
    "gauge_title": "Probabilité de défaut comparée au seuil",
    "gauge_desc": "Jauge de 0 à {maximum} : la probabilité de défaut est de {probability}, le "
                  "seuil de {threshold}. {decision}.",
    "gauge_approve": "accepter",
    "gauge_refuse": "refuser",
    "gauge_threshold": "seuil {threshold}",
    "explain_down": "⚠ Les raisons sont indisponibles pour le moment (service d'explication "
                    "arrêté) : le score est affiché sans elles.",
    "percentile_down": "⚠ La comparaison avec les autres clients est indisponible pour le "
                       "moment.",
    "scoring_down": "⛔ Le service de score est indisponible : aucune décision ne peut être "
                    "affichée pour le moment. Rien n'est perdu ; réessayez dans un instant et "
                    "prévenez le support informatique si cela dure.",
    "scoring_key": "⛔ Le service de score a refusé les identifiants du tableau de bord : "
                   "prévenez le support informatique.",
    "version_mismatch": "ℹ Les raisons viennent de la version {explained} du modèle, le score "
                        "de la version {scored} (le modèle a changé entre-temps).",
    # reasons
    "tab_reasons": "Raisons",
    "reasons_heading": "Principaux facteurs pour et contre",
    "reasons_chart_title": "Contribution de chaque facteur au risque (log-odds)",
    "reasons_axis": "Contribution au score de risque (+ vers le refus, − vers l'acceptation)",
    "reasons_caption": "Principaux facteurs, avec les nombres du graphique",
    "col_factor": "Facteur",
    "col_effect": "Effet",
    "col_contribution": "Contribution",
    "col_value": "Valeur du demandeur",
    "toward_refusal": "Vers le refus",
    "toward_approval": "Vers l'acceptation",
    "effect_refusal": "augmente le risque",
    "effect_approval": "diminue le risque",
    "reasons_summary": "Diagramme en barres des {count} principaux facteurs. Vers le refus : "
                       "{refusal}. Vers l'acceptation : {approval}.",
    "none": "aucun",
    "sentences_refusal": "Ce qui augmente le risque",
    "sentences_approval": "Ce qui diminue le risque",
    "reasons_pending": "Les raisons s'affichent ici une fois un demandeur choisi.",
    # population
    "tab_population": "Parmi les autres clients",
    "feature_label": "Caractéristique à comparer (les plus importantes d'abord)",
    "population_help": "Barres : la part des clients ayant remboursé, et de ceux ayant fait "
                       "défaut, dans chaque intervalle de la caractéristique (barres hachurées "
                       "pour le défaut). Le trait noir marque ce demandeur. Les nombres sont "
                       "dans les tableaux.",
    "dist_all": "Tous les clients",
    "dist_similar": "Clients semblables à ce demandeur",
    "repaid": "Ont remboursé",
    "defaulted": "Ont fait défaut",
    "this_applicant": "Ce demandeur",
    "axis_clients": "Part de chaque groupe (%)",
    "col_interval": "Intervalle",
    "col_default_rate": "Taux de défaut",
    "dist_caption": "{title}, {feature} : clients par intervalle",
    "dist_summary": "{title}, {feature} : {repaid} clients ont remboursé et {defaulted} ont fait "
                    "défaut. {position}",
    "dist_position": "La valeur de ce demandeur est {value}, dans l'intervalle {interval}, où "
                     "{rate} des clients ont fait défaut.",
    "dist_no_value": "La valeur de ce demandeur manque pour cette caractéristique.",
    "scatter_heading": "Deux caractéristiques ensemble",
    "scatter_x": "Axe horizontal",
    "scatter_y": "Axe vertical",
    "colour_by": "Colorer les points selon",
    "colour_outcome": "L'issue (remboursé ou défaut)",
    "colour_score": "La probabilité de défaut estimée",
    "scatter_button": "Tracer le nuage de points",
    "scatter_title": "{y} selon {x}",
    "scatter_summary": "Nuage de {count} clients ({repaid} ont remboursé, {defaulted} ont fait "
                       "défaut), {y} selon {x}. {position}",
    "scatter_position": "Ce demandeur (étoile noire) a {x} = {x_value} et {y} = {y_value} ; "
                        "{x_share} des clients affichés ont une valeur plus basse pour {x} et "
                        "{y_share} pour {y}.",
    "scatter_no_applicant": "Les valeurs de ce demandeur sont inconnues pour ces "
                            "caractéristiques : il n'est pas marqué.",
    "scatter_caption": "Clients par quart de {x} : effectif et taux de défaut",
    "col_quarter": "Quart de {x}",
    "col_clients": "Clients",
    "population_down": "⚠ Les autres clients ne peuvent pas être affichés pour le moment "
                       "(service de score indisponible).",
    "population_pending": "Choisissez un demandeur pour le comparer aux autres clients.",
    # what-if
    "tab_whatif": "Simulation",
    "whatif_intro": "Modifiez le prêt, ou corrigez la demande, puis recalculez : le nouveau "
                    "score et les raisons s'affichent dessous. Rien n'est enregistré.",
    "whatif_button": "Recalculer",
    "whatif_pending": "Choisissez d'abord un demandeur : le formulaire reprend sa demande.",
    "whatif_result": "Avec ces changements : {decision}, probabilité de défaut "
                     "{probability} (seuil {threshold}).",
    "whatif_compare": "Avant les changements, sur la même base : {before} ({change}).",
    "whatif_history": "ℹ Cette simulation calcule le score à partir de la demande seule : "
                      "l'historique de crédit du client (bureau de crédit, prêts précédents, "
                      "remboursements) n'est pas pris en compte ; c'est pourquoi le chiffre "
                      "« avant » peut différer de la décision ci-dessus.",
    "whatif_history_kept": "ℹ L'historique de crédit du client (bureau de crédit, prêts "
                           "précédents, remboursements) est conservé : seul ce que vous avez "
                           "modifié a été recalculé.",
    "whatif_scored_by": "ℹ Le service d'explication est arrêté : la simulation a été calculée "
                        "sans raisons (et enregistrée comme décision par le service de score).",
    "counterfactual_heading": "Ce qui changerait la décision",
    "cf_apply": "Copier la suggestion dans le formulaire de simulation",
    "cf_down": "⚠ La suggestion est indisponible pour le moment (service d'explication "
               "arrêté).",
    "cf_not_refused": "La demande est acceptée : aucun changement n'est nécessaire.",
    # recording the decision
    "tab_record": "Enregistrer la décision",
    "record_intro": "C'est vous qui décidez. Pour vous écarter du modèle, écrivez votre "
                    "justification dans le commentaire.",
    "final_label": "Décision finale",
    "final_approve": "Accepter",
    "final_refuse": "Refuser",
    "comment_label": "Commentaire (obligatoire si vous contredisez le modèle)",
    "record_button": "Enregistrer la décision",
    "record_model": "Décision du modèle : {decision}.",
    "record_none": "Choisissez d'abord un demandeur : seule une demande notée peut être "
                   "décidée.",
    "record_choose": "Choisissez accepter ou refuser.",
    "record_needs_comment": "Commentaire : une justification est obligatoire, car votre "
                            "décision diffère de celle du modèle ({decision}).",
    "record_ok": "Enregistré : {final} par {advisor}, {when}.",
    "record_override": "La dérogation à la décision du modèle ({decision}) est conservée avec "
                       "votre justification.",
    "record_conflict": "Cette décision a déjà été enregistrée ; elle ne peut pas l'être deux "
                       "fois.",
    "record_down": "⛔ Non enregistré : le service de score est indisponible. Rien n'a été "
                   "sauvegardé ; réessayez dans un instant.",
    "record_invalid": "Non enregistré : {reason}",
    # new application
    "tab_new": "Nouvelle demande",
    "new_intro": "Saisissez la demande. Les champs marqués * sont obligatoires ; les autres "
                 "peuvent rester vides. Les erreurs sont nommées sous le formulaire.",
    "new_button": "Calculer le score de cette demande",
    "errors_heading": "Veuillez corriger {count} champ(s) :",
    "err_required": "{label} : ce champ est obligatoire.",
    "err_range": "{label} : saisissez une valeur de {minimum} à {maximum}.",
    "err_choice": "{label} : choisissez une des options.",
    "err_annuity": "{label} : l'échéance ne peut pas dépasser le montant du crédit.",
    "err_server": "{label} : {message}",
    "required_mark": " *",
    "yes": "Oui",
    "no": "Non",
    "f_AMT_CREDIT": "Montant du crédit",
    "f_AMT_ANNUITY": "Échéance (remboursement annuel)",
    "f_AMT_GOODS_PRICE": "Prix du bien",
    "f_AMT_INCOME_TOTAL": "Revenu annuel total",
    "f_NAME_CONTRACT_TYPE": "Type de contrat",
    "f_AGE_YEARS": "Âge (années)",
    "f_YEARS_EMPLOYED": "Années dans l'emploi actuel (vide si sans emploi)",
    "f_NAME_INCOME_TYPE": "Type de revenu",
    "f_NAME_EDUCATION_TYPE": "Niveau d'études",
    "f_NAME_HOUSING_TYPE": "Logement",
    "f_FLAG_OWN_CAR": "Possède une voiture",
    "f_FLAG_OWN_REALTY": "Possède un bien immobilier",
    "f_EXT_SOURCE_1": "Score externe 1 (de 0 à 1)",
    "f_EXT_SOURCE_2": "Score externe 2 (de 0 à 1)",
    "f_EXT_SOURCE_3": "Score externe 3 (de 0 à 1)",
    # login page
    "login_title": "Connexion — Tableau de bord des décisions de crédit",
    "login_heading": "Connexion",
    "login_intro": "Réservé aux conseillers crédit. Utilisez le compte fourni par votre "
                   "administrateur.",
    "username": "Nom d'utilisateur",
    "password": "Mot de passe",
    "sign_in": "Se connecter",
    "login_failed": "Le nom d'utilisateur ou le mot de passe est incorrect.",
    "login_forbidden": "Ce compte ne peut pas utiliser le tableau de bord (conseillers et "
                       "administrateurs seulement).",
    "login_missing": "Saisissez votre nom d'utilisateur et votre mot de passe.",
    "login_expired": "Votre session a expiré : veuillez vous reconnecter.",
    "login_signed_out": "Vous êtes déconnecté·e.",
    "login_down": "Connexion impossible pour le moment : le service de score ne répond pas. "
                  "Réessayez dans un instant.",
    "login_throttled": "Trop d'essais infructueux pour ce compte : attendez 5 minutes puis "
                       "réessayez.",
    "other_language": "English",
    "error_prefix": "Erreur :",
}

#: The categorical levels the dashboard shows (the forms' choices), in French.
LEVELS: dict[str, str] = {
    "Cash loans": "Prêt personnel",
    "Revolving loans": "Crédit renouvelable",
    "Working": "Salarié·e",
    "Commercial associate": "Associé·e commercial·e",
    "Pensioner": "Retraité·e",
    "State servant": "Fonctionnaire",
    "Unemployed": "Sans emploi",
    "Student": "Étudiant·e",
    "Businessman": "Chef d'entreprise",
    "Maternity leave": "Congé maternité",
    "Secondary / secondary special": "Secondaire / secondaire spécialisé",
    "Higher education": "Études supérieures",
    "Incomplete higher": "Études supérieures inachevées",
    "Lower secondary": "Premier cycle du secondaire",
    "Academic degree": "Diplôme universitaire",
    "House / apartment": "Maison / appartement",
    "With parents": "Chez les parents",
    "Municipal apartment": "Logement municipal",
    "Rented apartment": "Appartement loué",
    "Office apartment": "Logement de fonction",
    "Co-op apartment": "Appartement en coopérative",
}
