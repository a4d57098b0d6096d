# Interface web de Tocsin — français

## Layout
nav-skip = Aller au contenu
nav-label = Menu principal
nav-channels = Canaux
nav-rules = Règles
nav-deliveries = Livraisons
nav-events = Événements
nav-explain = Expliquer
nav-quiet-hours = Heures calmes
nav-threshold-tokens = Jetons de seuil
lang-label = Langue
signed-in-as = Connecté en tant que
sign-out = Se déconnecter

## Sign-in
login-title = Connexion
login-intro = Collez un jeton d’API. Le premier démarrage du serveur a affiché un jeton d’administration ; TOCSIN_ADMIN_TOKEN fonctionne aussi.
login-token = Jeton d’API
login-token-help = Le jeton est vérifié et jamais conservé dans le navigateur ; un cookie de session le représente.
login-submit = Se connecter
login-refused = Ce jeton n’est pas valide. Vérifiez-le et réessayez.
login-expired = Le formulaire de connexion a expiré. Veuillez réessayer.

## Common
save = Enregistrer
cancel = Annuler
continue = Continuer
edit = Modifier
delete = Supprimer
delete-confirm = Oui, supprimer
delete-named = Supprimer { $name }
required = obligatoire
secret = secret
secret-set = défini
secret-keep = Défini — laissez vide pour le conserver
on = Activé
off = Désactivé
never = Jamais
any = Tous
filter = Filtrer
search = Rechercher
see-all = Tout voir
test = Tester
retry = Renvoyer
all-events = Tous les événements
key = Clé

## Messages after a form
done-saved = Enregistré.
done-created = Créé.
done-deleted = Supprimé.
done-enabled = Activé.
done-disabled = Désactivé.
done-retried = La livraison est de nouveau en file d’attente.
done-retried-all = Toutes les livraisons échouées sont de nouveau en file d’attente.

## Errors
error-title = Un problème est survenu
error-back = Retour au tableau de bord
error-not-found = Cette page n’existe pas, ou ce qu’elle affichait a été supprimé.
error-internal = Le serveur n’a pas pu le faire. Son journal donne les détails.
error-csrf = Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.
error-too-large = Le formulaire est trop volumineux.
error-required = Ce champ est obligatoire.
error-number = Saisissez un nombre.

## Time
ago-now = à l’instant
ago-minutes = { $n ->
    [one] il y a { $n } minute
   *[other] il y a { $n } minutes
}
ago-hours = { $n ->
    [one] il y a { $n } heure
   *[other] il y a { $n } heures
}
ago-days = { $n ->
    [one] il y a { $n } jour
   *[other] il y a { $n } jours
}
period-any = Toute période
period-1h = Dernière heure
period-24h = Dernières 24 heures
period-7d = 7 derniers jours

## Columns
col-name = Nom
col-enabled = Activé
col-last-delivery = Dernière livraison
col-failures = Échecs
col-actions = Actions
col-status = Statut
col-channel = Canal
col-channels = Canaux
col-event = Événement
col-events = Événements
col-event-type = Type d’événement
col-attempts = Tentatives
col-time = Heure
col-last-error = Dernière erreur
col-error = Erreur
col-created = Créé
col-next-attempt = Prochaine tentative
col-id = ID
col-message = Message
col-occurred = Survenu
col-received = Reçu
col-state = État
col-data = Données

## Statuses and severities
status-pending = En attente
status-sending = Envoi en cours
status-delivered = Livré
status-retrying = Nouvelle tentative
status-failed = Échoué
severity-ok = OK
severity-info = Info
severity-warning = Avertissement
severity-critical = Critique

## Channels
channels-title = Canaux
channels-add = Ajouter un canal
channels-empty = Aucun canal pour l’instant. Ajoutez-en un pour recevoir des notifications.
channels-count = { $n ->
    [one] { $n } canal
   *[other] { $n } canaux
}
channel-toggle = Activer ou désactiver { $name }
channel-new-title = Nouveau canal { $kind }
count-failures = { $n ->
    [one] { $n } échec
   *[other] { $n } échecs
}
kinds-pick = Choisissez un service
kinds-by-url = Ou collez une URL
field-name = Nom
field-url = URL du canal
field-url-help = Une URL de service comme slack://…, ntfys://hôte/sujet ou l’adresse https:// d’un webhook.
field-map-help = Un par ligne, sous la forme Nom: valeur.
field-enabled = Activé
field-signing-secret = Secret de signature
section-connection = Connexion
section-events = Événements
section-filters = Filtres
section-delivery = Livraison
events-help = Les événements dont ce canal est informé. Les plus courants sont cochés pour un nouveau canal.
field-patterns = Autres motifs d’événement
field-patterns-help = Séparés par des virgules ; * correspond à n’importe quelle partie, p. ex. deploy.* ou @destructive.
filters-help = Seulement les événements dont les étiquettes valent ces valeurs ; laissez vide pour tout accepter.
label-application = Application
label-project = Projet
label-environment = Environnement
label-cluster = Cluster
label-server = Serveur
label-customer = Client
test-before-saving = Tester avant d’enregistrer
test-ok = Le message de test a été livré.
test-failed = Le message de test n’a pas été livré.
recent-deliveries = Livraisons récentes
created-secret-intro = Le canal { $name } signe chaque requête. Donnez ce secret au destinataire pour qu’il vérifie les signatures.
created-secret-once = Copiez-le maintenant : il n’est affiché qu’une fois.
delete-channel-title = Supprimer { $name } ?
delete-channel-warning = Le canal, son abonnement propre et son journal de livraison sont supprimés. Les règles qui le nomment ne l’atteignent plus.

## Event groups
group-deploy = Déploiements
group-build = Builds
group-service = Services
group-backup = Sauvegardes
group-quota = Quotas
group-ssl = Certificats
group-server = Serveurs
group-system = Système
group-dns = DNS
group-mailbox = Boîtes mail
group-audit = Actions d’administration
group-notification = Notifications

## Deliveries
deliveries-title = Livraisons
deliveries-empty = Aucune livraison ne correspond.
delivery-title = Livraison
retry-all-failed = Renvoyer toutes les échouées
attempts-count = { $n ->
    [one] { $n } tentative
   *[other] { $n } tentatives
}
attempts-none = Aucune tentative pour l’instant.
response-excerpt = Réponse

## Events
events-title = Événements
events-empty = Aucun événement ne correspond.
events-search-placeholder = Titre, message, type ou étiquette
event-no-deliveries = Aucun canal n’a été notifié de cet événement.
explain-this = Expliquer le routage

## Rules
rules-title = Règles
rules-add = Ajouter une règle
rules-intro = Une règle envoie les événements qui lui correspondent à plusieurs canaux. L’abonnement propre d’un canal se modifie sur le canal.
rules-empty = Aucune règle pour l’instant.
rule-events-help = Ne cochez rien et ne saisissez aucun motif pour prendre tous les types d’événement.
field-matchers = Conditions sur les étiquettes
field-matchers-help = Une par ligne : environment=production, application=~api-.*, environment!=staging.
field-min-severity = Gravité minimale
rule-no-channels = Il n’y a pas encore de canal.
rule-no-windows = Aucune heure calme n’est définie.
field-digest = Fenêtre de regroupement
field-digest-help = Regrouper les événements pendant cette durée et envoyer un résumé (30s à 1d). Vide : envoyer chaque événement.
field-repeat = Intervalle de répétition
field-repeat-help = Tant qu’un état surveillé reste mauvais, notifier de nouveau après cette durée (1m à 30d).
field-template = Modèle
field-template-help = Pour les canaux webhook : un nom de modèle (generic, slack, discord, teams, n8n) ou un texte de modèle.
delete-rule-warning = La règle est supprimée ; ses canaux restent.

## Explain
explain-title = Expliquer le routage
explain-intro = Collez un événement, ou choisissez-en un récent, pour voir quels canaux le recevraient et pourquoi les autres non. Rien n’est enregistré ni envoyé.
explain-pick = Événement récent
explain-load = Charger
explain-event = Événement (JSON, tel qu’envoyé à l’API)
explain-run = Expliquer
explain-bad-json = Ce n’est pas un JSON d’événement valide
explain-receives = { $n ->
    [one] { $n } canal le recevrait
   *[other] { $n } canaux le recevraient
}
explain-skipped = Canaux qui ne le recevraient pas
explain-rules = Règles
explain-matched = correspond
explain-held-until = retenu jusqu’à

## Quiet hours
quiet-intro = Des créneaux hebdomadaires dans un fuseau horaire pendant lesquels les règles qui les nomment restent silencieuses.
quiet-empty = Aucune heure calme pour l’instant.
quiet-add = Ajouter des heures calmes
field-time-zone = Fuseau horaire
field-days = Jours
field-start = De
field-end = À
day-mon = lun.
day-tue = mar.
day-wed = mer.
day-thu = jeu.
day-fri = ven.
day-sat = sam.
day-sun = dim.

## Threshold tokens
tokens-intro = L’agent de métriques de Dokploy signale le processeur et la mémoire avec un jeton par serveur ; Tocsin alerte quand un seuil est franchi.
tokens-empty = Aucun jeton de seuil pour l’instant.
tokens-add = Nouveau jeton de seuil
tokens-create = Créer le jeton
tokens-created = Jeton pour { $server } créé.
tokens-token = Jeton
field-server = Serveur
field-margin = Marge de rétablissement (points)
field-cool-off = Délai de carence

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = Où envoyer la requête, p. ex. https://example.com/hooks/tocsin. Enregistrée chiffrée et affichée avec les valeurs de la requête et les parties ressemblant à des jetons en *** ; laissez l’URL affichée pour garder celle enregistrée.
field-webhook-method = Méthode
field-webhook-method-help = La méthode HTTP.
field-webhook-headers = En-têtes
field-webhook-headers-help = En-têtes de requête supplémentaires, un « Nom: valeur » par ligne. Les valeurs sont enregistrées chiffrées et affichées « set » ; laissez « set » pour garder une valeur.
field-webhook-template = Modèle
field-webhook-template-help = Un modèle prédéfini (generic, slack, discord, teams, n8n, ringcentral, dokploy) ou un modèle MiniJinja.
field-webhook-content_type = Type de contenu
field-webhook-content_type-help = Le type de média du corps. Avec un type JSON, Tocsin vérifie que le corps produit est un JSON valide.
field-webhook-signing_secret = Secret de signature
field-webhook-signing_secret-help = Clé whsec_… pour les en-têtes webhook-signature et X-Signature-256 ; générée si laissée vide.
event-deploy-started = Un déploiement a commencé.
event-deploy-success = Un déploiement s’est terminé et la nouvelle version tourne.
event-deploy-failure = Un déploiement a échoué ; la version précédente tourne peut-être encore.
event-deploy-cancelled = Un déploiement a été annulé avant la fin.
event-build-triggered = Un build a été mis en file, par un push, un webhook ou à la main.
event-build-success = Un build s’est terminé et a produit une image ou un artefact.
event-build-failure = Un build a échoué.
event-service-health-down = Un contrôle de santé a échoué : le service ne répond pas ou répond par des erreurs.
event-service-health-recovered = Un contrôle de santé en échec réussit de nouveau.
event-service-started = Un service ou un conteneur a démarré.
event-service-stopped = Un service ou un conteneur s’est arrêté.
event-backup-success = Une sauvegarde s’est terminée (base de données ou volume ; voir l’étiquette backup_type).
event-backup-failure = Une sauvegarde a échoué (base de données ou volume ; voir l’étiquette backup_type).
event-quota-warning = Un client ou une ressource approche d’un quota.
event-quota-exceeded = Un client ou une ressource a dépassé un quota.
event-ssl-expiring = Un certificat TLS expire bientôt (ou n’a pas pu être renouvelé).
event-server-threshold = L’usage processeur ou mémoire d’un serveur a franchi son seuil, ou est repassé dessous.
event-system-restart = Le système de gestion (panneau, agent) a redémarré.
event-system-cleanup = Un nettoyage planifié a eu lieu (images, caches de build, anciens journaux).
event-dns-health_alert = Les enregistrements DNS d’un domaine sont faux ou absents (MX, SPF, DKIM, DMARC, A).
event-dns-health_recovered = Les enregistrements DNS d’un domaine sont de nouveau corrects.
event-mailbox-quota_alert = Une boîte mail approche ou dépasse son quota de stockage.
event-mailbox-quota_recovered = Une boîte mail est revenue sous son quota de stockage.
event-mailbox-send_limit_alert = Une boîte mail a atteint sa limite d’envoi ; les messages suivants sont retenus ou refusés.
event-mailbox-send_limit_recovered = Une boîte mail peut de nouveau envoyer.
event-audit-domain-create = Un administrateur a ajouté un domaine.
event-audit-domain-delete = Un administrateur a supprimé un domaine.
event-audit-mailbox-create = Un administrateur a créé une boîte mail.
event-audit-mailbox-delete = Un administrateur a supprimé une boîte mail et ses messages.
event-audit-user-create = Un administrateur a créé un utilisateur.
event-audit-user-delete = Un administrateur a supprimé un utilisateur.
event-audit-user-role_update = Un administrateur a changé le rôle ou les droits d’un utilisateur.
event-audit-application-delete = Un administrateur a supprimé une application.
event-audit-project-delete = Un administrateur a supprimé un projet et son contenu.
event-audit-database-delete = Un administrateur a supprimé une base de données.
event-audit-backup-delete = Un administrateur a supprimé une sauvegarde.
event-audit-token-create = Un administrateur a créé un jeton d’API.
event-audit-token-revoke = Un administrateur a révoqué un jeton d’API.
event-audit-settings-update = Un administrateur a modifié un réglage.
event-audit-settings-admin_password_update = Le mot de passe administrateur a été changé.
event-audit-settings-two_factor_disable = L’authentification à deux facteurs a été désactivée pour un compte.

## Channel kinds
kind-webhook-description = N’importe quel point HTTP, avec un corps JSON issu d’un modèle prédéfini ou du vôtre, signé selon Standard Webhooks.
kind-slack-description = Un canal Slack, via un webhook entrant.
kind-discord-description = Un webhook de canal Discord : un embed par événement, coloré selon la gravité.
kind-telegram-description = Une discussion, un groupe, un canal ou un sujet de forum Telegram, via un bot.
kind-email-description = E-mail via un serveur SMTP : une partie texte et une partie HTML par événement.
kind-resend-description = E-mail via l’API de Resend.
kind-ses-description = E-mail via Amazon Simple Email Service (SES v2).
kind-gotify-description = Messages push via votre propre serveur Gotify.
kind-ntfy-description = Publier sur un sujet de ntfy.sh ou de votre propre serveur ntfy.
kind-teams-description = Un canal Teams via un webhook Workflows : une Adaptive Card par événement.
kind-lark-description = Le bot personnalisé d’un groupe Lark ou Feishu : une carte par événement.
kind-pushover-description = Notifications push vers téléphones et ordinateurs via Pushover.
kind-mattermost-description = Un canal Mattermost, via un webhook entrant.
kind-pagerduty-description = Déclenche un incident PagerDuty et le résout quand l’événement se rétablit.
kind-opsgenie-description = Crée une alerte Opsgenie par incident et la ferme quand l’événement se rétablit.
kind-googlechat-description = Un espace Google Chat, via un webhook entrant.
kind-rocketchat-description = Un canal Rocket.Chat, via une intégration de webhook entrant.
kind-matrix-description = Un salon Matrix, via le jeton d’accès d’un compte bot.
kind-webex-description = Un espace Webex, via un webhook entrant ou en tant que bot.
kind-zulip-description = Un sujet de canal ou un message direct Zulip, publié par un bot.
kind-signal-description = Messages Signal à des personnes ou des groupes, via votre serveur signal-cli-rest-api.
kind-pushbullet-description = Des notes push vers vos appareils, l’e-mail d’un ami ou un canal via Pushbullet.
kind-twilio-description = Chaque notification en SMS ou message WhatsApp via Twilio.

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = Jeton d’accès
field-any-api_base = URL de base de l’API
field-any-api_key = Clé d’API
field-any-api_token = Jeton d’API
field-any-app_token = Jeton d’application
field-any-auth_token = Jeton d’authentification
field-any-bot_token = Jeton du bot
field-any-channel = Canal
field-any-chat_id = ID de discussion
field-any-content_type = Type de contenu
field-any-details = Détails
field-any-email = E-mail
field-any-from = Expéditeur
field-any-from_number = Numéro d’expéditeur
field-any-group = Groupe
field-any-headers = En-têtes
field-any-host = Serveur SMTP
field-any-icon_emoji = Émoji de l’expéditeur
field-any-icon_url = URL de l’icône
field-any-link = Lien
field-any-message_thread_id = ID du sujet
field-any-method = Méthode
field-any-password = Mot de passe
field-any-port = Port
field-any-priority = Priorité
field-any-profile = Profil d’expéditeur
field-any-recipients = Destinataires
field-any-region = Région
field-any-reply_to = Répondre à
field-any-room_id = ID du salon
field-any-security = Sécurité
field-any-server_url = URL du serveur
field-any-signing_secret = Secret de signature
field-any-silent = Silencieux
field-any-sound = Son
field-any-subject_prefix = Préfixe du sujet
field-any-tags = Étiquettes
field-any-template = Modèle
field-any-thread_id = ID du fil
field-any-to = Destinataire
field-any-topic = Sujet
field-any-url = URL
field-any-user_key = Clé utilisateur
field-any-username = Nom
field-any-users = Utilisateurs
field-any-webhook_url = URL du webhook
