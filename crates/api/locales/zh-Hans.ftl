# 服务器（以及 App 与服务器共用的输入规则）会对用户说的话。每个键都是一个 `vinano_api::Msg`。
# 三个文件（en、zh-Hant、zh-Hans）要保持一致：有测试会检查。

## 等待时间，用在其他消息里。
wait-seconds = { $n } 秒
wait-minutes = { $n } 分钟

## 登录与会话。
error-unauthenticated = 请先登录再继续。
error-invalid-credentials = 这组电子邮件／用户名和密码不符合任何账号。
error-reauth-required = 为了你的安全，请再输入一次密码。
error-login-missing = 请输入你的电子邮件或用户名，以及密码。
error-password-wrong = 密码不正确。
error-current-password-wrong = 你当前的密码不正确。
error-email-change-needs-password = 要更改电子邮件地址，请输入你当前的密码。
error-rate-limited = 尝试次数过多。请等 { $wait }后再试一次。

## 输入规则（显示在字段旁）。
error-name-empty = 请输入你的名字。
error-name-too-long = 名字最多 { $max } 个字符。
error-email-invalid = 请输入有效的电子邮件地址，例如 name@example.com。
error-username-length = 用户名长度为 { $min } 到 { $max } 个字符。
error-username-characters = 用户名只能使用英文字母、数字、“_”、“.”或“-”，并以字母或数字开头。
error-password-too-short = 密码至少需要 { $min } 个字符。
error-password-too-long = 密码最多 { $max } 个字符。
error-password-common = 这是最常见、很容易被猜到的密码之一。请换一个。
error-date-of-birth-format = 请以 YYYY-MM-DD 格式输入你的出生日期。
error-date-of-birth-unreal = 请输入你真实的出生日期。
error-under-age = 抱歉，你必须年满 { $age } 岁才能使用 ViNano。
error-under-age-deleted = ViNano 只供 { $age } 岁以上的人使用，因此这个账号及其数据已被删除。
error-prompt-empty = 请输入你想对图片做的事。
error-prompt-too-long = 指示最多 { $max } 个字符。
error-accept-terms = 请接受服务条款以创建账号。
error-accept-privacy = 请接受隐私政策以创建账号。
error-accept-responsibility = 请确认你会为自己上传和要求的内容负责。
error-time-zone = 请从列表中选择时区。
error-language = 请选择 English、繁體中文或简体中文。
error-avatar = 这张图片无法使用。
error-field-empty = 这里不能为空。
error-field-too-long = 最多 { $max } 个字符。
error-email-taken = 已有账号使用这个电子邮件地址。请试着登录。
error-email-in-use = 另一个账号现在正在使用这个电子邮件地址。
error-username-taken = 这个用户名已被使用。请换一个。

## 电子邮件链接。
error-link-expired = 这个链接已过期或已使用过。请到你的账号页面索取新的链接。
error-reset-link-expired = 这个重置链接已过期或已使用过。请到登录页面索取新的链接。
error-email-already-confirmed = 你的电子邮件地址已经确认过了。

## 照片与版本。
error-file-too-large = 这个文件太大。上限是 { $limit_mb } MB。
error-upload-empty = 上传的内容是空的。请选择一张照片。
error-unsupported-image = 这个文件不是支持的图片格式。请上传 JPEG、PNG 或 WebP 照片。
error-heic = 这里无法读取 HEIC 照片（iPhone 相机的默认格式）。请改用 JPEG：在 iPhone 上前往“设置 → 相机 → 格式 → 兼容性最佳”，或以 JPEG 分享照片。
error-image-too-large = 这张图片太大（{ $width } × { $height } 像素）。上限是 { $limit_mp } 百万像素。
error-image-damaged = 这张图片似乎已损坏，无法读取。
error-too-many-pixels = 这样会生成 { $width } × { $height } 的图片；上限是 { $limit_mp } 百万像素。请试试较小的尺寸。
error-unknown-format = 不认识的格式“{ $name }”。请选择 png、jpeg 或 webp。
error-video-mp4-only = 视频只能下载为 MP4。
error-rate-only-edited = 只能为编辑过的图片评分。
error-comment-too-long = 意见最多 { $max } 个字符。
error-upload-key-reused = 这个 Idempotency-Key 已用于另一张照片。请用新的键上传。
error-upload-key-busy = 这个 Idempotency-Key 正在使用中。
error-image-flags-nothing = 请发送商业用途标记或训练同意设置。

## 对话与编辑。
error-title-empty = 请输入标题。
error-title-too-long = 标题最多 { $max } 个字符。
error-conversation-nothing = 请发送新的标题或商业用途标记。
error-needs-photo = 请先附上一张要编辑的照片。
error-no-font = 这台服务器上没有字体能画出这些字符：{ $chars }。拉丁字母一定可以；中文则需要服务器安装 CJK 字体（例如 Noto Sans CJK）。
error-selection-unreadable = 无法读取选取范围。它应该是一张 PNG 图片，涂抹过的地方为白色。
error-selection-too-large = 选取范围的文件太大（上限为 { $max } MB）。
error-tool-color = “{ $value }”不是颜色。请写成 # 加六位十六进制数字，例如 #ff8800。
error-tool-two-colors = 背景请给两种颜色（上和下），或都不给，让样式来选。
error-tool-alone = 工具只处理一整张照片：请不要同时发送涂抹范围或其他图片。
error-tool-colors = 背景请给一种颜色，渐变给两种（上和下），或都不给，用白色。
error-tool-nudge = 移动或缩放最多 { $max }%。
error-tool-seconds = 影片长度为 1 到 { $max } 秒。
error-selection-shape = 选取范围（{ $width } × { $height }）和这张照片（{ $image_width } × { $image_height }）对不上。请在这张照片上重新涂抹。
error-selection-empty = 选取范围是空的。请先涂抹你要处理的部分。
error-device-edit-plan = 读不懂这个版本的步骤，所以没有保存。请重新制作后再保存。
error-device-edit-image = 请把这个版本放在 “image” 部分，把步骤放在 “edit” 部分送出。
error-selection-everything = 选取范围盖住了整张照片，周围没有内容可以用来填补。请只涂抹要移除的东西。
error-selection-no-photo = 选取范围需要一张照片。请先附上照片。
error-message-key-reused = 这个 Idempotency-Key 已用于这个对话中的另一条消息。请用新的键发送新消息。
error-refused = ViNano 无法协助这个请求：它似乎涉及{ $category ->
    [sexual_minors] 与未成年人有关的性内容
    [non_consensual_imagery] 未经同意的真人性感或裸露图片
    [violent_extremism] 暴力极端主义或恐怖主义宣传
    [hate] 针对某群人的仇恨
    [self_harm] 自杀或自我伤害
   *[illegal_goods] 毒品、伪钞或伪造文件等非法物品
}。请改为要求其他内容。{ $category ->
    [self_harm] 如果你正想伤害自己，请联系你信任的人或当地的危机热线。
   *[other] {""}
}
error-retry-only-failed = 只有失败或已取消的编辑才能重试。
error-retry-crashed = 这个编辑已经让编辑器停止两次，所以不会再尝试。请试试较小的更改或另一张照片。
error-retry-too-many = 这个编辑已经重试了 { $max } 次。请把它当作新消息再发送一次。

## 隐私与数据权利。
error-privacy-nothing = 请至少发送一项要更改的设置。
error-versions = versions={ $value }：请使用 one 或 all。
error-date-format = 请以 YYYY-MM-DD 格式提供日期。
error-date-order = 最后一天早于第一天。
error-deletion-not-scheduled = 你的账号并未安排删除。
error-export-busy = 你的导出正在准备中。准备好时我们会通知你。
error-export-expired = 这份导出已过期：下载链接在 24 小时内有效。请重新申请。
error-restore-too-late = 已经来不及恢复了：删除的版本只能在 10 秒内恢复。
error-preview-size = 没有 { $size } 像素的预览：预览只有 256 和 768 像素，也不能转成其他格式。
error-export-failed = 这份导出无法准备完成。请重新申请。
error-export-pending = 这份导出仍在准备中。
error-share-what = 请选择要分享的一张图片或一个对话。
error-share-held = 这张图片因法律原因被保留，无法分享。
error-preset-name = 请为预设取一个 1 到 { $max } 个字符的名称。
error-preset-steps = 这个版本的步骤不能存为预设：只有 ViNano 自己的编辑器从一整张照片做出的结果才可以（上传的照片、模型的编辑、画笔选取的区域或多张图片的组合都不行）。
error-presets-full = 你已有 { $max } 个预设，已达上限。请先删除一个再保存新的。
error-preset-alone = 预设作用于一整张照片：请不要同时使用工具表单、画笔选取区域或其他图片。

## 用量上限。
error-quota-uploads = 你在过去一小时内已上传 { $limit } 张照片，已达上限。请等 { $wait }后再试一次。
error-quota-jobs = 你已有 { $limit } 个编辑在等待或进行中。请等其中一个完成。
error-quota-storage = 你的图片已用完 { $mb } MB 的存储空间。请删除一些较旧的版本来腾出空间。
error-quota-conversations = 你在过去一小时内已开始 { $limit } 个对话，已达上限。请等 { $wait }后再试一次。
error-quota-conversions = 你在过去一小时内已转换 { $limit } 次下载格式，已达上限。请等 { $wait }后再试一次。
error-quota-streams = 你已同时追踪 { $limit } 个编辑。请关闭另一个标签页后再试一次。
error-credits-short = 这需要 { $cost } 点额度，你的 { $plan } 套餐只剩 { $balance } 点。新的额度会在下个周期开始时发放；“我的 → 订阅”会显示日期和可选的套餐。
error-plan-unknown = 没有名为“{ $plan }”的套餐可选。请选择 Pro 或 Studio。
error-plan-current = 你已在使用这个套餐。
error-plan-free-no-cancel = 你使用的是免费套餐，没有需要取消的订阅。
error-signups-closed = 这个 ViNano 目前不开放注册。请向管理者索取账号。
error-signups-invite-only = 这个 ViNano 只接受受邀注册：请打开邀请中的链接。
error-invite-invalid = 这个邀请已被使用或已过期。请索取新的邀请。
error-checkout-closed = 这次结账已结束：已付款或已过期。请从“我的 → 订阅”重新开始。
error-card-number = 这个卡号无效。请检查后再试一次。
error-card-expiry = 请按卡片上的到期日输入（月份 1–12）。
error-card-expired = 这张卡已过期。
error-card-cvc = 请输入卡片上 3 或 4 位数的安全码。
error-card-declined = 你的卡被拒绝了。请换一张卡。
error-card-insufficient-funds = 你的卡余额不足。请换一张卡。
error-card-test-only = 这是测试结账，不会向真实卡片收费。请使用测试卡，例如 4242 4242 4242 4242。
error-card-authentication = 付款未获确认，因此没有收费。请再试一次或换一张卡。
error-card-none = 没有可以扣款的卡。请在“我的 → 订阅”中添加一张卡。
error-plan-change-past-due = 你上一次续订还没有付款。请先付款（我的 → 订阅 → 立即付款），再更换套餐。
error-plan-change-from-free = 你使用的是免费套餐：请选择一个付费套餐并完成结账。
error-plan-change-to-free = 要改用免费套餐，请取消订阅：当前套餐会保留到已付费期间结束。
error-nothing-due = 目前没有待付款的项目。
error-billing-unavailable = 付款服务目前没有响应。没有扣款，也没有任何变更；请几分钟后再试。
error-plan-change-instead = 你已经有付费方案了。要换成其他方案，请在“我的 → 订阅”使用“变更方案”。
error-billing-portal-none = 付款服务上还没有可以管理的内容：请先订阅一个方案。
error-credits-past-due = 这需要 { $cost } 点，你只剩 { $balance } 点：你的 { $plan } 续订尚未付款，因此本期额度还没到账。请在“我的 → 订阅”中付款。
error-adjust-reason = 请说明原因（3 到 200 个字符）：账本会记下它。
error-adjust-amount = 请输入不为 0 的整数点数，增减最多 { $max } 点。
error-adjust-below-zero = 这会让余额低于零：目前剩 { $balance } 点。
error-disable-self = 你不能停用自己的账号。
error-account-disabled = 这个账号已被本 ViNano 的管理员停用。请联系他们重新启用；你仍可申请取得或删除你的数据。
error-webhook-signature = 这个事件的签名不符。
error-webhook-body = 无法读取这个事件。

## 请求（发送请求的程序做错了什么）。
error-json-content-type = 请以 JSON 发送这个请求（Content-Type: application/json）。
error-json-object = 请求内容必须是 JSON 对象。
error-request-too-large = 这个请求太大。
error-request-unreadable = 我们无法读取这个请求：{ $detail }
error-query-unreadable = 我们无法读取查询字符串：{ $detail }
error-cross-site = 这个请求来自其他网站，已被拒绝。
error-report-batch = 每次请发送 1 到 { $max } 个事件。
error-report-event = 不认识的事件“{ $name }”。
error-report-duration = 一个事件最长一天。
error-report-kind = 请使用 panic 或 request。

## 服务器。
error-not-found = 我们找不到这个项目。
error-request-timeout = 上传速度太慢，已经停止。请换一个较好的网络连接再试一次。
error-storage-full = 服务器的存储空间已满，ViNano 暂时无法保存任何内容。你已有的内容都安全，仍可查看和下载。请稍后再试。
error-internal = 我们这边出了点问题。请再试一次。

## 合作网站上的小工具。
error-widget-partner-unknown = 这个网站的 ViNano 编辑器尚未设置好（合作伙伴代码不存在或已移除）。网站的所有者可以修正。
error-widget-token-invalid = 无法验证你在这个网站的登录，编辑器无法打开。请重新加载页面；若一直发生，请告诉网站的所有者。
error-widget-token-expired = 你在这个网站的登录已过期。请重新加载页面再登录一次。
error-widget-token-replayed = 这次登录已经用过了。请重新加载页面再登录一次。
error-widget-budget-spent = 这个网站本月的 ViNano 额度已用完，{ $date } 之前无法在这里再编辑。
error-widget-credits-short = 这需要 { $cost } 点额度，你只剩 { $balance } 点。你在这个网站的额度会在 { $date } 更新。
error-widget-guests-off = 这个网站只开放已登录的会员使用编辑器。请先在网站上登录。
error-partner-name = 合作伙伴的名称为 1 到 80 个字符。
error-partner-origins = 请列出 1 到 { $max } 个可以放置小工具的来源网址。
error-partner-origin = “{ $origin }”无法使用：来源请写成 https://主机 或 https://主机:端口，不含路径或通配符（只有开发时的 localhost 可用 http）。
