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
nav-api-tokens = Jetons d’API
nav-preferences = Préférences
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
secret-keep-reference = Laisser vide pour garder la référence
secret-from-env = depuis la variable d’environnement { $name }
secret-from-file = depuis le fichier { $path }
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
copy = Copier
copied = Copié

## Messages after a form
done-saved = Enregistré.
done-created = Créé.
done-deleted = Supprimé.
done-enabled = Activé.
done-disabled = Désactivé.
done-retried = La livraison est de nouveau en file d’attente.
done-retried-all = Toutes les livraisons échouées sont de nouveau en file d’attente.
done-revoked = Le jeton est révoqué.

## Errors
error-title = Un problème est survenu
error-back = Retour au tableau de bord
error-not-found = Cette page n’existe pas, ou ce qu’elle affichait a été supprimé.
error-internal = Le serveur n’a pas pu le faire. Son journal donne les détails.
error-csrf = Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.
error-too-large = Le formulaire est trop volumineux.
error-required = Ce champ est obligatoire.
error-number = Saisissez un nombre.
error-scope-needed = Il manque à votre jeton le droit { $scope }, nécessaire ici.
error-scope-grant = Il manque à votre jeton le droit { $scope } : il ne peut donc pas l’accorder.
error-time-zone = Choisissez un fuseau horaire dans la liste.

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
col-tenant = Locataire
col-tokens = Jetons
col-scopes = Droits
col-last-used = Dernière utilisation

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
field-webhook-template-help = Un modèle prédéfini (generic, slack, discord, teams, n8n, ringcentral, dokploy) ou un modèle MiniJinja ; les marqueurs ${"{"}name{"}"} et {"{"}{"{"} name {"}"}{"}"} fonctionnent tous deux.
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
event-audit-channel-created = Tocsin : un canal a été créé (émis par Tocsin lui-même ; data contient l’auteur et le canal).
event-audit-channel-updated = Tocsin : un canal a été modifié.
event-audit-channel-deleted = Tocsin : un canal a été supprimé avec son journal de livraisons.
event-audit-rule-created = Tocsin : une règle a été créée.
event-audit-rule-updated = Tocsin : une règle a été modifiée.
event-audit-rule-deleted = Tocsin : une règle a été supprimée.
event-audit-token-created = Tocsin : un jeton d’API a été créé.
event-audit-token-revoked = Tocsin : un jeton d’API a été révoqué.
event-audit-mute_window-created = Tocsin : des heures calmes ont été créées.
event-audit-mute_window-updated = Tocsin : des heures calmes ont été modifiées.
event-audit-mute_window-deleted = Tocsin : des heures calmes ont été supprimées.
event-audit-profile-created = Tocsin : un profil d’expéditeur a été créé.
event-audit-profile-updated = Tocsin : un profil d’expéditeur a été modifié.
event-audit-profile-deleted = Tocsin : un profil d’expéditeur a été supprimé.
event-audit-metrics_token-created = Tocsin : un jeton de seuil a été créé.
event-audit-metrics_token-deleted = Tocsin : un jeton de seuil a été supprimé.
event-audit-delivery-retried = Tocsin : une livraison échouée a été relancée à la main.

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

## API tokens and tenants
api-tokens-intro = Les jetons d’API ouvrent une session sur ce tableau de bord et appellent l’API. Tocsin ne garde qu’une empreinte de chaque jeton : un jeton n’est affiché qu’une fois, à sa création.
api-tokens-list = Jetons
api-tokens-empty = Aucun jeton que vous gérez.
api-tokens-count = { $n ->
    [one] { $n } jeton
   *[other] { $n } jetons
}
api-tokens-add = Nouveau jeton d’API
api-tokens-create = Créer le jeton
api-tokens-created = Jeton { $name } créé.
api-tokens-secret = Le nouveau jeton
api-tokens-copy-hint = Copiez-le maintenant et gardez-le en lieu sûr : il n’est affiché que cette fois et ne pourra plus être lu.
api-tokens-tenant-help = Laisser vide pour un jeton qui agit pour tous les locataires ; le jeton d’un locataire ne voit que les canaux, règles et événements de ce locataire.
api-tokens-revoke = Révoquer
api-tokens-revoke-named = Révoquer { $name }
api-tokens-revoke-title = Révoquer { $name } ?
api-tokens-revoke-warning = Le jeton cesse aussitôt de fonctionner, pour l’API et pour chaque session ouverte avec lui. C’est irréversible.
api-tokens-revoke-own = C’est le jeton de votre session : le révoquer vous déconnecte.
api-tokens-revoke-confirm = Oui, révoquer
api-tokens-forbidden = Votre jeton ne peut pas gérer les jetons d’API : il lui faut le droit tokens:write.
tenants-title = Locataires
tenants-own = Vous agissez pour le locataire { $tenant } et ne voyez que ses objets.
tenants-global = Vous agissez pour tous les locataires.
tenants-none = Aucun canal, aucune règle ni aucun jeton n’appartient encore à un locataire.
tenant-global = tous les locataires
scope-admin = tout, y compris les réglages du serveur
scope-channels-read = lire les canaux
scope-channels-write = créer, modifier, tester et supprimer des canaux
scope-rules-read = lire les règles
scope-rules-write = créer, modifier et supprimer des règles
scope-events-write = envoyer des événements
scope-deliveries-read = lire les événements et les livraisons
scope-deliveries-write = relancer des livraisons
scope-tokens-write = créer, lister et révoquer des jetons

## Preferences
preferences-intro = Comment ce navigateur affiche le tableau de bord. Les deux choix sont gardés dans des cookies.
preferences-tz-help = Les dates et heures sont affichées dans ce fuseau.
preferences-sample = Maintenant :

## Each kind's own field labels and help texts (field-<kind>-<name>, field-<kind>-<name>-help)
field-slack-webhook_url-help = L’URL du webhook entrant, https://hooks.slack.com/services/T…/B…/… ; quiconque la possède peut publier.
field-slack-channel-help = Publier dans ce canal (#nom) ou à cette personne (@nom) plutôt que dans celui du webhook. Seuls les anciens webhooks en tiennent compte ; le webhook d’une app Slack publie toujours là où elle a été installée.
field-slack-username = Nom de l’expéditeur
field-slack-username-help = Le nom affiché comme expéditeur ; vide : celui de Tocsin. Le webhook d’une app Slack affiche plutôt le nom de l’app.
field-slack-icon_url = URL de l’icône de l’expéditeur
field-slack-icon_url-help = L’image affichée à côté de l’expéditeur ; vide : l’icône de Tocsin. Le webhook d’une app Slack affiche plutôt l’icône de l’app.
field-slack-icon_emoji-help = Un emoji comme image de l’expéditeur au lieu d’une icône, p. ex. :rotating_light:.
field-discord-webhook_url-help = Dans Intégrations → Webhooks du salon, p. ex. https://discord.com/api/webhooks/123456789012345678/abcDEF…
field-discord-thread_id-help = Publier dans ce fil du salon du webhook (les salons forum en exigent un).
field-discord-username = Nom d’utilisateur
field-discord-username-help = Le nom d’expéditeur affiché au lieu de celui de Tocsin (80 caractères au plus ; Discord refuse les noms contenant « discord » ou « clyde »).
field-discord-icon_url = URL de l’avatar
field-discord-icon_url-help = L’avatar de l’expéditeur affiché au lieu de l’icône de Tocsin.
field-discord-decoration = Décoration
field-discord-decoration-help = Commencer le titre par un emoji coloré selon la gravité.
field-discord-silent-help = Publier sans notification push (l’indicateur SUPPRESS_NOTIFICATIONS de Discord).
field-telegram-chat_id-help = Un identifiant de discussion numérique (groupes et canaux ressemblent à -1001234567890) ou le @nom d’un canal public. Le bot doit en être membre.
field-telegram-message_thread_id-help = Publier dans ce sujet de forum d’un supergroupe (message_thread_id).
field-telegram-silent-help = Livrer sans son de notification.
field-telegram-api_base-help = Le serveur de la Bot API ; par défaut https://api.telegram.org. À renseigner pour un serveur Bot API local ou un proxy.
field-telegram-bot_token-help = Le jeton que @BotFather a donné au bot, du type 123456789:AAE…
field-email-profile-help = L’identifiant d’un profil d’expéditeur à utiliser ; laisser vide pour renseigner ici les champs d’expéditeur, ou pour utiliser le profil par défaut de ce type.
field-email-host-help = Le nom d’hôte ou l’adresse IP du serveur, comme smtp.example.com (sans port).
field-email-port-help = Vide : 587 avec STARTTLS, 465 avec TLS, 25 sans chiffrement.
field-email-security-help = starttls : chiffrer la connexion sur le port de soumission (587) et refuser un serveur qui ne le peut pas ; tls : chiffré dès le départ (465) ; none : sans chiffrement, seulement pour des serveurs de votre réseau privé que l’opérateur a autorisés.
field-email-username = Nom d’utilisateur
field-email-username-help = L’identifiant auprès du serveur, souvent l’adresse e-mail complète ; laisser vide pour un serveur qui accepte le courrier sans.
field-email-from-help = L’expéditeur, comme alerts@example.com ou Alerts <alerts@example.com> ; une adresse seule est affichée avec le nom de Tocsin.
field-email-to-help = Un ou plusieurs destinataires, séparés par des virgules.
field-email-cc = Cc
field-email-cc-help = Destinataires en copie, séparés par des virgules.
field-email-bcc = Cci
field-email-bcc-help = Destinataires cachés, séparés par des virgules.
field-email-reply_to-help = Où vont les réponses, si ce n’est à l’expéditeur.
field-email-subject_prefix-help = Placé devant chaque objet, comme [prod].
field-email-password-help = Le mot de passe (ou mot de passe d’application) du nom d’utilisateur.
field-resend-profile-help = L’identifiant d’un profil d’expéditeur à utiliser ; laisser vide pour renseigner ici les champs d’expéditeur, ou pour utiliser le profil par défaut de ce type.
field-resend-from-help = L’expéditeur, sur un domaine vérifié dans Resend, comme alerts@example.com ou Alerts <alerts@example.com> ; une adresse seule est affichée avec le nom de Tocsin.
field-resend-to-help = De un à 50 destinataires, séparés par des virgules.
field-resend-cc = Cc
field-resend-cc-help = Destinataires en copie, séparés par des virgules.
field-resend-bcc = Cci
field-resend-bcc-help = Destinataires cachés, séparés par des virgules.
field-resend-reply_to-help = Où vont les réponses, si ce n’est à l’expéditeur ; plusieurs séparées par des virgules.
field-resend-subject_prefix-help = Placé devant chaque objet, comme [prod].
field-resend-api_base-help = L’API de Resend, https://api.resend.com, sauf si vous passez par un proxy.
field-resend-api_key-help = Une clé d’API (re_…) de resend.com/api-keys avec au moins l’accès en envoi.
field-ses-profile-help = L’identifiant d’un profil d’expéditeur à utiliser ; laisser vide pour renseigner ici les champs d’expéditeur, ou pour utiliser le profil par défaut de ce type.
field-ses-region-help = La région AWS où l’identité d’envoi est vérifiée, p. ex. eu-west-1 ou us-east-1.
field-ses-access_key_id = ID de clé d’accès
field-ses-access_key_id-help = L’ID de clé d’accès (AKIA…) d’un utilisateur IAM autorisé à appeler ses:SendEmail.
field-ses-from-help = L’expéditeur : une adresse ou un domaine vérifié dans SES, comme alerts@example.com ou Ops <alerts@example.com>.
field-ses-to-help = Destinataires, séparés par des virgules. 50 au plus avec Cc et Cci ; tant que le compte est dans le bac à sable SES, uniquement des adresses vérifiées.
field-ses-cc = Cc
field-ses-cc-help = Destinataires en copie, séparés par des virgules.
field-ses-bcc = Cci
field-ses-bcc-help = Destinataires en copie cachée, séparés par des virgules.
field-ses-reply_to-help = Où vont les réponses, séparées par des virgules ; vide : l’expéditeur.
field-ses-configuration_set = Jeu de configuration
field-ses-configuration_set-help = Envoyer par ce jeu de configuration SES (publication d’événements, IP dédiées).
field-ses-api_base-help = Le point de terminaison SES ; par défaut https://email.{"{"}region{"}"}.amazonaws.com. À renseigner pour un point de terminaison FIPS ou VPC, un proxy ou un émulateur SES local.
field-ses-secret_access_key = Clé d’accès secrète
field-ses-secret_access_key-help = La clé d’accès secrète qui va avec l’ID de clé d’accès.
field-gotify-server_url-help = Votre serveur Gotify, p. ex. https://gotify.example.com (avec son chemin s’il est servi sous un chemin).
field-gotify-priority-help = Priorité d’un message ordinaire, de 0 à 10. Les avertissements passent à 7 au moins et les alertes critiques à 8 au moins.
field-gotify-decoration = Décoration
field-gotify-decoration-help = Commencer chaque titre par un emoji selon la gravité : 🚨 critique, ⚠️ avertissement, ℹ️ info, ✅ rétabli.
field-gotify-app_token-help = Le jeton d’une application Gotify (Apps → créer une application).
field-ntfy-server_url-help = Le serveur ntfy, p. ex. https://ntfy.example.com ; vide : ntfy.sh.
field-ntfy-topic-help = Le sujet où publier : 1 à 64 lettres, chiffres, `-` ou `_`. Sans contrôle d’accès, quiconque le connaît peut le lire.
field-ntfy-priority-help = Priorité d’un message ordinaire, de 1 (min) à 5 (max). Les avertissements passent à 4 (haute) au moins et les alertes critiques à 5.
field-ntfy-tags-help = Étiquettes supplémentaires, séparées par des virgules, p. ex. `backup,eu-1` ; les codes courts d’emoji comme `warning` s’affichent en icônes.
field-ntfy-click = URL au clic
field-ntfy-click-help = Où mène un appui sur la notification ; vide : le lien de l’événement.
field-ntfy-icon_url-help = Un JPEG ou PNG affiché à côté de la notification ; vide : l’icône de Tocsin.
field-ntfy-username-help = Pour un serveur qui demande un nom d’utilisateur et un mot de passe (avec secrets.password) ; laisser vide avec un jeton d’accès.
field-ntfy-access_token-help = Un jeton (tk_…) de la page du compte ntfy, pour les sujets protégés.
field-ntfy-password-help = Le mot de passe de settings.username.
field-teams-webhook_url = URL du flux de travail
field-teams-webhook_url-help = L’URL d’un flux de travail Teams démarré par « Lors de la réception d’une requête webhook Teams », p. ex. https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01&sp=…&sv=1.0&sig=… ; une ancienne URL de connecteur https://….webhook.office.com/webhookb2/… fonctionne aussi.
field-lark-webhook_url-help = Le webhook du bot personnalisé, p. ex. https://open.larksuite.com/open-apis/bot/v2/hook/… (Lark) ou https://open.feishu.cn/open-apis/bot/v2/hook/… (Feishu).
field-lark-signing_secret-help = Seulement si la vérification de signature est activée dans les réglages de sécurité du bot : le secret qui y est affiché. Sinon, laisser vide.
field-pushover-priority-help = Priorité d’un message ordinaire : -2 (aucune), -1 (discrète), 0 (normale), 1 (haute) ou 2 (urgence, répétée jusqu’à acquittement ; nécessite retry et expire). Les alertes critiques passent à 1 au moins ; les rétablissements partent à 0 au plus.
field-pushover-retry = Répéter toutes les (secondes)
field-pushover-retry-help = Pour la priorité 2 : tous les combien Pushover répète l’alerte jusqu’à ce que quelqu’un l’acquitte, 30 secondes au moins.
field-pushover-expire = Arrêter après (secondes)
field-pushover-expire-help = Pour la priorité 2 : quand Pushover cesse de répéter une alerte non acquittée, de 1 à 10800 secondes.
field-pushover-sound-help = Un nom de son Pushover comme pushover, siren ou none ; vide : le son par défaut de l’utilisateur.
field-pushover-device = Appareils
field-pushover-device-help = N’envoyer qu’à ces appareils de l’utilisateur, séparés par des virgules ; vide : à tous.
field-pushover-api_base-help = L’API de Pushover, https://api.pushover.net, sauf si vous passez par un proxy.
field-pushover-user_key-help = Votre clé utilisateur (ou une clé de groupe), dans le tableau de bord Pushover.
field-pushover-api_token-help = Le jeton d’API d’une application Pushover créée pour Tocsin.
field-mattermost-webhook_url-help = L’URL du webhook entrant, https://chat.example.com/hooks/… ; quiconque la possède peut publier.
field-mattermost-channel-help = Publier dans ce canal (son nom, p. ex. town-square) ou à cette personne (@nom) plutôt que dans celui du webhook. Un webhook verrouillé sur son canal le refuse.
field-mattermost-username = Nom de l’expéditeur
field-mattermost-username-help = Le nom affiché comme expéditeur ; vide : celui de Tocsin. Visible seulement si le serveur autorise les intégrations à remplacer les noms d’utilisateur.
field-mattermost-icon_url = URL de l’icône de l’expéditeur
field-mattermost-icon_url-help = L’image affichée à côté de l’expéditeur ; vide : l’icône de Tocsin. Visible seulement si le serveur autorise les intégrations à remplacer les photos de profil.
field-mattermost-icon_emoji-help = Un emoji comme image de l’expéditeur au lieu d’une icône, p. ex. rotating_light.
field-pagerduty-routing_key = Clé d’intégration
field-pagerduty-routing_key-help = La clé d’intégration de 32 caractères d’une intégration « Events API v2 » (Service → Integrations), aussi appelée clé de routage.
field-pagerduty-region-help = Où se trouve le compte PagerDuty : us (events.pagerduty.com) ou eu (events.eu.pagerduty.com). Ignoré si une URL de base d’API est définie.
field-pagerduty-api_base-help = Envoyer à cette URL de base au lieu de l’hôte Events API de la région (un proxy, un récepteur de test) ; /v2/enqueue est ajouté.
field-pagerduty-source = Source
field-pagerduty-source-help = payload.source : le système concerné, p. ex. un nom d’hôte. Vide : l’étiquette host, server, instance ou application de l’événement.
field-pagerduty-component = Composant
field-pagerduty-component-help = payload.component. Vide : l’étiquette component, service ou application de l’événement.
field-pagerduty-group-help = payload.group. Vide : l’étiquette group, project, cluster ou environment de l’événement.
field-pagerduty-class = Classe
field-pagerduty-class-help = payload.class. Vide : le type d’événement, p. ex. deploy.failure.
field-pagerduty-link-help = Un lien ajouté à chaque incident (un runbook, un tableau de bord), en plus du lien de l’événement.
field-pagerduty-details = Détails personnalisés
field-pagerduty-details-help = Entrées supplémentaires pour payload.custom_details, p. ex. {"{"}"team": "ops"{"}"}.
field-opsgenie-api_key-help = La clé d’API d’une intégration « API » d’Opsgenie (Settings → Integrations), envoyée comme `Authorization: GenieKey …`.
field-opsgenie-region-help = Où se trouve le compte Opsgenie : us (api.opsgenie.com) ou eu (api.eu.opsgenie.com). Ignoré si une URL de base d’API est définie.
field-opsgenie-api_base-help = Envoyer à cette URL de base au lieu de l’hôte d’API de la région (un proxy, un récepteur de test) ; /v2/alerts est ajouté.
field-opsgenie-priority-help = La même priorité pour chaque alerte. Vide : selon la gravité de l’événement (critical → P1, warning → P3, info → P5).
field-opsgenie-responders = Intervenants
field-opsgenie-responders-help = Qui prévenir en plus de l’équipe de l’intégration, séparés par des virgules : @user (nom ou id), #team, *schedule, ^escalation ; un nom seul désigne un utilisateur. P. ex. #Ops Team, @jane@example.com
field-opsgenie-tags-help = Étiquettes de chaque alerte, séparées par des virgules, p. ex. tocsin, production. La gravité de l’événement est ajoutée.
field-opsgenie-entity = Entité
field-opsgenie-entity-help = L’entité de l’alerte (le domaine concerné). Vide : l’étiquette application de l’événement.
field-opsgenie-details-help = Propriétés personnalisées supplémentaires pour chaque alerte, p. ex. {"{"}"team": "ops"{"}"}.
field-googlechat-webhook_url-help = L’URL du webhook de l’espace, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Applications et intégrations → Webhooks) ; quiconque la possède peut publier.
field-googlechat-thread_key = Fil
field-googlechat-thread_key-help = Publier chaque message dans ce fil (n’importe quel texte le nomme), plutôt que chacun dans son propre fil.
field-googlechat-incident_threads = Un fil par incident
field-googlechat-incident_threads-help = Publier une alerte et le rétablissement qui la résout (même state_key, ou même famille de types et mêmes étiquettes) dans un seul fil.
field-rocketchat-webhook_url-help = L’URL de l’intégration de webhook entrant, https://chat.example.com/hooks/…/… ; quiconque la possède peut publier.
field-rocketchat-channel-help = Publier dans ce canal (#nom) ou à cette personne (@nom) plutôt que dans celui de l’intégration, si l’intégration le permet.
field-rocketchat-username = Nom de l’expéditeur
field-rocketchat-username-help = Le nom affiché comme expéditeur (l’alias de Rocket.Chat) ; vide : celui de Tocsin.
field-rocketchat-icon_url = URL de l’icône de l’expéditeur
field-rocketchat-icon_url-help = L’image affichée à côté de l’expéditeur (l’avatar de Rocket.Chat) ; vide : l’icône de Tocsin.
field-rocketchat-icon_emoji-help = Un emoji comme image de l’expéditeur au lieu d’une icône, p. ex. :rotating_light:.
field-matrix-homeserver = URL du serveur d’accueil
field-matrix-homeserver-help = La base de l’API client de votre serveur d’accueil, p. ex. https://matrix.example.org.
field-matrix-room_id-help = L’identifiant interne du salon, comme !abcdefg:example.org (Paramètres du salon → Avancé). Les alias (#salon:example.org) ne sont pas acceptés. Le compte doit avoir rejoint le salon.
field-matrix-msgtype = Type de message
field-matrix-msgtype-help = notice (la convention pour les bots ; les clients notifient moins fort) ou text.
field-matrix-access_token-help = Le jeton d’accès du compte qui publie (syt_… sur Synapse).
field-webex-webhook_url-help = Depuis l’app Incoming Webhooks, p. ex. https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz… ; laisser vide pour publier en tant que bot.
field-webex-bot_token = Jeton d’accès du bot
field-webex-bot_token-help = Pour publier en tant que bot plutôt que par un webhook : le jeton d’accès du bot, sur developer.webex.com (My Apps). Nécessite un identifiant d’espace.
field-webex-room_id-help = Avec un jeton de bot : l’identifiant de l’espace où publier ; le bot doit en être membre.
field-webex-api_base-help = Avec un jeton de bot : l’URL de base de l’API Messages. Par défaut https://webexapis.com.
field-zulip-site = URL du serveur
field-zulip-site-help = Votre organisation Zulip, p. ex. https://example.zulipchat.com ou https://zulip.example.com.
field-zulip-bot_email = E-mail du bot
field-zulip-bot_email-help = L’adresse e-mail du bot, p. ex. alerts-bot@example.zulipchat.com (Paramètres personnels → Bots).
field-zulip-stream = Canal
field-zulip-stream-help = Le canal (stream) où publier, p. ex. ops. Indiquez-le, ou users.
field-zulip-topic-help = Le sujet dans le canal (60 caractères au plus). Vide : le titre de chaque événement.
field-zulip-users-help = Envoyer un message direct à ces personnes plutôt que dans un canal : leurs e-mails, séparés par des virgules.
field-zulip-api_key-help = La clé d’API du bot.
field-signal-server = URL de signal-cli-rest-api
field-signal-server-help = Où signal-cli-rest-api écoute, p. ex. http://signal-api:8080.
field-signal-from_number-help = Le numéro enregistré auprès de signal-cli, au format international, p. ex. +4912345678.
field-signal-recipients-help = Numéros de téléphone (+4967890…) et identifiants de groupe (group.…), séparés par des virgules. Vide : une note au numéro de l’expéditeur.
field-signal-username-help = Pour un proxy inverse devant l’API qui demande une authentification Basic.
field-signal-password-help = Le mot de passe d’authentification Basic du proxy inverse.
field-pushbullet-device_iden = Appareil
field-pushbullet-device_iden-help = L’iden d’un de vos appareils ; sans appareil, canal ni e-mail, tous les appareils reçoivent le push.
field-pushbullet-channel_tag = Étiquette du canal
field-pushbullet-channel_tag-help = L’étiquette d’un canal à vous, pour pousser à ses abonnés (au lieu d’un appareil ou d’un e-mail).
field-pushbullet-email-help = Pousser à l’utilisateur Pushbullet qui a cette adresse e-mail (au lieu d’un appareil ou d’un canal).
field-pushbullet-api_base-help = L’API de Pushbullet, https://api.pushbullet.com, sauf si vous passez par un proxy.
field-pushbullet-access_token-help = Un jeton d’accès de la page Settings → Account de Pushbullet (o.…).
field-twilio-account_sid = Account SID
field-twilio-account_sid-help = Votre Account SID dans la console Twilio : AC suivi de 32 caractères hexadécimaux.
field-twilio-auth_token-help = L’Auth Token du compte, ou le secret de la clé d’API indiquée ci-dessous.
field-twilio-api_key_sid = SID de la clé d’API
field-twilio-api_key_sid-help = Facultatif : se connecter avec cette clé d’API (SK…) au lieu de l’Account SID ; l’Auth Token est alors le secret de la clé.
field-twilio-from-help = Votre numéro Twilio au format international (+15551234567), un code court de 5 ou 6 chiffres, ou le SID d’un Messaging Service (MG…). Préfixez whatsapp: pour envoyer par WhatsApp.
field-twilio-to-help = L’unique numéro de téléphone auquel ce canal écrit, au format international (+15557654321) ; préfixez whatsapp: pour WhatsApp. Pour plusieurs personnes, créez un canal pour chacune.
field-twilio-api_base-help = Envoyer à cette URL de base au lieu de https://api.twilio.com (un proxy, un récepteur de test) ; /2010-04-01/Accounts/{"{"}AccountSid{"}"}/Messages.json est ajouté.
