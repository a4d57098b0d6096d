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
copy = Copy
copied = Copied

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
error-scope-needed = Your token lacks the scope { $scope }, which this needs.
error-scope-grant = Your token lacks the scope { $scope }, so it cannot grant it.
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
field-webhook-url-help = Where to send the request, e.g. https://example.com/hooks/tocsin. Kept encrypted; shown with its query values and token-like path segments masked.
field-webhook-method = Method
field-webhook-method-help = The HTTP method.
field-webhook-headers = Headers
field-webhook-headers-help = Extra request headers, e.g. {"{"}"Authorization": "Bearer …"{"}"}. The values are kept encrypted and shown as "set"; "set" keeps a stored value.
field-webhook-template = Template
field-webhook-template-help = A preset (generic, slack, discord, teams, n8n, ringcentral, dokploy) or a MiniJinja template; ${"{"}name{"}"} and {"{"}{"{"} name {"}"}{"}"} placeholders both work.
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
event-audit-channel-created = Tocsin: a channel was created (emitted by Tocsin itself; data holds the actor and the channel).
event-audit-channel-updated = Tocsin: a channel was changed.
event-audit-channel-deleted = Tocsin: a channel was deleted with its delivery log.
event-audit-rule-created = Tocsin: a rule was created.
event-audit-rule-updated = Tocsin: a rule was changed.
event-audit-rule-deleted = Tocsin: a rule was deleted.
event-audit-token-created = Tocsin: an API token was created.
event-audit-token-revoked = Tocsin: an API token was revoked.
event-audit-mute_window-created = Tocsin: quiet hours were created.
event-audit-mute_window-updated = Tocsin: quiet hours were changed.
event-audit-mute_window-deleted = Tocsin: quiet hours were deleted.
event-audit-profile-created = Tocsin: a sender profile was created.
event-audit-profile-updated = Tocsin: a sender profile was changed.
event-audit-profile-deleted = Tocsin: a sender profile was deleted.
event-audit-metrics_token-created = Tocsin: a threshold token was created.
event-audit-metrics_token-deleted = Tocsin: a threshold token was deleted.
event-audit-delivery-retried = Tocsin: a failed delivery was retried by hand.

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

## Each kind's own field labels and help texts (field-<kind>-<name>, field-<kind>-<name>-help)
field-slack-webhook_url-help = The incoming webhook's URL, https://hooks.slack.com/services/T…/B…/…; anyone who has it can post.
field-slack-channel-help = Post to this channel (#name) or user (@name) instead of the webhook's own. Only legacy webhooks honour it; a Slack app's webhook always posts where it was installed.
field-slack-username = Sender name
field-slack-username-help = The name shown as the sender; Tocsin's when empty. A Slack app's webhook shows the app's name instead.
field-slack-icon_url = Sender icon URL
field-slack-icon_url-help = The picture shown beside the sender; Tocsin's icon when empty. A Slack app's webhook shows the app's icon instead.
field-slack-icon_emoji-help = An emoji shown as the sender's picture instead of an icon, e.g. :rotating_light:.
field-discord-webhook_url-help = From the channel's Integrations → Webhooks, e.g. https://discord.com/api/webhooks/123456789012345678/abcDEF…
field-discord-thread_id-help = Post into this thread of the webhook's channel (forum channels need one).
field-discord-username = Username
field-discord-username-help = The sender name shown instead of Tocsin's (at most 80 characters; Discord refuses names containing "discord" or "clyde").
field-discord-icon_url = Avatar URL
field-discord-icon_url-help = The sender avatar shown instead of Tocsin's icon.
field-discord-decoration = Decoration
field-discord-decoration-help = Start the title with a coloured emoji for the severity.
field-discord-silent-help = Post without a push notification (Discord's SUPPRESS_NOTIFICATIONS flag).
field-telegram-chat_id-help = A numeric chat id (groups and channels look like -1001234567890) or a public channel's @username. The bot must be a member.
field-telegram-message_thread_id-help = Post into this forum topic of a supergroup (message_thread_id).
field-telegram-silent-help = Deliver without a notification sound.
field-telegram-api_base-help = The Bot API server; defaults to https://api.telegram.org. Set it for a local Bot API server or a proxy.
field-telegram-bot_token-help = The token @BotFather gave for the bot, like 123456789:AAE…
field-email-profile-help = The id of a sender profile to send with; leave empty to give the sender fields here, or to use the default profile of this kind.
field-email-host-help = The server's host name or IP address, like smtp.example.com (without a port).
field-email-port-help = Left empty: 587 with STARTTLS, 465 with TLS, 25 without encryption.
field-email-security-help = starttls: upgrade the connection on the submission port (587), refusing a server that cannot; tls: encrypted from the start (465); none: no encryption, only for servers on your private network that the operator allowed.
field-email-username = Username
field-email-username-help = The login for the server, often the full email address; leave empty for a server that takes mail without one.
field-email-from-help = The sender, like alerts@example.com or Alerts <alerts@example.com>; a bare address is shown with Tocsin's name.
field-email-to-help = One or more recipients, separated by commas.
field-email-cc = Cc
field-email-cc-help = Recipients to copy, separated by commas.
field-email-bcc = Bcc
field-email-bcc-help = Hidden recipients, separated by commas.
field-email-reply_to-help = Where replies go, when not to the sender.
field-email-subject_prefix-help = Put before every subject, like [prod].
field-email-password-help = The password (or app password) for the username.
field-resend-profile-help = The id of a sender profile to send with; leave empty to give the sender fields here, or to use the default profile of this kind.
field-resend-from-help = The sender, on a domain verified in Resend, like alerts@example.com or Alerts <alerts@example.com>; a bare address is shown with Tocsin's name.
field-resend-to-help = One to 50 recipients, separated by commas.
field-resend-cc = Cc
field-resend-cc-help = Recipients to copy, separated by commas.
field-resend-bcc = Bcc
field-resend-bcc-help = Hidden recipients, separated by commas.
field-resend-reply_to-help = Where replies go, when not to the sender; several separated by commas.
field-resend-subject_prefix-help = Put before every subject, like [prod].
field-resend-api_base-help = Resend's API, https://api.resend.com unless you go through a proxy.
field-resend-api_key-help = An API key (re_…) from resend.com/api-keys with at least sending access.
field-ses-profile-help = The id of a sender profile to send with; leave empty to give the sender fields here, or to use the default profile of this kind.
field-ses-region-help = The AWS region where the sending identity is verified, e.g. eu-west-1 or us-east-1.
field-ses-access_key_id = Access key ID
field-ses-access_key_id-help = The access key ID (AKIA…) of an IAM user allowed to call ses:SendEmail.
field-ses-from-help = The sender: an address or domain verified in SES, like alerts@example.com or Ops <alerts@example.com>.
field-ses-to-help = Recipients, separated by commas. At most 50 with cc and bcc; while the account is in the SES sandbox, verified addresses only.
field-ses-cc = Cc
field-ses-cc-help = Copy recipients, separated by commas.
field-ses-bcc = Bcc
field-ses-bcc-help = Blind copy recipients, separated by commas.
field-ses-reply_to-help = Where replies go, separated by commas; the sender when left empty.
field-ses-configuration_set = Configuration set
field-ses-configuration_set-help = Send through this SES configuration set (event publishing, dedicated IPs).
field-ses-api_base-help = The SES endpoint; defaults to https://email.{"{"}region{"}"}.amazonaws.com. Set it for a FIPS or VPC endpoint, a proxy or a local SES emulator.
field-ses-secret_access_key = Secret access key
field-ses-secret_access_key-help = The secret access key that belongs to the access key ID.
field-gotify-server_url-help = Your Gotify server, e.g. https://gotify.example.com (with its path if it is served under one).
field-gotify-priority-help = Priority of an ordinary message, 0 to 10. Warnings are raised to at least 7 and critical alerts to at least 8.
field-gotify-decoration = Decoration
field-gotify-decoration-help = Start each title with an emoji for the severity: 🚨 critical, ⚠️ warning, ℹ️ info, ✅ recovered.
field-gotify-app_token-help = The token of a Gotify application (Apps → create application).
field-ntfy-server_url-help = The ntfy server, e.g. https://ntfy.example.com; ntfy.sh when left empty.
field-ntfy-topic-help = The topic to publish to: 1 to 64 letters, digits, `-` or `_`. Without access control, anyone who knows it can read it.
field-ntfy-priority-help = Priority of an ordinary message, 1 (min) to 5 (max). Warnings are raised to at least 4 (high) and critical alerts to 5.
field-ntfy-tags-help = Extra tags, comma-separated, e.g. `backup,eu-1`; emoji short codes such as `warning` show as icons.
field-ntfy-click = Click URL
field-ntfy-click-help = Where tapping the notification leads; the event's own link when left empty.
field-ntfy-icon_url-help = A JPEG or PNG shown beside the notification; Tocsin's icon when left empty.
field-ntfy-username-help = For a server that asks for a user name and password (with secrets.password); leave empty when using an access token.
field-ntfy-access_token-help = A token (tk_…) from the ntfy account page, for protected topics.
field-ntfy-password-help = The password of settings.username.
field-teams-webhook_url = Workflow URL
field-teams-webhook_url-help = The URL of a Teams workflow started by "When a Teams webhook request is received", e.g. https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01&sp=…&sv=1.0&sig=…; a legacy https://….webhook.office.com/webhookb2/… connector URL works too.
field-lark-webhook_url-help = The custom bot's webhook, e.g. https://open.larksuite.com/open-apis/bot/v2/hook/… (Lark) or https://open.feishu.cn/open-apis/bot/v2/hook/… (Feishu).
field-lark-signing_secret-help = Only when the bot's security settings have "Set signature verification" on: the secret shown there. Leave empty otherwise.
field-pushover-priority-help = Priority of an ordinary message: -2 (none), -1 (quiet), 0 (normal), 1 (high) or 2 (emergency, repeated until acknowledged; needs retry and expire). Critical alerts are raised to at least 1; recoveries are sent at no more than 0.
field-pushover-retry = Retry every (seconds)
field-pushover-retry-help = For priority 2: how often Pushover repeats the alert until someone acknowledges it, at least 30 seconds.
field-pushover-expire = Stop after (seconds)
field-pushover-expire-help = For priority 2: when Pushover stops repeating an unacknowledged alert, 1 to 10800 seconds.
field-pushover-sound-help = A Pushover sound name such as pushover, siren or none; the user's default when left empty.
field-pushover-device = Devices
field-pushover-device-help = Send only to these of the user's devices, comma-separated; all of them when left empty.
field-pushover-api_base-help = Pushover's API, https://api.pushover.net unless you go through a proxy.
field-pushover-user_key-help = Your user key (or a group key) from the Pushover dashboard.
field-pushover-api_token-help = The API token of a Pushover application you created for Tocsin.
field-mattermost-webhook_url-help = The incoming webhook's URL, https://chat.example.com/hooks/…; anyone who has it can post.
field-mattermost-channel-help = Post to this channel (its name, e.g. town-square) or user (@name) instead of the webhook's own. A webhook locked to its channel refuses this.
field-mattermost-username = Sender name
field-mattermost-username-help = The name shown as the sender; Tocsin's when empty. Shown only if the server lets integrations override user names.
field-mattermost-icon_url = Sender icon URL
field-mattermost-icon_url-help = The picture shown beside the sender; Tocsin's icon when empty. Shown only if the server lets integrations override profile pictures.
field-mattermost-icon_emoji-help = An emoji shown as the sender's picture instead of an icon, e.g. rotating_light.
field-pagerduty-routing_key = Integration key
field-pagerduty-routing_key-help = The 32-character Integration Key of an "Events API v2" integration (Service → Integrations), also called the routing key.
field-pagerduty-region-help = Where the PagerDuty account lives: us (events.pagerduty.com) or eu (events.eu.pagerduty.com). Ignored when an API base URL is set.
field-pagerduty-api_base-help = Send to this base URL instead of the region's Events API host (a proxy, a test receiver); /v2/enqueue is appended.
field-pagerduty-source = Source
field-pagerduty-source-help = payload.source: the affected system, e.g. a host name. Empty: the event's host, server, instance or application label.
field-pagerduty-component = Component
field-pagerduty-component-help = payload.component. Empty: the event's component, service or application label.
field-pagerduty-group-help = payload.group. Empty: the event's group, project, cluster or environment label.
field-pagerduty-class = Class
field-pagerduty-class-help = payload.class. Empty: the event type, e.g. deploy.failure.
field-pagerduty-link-help = A link added to every incident (a runbook, a dashboard), besides the event's own link.
field-pagerduty-details = Custom details
field-pagerduty-details-help = Extra entries for payload.custom_details, e.g. {"{"}"team": "ops"{"}"}.
field-opsgenie-api_key-help = The API key of an Opsgenie "API" integration (Settings → Integrations), sent as `Authorization: GenieKey …`.
field-opsgenie-region-help = Where the Opsgenie account lives: us (api.opsgenie.com) or eu (api.eu.opsgenie.com). Ignored when an API base URL is set.
field-opsgenie-api_base-help = Send to this base URL instead of the region's API host (a proxy, a test receiver); /v2/alerts is appended.
field-opsgenie-priority-help = The same priority for every alert. Empty: from the event's severity (critical → P1, warning → P3, info → P5).
field-opsgenie-responders = Responders
field-opsgenie-responders-help = Who to notify besides the integration's team, comma-separated: @user (user name or id), #team, *schedule, ^escalation; a bare name is a user. E.g. #Ops Team, @jane@example.com
field-opsgenie-tags-help = Tags for every alert, comma-separated, e.g. tocsin, production. The event's severity is added.
field-opsgenie-entity = Entity
field-opsgenie-entity-help = The alert's entity (the domain it is about). Empty: the event's application label.
field-opsgenie-details-help = Extra custom properties for every alert, e.g. {"{"}"team": "ops"{"}"}.
field-googlechat-webhook_url-help = The space's webhook URL, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Apps & integrations → Webhooks); anyone who has it can post.
field-googlechat-thread_key = Thread
field-googlechat-thread_key-help = Post every message into this thread (any text naming it), rather than each in a thread of its own.
field-googlechat-incident_threads = A thread per incident
field-googlechat-incident_threads-help = Post an alert and the recovery that resolves it (the same state_key, or the same type family and labels) into one thread.
field-rocketchat-webhook_url-help = The incoming webhook integration's URL, https://chat.example.com/hooks/…/…; anyone who has it can post.
field-rocketchat-channel-help = Post to this channel (#name) or user (@name) instead of the integration's own, if the integration allows it.
field-rocketchat-username = Sender name
field-rocketchat-username-help = The name shown as the sender (Rocket.Chat's alias); Tocsin's when empty.
field-rocketchat-icon_url = Sender icon URL
field-rocketchat-icon_url-help = The picture shown beside the sender (Rocket.Chat's avatar); Tocsin's icon when empty.
field-rocketchat-icon_emoji-help = An emoji shown as the sender's picture instead of an icon, e.g. :rotating_light:.
field-matrix-homeserver = Homeserver URL
field-matrix-homeserver-help = The client API base of your homeserver, e.g. https://matrix.example.org.
field-matrix-room_id-help = The room's internal id, like !abcdefg:example.org (Room settings → Advanced). Aliases (#room:example.org) are not accepted. The account must have joined the room.
field-matrix-msgtype = Message type
field-matrix-msgtype-help = notice (the convention for bots; clients do not notify as loudly) or text.
field-matrix-access_token-help = The access token of the account that posts (syt_… on Synapse).
field-webex-webhook_url-help = From the Incoming Webhooks app, e.g. https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz…; leave empty to post as a bot.
field-webex-bot_token = Bot access token
field-webex-bot_token-help = To post as a bot instead of a webhook: the bot's access token from developer.webex.com (My Apps). Needs a room id.
field-webex-room_id-help = With a bot token: the id of the space to post in; the bot must be a member of it.
field-webex-api_base-help = With a bot token: the Messages API base URL. Default https://webexapis.com.
field-zulip-site = Server URL
field-zulip-site-help = Your Zulip organization, e.g. https://example.zulipchat.com or https://zulip.example.com.
field-zulip-bot_email = Bot email
field-zulip-bot_email-help = The bot's email address, e.g. alerts-bot@example.zulipchat.com (Personal settings → Bots).
field-zulip-stream = Channel
field-zulip-stream-help = The channel (stream) to post to, e.g. ops. Give this or users.
field-zulip-topic-help = The topic within the channel (at most 60 characters). Empty: each event's title.
field-zulip-users-help = Send a direct message to these users instead of a channel: their emails, comma-separated.
field-zulip-api_key-help = The bot's API key.
field-signal-server = signal-cli-rest-api URL
field-signal-server-help = Where signal-cli-rest-api listens, e.g. http://signal-api:8080.
field-signal-from_number-help = The number registered with signal-cli, in international form, e.g. +4912345678.
field-signal-recipients-help = Phone numbers (+4967890…) and group ids (group.…), comma-separated. Empty: a note to the sender's own number.
field-signal-username-help = For a reverse proxy in front of the API that asks for Basic auth.
field-signal-password-help = The Basic auth password of the reverse proxy.
field-pushbullet-device_iden = Device
field-pushbullet-device_iden-help = The iden of one of your devices; with no device, channel or email, every device gets the push.
field-pushbullet-channel_tag = Channel tag
field-pushbullet-channel_tag-help = The tag of a channel you own, to push to its subscribers (instead of a device or email).
field-pushbullet-email-help = Push to the Pushbullet user with this email address (instead of a device or channel).
field-pushbullet-api_base-help = Pushbullet's API, https://api.pushbullet.com unless you go through a proxy.
field-pushbullet-access_token-help = An access token from Pushbullet's Settings → Account page (o.…).
field-twilio-account_sid = Account SID
field-twilio-account_sid-help = Your Account SID from the Twilio Console: AC followed by 32 hexadecimal characters.
field-twilio-auth_token-help = The account's Auth Token, or the secret of the API key named below.
field-twilio-api_key_sid = API key SID
field-twilio-api_key_sid-help = Optional: log in with this API key (SK…) instead of the Account SID; the auth token is then the key's secret.
field-twilio-from-help = Your Twilio number in international form (+15551234567), a 5–6 digit short code, or a Messaging Service SID (MG…). Prefix whatsapp: to send through WhatsApp.
field-twilio-to-help = The one phone number this channel texts, in international form (+15557654321); prefix whatsapp: for WhatsApp. To reach several people, make a channel for each.
field-twilio-api_base-help = Send to this base URL instead of https://api.twilio.com (a proxy, a test receiver); /2010-04-01/Accounts/{"{"}AccountSid{"}"}/Messages.json is appended.
