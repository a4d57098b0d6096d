# Tocsin-Weboberfläche — Deutsch

## Layout
nav-skip = Zum Inhalt springen
nav-label = Hauptmenü
nav-channels = Kanäle
nav-rules = Regeln
nav-deliveries = Zustellungen
nav-events = Ereignisse
nav-explain = Erklären
nav-quiet-hours = Ruhezeiten
nav-threshold-tokens = Schwellwert-Tokens
nav-api-tokens = API-Tokens
nav-preferences = Einstellungen
lang-label = Sprache
signed-in-as = Angemeldet als
sign-out = Abmelden

## Sign-in
login-title = Anmelden
login-intro = Fügen Sie ein API-Token ein. Der erste Start des Servers hat ein Admin-Token ausgegeben; TOCSIN_ADMIN_TOKEN funktioniert ebenfalls.
login-token = API-Token
login-token-help = Das Token wird geprüft und nie im Browser gespeichert; ein Sitzungs-Cookie steht dafür.
login-submit = Anmelden
login-refused = Dieses Token ist ungültig. Prüfen Sie es und versuchen Sie es erneut.
login-expired = Das Anmeldeformular ist abgelaufen. Bitte versuchen Sie es erneut.

## Common
save = Speichern
cancel = Abbrechen
continue = Weiter
edit = Bearbeiten
delete = Löschen
delete-confirm = Ja, löschen
delete-named = { $name } löschen
required = Pflichtfeld
secret = geheim
secret-set = gesetzt
secret-keep = Gesetzt — leer lassen, um es zu behalten
secret-keep-reference = Leer lassen, um den Verweis zu behalten
secret-from-env = aus Umgebungsvariable { $name }
secret-from-file = aus Datei { $path }
on = An
off = Aus
never = Nie
any = Alle
filter = Filtern
search = Suchen
see-all = Alle ansehen
test = Testen
retry = Erneut senden
all-events = Jedes Ereignis
key = Schlüssel
copy = Kopieren
copied = Kopiert

## Messages after a form
done-saved = Gespeichert.
done-created = Angelegt.
done-deleted = Gelöscht.
done-enabled = Aktiviert.
done-disabled = Deaktiviert.
done-retried = Die Zustellung ist erneut eingereiht.
done-retried-all = Alle fehlgeschlagenen Zustellungen sind erneut eingereiht.
done-revoked = Das Token ist widerrufen.

## Errors
error-title = Etwas ist schiefgegangen
error-back = Zurück zur Übersicht
error-not-found = Diese Seite gibt es nicht, oder ihr Inhalt wurde gelöscht.
error-internal = Der Server konnte das nicht ausführen. Sein Protokoll enthält die Details.
error-csrf = Dieses Formular ist abgelaufen oder stammt nicht von dieser Seite. Laden Sie die Seite neu und versuchen Sie es erneut.
error-too-large = Das Formular ist zu groß.
error-required = Dieses Feld ist erforderlich.
error-number = Geben Sie eine Zahl ein.
error-scope-needed = Ihrem Token fehlt die Berechtigung { $scope }, die dafür nötig ist.
error-scope-grant = Ihrem Token fehlt die Berechtigung { $scope }, also kann es sie nicht vergeben.
error-time-zone = Wählen Sie eine Zeitzone aus der Liste.

## Time
ago-now = gerade eben
ago-minutes = { $n ->
    [one] vor { $n } Minute
   *[other] vor { $n } Minuten
}
ago-hours = { $n ->
    [one] vor { $n } Stunde
   *[other] vor { $n } Stunden
}
ago-days = { $n ->
    [one] vor { $n } Tag
   *[other] vor { $n } Tagen
}
period-any = Jederzeit
period-1h = Letzte Stunde
period-24h = Letzte 24 Stunden
period-7d = Letzte 7 Tage

## Columns
col-name = Name
col-enabled = Aktiv
col-last-delivery = Letzte Zustellung
col-failures = Fehlschläge
col-actions = Aktionen
col-status = Status
col-channel = Kanal
col-channels = Kanäle
col-event = Ereignis
col-events = Ereignisse
col-event-type = Ereignistyp
col-attempts = Versuche
col-time = Zeit
col-last-error = Letzter Fehler
col-error = Fehler
col-created = Angelegt
col-next-attempt = Nächster Versuch
col-id = ID
col-message = Nachricht
col-occurred = Eingetreten
col-received = Empfangen
col-state = Zustand
col-data = Daten
col-tenant = Mandant
col-tokens = Tokens
col-scopes = Berechtigungen
col-last-used = Zuletzt benutzt

## Statuses and severities
status-pending = Wartend
status-sending = Wird gesendet
status-delivered = Zugestellt
status-retrying = Neuer Versuch
status-failed = Fehlgeschlagen
severity-ok = OK
severity-info = Info
severity-warning = Warnung
severity-critical = Kritisch

## Channels
channels-title = Kanäle
channels-add = Kanal hinzufügen
channels-empty = Noch kein Kanal. Fügen Sie einen hinzu, um Benachrichtigungen zu erhalten.
channels-count = { $n ->
    [one] { $n } Kanal
   *[other] { $n } Kanäle
}
channel-toggle = { $name } ein- oder ausschalten
channel-new-title = Neuer { $kind }-Kanal
count-failures = { $n ->
    [one] { $n } Fehlschlag
   *[other] { $n } Fehlschläge
}
kinds-pick = Dienst wählen
kinds-by-url = Oder eine URL einfügen
field-name = Name
field-url = Kanal-URL
field-url-help = Eine Dienst-URL wie slack://…, ntfys://host/thema oder die https://-Adresse eines Webhooks.
field-map-help = Einer pro Zeile, als Name: Wert.
field-enabled = Aktiv
field-signing-secret = Signaturschlüssel
section-connection = Verbindung
section-events = Ereignisse
section-filters = Filter
section-delivery = Zustellung
events-help = Die Ereignisse, über die dieser Kanal informiert wird. Bei einem neuen Kanal sind die üblichen angehakt.
field-patterns = Weitere Ereignismuster
field-patterns-help = Durch Kommas getrennt; * passt auf jeden Teil, z. B. deploy.* oder @destructive.
filters-help = Nur Ereignisse, deren Labels diesen Werten entsprechen; leer lassen, um alle anzunehmen.
label-application = Anwendung
label-project = Projekt
label-environment = Umgebung
label-cluster = Cluster
label-server = Server
label-customer = Kunde
test-before-saving = Vor dem Speichern testen
test-ok = Die Testnachricht wurde zugestellt.
test-failed = Die Testnachricht wurde nicht zugestellt.
recent-deliveries = Letzte Zustellungen
created-secret-intro = Der Kanal { $name } signiert jede Anfrage. Geben Sie diesen Schlüssel dem Empfänger, damit er die Signaturen prüfen kann.
created-secret-once = Jetzt kopieren: Er wird nur einmal angezeigt.
delete-channel-title = { $name } löschen?
delete-channel-warning = Der Kanal, sein eigenes Abonnement und sein Zustellprotokoll werden gelöscht. Regeln, die ihn nennen, erreichen ihn nicht mehr.

## Event groups
group-deploy = Deployments
group-build = Builds
group-service = Dienste
group-backup = Sicherungen
group-quota = Kontingente
group-ssl = Zertifikate
group-server = Server
group-system = System
group-dns = DNS
group-mailbox = Postfächer
group-audit = Admin-Aktionen
group-notification = Benachrichtigungen

## Deliveries
deliveries-title = Zustellungen
deliveries-empty = Keine passende Zustellung.
delivery-title = Zustellung
retry-all-failed = Alle fehlgeschlagenen erneut senden
attempts-count = { $n ->
    [one] { $n } Versuch
   *[other] { $n } Versuche
}
attempts-none = Noch kein Versuch.
response-excerpt = Antwort

## Events
events-title = Ereignisse
events-empty = Kein passendes Ereignis.
events-search-placeholder = Titel, Nachricht, Typ oder Label
event-no-deliveries = Über dieses Ereignis wurde kein Kanal benachrichtigt.
explain-this = Weiterleitung erklären

## Rules
rules-title = Regeln
rules-add = Regel hinzufügen
rules-intro = Eine Regel sendet die passenden Ereignisse an mehrere Kanäle. Das eigene Abonnement eines Kanals wird beim Kanal bearbeitet.
rules-empty = Noch keine Regel.
rule-events-help = Lassen Sie alle Kästchen und Muster leer, um jeden Ereignistyp zu erfassen.
field-matchers = Label-Bedingungen
field-matchers-help = Eine pro Zeile: environment=production, application=~api-.*, environment!=staging.
field-min-severity = Mindest-Schweregrad
rule-no-channels = Es gibt noch keinen Kanal.
rule-no-windows = Keine Ruhezeiten festgelegt.
field-digest = Sammelfenster
field-digest-help = Ereignisse so lange sammeln und eine Zusammenfassung senden (30s bis 1d). Leer: jedes Ereignis einzeln senden.
field-repeat = Wiederholungsintervall
field-repeat-help = Solange ein überwachter Zustand schlecht bleibt, nach dieser Zeit erneut benachrichtigen (1m bis 30d).
field-template = Vorlage
field-template-help = Für Webhook-Kanäle: ein Vorlagenname (generic, slack, discord, teams, n8n) oder ein Vorlagentext.
delete-rule-warning = Die Regel wird gelöscht; ihre Kanäle bleiben.

## Explain
explain-title = Weiterleitung erklären
explain-intro = Fügen Sie ein Ereignis ein oder wählen Sie ein aktuelles, um zu sehen, welche Kanäle es erhielten und warum die anderen nicht. Nichts wird gespeichert oder gesendet.
explain-pick = Aktuelles Ereignis
explain-load = Laden
explain-event = Ereignis (JSON, wie an die API gesendet)
explain-run = Erklären
explain-bad-json = Das ist kein gültiges Ereignis-JSON
explain-receives = { $n ->
    [one] { $n } Kanal würde es erhalten
   *[other] { $n } Kanäle würden es erhalten
}
explain-skipped = Kanäle, die es nicht erhielten
explain-rules = Regeln
explain-matched = passt
explain-held-until = zurückgehalten bis

## Quiet hours
quiet-intro = Wöchentliche Zeitfenster in einer Zeitzone, in denen die Regeln, die sie nennen, still bleiben.
quiet-empty = Noch keine Ruhezeiten.
quiet-add = Ruhezeit hinzufügen
field-time-zone = Zeitzone
field-days = Tage
field-start = Von
field-end = Bis
day-mon = Mo
day-tue = Di
day-wed = Mi
day-thu = Do
day-fri = Fr
day-sat = Sa
day-sun = So

## Threshold tokens
tokens-intro = Der Metrik-Agent von Dokploy meldet CPU und Speicher mit einem Token pro Server; Tocsin alarmiert, wenn ein Schwellwert überschritten wird.
tokens-empty = Noch kein Schwellwert-Token.
tokens-add = Neues Schwellwert-Token
tokens-create = Token erstellen
tokens-created = Token für { $server } erstellt.
tokens-token = Token
field-server = Server
field-margin = Erholungsabstand (Punkte)
field-cool-off = Abkühlzeit

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = Wohin die Anfrage geht, z. B. https://example.com/hooks/tocsin. Verschlüsselt gespeichert; Query-Werte und Token-artige Teile werden als *** gezeigt. Die gezeigte URL unverändert lassen, um die gespeicherte zu behalten.
field-webhook-method = Methode
field-webhook-method-help = Die HTTP-Methode.
field-webhook-headers = Header
field-webhook-headers-help = Zusätzliche Anfrage-Header, ein „Name: Wert“ pro Zeile. Werte werden verschlüsselt gespeichert und als „set“ gezeigt; „set“ stehen lassen, um einen Wert zu behalten.
field-webhook-template = Vorlage
field-webhook-template-help = Eine Vorlage (generic, slack, discord, teams, n8n, ringcentral, dokploy) oder eine MiniJinja-Vorlage; Platzhalter ${"{"}name{"}"} und {"{"}{"{"} name {"}"}{"}"} funktionieren beide.
field-webhook-content_type = Inhaltstyp
field-webhook-content_type-help = Der Medientyp des Inhalts. Bei einem JSON-Typ prüft Tocsin, dass der erzeugte Inhalt gültiges JSON ist.
field-webhook-signing_secret = Signaturschlüssel
field-webhook-signing_secret-help = whsec_…-Schlüssel für die Header webhook-signature und X-Signature-256; wird erzeugt, wenn leer.
event-deploy-started = Ein Deployment hat begonnen.
event-deploy-success = Ein Deployment ist fertig, die neue Version läuft.
event-deploy-failure = Ein Deployment ist fehlgeschlagen; die vorige Version läuft eventuell noch.
event-deploy-cancelled = Ein Deployment wurde vor dem Ende abgebrochen.
event-build-triggered = Ein Build wurde eingereiht: durch einen Push, einen Webhook oder von Hand.
event-build-success = Ein Build ist fertig und hat ein Image oder Artefakt erzeugt.
event-build-failure = Ein Build ist fehlgeschlagen.
event-service-health-down = Eine Zustandsprüfung ist fehlgeschlagen: Der Dienst antwortet nicht oder mit Fehlern.
event-service-health-recovered = Eine fehlschlagende Zustandsprüfung ist wieder erfolgreich.
event-service-started = Ein Dienst oder Container wurde gestartet.
event-service-stopped = Ein Dienst oder Container wurde gestoppt.
event-backup-success = Eine Sicherung ist fertig (Datenbank oder Volume; siehe Label backup_type).
event-backup-failure = Eine Sicherung ist fehlgeschlagen (Datenbank oder Volume; siehe Label backup_type).
event-quota-warning = Ein Kunde oder eine Ressource ist nahe an einem Kontingent.
event-quota-exceeded = Ein Kunde oder eine Ressource hat ein Kontingent überschritten.
event-ssl-expiring = Ein TLS-Zertifikat läuft bald ab (oder konnte nicht erneuert werden).
event-server-threshold = CPU- oder Speicherlast eines Servers hat ihren Schwellwert überschritten oder wieder unterschritten.
event-system-restart = Das verwaltende System (Panel, Agent) wurde neu gestartet.
event-system-cleanup = Eine geplante Bereinigung lief (Images, Build-Caches, alte Logs).
event-dns-health_alert = Die DNS-Einträge einer Domain sind falsch oder fehlen (MX, SPF, DKIM, DMARC, A).
event-dns-health_recovered = Die DNS-Einträge einer Domain sind wieder korrekt.
event-mailbox-quota_alert = Ein Postfach ist nahe an oder über seinem Speicherkontingent.
event-mailbox-quota_recovered = Ein Postfach ist wieder unter seinem Speicherkontingent.
event-mailbox-send_limit_alert = Ein Postfach hat sein Sendelimit erreicht; weitere Mails werden zurückgehalten oder abgelehnt.
event-mailbox-send_limit_recovered = Ein Postfach darf wieder senden.
event-audit-domain-create = Ein Admin hat eine Domain hinzugefügt.
event-audit-domain-delete = Ein Admin hat eine Domain gelöscht.
event-audit-mailbox-create = Ein Admin hat ein Postfach angelegt.
event-audit-mailbox-delete = Ein Admin hat ein Postfach samt Mails gelöscht.
event-audit-user-create = Ein Admin hat einen Benutzer angelegt.
event-audit-user-delete = Ein Admin hat einen Benutzer gelöscht.
event-audit-user-role_update = Ein Admin hat die Rolle oder Rechte eines Benutzers geändert.
event-audit-application-delete = Ein Admin hat eine Anwendung gelöscht.
event-audit-project-delete = Ein Admin hat ein Projekt samt Inhalt gelöscht.
event-audit-database-delete = Ein Admin hat eine Datenbank gelöscht.
event-audit-backup-delete = Ein Admin hat eine Sicherung gelöscht.
event-audit-token-create = Ein Admin hat ein API-Token erstellt.
event-audit-token-revoke = Ein Admin hat ein API-Token widerrufen.
event-audit-settings-update = Ein Admin hat eine Einstellung geändert.
event-audit-settings-admin_password_update = Das Admin-Passwort wurde geändert.
event-audit-settings-two_factor_disable = Die Zwei-Faktor-Anmeldung wurde für ein Konto abgeschaltet.
event-audit-channel-created = Tocsin: Ein Kanal wurde angelegt (von Tocsin selbst gesendet; data enthält den Handelnden und den Kanal).
event-audit-channel-updated = Tocsin: Ein Kanal wurde geändert.
event-audit-channel-deleted = Tocsin: Ein Kanal wurde samt Zustellprotokoll gelöscht.
event-audit-rule-created = Tocsin: Eine Regel wurde angelegt.
event-audit-rule-updated = Tocsin: Eine Regel wurde geändert.
event-audit-rule-deleted = Tocsin: Eine Regel wurde gelöscht.
event-audit-token-created = Tocsin: Ein API-Token wurde erstellt.
event-audit-token-revoked = Tocsin: Ein API-Token wurde widerrufen.
event-audit-mute_window-created = Tocsin: Ruhezeiten wurden angelegt.
event-audit-mute_window-updated = Tocsin: Ruhezeiten wurden geändert.
event-audit-mute_window-deleted = Tocsin: Ruhezeiten wurden gelöscht.
event-audit-profile-created = Tocsin: Ein Absenderprofil wurde angelegt.
event-audit-profile-updated = Tocsin: Ein Absenderprofil wurde geändert.
event-audit-profile-deleted = Tocsin: Ein Absenderprofil wurde gelöscht.
event-audit-metrics_token-created = Tocsin: Ein Schwellwert-Token wurde erstellt.
event-audit-metrics_token-deleted = Tocsin: Ein Schwellwert-Token wurde gelöscht.
event-audit-delivery-retried = Tocsin: Eine fehlgeschlagene Zustellung wurde von Hand wiederholt.

## Channel kinds
kind-webhook-description = Jeder HTTP-Endpunkt, mit JSON aus einer Vorlage oder Ihrer eigenen, signiert nach Standard Webhooks.
kind-slack-description = Ein Slack-Kanal über einen Incoming Webhook.
kind-discord-description = Ein Discord-Kanal-Webhook: ein Embed pro Ereignis, nach Schweregrad gefärbt.
kind-telegram-description = Ein Telegram-Chat, eine Gruppe, ein Kanal oder Forenthema, über einen Bot.
kind-email-description = E-Mail über einen SMTP-Server: ein Text- und ein HTML-Teil pro Ereignis.
kind-resend-description = E-Mail über die API von Resend.
kind-ses-description = E-Mail über Amazon Simple Email Service (SES v2).
kind-gotify-description = Push-Nachrichten über Ihren eigenen Gotify-Server.
kind-ntfy-description = Veröffentlichen in einem Thema auf ntfy.sh oder Ihrem eigenen ntfy-Server.
kind-teams-description = Ein Teams-Kanal über einen Workflows-Webhook: eine Adaptive Card pro Ereignis.
kind-lark-description = Ein eigener Bot einer Lark- oder Feishu-Gruppe: eine Karte pro Ereignis.
kind-pushover-description = Push-Benachrichtigungen auf Telefone und Desktops über Pushover.
kind-mattermost-description = Ein Mattermost-Kanal über einen Incoming Webhook.
kind-pagerduty-description = Löst einen PagerDuty-Vorfall aus und schließt ihn, wenn sich das Ereignis erholt.
kind-opsgenie-description = Erstellt pro Vorfall einen Opsgenie-Alarm und schließt ihn, wenn sich das Ereignis erholt.
kind-googlechat-description = Ein Google-Chat-Bereich über einen Incoming Webhook.
kind-rocketchat-description = Ein Rocket.Chat-Kanal über eine Incoming-Webhook-Integration.
kind-matrix-description = Ein Matrix-Raum über das Zugriffstoken eines Bot-Kontos.
kind-webex-description = Ein Webex-Bereich über einen Incoming Webhook oder als Bot.
kind-zulip-description = Ein Zulip-Kanalthema oder eine Direktnachricht, von einem Bot gesendet.
kind-signal-description = Signal-Nachrichten an Personen oder Gruppen über Ihren signal-cli-rest-api-Server.
kind-pushbullet-description = Notizen per Pushbullet an Ihre Geräte, die E-Mail eines Freundes oder einen Kanal.
kind-twilio-description = Jede Benachrichtigung als SMS oder WhatsApp-Nachricht über Twilio.

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = Zugriffstoken
field-any-api_base = API-Basis-URL
field-any-api_key = API-Schlüssel
field-any-api_token = API-Token
field-any-app_token = Anwendungstoken
field-any-auth_token = Auth-Token
field-any-bot_token = Bot-Token
field-any-channel = Kanal
field-any-chat_id = Chat-ID
field-any-content_type = Inhaltstyp
field-any-details = Details
field-any-email = E-Mail
field-any-from = Absender
field-any-from_number = Absendernummer
field-any-group = Gruppe
field-any-headers = Header
field-any-host = SMTP-Server
field-any-icon_emoji = Absender-Emoji
field-any-icon_url = Symbol-URL
field-any-link = Link
field-any-message_thread_id = Themen-ID
field-any-method = Methode
field-any-password = Passwort
field-any-port = Port
field-any-priority = Priorität
field-any-profile = Absenderprofil
field-any-recipients = Empfänger
field-any-region = Region
field-any-reply_to = Antwort an
field-any-room_id = Raum-ID
field-any-security = Sicherheit
field-any-server_url = Server-URL
field-any-signing_secret = Signaturschlüssel
field-any-silent = Lautlos
field-any-sound = Ton
field-any-subject_prefix = Betreff-Präfix
field-any-tags = Tags
field-any-template = Vorlage
field-any-thread_id = Thread-ID
field-any-to = Empfänger
field-any-topic = Thema
field-any-url = URL
field-any-user_key = Benutzerschlüssel
field-any-username = Name
field-any-users = Benutzer
field-any-webhook_url = Webhook-URL

## API tokens and tenants
api-tokens-intro = API-Tokens melden sich an diesem Dashboard an und rufen die API auf. Tocsin speichert nur einen Hash jedes Tokens: Ein Token wird einmal angezeigt, wenn es erstellt wird.
api-tokens-list = Tokens
api-tokens-empty = Kein Token, das Sie verwalten.
api-tokens-count = { $n ->
    [one] { $n } Token
   *[other] { $n } Tokens
}
api-tokens-add = Neues API-Token
api-tokens-create = Token erstellen
api-tokens-created = Token { $name } erstellt.
api-tokens-secret = Das neue Token
api-tokens-copy-hint = Kopieren Sie es jetzt und bewahren Sie es sicher auf: Es wird nur dieses eine Mal angezeigt und kann nicht wieder gelesen werden.
api-tokens-tenant-help = Leer lassen für ein Token, das für alle Mandanten handelt; das Token eines Mandanten sieht nur dessen Kanäle, Regeln und Ereignisse.
api-tokens-revoke = Widerrufen
api-tokens-revoke-named = { $name } widerrufen
api-tokens-revoke-title = { $name } widerrufen?
api-tokens-revoke-warning = Das Token funktioniert sofort nicht mehr, weder für die API noch für Sitzungen, die damit angemeldet sind. Das lässt sich nicht rückgängig machen.
api-tokens-revoke-own = Mit diesem Token sind Sie angemeldet: Wenn Sie es widerrufen, werden Sie abgemeldet.
api-tokens-revoke-confirm = Ja, widerrufen
api-tokens-forbidden = Ihr Token kann keine API-Tokens verwalten: Dazu braucht es die Berechtigung tokens:write.
tenants-title = Mandanten
tenants-own = Sie handeln für den Mandanten { $tenant } und sehen nur dessen Objekte.
tenants-global = Sie handeln für alle Mandanten.
tenants-none = Noch gehört kein Kanal, keine Regel und kein Token zu einem Mandanten.
tenant-global = alle Mandanten
scope-admin = alles, einschließlich der Servereinstellungen
scope-channels-read = Kanäle lesen
scope-channels-write = Kanäle anlegen, ändern, testen und löschen
scope-rules-read = Regeln lesen
scope-rules-write = Regeln anlegen, ändern und löschen
scope-events-write = Ereignisse senden
scope-deliveries-read = Ereignisse und Zustellungen lesen
scope-deliveries-write = Zustellungen wiederholen
scope-tokens-write = Tokens anlegen, auflisten und widerrufen

## Preferences
preferences-intro = Wie dieser Browser das Dashboard zeigt. Beide Einstellungen werden in Cookies gespeichert.
preferences-tz-help = Datum und Uhrzeit werden in dieser Zone angezeigt.
preferences-sample = Jetzt:

## Each kind's own field labels and help texts (field-<kind>-<name>, field-<kind>-<name>-help)
field-slack-webhook_url-help = Die URL des eingehenden Webhooks, https://hooks.slack.com/services/T…/B…/…; wer sie kennt, kann posten.
field-slack-channel-help = In diesen Kanal (#name) oder an diese Person (@name) statt in den Kanal des Webhooks posten. Nur ältere Webhooks beachten das; der Webhook einer Slack-App postet immer dort, wo sie installiert wurde.
field-slack-username = Absendername
field-slack-username-help = Der als Absender angezeigte Name; leer: der von Tocsin. Der Webhook einer Slack-App zeigt stattdessen den Namen der App.
field-slack-icon_url = URL des Absendersymbols
field-slack-icon_url-help = Das Bild neben dem Absender; leer: das Symbol von Tocsin. Der Webhook einer Slack-App zeigt stattdessen das Symbol der App.
field-slack-icon_emoji-help = Ein Emoji als Bild des Absenders statt eines Symbols, z. B. :rotating_light:.
field-discord-webhook_url-help = Aus den Einstellungen des Kanals unter Integrationen → Webhooks, z. B. https://discord.com/api/webhooks/123456789012345678/abcDEF…
field-discord-thread_id-help = In diesen Thread des Webhook-Kanals posten (Forenkanäle brauchen einen).
field-discord-username = Benutzername
field-discord-username-help = Der Absendername statt dem von Tocsin (höchstens 80 Zeichen; Discord lehnt Namen ab, die „discord“ oder „clyde“ enthalten).
field-discord-icon_url = Avatar-URL
field-discord-icon_url-help = Der Absender-Avatar statt des Symbols von Tocsin.
field-discord-decoration = Verzierung
field-discord-decoration-help = Den Titel mit einem farbigen Emoji für den Schweregrad beginnen.
field-discord-silent-help = Ohne Push-Benachrichtigung posten (Discords Flag SUPPRESS_NOTIFICATIONS).
field-telegram-chat_id-help = Eine numerische Chat-ID (Gruppen und Kanäle sehen aus wie -1001234567890) oder der @Benutzername eines öffentlichen Kanals. Der Bot muss Mitglied sein.
field-telegram-message_thread_id-help = In dieses Forenthema einer Supergruppe posten (message_thread_id).
field-telegram-silent-help = Ohne Benachrichtigungston zustellen.
field-telegram-api_base-help = Der Bot-API-Server; Standard ist https://api.telegram.org. Für einen lokalen Bot-API-Server oder einen Proxy setzen.
field-telegram-bot_token-help = Das Token, das @BotFather für den Bot ausgegeben hat, etwa 123456789:AAE…
field-email-profile-help = Die ID eines Absenderprofils, mit dem gesendet wird; leer lassen, um die Absenderfelder hier anzugeben oder das Standardprofil dieser Art zu nutzen.
field-email-host-help = Hostname oder IP-Adresse des Servers, etwa smtp.example.com (ohne Port).
field-email-port-help = Leer: 587 mit STARTTLS, 465 mit TLS, 25 ohne Verschlüsselung.
field-email-security-help = starttls: die Verbindung am Submission-Port (587) aufwerten und einen Server ablehnen, der das nicht kann; tls: von Anfang an verschlüsselt (465); none: keine Verschlüsselung, nur für Server im eigenen privaten Netz, die der Betreiber erlaubt hat.
field-email-username = Benutzername
field-email-username-help = Die Anmeldung am Server, oft die volle E-Mail-Adresse; leer lassen für einen Server, der Mail ohne Anmeldung annimmt.
field-email-from-help = Der Absender, etwa alerts@example.com oder Alerts <alerts@example.com>; eine bloße Adresse wird mit dem Namen Tocsin angezeigt.
field-email-to-help = Ein oder mehrere Empfänger, durch Kommas getrennt.
field-email-cc = Cc
field-email-cc-help = Empfänger in Kopie, durch Kommas getrennt.
field-email-bcc = Bcc
field-email-bcc-help = Verborgene Empfänger, durch Kommas getrennt.
field-email-reply_to-help = Wohin Antworten gehen, wenn nicht an den Absender.
field-email-subject_prefix-help = Wird jedem Betreff vorangestellt, etwa [prod].
field-email-password-help = Das Passwort (oder App-Passwort) des Benutzernamens.
field-resend-profile-help = Die ID eines Absenderprofils, mit dem gesendet wird; leer lassen, um die Absenderfelder hier anzugeben oder das Standardprofil dieser Art zu nutzen.
field-resend-from-help = Der Absender, auf einer in Resend verifizierten Domain, etwa alerts@example.com oder Alerts <alerts@example.com>; eine bloße Adresse wird mit dem Namen Tocsin angezeigt.
field-resend-to-help = Ein bis 50 Empfänger, durch Kommas getrennt.
field-resend-cc = Cc
field-resend-cc-help = Empfänger in Kopie, durch Kommas getrennt.
field-resend-bcc = Bcc
field-resend-bcc-help = Verborgene Empfänger, durch Kommas getrennt.
field-resend-reply_to-help = Wohin Antworten gehen, wenn nicht an den Absender; mehrere durch Kommas getrennt.
field-resend-subject_prefix-help = Wird jedem Betreff vorangestellt, etwa [prod].
field-resend-api_base-help = Die API von Resend, https://api.resend.com, außer Sie gehen über einen Proxy.
field-resend-api_key-help = Ein API-Schlüssel (re_…) von resend.com/api-keys mit mindestens Sendezugriff.
field-ses-profile-help = Die ID eines Absenderprofils, mit dem gesendet wird; leer lassen, um die Absenderfelder hier anzugeben oder das Standardprofil dieser Art zu nutzen.
field-ses-region-help = Die AWS-Region, in der die Absenderidentität verifiziert ist, z. B. eu-west-1 oder us-east-1.
field-ses-access_key_id = Zugriffsschlüssel-ID
field-ses-access_key_id-help = Die Zugriffsschlüssel-ID (AKIA…) eines IAM-Benutzers, der ses:SendEmail aufrufen darf.
field-ses-from-help = Der Absender: eine in SES verifizierte Adresse oder Domain, etwa alerts@example.com oder Ops <alerts@example.com>.
field-ses-to-help = Empfänger, durch Kommas getrennt. Höchstens 50 samt Cc und Bcc; solange das Konto in der SES-Sandbox ist, nur verifizierte Adressen.
field-ses-cc = Cc
field-ses-cc-help = Empfänger in Kopie, durch Kommas getrennt.
field-ses-bcc = Bcc
field-ses-bcc-help = Empfänger in Blindkopie, durch Kommas getrennt.
field-ses-reply_to-help = Wohin Antworten gehen, durch Kommas getrennt; leer: der Absender.
field-ses-configuration_set = Konfigurationssatz
field-ses-configuration_set-help = Über diesen SES-Konfigurationssatz senden (Ereignisveröffentlichung, dedizierte IPs).
field-ses-api_base-help = Der SES-Endpunkt; Standard ist https://email.{"{"}region{"}"}.amazonaws.com. Für einen FIPS- oder VPC-Endpunkt, einen Proxy oder einen lokalen SES-Emulator setzen.
field-ses-secret_access_key = Geheimer Zugriffsschlüssel
field-ses-secret_access_key-help = Der geheime Zugriffsschlüssel, der zur Zugriffsschlüssel-ID gehört.
field-gotify-server_url-help = Ihr Gotify-Server, z. B. https://gotify.example.com (mit Pfad, wenn er unter einem bereitgestellt wird).
field-gotify-priority-help = Priorität einer gewöhnlichen Nachricht, 0 bis 10. Warnungen werden auf mindestens 7, kritische Alarme auf mindestens 8 angehoben.
field-gotify-decoration = Verzierung
field-gotify-decoration-help = Jeden Titel mit einem Emoji für den Schweregrad beginnen: 🚨 kritisch, ⚠️ Warnung, ℹ️ Info, ✅ behoben.
field-gotify-app_token-help = Das Token einer Gotify-Anwendung (Apps → Anwendung erstellen).
field-ntfy-server_url-help = Der ntfy-Server, z. B. https://ntfy.example.com; leer: ntfy.sh.
field-ntfy-topic-help = Das Thema, an das veröffentlicht wird: 1 bis 64 Buchstaben, Ziffern, `-` oder `_`. Ohne Zugriffskontrolle kann jeder mitlesen, der es kennt.
field-ntfy-priority-help = Priorität einer gewöhnlichen Nachricht, 1 (min) bis 5 (max). Warnungen werden auf mindestens 4 (hoch), kritische Alarme auf 5 angehoben.
field-ntfy-tags-help = Zusätzliche Tags, durch Kommas getrennt, z. B. `backup,eu-1`; Emoji-Kurzcodes wie `warning` erscheinen als Symbole.
field-ntfy-click = Klick-URL
field-ntfy-click-help = Wohin ein Tippen auf die Benachrichtigung führt; leer: der Link des Ereignisses.
field-ntfy-icon_url-help = Ein JPEG oder PNG neben der Benachrichtigung; leer: das Symbol von Tocsin.
field-ntfy-username-help = Für einen Server, der Benutzername und Passwort verlangt (mit secrets.password); leer lassen, wenn ein Zugriffstoken genutzt wird.
field-ntfy-access_token-help = Ein Token (tk_…) von der Kontoseite von ntfy, für geschützte Themen.
field-ntfy-password-help = Das Passwort zu settings.username.
field-teams-webhook_url = Workflow-URL
field-teams-webhook_url-help = Die URL eines Teams-Workflows, der mit „Wenn eine Teams-Webhook-Anforderung empfangen wird“ startet, z. B. https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01&sp=…&sv=1.0&sig=…; eine ältere Connector-URL https://….webhook.office.com/webhookb2/… geht auch.
field-lark-webhook_url-help = Der Webhook des benutzerdefinierten Bots, z. B. https://open.larksuite.com/open-apis/bot/v2/hook/… (Lark) oder https://open.feishu.cn/open-apis/bot/v2/hook/… (Feishu).
field-lark-signing_secret-help = Nur wenn in den Sicherheitseinstellungen des Bots die Signaturprüfung eingeschaltet ist: das dort angezeigte Geheimnis. Sonst leer lassen.
field-pushover-priority-help = Priorität einer gewöhnlichen Nachricht: -2 (keine), -1 (leise), 0 (normal), 1 (hoch) oder 2 (Notfall, wiederholt bis zur Bestätigung; braucht retry und expire). Kritische Alarme werden auf mindestens 1 angehoben; Entwarnungen gehen mit höchstens 0.
field-pushover-retry = Wiederholen alle (Sekunden)
field-pushover-retry-help = Für Priorität 2: wie oft Pushover den Alarm wiederholt, bis jemand ihn bestätigt, mindestens 30 Sekunden.
field-pushover-expire = Aufhören nach (Sekunden)
field-pushover-expire-help = Für Priorität 2: wann Pushover aufhört, einen unbestätigten Alarm zu wiederholen, 1 bis 10800 Sekunden.
field-pushover-sound-help = Ein Pushover-Klangname wie pushover, siren oder none; leer: die Voreinstellung des Benutzers.
field-pushover-device = Geräte
field-pushover-device-help = Nur an diese Geräte des Benutzers senden, durch Kommas getrennt; leer: an alle.
field-pushover-api_base-help = Die API von Pushover, https://api.pushover.net, außer Sie gehen über einen Proxy.
field-pushover-user_key-help = Ihr Benutzerschlüssel (oder ein Gruppenschlüssel) aus dem Pushover-Dashboard.
field-pushover-api_token-help = Das API-Token einer Pushover-Anwendung, die Sie für Tocsin angelegt haben.
field-mattermost-webhook_url-help = Die URL des eingehenden Webhooks, https://chat.example.com/hooks/…; wer sie kennt, kann posten.
field-mattermost-channel-help = In diesen Kanal (sein Name, z. B. town-square) oder an diese Person (@name) statt in den Kanal des Webhooks posten. Ein auf seinen Kanal festgelegter Webhook lehnt das ab.
field-mattermost-username = Absendername
field-mattermost-username-help = Der als Absender angezeigte Name; leer: der von Tocsin. Nur sichtbar, wenn der Server Integrationen erlaubt, Benutzernamen zu überschreiben.
field-mattermost-icon_url = URL des Absendersymbols
field-mattermost-icon_url-help = Das Bild neben dem Absender; leer: das Symbol von Tocsin. Nur sichtbar, wenn der Server Integrationen erlaubt, Profilbilder zu überschreiben.
field-mattermost-icon_emoji-help = Ein Emoji als Bild des Absenders statt eines Symbols, z. B. rotating_light.
field-pagerduty-routing_key = Integrationsschlüssel
field-pagerduty-routing_key-help = Der 32-stellige Integrationsschlüssel einer „Events API v2“-Integration (Service → Integrations), auch Routing-Schlüssel genannt.
field-pagerduty-region-help = Wo das PagerDuty-Konto liegt: us (events.pagerduty.com) oder eu (events.eu.pagerduty.com). Wird ignoriert, wenn eine API-Basis-URL gesetzt ist.
field-pagerduty-api_base-help = An diese Basis-URL statt an den Events-API-Host der Region senden (ein Proxy, ein Testempfänger); /v2/enqueue wird angehängt.
field-pagerduty-source = Quelle
field-pagerduty-source-help = payload.source: das betroffene System, z. B. ein Hostname. Leer: das Label host, server, instance oder application des Ereignisses.
field-pagerduty-component = Komponente
field-pagerduty-component-help = payload.component. Leer: das Label component, service oder application des Ereignisses.
field-pagerduty-group-help = payload.group. Leer: das Label group, project, cluster oder environment des Ereignisses.
field-pagerduty-class = Klasse
field-pagerduty-class-help = payload.class. Leer: der Ereignistyp, z. B. deploy.failure.
field-pagerduty-link-help = Ein Link, der jedem Vorfall hinzugefügt wird (ein Runbook, ein Dashboard), neben dem Link des Ereignisses.
field-pagerduty-details = Eigene Details
field-pagerduty-details-help = Zusätzliche Einträge für payload.custom_details, z. B. {"{"}"team": "ops"{"}"}.
field-opsgenie-api_key-help = Der API-Schlüssel einer Opsgenie-Integration vom Typ „API“ (Settings → Integrations), gesendet als `Authorization: GenieKey …`.
field-opsgenie-region-help = Wo das Opsgenie-Konto liegt: us (api.opsgenie.com) oder eu (api.eu.opsgenie.com). Wird ignoriert, wenn eine API-Basis-URL gesetzt ist.
field-opsgenie-api_base-help = An diese Basis-URL statt an den API-Host der Region senden (ein Proxy, ein Testempfänger); /v2/alerts wird angehängt.
field-opsgenie-priority-help = Dieselbe Priorität für jeden Alarm. Leer: nach dem Schweregrad des Ereignisses (critical → P1, warning → P3, info → P5).
field-opsgenie-responders = Zuständige
field-opsgenie-responders-help = Wer außer dem Team der Integration benachrichtigt wird, durch Kommas getrennt: @user (Benutzername oder ID), #team, *schedule, ^escalation; ein bloßer Name ist ein Benutzer. Z. B. #Ops Team, @jane@example.com
field-opsgenie-tags-help = Tags für jeden Alarm, durch Kommas getrennt, z. B. tocsin, production. Der Schweregrad des Ereignisses kommt hinzu.
field-opsgenie-entity = Entität
field-opsgenie-entity-help = Die Entität des Alarms (der Bereich, um den es geht). Leer: das Label application des Ereignisses.
field-opsgenie-details-help = Zusätzliche eigene Eigenschaften für jeden Alarm, z. B. {"{"}"team": "ops"{"}"}.
field-googlechat-webhook_url-help = Die Webhook-URL des Gruppenbereichs, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Apps und Integrationen → Webhooks); wer sie kennt, kann posten.
field-googlechat-thread_key = Thread
field-googlechat-thread_key-help = Jede Nachricht in diesen Thread posten (ein beliebiger Text benennt ihn), statt jede in einen eigenen Thread.
field-googlechat-incident_threads = Ein Thread pro Vorfall
field-googlechat-incident_threads-help = Einen Alarm und die Entwarnung, die ihn auflöst (derselbe state_key oder dieselbe Typfamilie mit denselben Labels), in einen Thread posten.
field-rocketchat-webhook_url-help = Die URL der eingehenden Webhook-Integration, https://chat.example.com/hooks/…/…; wer sie kennt, kann posten.
field-rocketchat-channel-help = In diesen Kanal (#name) oder an diese Person (@name) statt in den Kanal der Integration posten, wenn die Integration das erlaubt.
field-rocketchat-username = Absendername
field-rocketchat-username-help = Der als Absender angezeigte Name (der Alias in Rocket.Chat); leer: der von Tocsin.
field-rocketchat-icon_url = URL des Absendersymbols
field-rocketchat-icon_url-help = Das Bild neben dem Absender (der Avatar in Rocket.Chat); leer: das Symbol von Tocsin.
field-rocketchat-icon_emoji-help = Ein Emoji als Bild des Absenders statt eines Symbols, z. B. :rotating_light:.
field-matrix-homeserver = Homeserver-URL
field-matrix-homeserver-help = Die Basis der Client-API Ihres Homeservers, z. B. https://matrix.example.org.
field-matrix-room_id-help = Die interne ID des Raums, etwa !abcdefg:example.org (Raumeinstellungen → Erweitert). Aliasse (#raum:example.org) werden nicht angenommen. Das Konto muss dem Raum beigetreten sein.
field-matrix-msgtype = Nachrichtentyp
field-matrix-msgtype-help = notice (üblich für Bots; Clients benachrichtigen weniger laut) oder text.
field-matrix-access_token-help = Das Zugriffstoken des Kontos, das postet (syt_… bei Synapse).
field-webex-webhook_url-help = Aus der App „Incoming Webhooks“, z. B. https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz…; leer lassen, um als Bot zu posten.
field-webex-bot_token = Bot-Zugriffstoken
field-webex-bot_token-help = Um als Bot statt über einen Webhook zu posten: das Zugriffstoken des Bots von developer.webex.com (My Apps). Braucht eine Raum-ID.
field-webex-room_id-help = Mit einem Bot-Token: die ID des Bereichs, in den gepostet wird; der Bot muss Mitglied sein.
field-webex-api_base-help = Mit einem Bot-Token: die Basis-URL der Messages-API. Standard: https://webexapis.com.
field-zulip-site = Server-URL
field-zulip-site-help = Ihre Zulip-Organisation, z. B. https://example.zulipchat.com oder https://zulip.example.com.
field-zulip-bot_email = Bot-E-Mail
field-zulip-bot_email-help = Die E-Mail-Adresse des Bots, z. B. alerts-bot@example.zulipchat.com (Persönliche Einstellungen → Bots).
field-zulip-stream = Kanal
field-zulip-stream-help = Der Kanal (Stream), in den gepostet wird, z. B. ops. Diesen oder users angeben.
field-zulip-topic-help = Das Thema im Kanal (höchstens 60 Zeichen). Leer: der Titel jedes Ereignisses.
field-zulip-users-help = Statt in einen Kanal eine Direktnachricht an diese Personen senden: ihre E-Mail-Adressen, durch Kommas getrennt.
field-zulip-api_key-help = Der API-Schlüssel des Bots.
field-signal-server = signal-cli-rest-api-URL
field-signal-server-help = Wo signal-cli-rest-api lauscht, z. B. http://signal-api:8080.
field-signal-from_number-help = Die bei signal-cli registrierte Nummer, international geschrieben, z. B. +4912345678.
field-signal-recipients-help = Telefonnummern (+4967890…) und Gruppen-IDs (group.…), durch Kommas getrennt. Leer: eine Notiz an die eigene Nummer des Absenders.
field-signal-username-help = Für einen Reverse Proxy vor der API, der Basic-Auth verlangt.
field-signal-password-help = Das Basic-Auth-Passwort des Reverse Proxys.
field-pushbullet-device_iden = Gerät
field-pushbullet-device_iden-help = Die iden eines Ihrer Geräte; ohne Gerät, Kanal oder E-Mail bekommt jedes Gerät den Push.
field-pushbullet-channel_tag = Kanal-Tag
field-pushbullet-channel_tag-help = Das Tag eines eigenen Kanals, um an dessen Abonnenten zu pushen (statt an ein Gerät oder eine E-Mail).
field-pushbullet-email-help = An den Pushbullet-Benutzer mit dieser E-Mail-Adresse pushen (statt an ein Gerät oder einen Kanal).
field-pushbullet-api_base-help = Die API von Pushbullet, https://api.pushbullet.com, außer Sie gehen über einen Proxy.
field-pushbullet-access_token-help = Ein Zugriffstoken von der Seite Settings → Account bei Pushbullet (o.…).
field-twilio-account_sid = Account SID
field-twilio-account_sid-help = Ihre Account SID aus der Twilio Console: AC gefolgt von 32 Hexadezimalzeichen.
field-twilio-auth_token-help = Das Auth Token des Kontos oder das Geheimnis des unten genannten API-Schlüssels.
field-twilio-api_key_sid = API-Key-SID
field-twilio-api_key_sid-help = Optional: mit diesem API-Schlüssel (SK…) statt der Account SID anmelden; das Auth Token ist dann das Geheimnis des Schlüssels.
field-twilio-from-help = Ihre Twilio-Nummer international geschrieben (+15551234567), ein 5- bis 6-stelliger Kurzcode oder eine Messaging-Service-SID (MG…). Mit dem Präfix whatsapp: über WhatsApp senden.
field-twilio-to-help = Die eine Telefonnummer, an die dieser Kanal schreibt, international (+15557654321); Präfix whatsapp: für WhatsApp. Für mehrere Personen je einen Kanal anlegen.
field-twilio-api_base-help = An diese Basis-URL statt an https://api.twilio.com senden (ein Proxy, ein Testempfänger); /2010-04-01/Accounts/{"{"}AccountSid{"}"}/Messages.json wird angehängt.
