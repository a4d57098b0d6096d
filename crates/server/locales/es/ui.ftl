# Interfaz web de Tocsin — español

## Layout
nav-skip = Ir al contenido
nav-label = Menú principal
nav-channels = Canales
nav-rules = Reglas
nav-deliveries = Entregas
nav-events = Eventos
nav-explain = Explicar
nav-quiet-hours = Horas de silencio
nav-threshold-tokens = Tokens de umbral
nav-api-tokens = Tokens de API
nav-preferences = Preferencias
lang-label = Idioma
signed-in-as = Sesión iniciada como
sign-out = Cerrar sesión

## Sign-in
login-title = Iniciar sesión
login-intro = Pegue un token de API. El primer arranque del servidor mostró un token de administrador; TOCSIN_ADMIN_TOKEN también sirve.
login-token = Token de API
login-token-help = El token se comprueba y nunca se guarda en el navegador; una cookie de sesión lo representa.
login-submit = Iniciar sesión
login-refused = Este token no es válido. Compruébelo e inténtelo de nuevo.
login-expired = El formulario de inicio de sesión caducó. Inténtelo de nuevo.

## Common
save = Guardar
cancel = Cancelar
continue = Continuar
edit = Editar
delete = Eliminar
delete-confirm = Sí, eliminar
delete-named = Eliminar { $name }
required = obligatorio
secret = secreto
secret-set = configurado
secret-keep = Configurado — déjelo vacío para conservarlo
secret-keep-reference = Déjelo vacío para conservar la referencia
secret-from-env = de la variable de entorno { $name }
secret-from-file = del archivo { $path }
on = Activado
off = Desactivado
never = Nunca
any = Cualquiera
filter = Filtrar
search = Buscar
see-all = Ver todo
test = Probar
retry = Reintentar
all-events = Todos los eventos
key = Clave
copy = Copiar
copied = Copiado

## Messages after a form
done-saved = Guardado.
done-created = Creado.
done-deleted = Eliminado.
done-enabled = Activado.
done-disabled = Desactivado.
done-retried = La entrega vuelve a estar en cola.
done-retried-all = Todas las entregas fallidas vuelven a estar en cola.
done-revoked = El token está revocado.

## Errors
error-title = Algo salió mal
error-back = Volver al panel
error-not-found = Esta página no existe, o lo que mostraba se eliminó.
error-internal = El servidor no pudo hacerlo. Su registro tiene los detalles.
error-csrf = Este formulario caducó o no procede de este sitio. Recargue la página e inténtelo de nuevo.
error-too-large = El formulario es demasiado grande.
error-required = Este campo es obligatorio.
error-number = Escriba un número.
error-scope-needed = A su token le falta el permiso { $scope }, que esto necesita.
error-scope-grant = A su token le falta el permiso { $scope }, así que no puede concederlo.
error-time-zone = Elija una zona horaria de la lista.

## Time
ago-now = ahora mismo
ago-minutes = { $n ->
    [one] hace { $n } minuto
   *[other] hace { $n } minutos
}
ago-hours = { $n ->
    [one] hace { $n } hora
   *[other] hace { $n } horas
}
ago-days = { $n ->
    [one] hace { $n } día
   *[other] hace { $n } días
}
period-any = Cualquier momento
period-1h = Última hora
period-24h = Últimas 24 horas
period-7d = Últimos 7 días

## Columns
col-name = Nombre
col-enabled = Activo
col-last-delivery = Última entrega
col-failures = Fallos
col-actions = Acciones
col-status = Estado
col-channel = Canal
col-channels = Canales
col-event = Evento
col-events = Eventos
col-event-type = Tipo de evento
col-attempts = Intentos
col-time = Hora
col-last-error = Último error
col-error = Error
col-created = Creado
col-next-attempt = Próximo intento
col-id = ID
col-message = Mensaje
col-occurred = Ocurrido
col-received = Recibido
col-state = Estado
col-data = Datos
col-tenant = Inquilino
col-tokens = Tokens
col-scopes = Permisos
col-last-used = Último uso

## Statuses and severities
status-pending = Pendiente
status-sending = Enviando
status-delivered = Entregado
status-retrying = Reintentando
status-failed = Fallido
severity-ok = OK
severity-info = Info
severity-warning = Advertencia
severity-critical = Crítico

## Channels
channels-title = Canales
channels-add = Añadir canal
channels-empty = Aún no hay canales. Añada uno para empezar a recibir notificaciones.
channels-count = { $n ->
    [one] { $n } canal
   *[other] { $n } canales
}
channel-toggle = Activar o desactivar { $name }
channel-new-title = Nuevo canal de { $kind }
count-failures = { $n ->
    [one] { $n } fallo
   *[other] { $n } fallos
}
kinds-pick = Elija un servicio
kinds-by-url = O pegue una URL
field-name = Nombre
field-url = URL del canal
field-url-help = Una URL de servicio como slack://…, ntfys://host/tema o la dirección https:// de un webhook.
field-map-help = Uno por línea, como Nombre: valor.
field-enabled = Activo
field-signing-secret = Secreto de firma
section-connection = Conexión
section-events = Eventos
section-filters = Filtros
section-delivery = Entrega
events-help = Los eventos de los que se informa a este canal. Los habituales vienen marcados en un canal nuevo.
field-patterns = Otros patrones de evento
field-patterns-help = Separados por comas; * coincide con cualquier parte, p. ej. deploy.* o @destructive.
filters-help = Solo eventos cuyas etiquetas tengan estos valores; déjelo vacío para aceptar cualquiera.
label-application = Aplicación
label-project = Proyecto
label-environment = Entorno
label-cluster = Clúster
label-server = Servidor
label-customer = Cliente
test-before-saving = Probar antes de guardar
test-ok = El mensaje de prueba se entregó.
test-failed = El mensaje de prueba no se entregó.
recent-deliveries = Entregas recientes
created-secret-intro = El canal { $name } firma cada petición. Entregue este secreto al receptor para que compruebe las firmas.
created-secret-once = Cópielo ahora: solo se muestra una vez.
delete-channel-title = ¿Eliminar { $name }?
delete-channel-warning = Se eliminan el canal, su suscripción propia y su registro de entregas. Las reglas que lo nombran dejan de alcanzarlo.

## Event groups
group-deploy = Despliegues
group-build = Compilaciones
group-service = Servicios
group-backup = Copias de seguridad
group-quota = Cuotas
group-ssl = Certificados
group-server = Servidores
group-system = Sistema
group-dns = DNS
group-mailbox = Buzones
group-audit = Acciones de administración
group-notification = Notificaciones

## Deliveries
deliveries-title = Entregas
deliveries-empty = Ninguna entrega coincide.
delivery-title = Entrega
retry-all-failed = Reintentar todas las fallidas
attempts-count = { $n ->
    [one] { $n } intento
   *[other] { $n } intentos
}
attempts-none = Aún no hay intentos.
response-excerpt = Respuesta

## Events
events-title = Eventos
events-empty = Ningún evento coincide.
events-search-placeholder = Título, mensaje, tipo o etiqueta
event-no-deliveries = No se notificó este evento a ningún canal.
explain-this = Explicar el enrutamiento

## Rules
rules-title = Reglas
rules-add = Añadir regla
rules-intro = Una regla envía los eventos que coinciden a varios canales. La suscripción propia de cada canal se edita en el canal.
rules-empty = Aún no hay reglas.
rule-events-help = No marque nada ni escriba patrones para aceptar todos los tipos de evento.
field-matchers = Condiciones de etiquetas
field-matchers-help = Una por línea: environment=production, application=~api-.*, environment!=staging.
field-min-severity = Gravedad mínima
rule-no-channels = Aún no hay ningún canal.
rule-no-windows = No hay horas de silencio definidas.
field-digest = Ventana de resumen
field-digest-help = Reunir los eventos durante este tiempo y enviar un resumen (30s a 1d). Vacío: enviar cada evento.
field-repeat = Intervalo de repetición
field-repeat-help = Mientras un estado vigilado siga mal, volver a notificar tras este tiempo (1m a 30d).
field-template = Plantilla
field-template-help = Para canales webhook: un nombre de plantilla (generic, slack, discord, teams, n8n) o el texto de una plantilla.
delete-rule-warning = Se elimina la regla; sus canales se conservan.

## Explain
explain-title = Explicar el enrutamiento
explain-intro = Pegue un evento, o elija uno reciente, para ver qué canales lo recibirían y por qué los demás no. No se guarda ni se envía nada.
explain-pick = Evento reciente
explain-load = Cargar
explain-event = Evento (JSON, tal como se envía a la API)
explain-run = Explicar
explain-bad-json = Esto no es un JSON de evento válido
explain-receives = { $n ->
    [one] { $n } canal lo recibiría
   *[other] { $n } canales lo recibirían
}
explain-skipped = Canales que no lo recibirían
explain-rules = Reglas
explain-matched = coincide
explain-held-until = retenido hasta

## Quiet hours
quiet-intro = Franjas semanales en una zona horaria durante las que las reglas que las nombran guardan silencio.
quiet-empty = Aún no hay horas de silencio.
quiet-add = Añadir horas de silencio
field-time-zone = Zona horaria
field-days = Días
field-start = Desde
field-end = Hasta
day-mon = lun
day-tue = mar
day-wed = mié
day-thu = jue
day-fri = vie
day-sat = sáb
day-sun = dom

## Threshold tokens
tokens-intro = El agente de métricas de Dokploy informa de CPU y memoria con un token por servidor; Tocsin avisa cuando se cruza un umbral.
tokens-empty = Aún no hay tokens de umbral.
tokens-add = Nuevo token de umbral
tokens-create = Crear token
tokens-created = Token para { $server } creado.
tokens-token = Token
field-server = Servidor
field-margin = Margen de recuperación (puntos)
field-cool-off = Tiempo de espera

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = Adónde se envía la petición, p. ej. https://example.com/hooks/tocsin. Se guarda cifrada y se muestra con los valores de la consulta y las partes que parecen tokens como ***; deja la URL mostrada para conservar la guardada.
field-webhook-method = Método
field-webhook-method-help = El método HTTP.
field-webhook-headers = Cabeceras
field-webhook-headers-help = Cabeceras adicionales de la petición, una «Nombre: valor» por línea. Los valores se guardan cifrados y se muestran como «set»; deja «set» para conservar un valor.
field-webhook-template = Plantilla
field-webhook-template-help = Una plantilla predefinida (generic, slack, discord, teams, n8n, ringcentral, dokploy) o una plantilla MiniJinja; funcionan los marcadores ${"{"}name{"}"} y {"{"}{"{"} name {"}"}{"}"}.
field-webhook-content_type = Tipo de contenido
field-webhook-content_type-help = El tipo de medio del cuerpo. Con un tipo JSON, Tocsin comprueba que el cuerpo generado sea JSON válido.
field-webhook-signing_secret = Secreto de firma
field-webhook-signing_secret-help = Clave whsec_… para las cabeceras webhook-signature y X-Signature-256; se genera si se deja vacía.
event-deploy-started = Comenzó un despliegue.
event-deploy-success = Un despliegue terminó y la nueva versión está en marcha.
event-deploy-failure = Un despliegue falló; puede que siga en marcha la versión anterior.
event-deploy-cancelled = Un despliegue se canceló antes de terminar.
event-build-triggered = Se puso en cola una compilación, por un push, un webhook o a mano.
event-build-success = Una compilación terminó y produjo una imagen o un artefacto.
event-build-failure = Una compilación falló.
event-service-health-down = Falló una comprobación de salud: el servicio no responde o responde con errores.
event-service-health-recovered = Una comprobación de salud que fallaba vuelve a pasar.
event-service-started = Se inició un servicio o contenedor.
event-service-stopped = Se detuvo un servicio o contenedor.
event-backup-success = Terminó una copia de seguridad (base de datos o volumen; véase la etiqueta backup_type).
event-backup-failure = Falló una copia de seguridad (base de datos o volumen; véase la etiqueta backup_type).
event-quota-warning = Un cliente o recurso está cerca de una cuota.
event-quota-exceeded = Un cliente o recurso superó una cuota.
event-ssl-expiring = Un certificado TLS caduca pronto (o no se pudo renovar).
event-server-threshold = El uso de CPU o memoria de un servidor cruzó su umbral o volvió por debajo.
event-system-restart = El sistema de gestión (panel, agente) se reinició.
event-system-cleanup = Se ejecutó una limpieza programada (imágenes, cachés de compilación, registros antiguos).
event-dns-health_alert = Los registros DNS de un dominio son incorrectos o faltan (MX, SPF, DKIM, DMARC, A).
event-dns-health_recovered = Los registros DNS de un dominio vuelven a ser correctos.
event-mailbox-quota_alert = Un buzón está cerca de su cuota de almacenamiento o la supera.
event-mailbox-quota_recovered = Un buzón vuelve a estar por debajo de su cuota.
event-mailbox-send_limit_alert = Un buzón alcanzó su límite de envío; el correo adicional se retiene o se rechaza.
event-mailbox-send_limit_recovered = Un buzón puede volver a enviar.
event-audit-domain-create = Un administrador añadió un dominio.
event-audit-domain-delete = Un administrador eliminó un dominio.
event-audit-mailbox-create = Un administrador creó un buzón.
event-audit-mailbox-delete = Un administrador eliminó un buzón y su correo.
event-audit-user-create = Un administrador creó un usuario.
event-audit-user-delete = Un administrador eliminó un usuario.
event-audit-user-role_update = Un administrador cambió el rol o los permisos de un usuario.
event-audit-application-delete = Un administrador eliminó una aplicación.
event-audit-project-delete = Un administrador eliminó un proyecto y su contenido.
event-audit-database-delete = Un administrador eliminó una base de datos.
event-audit-backup-delete = Un administrador eliminó una copia de seguridad.
event-audit-token-create = Un administrador creó un token de API.
event-audit-token-revoke = Un administrador revocó un token de API.
event-audit-settings-update = Un administrador cambió un ajuste.
event-audit-settings-admin_password_update = Se cambió la contraseña de administrador.
event-audit-settings-two_factor_disable = Se desactivó la autenticación de dos factores de una cuenta.
event-audit-channel-created = Tocsin: se creó un canal (lo emite el propio Tocsin; data contiene quién actuó y el canal).
event-audit-channel-updated = Tocsin: se cambió un canal.
event-audit-channel-deleted = Tocsin: se eliminó un canal junto con su registro de entregas.
event-audit-rule-created = Tocsin: se creó una regla.
event-audit-rule-updated = Tocsin: se cambió una regla.
event-audit-rule-deleted = Tocsin: se eliminó una regla.
event-audit-token-created = Tocsin: se creó un token de API.
event-audit-token-revoked = Tocsin: se revocó un token de API.
event-audit-mute_window-created = Tocsin: se crearon horas de silencio.
event-audit-mute_window-updated = Tocsin: se cambiaron unas horas de silencio.
event-audit-mute_window-deleted = Tocsin: se eliminaron unas horas de silencio.
event-audit-profile-created = Tocsin: se creó un perfil de remitente.
event-audit-profile-updated = Tocsin: se cambió un perfil de remitente.
event-audit-profile-deleted = Tocsin: se eliminó un perfil de remitente.
event-audit-metrics_token-created = Tocsin: se creó un token de umbral.
event-audit-metrics_token-deleted = Tocsin: se eliminó un token de umbral.
event-audit-delivery-retried = Tocsin: una entrega fallida se reintentó a mano.

## Channel kinds
kind-webhook-description = Cualquier endpoint HTTP, con un cuerpo JSON de una plantilla predefinida o propia, firmado según Standard Webhooks.
kind-slack-description = Un canal de Slack, mediante un webhook entrante.
kind-discord-description = Un webhook de canal de Discord: un embed por evento, coloreado según la gravedad.
kind-telegram-description = Un chat, grupo, canal o tema de foro de Telegram, mediante un bot.
kind-email-description = Correo a través de un servidor SMTP: una parte de texto y otra HTML por evento.
kind-resend-description = Correo mediante la API de Resend.
kind-ses-description = Correo mediante Amazon Simple Email Service (SES v2).
kind-gotify-description = Mensajes push a través de su propio servidor Gotify.
kind-ntfy-description = Publicar en un tema de ntfy.sh o de su propio servidor ntfy.
kind-teams-description = Un canal de Teams mediante un webhook de Workflows: una Adaptive Card por evento.
kind-lark-description = El bot personalizado de un grupo de Lark o Feishu: una tarjeta por evento.
kind-pushover-description = Notificaciones push a móviles y escritorios mediante Pushover.
kind-mattermost-description = Un canal de Mattermost, mediante un webhook entrante.
kind-pagerduty-description = Abre un incidente de PagerDuty y lo resuelve cuando el evento se recupera.
kind-opsgenie-description = Crea una alerta de Opsgenie por incidente y la cierra cuando el evento se recupera.
kind-googlechat-description = Un espacio de Google Chat, mediante un webhook entrante.
kind-rocketchat-description = Un canal de Rocket.Chat, mediante una integración de webhook entrante.
kind-matrix-description = Una sala de Matrix, mediante el token de acceso de una cuenta bot.
kind-webex-description = Un espacio de Webex, mediante un webhook entrante o como bot.
kind-zulip-description = Un tema de canal o un mensaje directo de Zulip, enviado por un bot.
kind-signal-description = Mensajes de Signal a personas o grupos, mediante su servidor signal-cli-rest-api.
kind-pushbullet-description = Notas push a sus dispositivos, al correo de un amigo o a un canal mediante Pushbullet.
kind-twilio-description = Cada notificación como SMS o mensaje de WhatsApp mediante Twilio.

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = Token de acceso
field-any-api_base = URL base de la API
field-any-api_key = Clave de API
field-any-api_token = Token de API
field-any-app_token = Token de aplicación
field-any-auth_token = Token de autenticación
field-any-bot_token = Token del bot
field-any-channel = Canal
field-any-chat_id = ID del chat
field-any-content_type = Tipo de contenido
field-any-details = Detalles
field-any-email = Correo
field-any-from = Remitente
field-any-from_number = Número remitente
field-any-group = Grupo
field-any-headers = Cabeceras
field-any-host = Servidor SMTP
field-any-icon_emoji = Emoji del remitente
field-any-icon_url = URL del icono
field-any-link = Enlace
field-any-message_thread_id = ID del tema
field-any-method = Método
field-any-password = Contraseña
field-any-port = Puerto
field-any-priority = Prioridad
field-any-profile = Perfil de remitente
field-any-recipients = Destinatarios
field-any-region = Región
field-any-reply_to = Responder a
field-any-room_id = ID de la sala
field-any-security = Seguridad
field-any-server_url = URL del servidor
field-any-signing_secret = Secreto de firma
field-any-silent = Silencioso
field-any-sound = Sonido
field-any-subject_prefix = Prefijo del asunto
field-any-tags = Etiquetas
field-any-template = Plantilla
field-any-thread_id = ID del hilo
field-any-to = Para
field-any-topic = Tema
field-any-url = URL
field-any-user_key = Clave de usuario
field-any-username = Nombre
field-any-users = Usuarios
field-any-webhook_url = URL del webhook

## API tokens and tenants
api-tokens-intro = Los tokens de API inician sesión en este panel y llaman a la API. Tocsin guarda solo un hash de cada token: un token se muestra una vez, al crearlo.
api-tokens-list = Tokens
api-tokens-empty = No gestiona ningún token.
api-tokens-count = { $n ->
    [one] { $n } token
   *[other] { $n } tokens
}
api-tokens-add = Nuevo token de API
api-tokens-create = Crear token
api-tokens-created = Token { $name } creado.
api-tokens-secret = El nuevo token
api-tokens-copy-hint = Cópielo ahora y guárdelo en un lugar seguro: se muestra solo esta vez y no se puede volver a leer.
api-tokens-tenant-help = Déjelo vacío para un token que actúa para todos los inquilinos; el token de un inquilino solo ve los canales, reglas y eventos de ese inquilino.
api-tokens-revoke = Revocar
api-tokens-revoke-named = Revocar { $name }
api-tokens-revoke-title = ¿Revocar { $name }?
api-tokens-revoke-warning = El token deja de funcionar de inmediato, para la API y para cada sesión iniciada con él. No se puede deshacer.
api-tokens-revoke-own = Es el token con el que ha iniciado sesión: al revocarlo, se cerrará su sesión.
api-tokens-revoke-confirm = Sí, revocar
api-tokens-forbidden = Su token no puede gestionar tokens de API: necesita el permiso tokens:write.
tenants-title = Inquilinos
tenants-own = Actúa para el inquilino { $tenant } y solo ve sus objetos.
tenants-global = Actúa para todos los inquilinos.
tenants-none = Todavía ningún canal, regla o token pertenece a un inquilino.
tenant-global = todos los inquilinos
scope-admin = todo, incluida la configuración del servidor
scope-channels-read = leer canales
scope-channels-write = crear, cambiar, probar y eliminar canales
scope-rules-read = leer reglas
scope-rules-write = crear, cambiar y eliminar reglas
scope-events-write = enviar eventos
scope-deliveries-read = leer eventos y entregas
scope-deliveries-write = reintentar entregas
scope-tokens-write = crear, listar y revocar tokens

## Preferences
preferences-intro = Cómo muestra este navegador el panel. Ambas opciones se guardan en cookies.
preferences-tz-help = Las fechas y horas se muestran en esta zona.
preferences-sample = Ahora:

## Each kind's own field labels and help texts (field-<kind>-<name>, field-<kind>-<name>-help)
field-slack-webhook_url-help = La URL del webhook entrante, https://hooks.slack.com/services/T…/B…/…; quien la tenga puede publicar.
field-slack-channel-help = Publicar en este canal (#nombre) o a este usuario (@nombre) en lugar del propio del webhook. Solo los webhooks antiguos lo respetan; el webhook de una app de Slack publica siempre donde se instaló.
field-slack-username = Nombre del remitente
field-slack-username-help = El nombre que se muestra como remitente; vacío: el de Tocsin. El webhook de una app de Slack muestra en su lugar el nombre de la app.
field-slack-icon_url = URL del icono del remitente
field-slack-icon_url-help = La imagen junto al remitente; vacío: el icono de Tocsin. El webhook de una app de Slack muestra en su lugar el icono de la app.
field-slack-icon_emoji-help = Un emoji como imagen del remitente en lugar de un icono, p. ej. :rotating_light:.
field-discord-webhook_url-help = En Integraciones → Webhooks del canal, p. ej. https://discord.com/api/webhooks/123456789012345678/abcDEF…
field-discord-thread_id-help = Publicar en este hilo del canal del webhook (los canales de foro lo necesitan).
field-discord-username = Nombre de usuario
field-discord-username-help = El nombre del remitente en lugar del de Tocsin (80 caracteres como máximo; Discord rechaza nombres que contengan «discord» o «clyde»).
field-discord-icon_url = URL del avatar
field-discord-icon_url-help = El avatar del remitente en lugar del icono de Tocsin.
field-discord-decoration = Decoración
field-discord-decoration-help = Empezar el título con un emoji de color según la gravedad.
field-discord-silent-help = Publicar sin notificación push (el indicador SUPPRESS_NOTIFICATIONS de Discord).
field-telegram-chat_id-help = Un id de chat numérico (los grupos y canales son como -1001234567890) o el @usuario de un canal público. El bot debe ser miembro.
field-telegram-message_thread_id-help = Publicar en este tema de foro de un supergrupo (message_thread_id).
field-telegram-silent-help = Entregar sin sonido de notificación.
field-telegram-api_base-help = El servidor de la Bot API; por defecto https://api.telegram.org. Indíquelo para un servidor Bot API local o un proxy.
field-telegram-bot_token-help = El token que @BotFather dio al bot, como 123456789:AAE…
field-email-profile-help = El id de un perfil de remitente con el que enviar; déjelo vacío para indicar aquí los campos del remitente o usar el perfil predeterminado de este tipo.
field-email-host-help = El nombre de host o la dirección IP del servidor, como smtp.example.com (sin puerto).
field-email-port-help = Vacío: 587 con STARTTLS, 465 con TLS, 25 sin cifrado.
field-email-security-help = starttls: cifrar la conexión en el puerto de envío (587) y rechazar un servidor que no pueda; tls: cifrado desde el inicio (465); none: sin cifrado, solo para servidores de su red privada que el operador haya permitido.
field-email-username = Nombre de usuario
field-email-username-help = El inicio de sesión en el servidor, a menudo la dirección completa; déjelo vacío para un servidor que acepta correo sin él.
field-email-from-help = El remitente, como alerts@example.com o Alerts <alerts@example.com>; una dirección sola se muestra con el nombre de Tocsin.
field-email-to-help = Uno o más destinatarios, separados por comas.
field-email-cc = CC
field-email-cc-help = Destinatarios en copia, separados por comas.
field-email-bcc = CCO
field-email-bcc-help = Destinatarios ocultos, separados por comas.
field-email-reply_to-help = A dónde van las respuestas, si no es al remitente.
field-email-subject_prefix-help = Se antepone a cada asunto, como [prod].
field-email-password-help = La contraseña (o contraseña de aplicación) del usuario.
field-resend-profile-help = El id de un perfil de remitente con el que enviar; déjelo vacío para indicar aquí los campos del remitente o usar el perfil predeterminado de este tipo.
field-resend-from-help = El remitente, en un dominio verificado en Resend, como alerts@example.com o Alerts <alerts@example.com>; una dirección sola se muestra con el nombre de Tocsin.
field-resend-to-help = De uno a 50 destinatarios, separados por comas.
field-resend-cc = CC
field-resend-cc-help = Destinatarios en copia, separados por comas.
field-resend-bcc = CCO
field-resend-bcc-help = Destinatarios ocultos, separados por comas.
field-resend-reply_to-help = A dónde van las respuestas, si no es al remitente; varias separadas por comas.
field-resend-subject_prefix-help = Se antepone a cada asunto, como [prod].
field-resend-api_base-help = La API de Resend, https://api.resend.com salvo que pase por un proxy.
field-resend-api_key-help = Una clave de API (re_…) de resend.com/api-keys con al menos acceso de envío.
field-ses-profile-help = El id de un perfil de remitente con el que enviar; déjelo vacío para indicar aquí los campos del remitente o usar el perfil predeterminado de este tipo.
field-ses-region-help = La región de AWS donde está verificada la identidad de envío, p. ej. eu-west-1 o us-east-1.
field-ses-access_key_id = ID de clave de acceso
field-ses-access_key_id-help = El ID de clave de acceso (AKIA…) de un usuario de IAM autorizado a llamar a ses:SendEmail.
field-ses-from-help = El remitente: una dirección o dominio verificado en SES, como alerts@example.com u Ops <alerts@example.com>.
field-ses-to-help = Destinatarios, separados por comas. Como máximo 50 con CC y CCO; mientras la cuenta esté en el sandbox de SES, solo direcciones verificadas.
field-ses-cc = CC
field-ses-cc-help = Destinatarios en copia, separados por comas.
field-ses-bcc = CCO
field-ses-bcc-help = Destinatarios en copia oculta, separados por comas.
field-ses-reply_to-help = A dónde van las respuestas, separadas por comas; vacío: el remitente.
field-ses-configuration_set = Conjunto de configuración
field-ses-configuration_set-help = Enviar mediante este conjunto de configuración de SES (publicación de eventos, IP dedicadas).
field-ses-api_base-help = El endpoint de SES; por defecto https://email.{"{"}region{"}"}.amazonaws.com. Indíquelo para un endpoint FIPS o VPC, un proxy o un emulador local de SES.
field-ses-secret_access_key = Clave de acceso secreta
field-ses-secret_access_key-help = La clave de acceso secreta que corresponde al ID de clave de acceso.
field-gotify-server_url-help = Su servidor Gotify, p. ej. https://gotify.example.com (con su ruta si se sirve bajo una).
field-gotify-priority-help = Prioridad de un mensaje ordinario, de 0 a 10. Los avisos suben al menos a 7 y las alertas críticas al menos a 8.
field-gotify-decoration = Decoración
field-gotify-decoration-help = Empezar cada título con un emoji según la gravedad: 🚨 crítica, ⚠️ aviso, ℹ️ información, ✅ recuperado.
field-gotify-app_token-help = El token de una aplicación de Gotify (Apps → crear aplicación).
field-ntfy-server_url-help = El servidor ntfy, p. ej. https://ntfy.example.com; vacío: ntfy.sh.
field-ntfy-topic-help = El tema en el que publicar: de 1 a 64 letras, dígitos, `-` o `_`. Sin control de acceso, cualquiera que lo conozca puede leerlo.
field-ntfy-priority-help = Prioridad de un mensaje ordinario, de 1 (mín.) a 5 (máx.). Los avisos suben al menos a 4 (alta) y las alertas críticas a 5.
field-ntfy-tags-help = Etiquetas adicionales, separadas por comas, p. ej. `backup,eu-1`; los códigos cortos de emoji como `warning` se muestran como iconos.
field-ntfy-click = URL al pulsar
field-ntfy-click-help = A dónde lleva pulsar la notificación; vacío: el enlace del propio evento.
field-ntfy-icon_url-help = Un JPEG o PNG junto a la notificación; vacío: el icono de Tocsin.
field-ntfy-username-help = Para un servidor que pide usuario y contraseña (con secrets.password); déjelo vacío si usa un token de acceso.
field-ntfy-access_token-help = Un token (tk_…) de la página de la cuenta de ntfy, para temas protegidos.
field-ntfy-password-help = La contraseña de settings.username.
field-teams-webhook_url = URL del flujo de trabajo
field-teams-webhook_url-help = La URL de un flujo de trabajo de Teams iniciado por «Cuando se recibe una solicitud de webhook de Teams», p. ej. https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01&sp=…&sv=1.0&sig=…; también sirve una URL de conector antigua https://….webhook.office.com/webhookb2/….
field-lark-webhook_url-help = El webhook del bot personalizado, p. ej. https://open.larksuite.com/open-apis/bot/v2/hook/… (Lark) o https://open.feishu.cn/open-apis/bot/v2/hook/… (Feishu).
field-lark-signing_secret-help = Solo si la configuración de seguridad del bot tiene activada la verificación de firma: el secreto que se muestra allí. Si no, déjelo vacío.
field-pushover-priority-help = Prioridad de un mensaje ordinario: -2 (ninguna), -1 (silenciosa), 0 (normal), 1 (alta) o 2 (emergencia, repetida hasta que se confirme; necesita retry y expire). Las alertas críticas suben al menos a 1; las recuperaciones se envían como máximo con 0.
field-pushover-retry = Repetir cada (segundos)
field-pushover-retry-help = Para prioridad 2: cada cuánto repite Pushover la alerta hasta que alguien la confirme, al menos 30 segundos.
field-pushover-expire = Parar tras (segundos)
field-pushover-expire-help = Para prioridad 2: cuándo deja Pushover de repetir una alerta sin confirmar, de 1 a 10800 segundos.
field-pushover-sound-help = Un nombre de sonido de Pushover como pushover, siren o none; vacío: el predeterminado del usuario.
field-pushover-device = Dispositivos
field-pushover-device-help = Enviar solo a estos dispositivos del usuario, separados por comas; vacío: a todos.
field-pushover-api_base-help = La API de Pushover, https://api.pushover.net salvo que pase por un proxy.
field-pushover-user_key-help = Su clave de usuario (o una clave de grupo) del panel de Pushover.
field-pushover-api_token-help = El token de API de una aplicación de Pushover que creó para Tocsin.
field-mattermost-webhook_url-help = La URL del webhook entrante, https://chat.example.com/hooks/…; quien la tenga puede publicar.
field-mattermost-channel-help = Publicar en este canal (su nombre, p. ej. town-square) o a este usuario (@nombre) en lugar del propio del webhook. Un webhook bloqueado a su canal lo rechaza.
field-mattermost-username = Nombre del remitente
field-mattermost-username-help = El nombre que se muestra como remitente; vacío: el de Tocsin. Solo se ve si el servidor permite a las integraciones cambiar los nombres de usuario.
field-mattermost-icon_url = URL del icono del remitente
field-mattermost-icon_url-help = La imagen junto al remitente; vacío: el icono de Tocsin. Solo se ve si el servidor permite a las integraciones cambiar las fotos de perfil.
field-mattermost-icon_emoji-help = Un emoji como imagen del remitente en lugar de un icono, p. ej. rotating_light.
field-pagerduty-routing_key = Clave de integración
field-pagerduty-routing_key-help = La clave de integración de 32 caracteres de una integración «Events API v2» (Service → Integrations), también llamada clave de enrutamiento.
field-pagerduty-region-help = Dónde está la cuenta de PagerDuty: us (events.pagerduty.com) o eu (events.eu.pagerduty.com). Se ignora si se indica una URL base de la API.
field-pagerduty-api_base-help = Enviar a esta URL base en lugar del host de la Events API de la región (un proxy, un receptor de pruebas); se añade /v2/enqueue.
field-pagerduty-source = Origen
field-pagerduty-source-help = payload.source: el sistema afectado, p. ej. un nombre de host. Vacío: la etiqueta host, server, instance o application del evento.
field-pagerduty-component = Componente
field-pagerduty-component-help = payload.component. Vacío: la etiqueta component, service o application del evento.
field-pagerduty-group-help = payload.group. Vacío: la etiqueta group, project, cluster o environment del evento.
field-pagerduty-class = Clase
field-pagerduty-class-help = payload.class. Vacío: el tipo de evento, p. ej. deploy.failure.
field-pagerduty-link-help = Un enlace añadido a cada incidente (un runbook, un panel), además del enlace del propio evento.
field-pagerduty-details = Detalles personalizados
field-pagerduty-details-help = Entradas adicionales para payload.custom_details, p. ej. {"{"}"team": "ops"{"}"}.
field-opsgenie-api_key-help = La clave de API de una integración «API» de Opsgenie (Settings → Integrations), enviada como `Authorization: GenieKey …`.
field-opsgenie-region-help = Dónde está la cuenta de Opsgenie: us (api.opsgenie.com) o eu (api.eu.opsgenie.com). Se ignora si se indica una URL base de la API.
field-opsgenie-api_base-help = Enviar a esta URL base en lugar del host de la API de la región (un proxy, un receptor de pruebas); se añade /v2/alerts.
field-opsgenie-priority-help = La misma prioridad para todas las alertas. Vacío: según la gravedad del evento (critical → P1, warning → P3, info → P5).
field-opsgenie-responders = Responsables
field-opsgenie-responders-help = A quién avisar además del equipo de la integración, separados por comas: @user (nombre o id), #team, *schedule, ^escalation; un nombre solo es un usuario. P. ej. #Ops Team, @jane@example.com
field-opsgenie-tags-help = Etiquetas para todas las alertas, separadas por comas, p. ej. tocsin, production. Se añade la gravedad del evento.
field-opsgenie-entity = Entidad
field-opsgenie-entity-help = La entidad de la alerta (el ámbito al que se refiere). Vacío: la etiqueta application del evento.
field-opsgenie-details-help = Propiedades personalizadas adicionales para todas las alertas, p. ej. {"{"}"team": "ops"{"}"}.
field-googlechat-webhook_url-help = La URL del webhook del espacio, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Aplicaciones e integraciones → Webhooks); quien la tenga puede publicar.
field-googlechat-thread_key = Hilo
field-googlechat-thread_key-help = Publicar todos los mensajes en este hilo (cualquier texto que lo nombre), en lugar de cada uno en su propio hilo.
field-googlechat-incident_threads = Un hilo por incidente
field-googlechat-incident_threads-help = Publicar una alerta y la recuperación que la resuelve (la misma state_key, o la misma familia de tipos y etiquetas) en un mismo hilo.
field-rocketchat-webhook_url-help = La URL de la integración de webhook entrante, https://chat.example.com/hooks/…/…; quien la tenga puede publicar.
field-rocketchat-channel-help = Publicar en este canal (#nombre) o a este usuario (@nombre) en lugar del propio de la integración, si la integración lo permite.
field-rocketchat-username = Nombre del remitente
field-rocketchat-username-help = El nombre que se muestra como remitente (el alias de Rocket.Chat); vacío: el de Tocsin.
field-rocketchat-icon_url = URL del icono del remitente
field-rocketchat-icon_url-help = La imagen junto al remitente (el avatar de Rocket.Chat); vacío: el icono de Tocsin.
field-rocketchat-icon_emoji-help = Un emoji como imagen del remitente en lugar de un icono, p. ej. :rotating_light:.
field-matrix-homeserver = URL del servidor doméstico
field-matrix-homeserver-help = La base de la API de cliente de su servidor doméstico, p. ej. https://matrix.example.org.
field-matrix-room_id-help = El id interno de la sala, como !abcdefg:example.org (Ajustes de la sala → Avanzado). No se aceptan alias (#sala:example.org). La cuenta debe haberse unido a la sala.
field-matrix-msgtype = Tipo de mensaje
field-matrix-msgtype-help = notice (la convención para bots; los clientes avisan con menos insistencia) o text.
field-matrix-access_token-help = El token de acceso de la cuenta que publica (syt_… en Synapse).
field-webex-webhook_url-help = De la app Incoming Webhooks, p. ej. https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz…; déjelo vacío para publicar como bot.
field-webex-bot_token = Token de acceso del bot
field-webex-bot_token-help = Para publicar como bot en lugar de con un webhook: el token de acceso del bot de developer.webex.com (My Apps). Necesita un id de sala.
field-webex-room_id-help = Con un token de bot: el id del espacio donde publicar; el bot debe ser miembro.
field-webex-api_base-help = Con un token de bot: la URL base de la API de mensajes. Por defecto https://webexapis.com.
field-zulip-site = URL del servidor
field-zulip-site-help = Su organización de Zulip, p. ej. https://example.zulipchat.com o https://zulip.example.com.
field-zulip-bot_email = Correo del bot
field-zulip-bot_email-help = La dirección de correo del bot, p. ej. alerts-bot@example.zulipchat.com (Configuración personal → Bots).
field-zulip-stream = Canal
field-zulip-stream-help = El canal (stream) donde publicar, p. ej. ops. Indique este o users.
field-zulip-topic-help = El tema dentro del canal (60 caracteres como máximo). Vacío: el título de cada evento.
field-zulip-users-help = Enviar un mensaje directo a estos usuarios en lugar de a un canal: sus correos, separados por comas.
field-zulip-api_key-help = La clave de API del bot.
field-signal-server = URL de signal-cli-rest-api
field-signal-server-help = Dónde escucha signal-cli-rest-api, p. ej. http://signal-api:8080.
field-signal-from_number-help = El número registrado en signal-cli, en formato internacional, p. ej. +4912345678.
field-signal-recipients-help = Números de teléfono (+4967890…) e ids de grupo (group.…), separados por comas. Vacío: una nota al propio número del remitente.
field-signal-username-help = Para un proxy inverso delante de la API que pide autenticación Basic.
field-signal-password-help = La contraseña de autenticación Basic del proxy inverso.
field-pushbullet-device_iden = Dispositivo
field-pushbullet-device_iden-help = El iden de uno de sus dispositivos; sin dispositivo, canal ni correo, todos los dispositivos reciben el push.
field-pushbullet-channel_tag = Etiqueta del canal
field-pushbullet-channel_tag-help = La etiqueta de un canal suyo, para enviar a sus suscriptores (en lugar de a un dispositivo o correo).
field-pushbullet-email-help = Enviar al usuario de Pushbullet con esta dirección de correo (en lugar de a un dispositivo o canal).
field-pushbullet-api_base-help = La API de Pushbullet, https://api.pushbullet.com salvo que pase por un proxy.
field-pushbullet-access_token-help = Un token de acceso de la página Settings → Account de Pushbullet (o.…).
field-twilio-account_sid = Account SID
field-twilio-account_sid-help = Su Account SID de la consola de Twilio: AC seguido de 32 caracteres hexadecimales.
field-twilio-auth_token-help = El Auth Token de la cuenta, o el secreto de la clave de API indicada abajo.
field-twilio-api_key_sid = SID de la clave de API
field-twilio-api_key_sid-help = Opcional: iniciar sesión con esta clave de API (SK…) en lugar del Account SID; el Auth Token es entonces el secreto de la clave.
field-twilio-from-help = Su número de Twilio en formato internacional (+15551234567), un código corto de 5 o 6 dígitos o el SID de un Messaging Service (MG…). Anteponga whatsapp: para enviar por WhatsApp.
field-twilio-to-help = El único número de teléfono al que escribe este canal, en formato internacional (+15557654321); anteponga whatsapp: para WhatsApp. Para varias personas, cree un canal para cada una.
field-twilio-api_base-help = Enviar a esta URL base en lugar de https://api.twilio.com (un proxy, un receptor de pruebas); se añade /2010-04-01/Accounts/{"{"}AccountSid{"}"}/Messages.json.
