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

## Messages after a form
done-saved = Gespeichert.
done-created = Angelegt.
done-deleted = Gelöscht.
done-enabled = Aktiviert.
done-disabled = Deaktiviert.
done-retried = Die Zustellung ist erneut eingereiht.
done-retried-all = Alle fehlgeschlagenen Zustellungen sind erneut eingereiht.

## Errors
error-title = Etwas ist schiefgegangen
error-back = Zurück zur Übersicht
error-not-found = Diese Seite gibt es nicht, oder ihr Inhalt wurde gelöscht.
error-internal = Der Server konnte das nicht ausführen. Sein Protokoll enthält die Details.
error-csrf = Dieses Formular ist abgelaufen oder stammt nicht von dieser Seite. Laden Sie die Seite neu und versuchen Sie es erneut.
error-too-large = Das Formular ist zu groß.
error-required = Dieses Feld ist erforderlich.
error-number = Geben Sie eine Zahl ein.

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
field-webhook-template-help = Eine Vorlage (generic, slack, discord, teams, n8n, ringcentral, dokploy) oder eine MiniJinja-Vorlage.
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
