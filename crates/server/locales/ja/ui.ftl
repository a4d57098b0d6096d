# Tocsin ウェブ UI — 日本語

## Layout
nav-skip = 本文へ移動
nav-label = メインメニュー
nav-channels = チャンネル
nav-rules = ルール
nav-deliveries = 配信
nav-events = イベント
nav-explain = ルーティングの説明
nav-quiet-hours = 通知停止時間
nav-threshold-tokens = しきい値トークン
lang-label = 言語
signed-in-as = ログイン中のユーザー
sign-out = ログアウト

## Sign-in
login-title = ログイン
login-intro = API トークンを貼り付けてください。サーバーの初回起動時に管理者トークンが表示されています。TOCSIN_ADMIN_TOKEN も使えます。
login-token = API トークン
login-token-help = トークンは検証されるだけで、ブラウザーには保存されません。代わりにセッション Cookie を使います。
login-submit = ログイン
login-refused = このトークンは無効です。確認してもう一度お試しください。
login-expired = ログインフォームの有効期限が切れました。もう一度お試しください。

## Common
save = 保存
cancel = キャンセル
continue = 続ける
edit = 編集
delete = 削除
delete-confirm = 削除する
delete-named = { $name } を削除
required = 必須
secret = シークレット
secret-set = 設定済み
secret-keep = 設定済み — 変更しない場合は空欄のまま
on = オン
off = オフ
never = なし
any = すべて
filter = 絞り込み
search = 検索
see-all = すべて表示
test = テスト
retry = 再送
all-events = すべてのイベント
key = キー

## Messages after a form
done-saved = 保存しました。
done-created = 作成しました。
done-deleted = 削除しました。
done-enabled = 有効にしました。
done-disabled = 無効にしました。
done-retried = 配信を再びキューに入れました。
done-retried-all = 失敗した配信をすべて再びキューに入れました。

## Errors
error-title = 問題が発生しました
error-back = ダッシュボードに戻る
error-not-found = このページは存在しないか、表示していた内容が削除されました。
error-internal = サーバーで処理できませんでした。詳細はサーバーのログにあります。
error-csrf = このフォームは期限切れか、このサイトから送信されたものではありません。ページを再読み込みしてもう一度お試しください。
error-too-large = フォームが大きすぎます。
error-required = この項目は必須です。
error-number = 数値を入力してください。

## Time
ago-now = たった今
ago-minutes = { $n } 分前
ago-hours = { $n } 時間前
ago-days = { $n } 日前
period-any = 全期間
period-1h = 過去 1 時間
period-24h = 過去 24 時間
period-7d = 過去 7 日間

## Columns
col-name = 名前
col-enabled = 有効
col-last-delivery = 最後の配信
col-failures = 失敗
col-actions = 操作
col-status = ステータス
col-channel = チャンネル
col-channels = チャンネル
col-event = イベント
col-events = イベント
col-event-type = イベントの種類
col-attempts = 試行
col-time = 日時
col-last-error = 最後のエラー
col-error = エラー
col-created = 作成日時
col-next-attempt = 次の試行
col-id = ID
col-message = メッセージ
col-occurred = 発生日時
col-received = 受信日時
col-state = 状態
col-data = データ

## Statuses and severities
status-pending = 待機中
status-sending = 送信中
status-delivered = 配信済み
status-retrying = 再試行中
status-failed = 失敗
severity-ok = 正常
severity-info = 情報
severity-warning = 警告
severity-critical = 重大

## Channels
channels-title = チャンネル
channels-add = チャンネルを追加
channels-empty = チャンネルはまだありません。追加すると通知を受け取れます。
channels-count = { $n } 件のチャンネル
channel-toggle = { $name } のオン／オフを切り替え
channel-new-title = 新しい { $kind } チャンネル
count-failures = { $n } 件の失敗
kinds-pick = サービスを選択
kinds-by-url = または URL を貼り付け
field-name = 名前
field-url = チャンネル URL
field-url-help = slack://…、ntfys://ホスト/トピック、または Webhook の https:// アドレスなどのサービス URL。
field-map-help = 1 行に 1 つ、「名前: 値」の形式で書きます。
field-enabled = 有効
field-signing-secret = 署名シークレット
section-connection = 接続
section-events = イベント
section-filters = フィルター
section-delivery = 配信
events-help = このチャンネルに通知するイベントです。新しいチャンネルでは一般的なものにチェックが入っています。
field-patterns = その他のイベントパターン
field-patterns-help = カンマ区切り。* は任意の部分に一致します（例: deploy.* や @destructive）。
filters-help = ラベルがこれらの値に一致するイベントだけを受け取ります。空欄ならすべて受け取ります。
label-application = アプリケーション
label-project = プロジェクト
label-environment = 環境
label-cluster = クラスター
label-server = サーバー
label-customer = 顧客
test-before-saving = 保存前にテスト
test-ok = テストメッセージを配信しました。
test-failed = テストメッセージを配信できませんでした。
recent-deliveries = 最近の配信
created-secret-intro = チャンネル { $name } はすべてのリクエストに署名します。受信側が署名を検証できるよう、このシークレットを渡してください。
created-secret-once = 今すぐコピーしてください。表示されるのは一度だけです。
delete-channel-title = { $name } を削除しますか？
delete-channel-warning = チャンネル、その購読設定、配信ログが削除されます。このチャンネルを指定しているルールからは配信されなくなります。

## Event groups
group-deploy = デプロイ
group-build = ビルド
group-service = サービス
group-backup = バックアップ
group-quota = クォータ
group-ssl = 証明書
group-server = サーバー
group-system = システム
group-dns = DNS
group-mailbox = メールボックス
group-audit = 管理操作
group-notification = 通知

## Deliveries
deliveries-title = 配信
deliveries-empty = 該当する配信はありません。
delivery-title = 配信
retry-all-failed = 失敗した配信をすべて再送
attempts-count = 試行 { $n } 回
attempts-none = まだ試行はありません。
response-excerpt = レスポンス

## Events
events-title = イベント
events-empty = 該当するイベントはありません。
events-search-placeholder = タイトル、メッセージ、種類、ラベル
event-no-deliveries = このイベントはどのチャンネルにも通知されませんでした。
explain-this = ルーティングを説明

## Rules
rules-title = ルール
rules-add = ルールを追加
rules-intro = ルールは一致したイベントを複数のチャンネルに送ります。各チャンネル固有の購読はチャンネル側で編集します。
rules-empty = ルールはまだありません。
rule-events-help = すべてのイベントの種類に一致させるには、チェックもパターンも空のままにします。
field-matchers = ラベル条件
field-matchers-help = 1 行に 1 つ: environment=production、application=~api-.*、environment!=staging。
field-min-severity = 最低重大度
rule-no-channels = チャンネルがまだありません。
rule-no-windows = 通知停止時間は定義されていません。
field-digest = まとめ送信の間隔
field-digest-help = この期間イベントを集めて 1 通の要約を送ります（30s〜1d）。空欄なら 1 件ずつ送ります。
field-repeat = 再通知の間隔
field-repeat-help = 監視対象の状態が悪いままの間、この時間ごとに再通知します（1m〜30d）。
field-template = テンプレート
field-template-help = Webhook チャンネル用: プリセット名（generic、slack、discord、teams、n8n）またはテンプレート本文。
delete-rule-warning = ルールは削除されますが、チャンネルは残ります。

## Explain
explain-title = ルーティングの説明
explain-intro = イベントを貼り付けるか最近のイベントを選ぶと、どのチャンネルが受け取り、他が受け取らない理由がわかります。保存も送信もしません。
explain-pick = 最近のイベント
explain-load = 読み込む
explain-event = イベント（API に送る JSON）
explain-run = 説明する
explain-bad-json = 有効なイベントの JSON ではありません
explain-receives = { $n } 件のチャンネルが受け取ります
explain-skipped = 受け取らないチャンネル
explain-rules = ルール
explain-matched = 一致
explain-held-until = 保留期限

## Quiet hours
quiet-intro = タイムゾーンごとの毎週の時間帯で、これを指定したルールは通知しません。
quiet-empty = 通知停止時間はまだありません。
quiet-add = 通知停止時間を追加
field-time-zone = タイムゾーン
field-days = 曜日
field-start = 開始
field-end = 終了
day-mon = 月
day-tue = 火
day-wed = 水
day-thu = 木
day-fri = 金
day-sat = 土
day-sun = 日

## Threshold tokens
tokens-intro = Dokploy のメトリクスエージェントはサーバーごとのトークンで CPU とメモリを報告します。しきい値を超えると Tocsin が通知します。
tokens-empty = しきい値トークンはまだありません。
tokens-add = 新しいしきい値トークン
tokens-create = トークンを作成
tokens-created = { $server } のトークンを作成しました。
tokens-token = トークン
field-server = サーバー
field-margin = 回復マージン（ポイント）
field-cool-off = クールダウン

## Webhook fields and the event catalogue
field-webhook-url = URL
field-webhook-url-help = リクエストの送信先。例: https://example.com/hooks/tocsin 。暗号化して保存され、クエリの値やトークンらしい部分は *** と表示されます。表示された URL のままにすると保存済みの URL が保たれます。
field-webhook-method = メソッド
field-webhook-method-help = HTTP メソッド。
field-webhook-headers = ヘッダー
field-webhook-headers-help = 追加のリクエストヘッダー。1 行に「名前: 値」を 1 つ。値は暗号化して保存され「set」と表示されます。「set」のままにすると値が保たれます。
field-webhook-template = テンプレート
field-webhook-template-help = プリセット（generic、slack、discord、teams、n8n、ringcentral、dokploy）または MiniJinja テンプレート。
field-webhook-content_type = コンテンツタイプ
field-webhook-content_type-help = 本文のメディアタイプ。JSON の場合、生成した本文が正しい JSON か Tocsin が確認します。
field-webhook-signing_secret = 署名シークレット
field-webhook-signing_secret-help = webhook-signature と X-Signature-256 ヘッダー用の whsec_… キー。空欄なら自動生成します。
event-deploy-started = デプロイが始まりました。
event-deploy-success = デプロイが完了し、新しいバージョンが稼働しています。
event-deploy-failure = デプロイが失敗しました。以前のバージョンが動いている可能性があります。
event-deploy-cancelled = デプロイが完了前にキャンセルされました。
event-build-triggered = プッシュ、Webhook、または手動でビルドがキューに入りました。
event-build-success = ビルドが完了し、イメージまたは成果物ができました。
event-build-failure = ビルドが失敗しました。
event-service-health-down = ヘルスチェックが失敗しました。サービスが応答しないか、エラーを返しています。
event-service-health-recovered = 失敗していたヘルスチェックが再び成功しました。
event-service-started = サービスまたはコンテナーが起動しました。
event-service-stopped = サービスまたはコンテナーが停止しました。
event-backup-success = バックアップが完了しました（データベースまたはボリューム。ラベル backup_type を参照）。
event-backup-failure = バックアップが失敗しました（データベースまたはボリューム。ラベル backup_type を参照）。
event-quota-warning = 顧客またはリソースがクォータに近づいています。
event-quota-exceeded = 顧客またはリソースがクォータを超えました。
event-ssl-expiring = TLS 証明書の期限が近づいています（または更新できませんでした）。
event-server-threshold = サーバーの CPU またはメモリ使用率がしきい値を超えた、または下回りました。
event-system-restart = 管理システム（パネル、エージェント）が再起動しました。
event-system-cleanup = 定期クリーンアップが実行されました（イメージ、ビルドキャッシュ、古いログ）。
event-dns-health_alert = ドメインの DNS レコードが誤っているか不足しています（MX、SPF、DKIM、DMARC、A）。
event-dns-health_recovered = ドメインの DNS レコードが正常に戻りました。
event-mailbox-quota_alert = メールボックスが容量制限に近いか、超えています。
event-mailbox-quota_recovered = メールボックスが容量制限内に戻りました。
event-mailbox-send_limit_alert = メールボックスが送信上限に達しました。以降のメールは保留または拒否されます。
event-mailbox-send_limit_recovered = メールボックスが再び送信できるようになりました。
event-audit-domain-create = 管理者がドメインを追加しました。
event-audit-domain-delete = 管理者がドメインを削除しました。
event-audit-mailbox-create = 管理者がメールボックスを作成しました。
event-audit-mailbox-delete = 管理者がメールボックスとそのメールを削除しました。
event-audit-user-create = 管理者がユーザーを作成しました。
event-audit-user-delete = 管理者がユーザーを削除しました。
event-audit-user-role_update = 管理者がユーザーのロールまたは権限を変更しました。
event-audit-application-delete = 管理者がアプリケーションを削除しました。
event-audit-project-delete = 管理者がプロジェクトとその中身を削除しました。
event-audit-database-delete = 管理者がデータベースを削除しました。
event-audit-backup-delete = 管理者がバックアップを削除しました。
event-audit-token-create = 管理者が API トークンを作成しました。
event-audit-token-revoke = 管理者が API トークンを無効化しました。
event-audit-settings-update = 管理者が設定を変更しました。
event-audit-settings-admin_password_update = 管理者パスワードが変更されました。
event-audit-settings-two_factor_disable = アカウントの二要素認証が無効になりました。

## Channel kinds
kind-webhook-description = 任意の HTTP エンドポイント。プリセットまたは独自テンプレートの JSON を Standard Webhooks 方式で署名して送ります。
kind-slack-description = Incoming Webhook 経由で Slack チャンネルへ。
kind-discord-description = Discord チャンネルの Webhook。イベントごとに重大度で色分けした埋め込みを送ります。
kind-telegram-description = ボット経由で Telegram のチャット、グループ、チャンネル、フォーラムトピックへ。
kind-email-description = SMTP サーバー経由のメール。イベントごとにテキストと HTML の本文を送ります。
kind-resend-description = Resend の API 経由のメール。
kind-ses-description = Amazon Simple Email Service（SES v2）経由のメール。
kind-gotify-description = 自前の Gotify サーバー経由のプッシュメッセージ。
kind-ntfy-description = ntfy.sh または自前の ntfy サーバーのトピックに配信します。
kind-teams-description = Workflows Webhook 経由で Teams チャンネルへ。イベントごとに Adaptive Card を送ります。
kind-lark-description = Lark または Feishu グループのカスタムボット。イベントごとにカードを送ります。
kind-pushover-description = Pushover 経由でスマートフォンやデスクトップにプッシュ通知します。
kind-mattermost-description = Incoming Webhook 経由で Mattermost チャンネルへ。
kind-pagerduty-description = PagerDuty のインシデントを起票し、イベントが回復すると解決します。
kind-opsgenie-description = インシデントごとに Opsgenie のアラートを作成し、回復すると閉じます。
kind-googlechat-description = Incoming Webhook 経由で Google Chat のスペースへ。
kind-rocketchat-description = Incoming Webhook 連携で Rocket.Chat チャンネルへ。
kind-matrix-description = ボットアカウントのアクセストークンで Matrix ルームへ。
kind-webex-description = Incoming Webhook またはボットとして Webex のスペースへ。
kind-zulip-description = ボットが Zulip のチャンネルトピックまたはダイレクトメッセージに投稿します。
kind-signal-description = signal-cli-rest-api サーバー経由で個人やグループに Signal メッセージを送ります。
kind-pushbullet-description = Pushbullet 経由で自分の端末、友人のメール、チャンネルにノートを送ります。
kind-twilio-description = Twilio 経由で通知を SMS または WhatsApp メッセージとして送ります。

## Field names every kind shares (a kind's own key, field-<kind>-<name>, comes first)
field-any-access_token = アクセストークン
field-any-api_base = API ベース URL
field-any-api_key = API キー
field-any-api_token = API トークン
field-any-app_token = アプリケーショントークン
field-any-auth_token = 認証トークン
field-any-bot_token = ボットトークン
field-any-channel = チャンネル
field-any-chat_id = チャット ID
field-any-content_type = コンテンツタイプ
field-any-details = 詳細
field-any-email = メール
field-any-from = 差出人
field-any-from_number = 送信元番号
field-any-group = グループ
field-any-headers = ヘッダー
field-any-host = SMTP サーバー
field-any-icon_emoji = 送信者の絵文字
field-any-icon_url = アイコン URL
field-any-link = リンク
field-any-message_thread_id = トピック ID
field-any-method = メソッド
field-any-password = パスワード
field-any-port = ポート
field-any-priority = 優先度
field-any-profile = 送信者プロファイル
field-any-recipients = 宛先
field-any-region = リージョン
field-any-reply_to = 返信先
field-any-room_id = ルーム ID
field-any-security = セキュリティ
field-any-server_url = サーバー URL
field-any-signing_secret = 署名シークレット
field-any-silent = サイレント
field-any-sound = サウンド
field-any-subject_prefix = 件名の接頭辞
field-any-tags = タグ
field-any-template = テンプレート
field-any-thread_id = スレッド ID
field-any-to = 宛先
field-any-topic = トピック
field-any-url = URL
field-any-user_key = ユーザーキー
field-any-username = 名前
field-any-users = ユーザー
field-any-webhook_url = Webhook URL
