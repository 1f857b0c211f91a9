# 伺服器自己的文字：以帳號語言寫成的電子郵件。每封信是 `<kind>-subject` 和 `<kind>-body`；
# `$name` 是帳號的名字。en、zh-Hant、zh-Hans 要保持一致：有測試會檢查。

mail-verify-subject = 確認你在 ViNano 的電子郵件地址
mail-verify-body =
    { $name } 你好：

    請開啟這個連結，確認 { $address } 是你在 ViNano 使用的電子郵件地址：

    { $link }

    這個連結只能使用一次，2 天後失效。如果你沒有提出這個要求，請忽略這封信。

    — ViNano

mail-reset-subject = 重設你的 ViNano 密碼
mail-reset-body =
    { $name } 你好：

    有人（希望是你）要求重設你的 ViNano 帳號密碼。要設定新密碼，請開啟這個連結：

    { $link }

    這個連結只能使用一次，30 分鐘後失效。重設密碼會讓你在所有裝置上登出。如果你沒有提出這個要求，請忽略這封信：你的密碼不會改變。

    — ViNano

mail-password-changed-subject = 你的 ViNano 密碼已變更
mail-password-changed-body =
    { $name } 你好：

    你的 ViNano 帳號密碼已於 { $when } { $how ->
        [reset] 透過電子郵件連結重設
       *[changed] 變更
    }。

    如果是你本人，不需要做任何事。

    如果不是你，可能有其他人知道你的密碼：請立即到 { $site }/forgot-password 設定新密碼，並到 { $site }/me/security 登出所有裝置。

    — ViNano

mail-email-change-subject = 有人要求變更你 ViNano 帳號的電子郵件地址
mail-email-change-body =
    { $name } 你好：

    { $when }，有人在登入你的 ViNano 帳號後，要求把電子郵件地址從這個地址改為 { $address }。只有在開啟寄到新地址的連結後，變更才會生效。

    如果是你本人，不需要做任何事。

    如果不是你，請立即到 { $site }/me/security 變更密碼並登出其他所有裝置；變更密碼時，這項待處理的變更會被取消。

    — ViNano

mail-deletion-subject = 你的 ViNano 帳號將被刪除
mail-deletion-body =
    { $name } 你好：

    依照你的要求，你的 ViNano 帳號及其中的所有內容將於 { $date } 刪除。

    改變主意了嗎？請在那之前登入並選擇「保留我的帳號」。

    — ViNano

mail-export-subject = 你的 ViNano 資料匯出已準備好
mail-export-body =
    { $name } 你好：

    你要求的 ViNano 資料副本已準備好。請到

    {"  "}{ $site }/me/data

    下載，期限到 { $until }。為了你的安全，下載開始前我們會請你輸入密碼。

    ZIP 檔內有一個可以用任何瀏覽器開啟的 index.html 頁面、你的圖片，以及 JSON 格式的資料。

    不是你要求的嗎？請到「我的 → 安全性」變更密碼並登出其他裝置。

    — ViNano

mail-policy-subject = 我們更新了隱私權政策
mail-policy-body =
    { $name } 你好：

    我們更新了 ViNano 隱私權政策（版本 { $version }）。請在下次使用 ViNano 時閱讀並接受：

    { $site }/privacy

    — ViNano

## 匯出檔的 index.html（值已經過 HTML 跳脫處理）。
export-title = 你的 ViNano 資料
export-intro = 這是 ViNano 在 { $when } 保存的所有關於 <strong>{ $name }</strong>（{ $email }）的資料。這個頁面可以離線使用。供程式使用的相同資料以 JSON 格式放在 <code>data</code> 資料夾中（其中的時間是 Unix 毫秒，UTC）；你的圖片在 <code>images</code> 資料夾中。
export-contents = 目錄
export-none = 無。
export-thread-dates = 開始於 { $started }，最後活動於 { $updated }。
export-you = 你
export-edited-from = 由 { $parent } 編輯而來
export-original = 原始照片
export-image-alt = 圖片 { $id }
export-image-gone = 這張圖片已不再保存。
export-table-users = 帳號
export-table-sessions = 已登入的裝置
export-table-images = 圖片
export-table-conversations = 對話
export-table-messages = 訊息
export-table-feedback = 對結果的意見
export-table-preferences = 偏好設定
export-table-jobs = 編輯工作
export-table-consents = 同意紀錄
export-table-email-tokens = 電子郵件連結
export-table-outbox = 寄給你的電子郵件
export-table-privacy-settings = 隱私設定
export-table-data-requests = 資料權利申請
export-table-error-reports = 錯誤回報
export-table-exports = 資料匯出

mail-payment-failed-subject = 你的 ViNano { $plan } 續訂未能付款
mail-payment-failed-body =
    { $name }，你好：

    我們未能為你的 { $plan } 方案收取 { $amount }：{ $reason }

    付款完成後，方案的新點數才會入帳。我們會在 { $retry } 再次嘗試扣款；如要立即付款或換一張卡，請前往 { $site }/me/subscription。

    — ViNano

mail-payment-received-subject = 已收到付款：ViNano { $plan }
mail-payment-received-body =
    { $name }，你好：

    謝謝！你的 { $plan } 方案費用 { $amount } 已透過 { $card } 支付，本期點數已入帳。發票可在 { $site }/me/subscription 查看。

    — ViNano

mail-plan-ended-unpaid-subject = 你的 ViNano { $plan } 方案已結束
mail-plan-ended-unpaid-body =
    { $name }，你好：

    我們多次嘗試收取你的 { $plan } 方案續訂費用均未成功，因此你的帳號現已改用 { $free } 方案及其點數。你的任何內容都沒有被刪除。

    如要恢復 { $plan }，請到 { $site }/me/subscription 重新選擇。

    — ViNano
