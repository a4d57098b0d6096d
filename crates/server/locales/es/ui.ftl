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

## Messages after a form
done-saved = Guardado.
done-created = Creado.
done-deleted = Eliminado.
done-enabled = Activado.
done-disabled = Desactivado.
done-retried = La entrega vuelve a estar en cola.
done-retried-all = Todas las entregas fallidas vuelven a estar en cola.

## Errors
error-title = Algo salió mal
error-back = Volver al panel
error-not-found = Esta página no existe, o lo que mostraba se eliminó.
error-internal = El servidor no pudo hacerlo. Su registro tiene los detalles.
error-csrf = Este formulario caducó o no procede de este sitio. Recargue la página e inténtelo de nuevo.
error-too-large = El formulario es demasiado grande.
error-required = Este campo es obligatorio.
error-number = Escriba un número.

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
field-webhook-template-help = Una plantilla predefinida (generic, slack, discord, teams, n8n, ringcentral, dokploy) o una plantilla MiniJinja.
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
