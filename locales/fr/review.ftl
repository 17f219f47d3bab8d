# La file d'examen : éléments, boutons, décisions, ce que cite une sanction depuis la file.
review-reported-reason = signalé : { $reason }
review-item-reason = élément d'examen n° { $id }
review-restored-note = -# message rétabli par les modérateurs
review-title = À examiner #{ $id } — { $source }
review-source-hold = retenu
review-source-flag = signalé par la charte
review-source-report = signalé par des membres
review-field-member = Membre
review-field-channel = Salon
review-field-rules = Règles
review-field-attachments = Fichiers
review-field-reports = Signalements : { $count }
review-field-decision = Décision
review-button-approve = Approuver
review-button-remove = Retirer
review-button-dismiss = Classer
review-button-warn = Avertir
review-button-timeout = Exclure { $length }
review-button-ban = Bannir
review-decision-approve = approuvé
review-decision-remove = retiré
review-decision-warn = averti
review-decision-timeout = exclu temporairement
review-decision-ban = banni
review-decision-dismiss = classé
review-only-moderators = Seuls les modérateurs peuvent décider.
review-already-decided = Déjà décidé par { $by } le <t:{ $at }:f> : **{ $decision }**.
review-no-such-item = Élément introuvable.
review-not-carried-out = L'élément est décidé, mais tout n'a pas été fait : { $problem }
review-message-link = message
# Rappel des éléments qui attendent trop longtemps, dans le salon d'examen.
review-reminder = ⏰ Rappel : { $count ->
    [one] { $count } élément attend
   *[other] { $count } éléments attendent
} un examen depuis plus de { $limit }.
