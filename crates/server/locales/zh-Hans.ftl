# 服务器自己的文字：以账号语言写成的电子邮件。每封信是 `<kind>-subject` 和 `<kind>-body`；
# `$name` 是账号的名字。en、zh-Hant、zh-Hans 要保持一致：有测试会检查。

mail-verify-subject = 确认你在 ViNano 的电子邮件地址
mail-verify-body =
    { $name }，你好：

    请打开这个链接，确认 { $address } 是你在 ViNano 使用的电子邮件地址：

    { $link }

    这个链接只能使用一次，2 天后失效。如果你没有提出这个请求，请忽略这封邮件。

    — ViNano

mail-reset-subject = 重置你的 ViNano 密码
mail-reset-body =
    { $name }，你好：

    有人（希望是你）请求重置你的 ViNano 账号密码。要设置新密码，请打开这个链接：

    { $link }

    这个链接只能使用一次，30 分钟后失效。重置密码会让你在所有设备上退出登录。如果你没有提出这个请求，请忽略这封邮件：你的密码不会改变。

    — ViNano

mail-password-changed-subject = 你的 ViNano 密码已更改
mail-password-changed-body =
    { $name }，你好：

    你的 ViNano 账号密码已于 { $when } { $how ->
        [reset] 通过电子邮件链接重置
       *[changed] 更改
    }。

    如果是你本人，无需做任何事。

    如果不是你，可能有其他人知道你的密码：请立即到 { $site }/forgot-password 设置新密码，并到 { $site }/me/security 退出所有设备。

    — ViNano

mail-email-change-subject = 有人请求更改你 ViNano 账号的电子邮件地址
mail-email-change-body =
    { $name }，你好：

    { $when }，有人在登录你的 ViNano 账号后，请求把电子邮件地址从这个地址改为 { $address }。只有在打开发到新地址的链接后，更改才会生效。

    如果是你本人，无需做任何事。

    如果不是你，请立即到 { $site }/me/security 更改密码并退出其他所有设备；更改密码时，这项待处理的更改会被取消。

    — ViNano

mail-deletion-subject = 你的 ViNano 账号将被删除
mail-deletion-body =
    { $name }，你好：

    按照你的要求，你的 ViNano 账号及其中的所有内容将于 { $date } 删除。

    改变主意了吗？请在那之前登录并选择“保留我的账号”。

    — ViNano

mail-export-subject = 你的 ViNano 数据导出已准备好
mail-export-body =
    { $name }，你好：

    你请求的 ViNano 数据副本已准备好。请到

    {"  "}{ $site }/me/data

    下载，期限到 { $until }。为了你的安全，下载开始前我们会请你输入密码。

    ZIP 文件内有一个可以用任何浏览器打开的 index.html 页面、你的图片，以及 JSON 格式的数据。

    不是你请求的吗？请到“我的 → 安全”更改密码并退出其他设备。

    — ViNano

mail-policy-subject = 我们更新了隐私政策
mail-policy-body =
    { $name }，你好：

    我们更新了 ViNano 隐私政策（版本 { $version }）。请在下次使用 ViNano 时阅读并接受：

    { $site }/privacy

    — ViNano

## 导出文件的 index.html（值已经过 HTML 转义）。
export-title = 你的 ViNano 数据
export-intro = 这是 ViNano 在 { $when } 保存的所有关于 <strong>{ $name }</strong>（{ $email }）的数据。这个页面可以离线使用。供程序使用的相同数据以 JSON 格式放在 <code>data</code> 文件夹中（其中的时间是 Unix 毫秒，UTC）；你的图片在 <code>images</code> 文件夹中。
export-contents = 目录
export-none = 无。
export-thread-dates = 开始于 { $started }，最后活动于 { $updated }。
export-you = 你
export-edited-from = 由 { $parent } 编辑而来
export-original = 原始照片
export-image-alt = 图片 { $id }
export-image-gone = 这张图片已不再保存。
export-table-users = 账号
export-table-sessions = 已登录的设备
export-table-images = 图片
export-table-conversations = 对话
export-table-messages = 消息
export-table-feedback = 对结果的意见
export-table-preferences = 偏好设置
export-table-jobs = 编辑任务
export-table-consents = 同意记录
export-table-email-tokens = 电子邮件链接
export-table-outbox = 发给你的电子邮件
export-table-privacy-settings = 隐私设置
export-table-data-requests = 数据权利申请
export-table-error-reports = 错误报告
export-table-exports = 数据导出

mail-payment-failed-subject = 你的 ViNano { $plan } 续订未能付款
mail-payment-failed-body =
    { $name }，你好：

    我们未能为你的 { $plan } 套餐收取 { $amount }：{ $reason }

    付款完成后，套餐的新点数才会到账。我们会在 { $retry } 再次尝试扣款；如要立即付款或换一张卡，请前往 { $site }/me/subscription。

    — ViNano

mail-payment-received-subject = 已收到付款：ViNano { $plan }
mail-payment-received-body =
    { $name }，你好：

    谢谢！你的 { $plan } 套餐费用 { $amount } 已通过 { $card } 支付，本期点数已到账。发票可在 { $site }/me/subscription 查看。

    — ViNano

mail-plan-ended-unpaid-subject = 你的 ViNano { $plan } 套餐已结束
mail-plan-ended-unpaid-body =
    { $name }，你好：

    我们多次尝试收取你的 { $plan } 套餐续订费用均未成功，因此你的账号现已改用 { $free } 套餐及其点数。你的任何内容都没有被删除。

    如要恢复 { $plan }，请到 { $site }/me/subscription 重新选择。

    — ViNano
