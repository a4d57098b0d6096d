# Tocsin 网页界面 — 简体中文

## Layout
nav-skip = 跳到正文
nav-label = 主菜单
nav-channels = 渠道
nav-rules = 规则
nav-deliveries = 投递
nav-events = 事件
nav-explain = 路由说明
nav-quiet-hours = 免打扰时段
nav-threshold-tokens = 阈值令牌
lang-label = 语言
signed-in-as = 当前登录
sign-out = 退出登录

## Sign-in
login-title = 登录
login-intro = 粘贴一个 API 令牌。服务器首次启动时打印过管理员令牌；TOCSIN_ADMIN_TOKEN 也可以使用。
login-token = API 令牌
login-token-help = 令牌只用于校验，不会保存在浏览器中；由会话 Cookie 代替。
login-submit = 登录
login-refused = 该令牌无效。请检查后重试。
login-expired = 登录表单已过期，请重试。

## Common
save = 保存
cancel = 取消
continue = 继续
edit = 编辑
delete = 删除
delete-confirm = 确认删除
delete-named = 删除 { $name }
required = 必填
secret = 密钥
secret-set = 已设置
secret-keep = 已设置 — 留空则保持不变
on = 开
off = 关
never = 从未
any = 全部
filter = 筛选
search = 搜索
see-all = 查看全部
test = 测试
retry = 重试
all-events = 所有事件
key = 键

## Messages after a form
done-saved = 已保存。
done-created = 已创建。
done-deleted = 已删除。
done-enabled = 已启用。
done-disabled = 已停用。
done-retried = 该投递已重新排队。
done-retried-all = 所有失败的投递已重新排队。

## Errors
error-title = 出错了
error-back = 返回控制台
error-not-found = 该页面不存在，或其内容已被删除。
error-internal = 服务器无法完成此操作。详情见服务器日志。
error-csrf = 该表单已过期或并非来自本站。请刷新页面后重试。
error-too-large = 表单过大。
error-required = 此项为必填。
error-number = 请输入数字。

## Time
ago-now = 刚刚
ago-minutes = { $n } 分钟前
ago-hours = { $n } 小时前
ago-days = { $n } 天前
period-any = 任意时间
period-1h = 最近 1 小时
period-24h = 最近 24 小时
period-7d = 最近 7 天

## Columns
col-name = 名称
col-enabled = 启用
col-last-delivery = 最近投递
col-failures = 失败
col-actions = 操作
col-status = 状态
col-channel = 渠道
col-channels = 渠道
col-event = 事件
col-events = 事件
col-event-type = 事件类型
col-attempts = 尝试次数
col-time = 时间
col-last-error = 最近错误
col-error = 错误
col-created = 创建时间
col-next-attempt = 下次尝试
col-id = ID
col-message = 消息
col-occurred = 发生时间
col-received = 接收时间
col-state = 状态
col-data = 数据

## Statuses and severities
status-pending = 等待中
status-sending = 发送中
status-delivered = 已送达
status-retrying = 重试中
status-failed = 失败
severity-ok = 正常
severity-info = 信息
severity-warning = 警告
severity-critical = 严重

## Channels
channels-title = 渠道
channels-add = 添加渠道
channels-empty = 还没有渠道。添加一个即可开始接收通知。
channels-count = { $n } 个渠道
channel-toggle = 开启或关闭 { $name }
channel-new-title = 新的 { $kind } 渠道
count-failures = { $n } 次失败
kinds-pick = 选择服务
kinds-by-url = 或粘贴 URL
field-name = 名称
field-url = 渠道 URL
field-url-help = 服务 URL，例如 slack://…、ntfys://主机/主题，或 Webhook 的 https:// 地址。
field-map-help = 每行一个，格式为“名称: 值”。
field-enabled = 启用
field-signing-secret = 签名密钥
section-connection = 连接
section-events = 事件
section-filters = 筛选条件
section-delivery = 投递
events-help = 此渠道会收到通知的事件。新渠道默认勾选常用事件。
field-patterns = 其他事件模式
field-patterns-help = 以逗号分隔；* 匹配任意部分，例如 deploy.* 或 @destructive。
filters-help = 只接收标签等于这些值的事件；留空表示全部接收。
label-application = 应用
label-project = 项目
label-environment = 环境
label-cluster = 集群
label-server = 服务器
label-customer = 客户
test-before-saving = 保存前测试
test-ok = 测试消息已送达。
test-failed = 测试消息未能送达。
recent-deliveries = 最近投递
created-secret-intro = 渠道 { $name } 会对每个请求签名。请把此密钥交给接收方，以便其校验签名。
created-secret-once = 请立即复制：它只显示这一次。
delete-channel-title = 删除 { $name }？
delete-channel-warning = 将删除该渠道、其自身订阅及其投递日志。引用它的规则将不再投递到这里。

## Event groups
group-deploy = 部署
group-build = 构建
group-service = 服务
group-backup = 备份
group-quota = 配额
group-ssl = 证书
group-server = 服务器
group-system = 系统
group-dns = DNS
group-mailbox = 邮箱
group-audit = 管理操作
group-notification = 通知

## Deliveries
deliveries-title = 投递
deliveries-empty = 没有匹配的投递。
delivery-title = 投递
retry-all-failed = 重试所有失败的投递
attempts-count = { $n } 次尝试
attempts-none = 尚无尝试。
response-excerpt = 响应

## Events
events-title = 事件
events-empty = 没有匹配的事件。
events-search-placeholder = 标题、消息、类型或标签
event-no-deliveries = 此事件没有通知任何渠道。
explain-this = 说明路由

## Rules
rules-title = 规则
rules-add = 添加规则
rules-intro = 规则会把匹配的事件发送到多个渠道。各渠道自身的订阅在渠道页面中编辑。
rules-empty = 还没有规则。
rule-events-help = 不勾选任何项且不填写模式，即匹配所有事件类型。
field-matchers = 标签条件
field-matchers-help = 每行一个：environment=production、application=~api-.*、environment!=staging。
field-min-severity = 最低严重级别
rule-no-channels = 还没有渠道。
rule-no-windows = 尚未定义免打扰时段。
field-digest = 汇总时间窗
field-digest-help = 在此时长内收集事件并发送一条汇总（30s 至 1d）。留空：逐条发送。
field-repeat = 重复通知间隔
field-repeat-help = 受监控的状态持续异常时，每隔此时长再次通知（1m 至 30d）。
field-template = 模板
field-template-help = 用于 Webhook 渠道：预设名称（generic、slack、discord、teams、n8n）或模板文本。
delete-rule-warning = 将删除该规则；其渠道保留。

## Explain
explain-title = 路由说明
explain-intro = 粘贴一个事件或选择最近的事件，查看哪些渠道会收到它，以及其他渠道为何不会收到。不会保存或发送任何内容。
explain-pick = 最近的事件
explain-load = 载入
explain-event = 事件（发送给 API 的 JSON）
explain-run = 说明
explain-bad-json = 这不是有效的事件 JSON
explain-receives = { $n } 个渠道会收到
explain-skipped = 不会收到的渠道
explain-rules = 规则
explain-matched = 匹配
explain-held-until = 暂缓至

## Quiet hours
quiet-intro = 某个时区中每周的时间段，引用它的规则在此期间保持安静。
quiet-empty = 还没有免打扰时段。
quiet-add = 添加免打扰时段
field-time-zone = 时区
field-days = 星期
field-start = 开始
field-end = 结束
day-mon = 周一
day-tue = 周二
day-wed = 周三
day-thu = 周四
day-fri = 周五
day-sat = 周六
day-sun = 周日

## Threshold tokens
tokens-intro = Dokploy 的指标代理为每台服务器使用一个令牌上报 CPU 和内存；超过阈值时 Tocsin 会发出告警。
tokens-empty = 还没有阈值令牌。
tokens-add = 新建阈值令牌
tokens-create = 创建令牌
tokens-created = 已为 { $server } 创建令牌。
tokens-token = 令牌
field-server = 服务器
field-margin = 恢复余量（百分点）
field-cool-off = 冷却时间

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = 请求发送到的地址，例如 https://example.com/hooks/tocsin。加密保存，查询参数的值和类似令牌的部分显示为 ***；保留显示的地址即保留已保存的地址。
field-webhook-method = 方法
field-webhook-method-help = HTTP 方法。
field-webhook-headers = 请求头
field-webhook-headers-help = 额外的请求头，每行一个“名称: 值”。值加密保存并显示为“set”；保留“set”即保留原值。
field-webhook-template = 模板
field-webhook-template-help = 预设（generic、slack、discord、teams、n8n、ringcentral、dokploy）或 MiniJinja 模板。
field-webhook-content_type = 内容类型
field-webhook-content_type-help = 正文的媒体类型。若为 JSON 类型，Tocsin 会检查生成的正文是否为有效 JSON。
field-webhook-signing_secret = 签名密钥
field-webhook-signing_secret-help = 用于 webhook-signature 和 X-Signature-256 请求头的 whsec_… 密钥；留空则自动生成。
event-deploy-started = 部署已开始。
event-deploy-success = 部署已完成，新版本正在运行。
event-deploy-failure = 部署失败；旧版本可能仍在运行。
event-deploy-cancelled = 部署在完成前被取消。
event-build-triggered = 构建已排队（由推送、Webhook 或手动触发）。
event-build-success = 构建完成，生成了镜像或制品。
event-build-failure = 构建失败。
event-service-health-down = 健康检查失败：服务无响应或返回错误。
event-service-health-recovered = 失败的健康检查已恢复通过。
event-service-started = 服务或容器已启动。
event-service-stopped = 服务或容器已停止。
event-backup-success = 备份已完成（数据库或卷；见标签 backup_type）。
event-backup-failure = 备份失败（数据库或卷；见标签 backup_type）。
event-quota-warning = 客户或资源即将达到配额。
event-quota-exceeded = 客户或资源已超出配额。
event-ssl-expiring = TLS 证书即将过期（或无法续期）。
event-server-threshold = 服务器的 CPU 或内存使用越过阈值，或已回落到阈值以下。
event-system-restart = 管理系统（面板、代理）已重启。
event-system-cleanup = 已运行计划清理（镜像、构建缓存、旧日志）。
event-dns-health_alert = 域名的 DNS 记录有误或缺失（MX、SPF、DKIM、DMARC、A）。
event-dns-health_recovered = 域名的 DNS 记录已恢复正确。
event-mailbox-quota_alert = 邮箱接近或超出存储配额。
event-mailbox-quota_recovered = 邮箱已回到存储配额以内。
event-mailbox-send_limit_alert = 邮箱已达到发送上限；后续邮件将被暂留或拒绝。
event-mailbox-send_limit_recovered = 邮箱可以再次发送。
event-audit-domain-create = 管理员添加了一个域名。
event-audit-domain-delete = 管理员删除了一个域名。
event-audit-mailbox-create = 管理员创建了一个邮箱。
event-audit-mailbox-delete = 管理员删除了一个邮箱及其邮件。
event-audit-user-create = 管理员创建了一个用户。
event-audit-user-delete = 管理员删除了一个用户。
event-audit-user-role_update = 管理员更改了用户的角色或权限。
event-audit-application-delete = 管理员删除了一个应用。
event-audit-project-delete = 管理员删除了一个项目及其内容。
event-audit-database-delete = 管理员删除了一个数据库。
event-audit-backup-delete = 管理员删除了一个备份。
event-audit-token-create = 管理员创建了一个 API 令牌。
event-audit-token-revoke = 管理员吊销了一个 API 令牌。
event-audit-settings-update = 管理员更改了一项设置。
event-audit-settings-admin_password_update = 管理员密码已更改。
event-audit-settings-two_factor_disable = 某账户的双因素认证已关闭。

## Channel kinds
kind-webhook-description = 任意 HTTP 端点，JSON 正文来自预设或自定义模板，按 Standard Webhooks 签名。
kind-slack-description = 通过传入 Webhook 发送到 Slack 频道。
kind-discord-description = Discord 频道 Webhook：每个事件一个按严重级别着色的嵌入消息。
kind-telegram-description = 通过机器人发送到 Telegram 聊天、群组、频道或论坛话题。
kind-email-description = 通过 SMTP 服务器发送邮件：每个事件包含纯文本和 HTML 两部分。
kind-resend-description = 通过 Resend 的 API 发送邮件。
kind-ses-description = 通过 Amazon Simple Email Service（SES v2）发送邮件。
kind-gotify-description = 通过自建 Gotify 服务器推送消息。
kind-ntfy-description = 发布到 ntfy.sh 或自建 ntfy 服务器上的主题。
kind-teams-description = 通过 Workflows Webhook 发送到 Teams 频道：每个事件一张自适应卡片。
kind-lark-description = 飞书或 Lark 群组的自定义机器人：每个事件一张卡片。
kind-pushover-description = 通过 Pushover 推送通知到手机和桌面。
kind-mattermost-description = 通过传入 Webhook 发送到 Mattermost 频道。
kind-pagerduty-description = 触发 PagerDuty 事件，并在事件恢复时将其解决。
kind-opsgenie-description = 为每个事件创建 Opsgenie 告警，并在事件恢复时关闭。
kind-googlechat-description = 通过传入 Webhook 发送到 Google Chat 空间。
kind-rocketchat-description = 通过传入 Webhook 集成发送到 Rocket.Chat 频道。
kind-matrix-description = 通过机器人账户的访问令牌发送到 Matrix 房间。
kind-webex-description = 通过传入 Webhook 或以机器人身份发送到 Webex 空间。
kind-zulip-description = 由机器人发布到 Zulip 频道话题或私信。
kind-signal-description = 通过 signal-cli-rest-api 服务器向个人或群组发送 Signal 消息。
kind-pushbullet-description = 通过 Pushbullet 推送笔记到你的设备、朋友的邮箱或频道。
kind-twilio-description = 通过 Twilio 以短信或 WhatsApp 消息发送每条通知。

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = 访问令牌
field-any-api_base = API 基础 URL
field-any-api_key = API 密钥
field-any-api_token = API 令牌
field-any-app_token = 应用令牌
field-any-auth_token = 认证令牌
field-any-bot_token = 机器人令牌
field-any-channel = 频道
field-any-chat_id = 聊天 ID
field-any-content_type = 内容类型
field-any-details = 详情
field-any-email = 邮箱
field-any-from = 发件人
field-any-from_number = 发送号码
field-any-group = 群组
field-any-headers = 请求头
field-any-host = SMTP 服务器
field-any-icon_emoji = 发送者表情
field-any-icon_url = 图标 URL
field-any-link = 链接
field-any-message_thread_id = 话题 ID
field-any-method = 方法
field-any-password = 密码
field-any-port = 端口
field-any-priority = 优先级
field-any-profile = 发件人配置
field-any-recipients = 收件人
field-any-region = 区域
field-any-reply_to = 回复地址
field-any-room_id = 房间 ID
field-any-security = 安全
field-any-server_url = 服务器 URL
field-any-signing_secret = 签名密钥
field-any-silent = 静默
field-any-sound = 提示音
field-any-subject_prefix = 主题前缀
field-any-tags = 标签
field-any-template = 模板
field-any-thread_id = 会话串 ID
field-any-to = 收件人
field-any-topic = 主题
field-any-url = URL
field-any-user_key = 用户密钥
field-any-username = 名称
field-any-users = 用户
field-any-webhook_url = Webhook URL
