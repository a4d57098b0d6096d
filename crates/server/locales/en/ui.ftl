# Tocsin web UI — English (the reference: every other locale must have each key).

## Layout
nav-skip = Skip to content
nav-label = Main
nav-channels = Channels
nav-rules = Rules
nav-deliveries = Deliveries
nav-events = Events
nav-explain = Explain
nav-quiet-hours = Quiet hours
nav-threshold-tokens = Threshold tokens
nav-api-tokens = API tokens
nav-preferences = Preferences
lang-label = Language
signed-in-as = Signed in as
sign-out = Sign out

## Sign-in
login-title = Sign in
login-intro = Paste an API token. The first start of the server printed an admin token; TOCSIN_ADMIN_TOKEN works too.
login-token = API token
login-token-help = The token is checked and never stored in the browser; a session cookie stands for it.
login-submit = Sign in
login-refused = This token is not valid. Check it and try again.
login-expired = The sign-in form expired. Please try again.

## Common
save = Save
cancel = Cancel
continue = Continue
edit = Edit
delete = Delete
delete-confirm = Yes, delete
delete-named = Delete { $name }
required = required
secret = secret
secret-set = set
secret-keep = Set — leave empty to keep it
secret-keep-reference = Leave empty to keep the reference
secret-from-env = from environment variable { $name }
secret-from-file = from file { $path }
on = On
off = Off
never = Never
any = Any
filter = Filter
search = Search
see-all = See all
test = Test
retry = Retry
all-events = Every event
key = Key

## Messages after a form
done-saved = Saved.
done-created = Created.
done-deleted = Deleted.
done-enabled = Enabled.
done-disabled = Disabled.
done-retried = The delivery is queued again.
done-retried-all = Every failed delivery is queued again.
done-revoked = The token is revoked.

## Errors
error-title = Something went wrong
error-back = Back to the dashboard
error-not-found = This page does not exist, or what it showed was deleted.
error-internal = The server could not do this. Its log has the details.
error-csrf = This form expired or did not come from this site. Reload the page and try again.
error-too-large = The form is too large.
error-required = This field is required.
error-number = Write a number.
error-time-zone = Pick a time zone from the list.

## Time
ago-now = just now
ago-minutes = { $n ->
    [one] { $n } minute ago
   *[other] { $n } minutes ago
}
ago-hours = { $n ->
    [one] { $n } hour ago
   *[other] { $n } hours ago
}
ago-days = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}
period-any = Any time
period-1h = Last hour
period-24h = Last 24 hours
period-7d = Last 7 days

## Columns
col-name = Name
col-enabled = Enabled
col-last-delivery = Last delivery
col-failures = Failures
col-actions = Actions
col-status = Status
col-channel = Channel
col-channels = Channels
col-event = Event
col-events = Events
col-event-type = Event type
col-attempts = Attempts
col-time = Time
col-last-error = Last error
col-error = Error
col-created = Created
col-next-attempt = Next attempt
col-id = ID
col-message = Message
col-occurred = Occurred
col-received = Received
col-state = State
col-data = Data
col-tenant = Tenant
col-tokens = Tokens
col-scopes = Scopes
col-last-used = Last used

## Statuses and severities
status-pending = Pending
status-sending = Sending
status-delivered = Delivered
status-retrying = Retrying
status-failed = Failed
severity-ok = OK
severity-info = Info
severity-warning = Warning
severity-critical = Critical

## Channels
channels-title = Channels
channels-add = Add channel
channels-empty = No channel yet. Add one to start receiving notifications.
channels-count = { $n ->
    [one] { $n } channel
   *[other] { $n } channels
}
channel-toggle = Turn { $name } on or off
channel-new-title = New { $kind } channel
count-failures = { $n ->
    [one] { $n } failure
   *[other] { $n } failures
}
kinds-pick = Pick a service
kinds-by-url = Or paste a URL
field-name = Name
field-url = Channel URL
field-url-help = A service URL such as slack://…, ntfys://host/topic or a webhook's https:// address.
field-map-help = Write one per line as Name: value.
field-enabled = Enabled
field-signing-secret = Signing secret
section-connection = Connection
section-events = Events
section-filters = Filters
section-delivery = Delivery
events-help = The events this channel hears about. The usual ones are ticked for a new channel.
field-patterns = Other event patterns
field-patterns-help = Comma-separated; * matches any part, e.g. deploy.* or @destructive.
filters-help = Only events whose labels equal these values; leave empty to accept any.
label-application = Application
label-project = Project
label-environment = Environment
label-cluster = Cluster
label-server = Server
label-customer = Customer
test-before-saving = Test before saving
test-ok = The test message was delivered.
test-failed = The test message was not delivered.
recent-deliveries = Recent deliveries
created-secret-intro = The channel { $name } signs every request. Give this secret to the receiver so it can check the signatures.
created-secret-once = Copy it now: it is shown only once.
delete-channel-title = Delete { $name }?
delete-channel-warning = The channel, its own subscription and its delivery log are deleted. Rules that name it no longer reach it.

## Event groups
group-deploy = Deployments
group-build = Builds
group-service = Services
group-backup = Backups
group-quota = Quotas
group-ssl = Certificates
group-server = Servers
group-system = System
group-dns = DNS
group-mailbox = Mailboxes
group-audit = Admin actions
group-notification = Notifications

## Deliveries
deliveries-title = Deliveries
deliveries-empty = No delivery matches.
delivery-title = Delivery
retry-all-failed = Retry all failed
attempts-count = { $n ->
    [one] { $n } attempt
   *[other] { $n } attempts
}
attempts-none = No attempt yet.
response-excerpt = Response

## Events
events-title = Events
events-empty = No event matches.
events-search-placeholder = Title, message, type or label
event-no-deliveries = No channel was notified of this event.
explain-this = Explain routing

## Rules
rules-title = Rules
rules-add = Add rule
rules-intro = A rule sends the events it matches to several channels. Each channel's own subscription is edited on the channel.
rules-empty = No rule yet.
rule-events-help = Leave every box empty and no pattern to match every event type.
field-matchers = Label matchers
field-matchers-help = One per line: environment=production, application=~api-.*, environment!=staging.
field-min-severity = Minimum severity
rule-no-channels = There is no channel yet.
rule-no-windows = No quiet hours are defined.
field-digest = Digest window
field-digest-help = Collect the events for this long and send one summary (30s to 1d). Empty: send each event.
field-repeat = Repeat interval
field-repeat-help = While a monitored state stays bad, notify again after this long (1m to 30d).
field-template = Template
field-template-help = For webhook channels: a preset name (generic, slack, discord, teams, n8n) or a template text.
delete-rule-warning = The rule is deleted; its channels stay.

## Explain
explain-title = Explain routing
explain-intro = Paste an event, or pick a recent one, to see which channels would get it and why the others would not. Nothing is stored or sent.
explain-pick = Recent event
explain-load = Load
explain-event = Event (JSON, as posted to the API)
explain-run = Explain
explain-bad-json = This is not valid event JSON
explain-receives = { $n ->
    [one] { $n } channel would receive it
   *[other] { $n } channels would receive it
}
explain-skipped = Channels that would not
explain-rules = Rules
explain-matched = matches
explain-held-until = held until

## Quiet hours
quiet-intro = Weekly windows in a time zone during which the rules that name them stay quiet.
quiet-empty = No quiet hours yet.
quiet-add = Add quiet hours
field-time-zone = Time zone
field-days = Days
field-start = From
field-end = Until
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun

## Threshold tokens
tokens-intro = Dokploy's metrics agent reports CPU and memory with one token per server; Tocsin alerts when a threshold is crossed.
tokens-empty = No threshold token yet.
tokens-add = New threshold token
tokens-create = Create token
tokens-created = Token for { $server } created.
tokens-token = Token
field-server = Server
field-margin = Recovery margin (points)
field-cool-off = Cool-off

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = Where to send the request, e.g. https://example.com/hooks/tocsin.
field-webhook-method = Method
field-webhook-method-help = The HTTP method.
field-webhook-headers = Headers
field-webhook-headers-help = Extra request headers.
field-webhook-template = Template
field-webhook-template-help = A preset (generic, slack, discord, teams, n8n, ringcentral, dokploy) or a MiniJinja template.
field-webhook-content_type = Content type
field-webhook-content_type-help = The body's media type. A JSON type makes Tocsin check the rendered body is valid JSON.
field-webhook-signing_secret = Signing secret
field-webhook-signing_secret-help = whsec_… key for the webhook-signature and X-Signature-256 headers; generated when left empty.
event-deploy-started = A deployment started.
event-deploy-success = A deployment finished and the new version runs.
event-deploy-failure = A deployment failed; the previous version may still run.
event-deploy-cancelled = A deployment was cancelled before it finished.
event-build-triggered = A build was queued, by a push, a webhook or by hand.
event-build-success = A build finished and produced an image or artefact.
event-build-failure = A build failed.
event-service-health-down = A health check failed: the service does not answer or answers with errors.
event-service-health-recovered = A failing health check passes again.
event-service-started = A service or container started.
event-service-stopped = A service or container stopped.
event-backup-success = A backup finished (database or volume; see the label backup_type).
event-backup-failure = A backup failed (database or volume; see the label backup_type).
event-quota-warning = A customer or resource is close to a quota.
event-quota-exceeded = A customer or resource went over a quota.
event-ssl-expiring = A TLS certificate expires soon (or could not be renewed).
event-server-threshold = A server's CPU or memory use crossed its threshold, or went back below it.
event-system-restart = The managing system (panel, agent) restarted.
event-system-cleanup = A scheduled cleanup ran (images, build caches, old logs).
event-dns-health_alert = A domain's DNS records are wrong or missing (MX, SPF, DKIM, DMARC, A).
event-dns-health_recovered = A domain's DNS records are correct again.
event-mailbox-quota_alert = A mailbox is close to or over its storage quota.
event-mailbox-quota_recovered = A mailbox is back under its storage quota.
event-mailbox-send_limit_alert = A mailbox hit its sending limit; further mail is held or refused.
event-mailbox-send_limit_recovered = A mailbox may send again.
event-audit-domain-create = An admin added a domain.
event-audit-domain-delete = An admin deleted a domain.
event-audit-mailbox-create = An admin created a mailbox.
event-audit-mailbox-delete = An admin deleted a mailbox and its mail.
event-audit-user-create = An admin created a user.
event-audit-user-delete = An admin deleted a user.
event-audit-user-role_update = An admin changed a user's role or permissions.
event-audit-application-delete = An admin deleted an application.
event-audit-project-delete = An admin deleted a project and what it holds.
event-audit-database-delete = An admin deleted a database.
event-audit-backup-delete = An admin deleted a backup.
event-audit-token-create = An admin created an API token.
event-audit-token-revoke = An admin revoked an API token.
event-audit-settings-update = An admin changed a setting.
event-audit-settings-admin_password_update = The admin password was changed.
event-audit-settings-two_factor_disable = Two-factor authentication was turned off for an account.

## Channel kinds
kind-webhook-description = Any HTTP endpoint, with a JSON body from a preset or your own template, signed per Standard Webhooks.
kind-slack-description = A Slack channel, through an incoming webhook.
kind-discord-description = A Discord channel webhook: one embed per event, coloured by severity.
kind-telegram-description = A Telegram chat, group, channel or forum topic, through a bot.
kind-email-description = Email through an SMTP server: a plain-text and an HTML part for each event.
kind-resend-description = Email through Resend's API.
kind-ses-description = Email through Amazon Simple Email Service (SES v2).
kind-gotify-description = Push messages through your own Gotify server.
kind-ntfy-description = Publish to a topic on ntfy.sh or your own ntfy server.
kind-teams-description = A Teams channel through a Workflows webhook: an Adaptive Card per event.
kind-lark-description = A Lark or Feishu group's custom bot: a card per event.
kind-pushover-description = Push notifications to phones and desktops through Pushover.
kind-mattermost-description = A Mattermost channel, through an incoming webhook.
kind-pagerduty-description = Triggers a PagerDuty incident and resolves it when the event recovers.
kind-opsgenie-description = Creates an Opsgenie alert per incident and closes it when the event recovers.
kind-googlechat-description = A Google Chat space, through an incoming webhook.
kind-rocketchat-description = A Rocket.Chat channel, through an incoming webhook integration.
kind-matrix-description = A Matrix room, through a bot account's access token.
kind-webex-description = A Webex space, through an incoming webhook or as a bot.
kind-zulip-description = A Zulip channel topic or direct message, posted by a bot.
kind-signal-description = Signal messages to people or groups, through your signal-cli-rest-api server.
kind-pushbullet-description = Push notes to your devices, a friend's email or a channel through Pushbullet.
kind-twilio-description = Each notification as an SMS or WhatsApp message through Twilio.

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = Access token
field-any-api_base = API base URL
field-any-api_key = API key
field-any-api_token = API token
field-any-app_token = Application token
field-any-auth_token = Auth token
field-any-bot_token = Bot token
field-any-channel = Channel
field-any-chat_id = Chat ID
field-any-content_type = Content type
field-any-details = Details
field-any-email = Email
field-any-from = From
field-any-from_number = Sender number
field-any-group = Group
field-any-headers = Headers
field-any-host = SMTP server
field-any-icon_emoji = Sender emoji
field-any-icon_url = Icon URL
field-any-link = Link
field-any-message_thread_id = Topic ID
field-any-method = Method
field-any-password = Password
field-any-port = Port
field-any-priority = Priority
field-any-profile = Sender profile
field-any-recipients = Recipients
field-any-region = Region
field-any-reply_to = Reply-To
field-any-room_id = Room ID
field-any-security = Security
field-any-server_url = Server URL
field-any-signing_secret = Signing secret
field-any-silent = Silent
field-any-sound = Sound
field-any-subject_prefix = Subject prefix
field-any-tags = Tags
field-any-template = Template
field-any-thread_id = Thread ID
field-any-to = To
field-any-topic = Topic
field-any-url = URL
field-any-user_key = User key
field-any-username = User name
field-any-users = Users
field-any-webhook_url = Webhook URL

## API tokens and tenants
api-tokens-intro = API tokens sign in to this dashboard and call the API. Tocsin keeps only a hash of each token: a token is shown once, when it is created.
api-tokens-list = Tokens
api-tokens-empty = No token you manage.
api-tokens-count = { $n ->
    [one] { $n } token
   *[other] { $n } tokens
}
api-tokens-add = New API token
api-tokens-create = Create token
api-tokens-created = Token { $name } created.
api-tokens-secret = The new token
api-tokens-copy-hint = Copy it now and keep it somewhere safe: it is shown only this once and cannot be read again.
api-tokens-tenant-help = Leave empty for a token that acts for every tenant; a tenant's token sees only that tenant's channels, rules and events.
api-tokens-revoke = Revoke
api-tokens-revoke-named = Revoke { $name }
api-tokens-revoke-title = Revoke { $name }?
api-tokens-revoke-warning = The token stops working at once, for the API and for every session signed in with it. This cannot be undone.
api-tokens-revoke-own = This is the token you are signed in with: revoking it signs you out.
api-tokens-revoke-confirm = Yes, revoke
api-tokens-forbidden = Your token cannot manage API tokens: that needs the scope tokens:write.
tenants-title = Tenants
tenants-own = You act for the tenant { $tenant } and see only its objects.
tenants-global = You act for every tenant.
tenants-none = No channel, rule or token belongs to a tenant yet.
tenant-global = every tenant
scope-admin = everything, server settings included
scope-channels-read = read channels
scope-channels-write = create, change, test and delete channels
scope-rules-read = read rules
scope-rules-write = create, change and delete rules
scope-events-write = post events
scope-deliveries-read = read events and deliveries
scope-deliveries-write = retry deliveries
scope-tokens-write = create, list and revoke tokens

## Preferences
preferences-intro = How this browser shows the dashboard. Both choices are kept in cookies.
preferences-tz-help = Dates and times are shown in this zone.
preferences-sample = Now:
