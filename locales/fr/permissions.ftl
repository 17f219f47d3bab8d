# Les permissions Discord, sous les noms que Discord affiche en français.
permission-administrator = Administrateur
permission-manage-guild = Gérer le serveur
permission-manage-messages = Gérer les messages
permission-moderate-members = Exclure temporairement des membres
permission-kick-members = Expulser des membres
permission-ban-members = Bannir des membres
permission-manage-webhooks = Gérer les webhooks
permission-manage-roles = Gérer les rôles
permission-create-invite = Créer une invitation
