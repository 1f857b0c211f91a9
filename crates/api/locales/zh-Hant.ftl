# 伺服器（以及 App 與伺服器共用的輸入規則）會對使用者說的話。每個鍵都是一個 `vinano_api::Msg`。
# 三個檔案（en、zh-Hant、zh-Hans）要保持一致：有測試會檢查。

## 等待時間，用在其他訊息裡。
wait-seconds = { $n } 秒
wait-minutes = { $n } 分鐘

## 登入與階段。
error-unauthenticated = 請先登入再繼續。
error-invalid-credentials = 這組電子郵件／使用者名稱和密碼不符合任何帳號。
error-reauth-required = 為了你的安全，請再輸入一次密碼。
error-login-missing = 請輸入你的電子郵件或使用者名稱，以及密碼。
error-password-wrong = 密碼不正確。
error-current-password-wrong = 你目前的密碼不正確。
error-email-change-needs-password = 要變更電子郵件地址，請輸入你目前的密碼。
error-rate-limited = 嘗試次數過多。請等 { $wait }後再試一次。

## 輸入規則（顯示在欄位旁）。
error-name-empty = 請輸入你的名字。
error-name-too-long = 名字最多 { $max } 個字元。
error-email-invalid = 請輸入有效的電子郵件地址，例如 name@example.com。
error-username-length = 使用者名稱長度為 { $min } 到 { $max } 個字元。
error-username-characters = 使用者名稱只能使用英文字母、數字、「_」、「.」或「-」，並以字母或數字開頭。
error-password-too-short = 密碼至少需要 { $min } 個字元。
error-password-too-long = 密碼最多 { $max } 個字元。
error-password-common = 這是最常見、很容易被猜到的密碼之一。請換一個。
error-date-of-birth-format = 請以 YYYY-MM-DD 格式輸入你的出生日期。
error-date-of-birth-unreal = 請輸入你真實的出生日期。
error-under-age = 抱歉，你必須年滿 { $age } 歲才能使用 ViNano。
error-under-age-deleted = ViNano 只供 { $age } 歲以上的人使用，因此這個帳號及其資料已被刪除。
error-prompt-empty = 請輸入你想對圖片做的事。
error-prompt-too-long = 指示最多 { $max } 個字元。
error-accept-terms = 請接受服務條款以建立帳號。
error-accept-privacy = 請接受隱私權政策以建立帳號。
error-accept-responsibility = 請確認你會為自己上傳和要求的內容負責。
error-time-zone = 請從清單中選擇時區。
error-language = 請選擇 English、繁體中文或简体中文。
error-avatar = 這張圖片無法使用。
error-field-empty = 這裡不能空白。
error-field-too-long = 最多 { $max } 個字元。
error-email-taken = 已有帳號使用這個電子郵件地址。請試著登入。
error-email-in-use = 另一個帳號現在正在使用這個電子郵件地址。
error-username-taken = 這個使用者名稱已被使用。請換一個。

## 電子郵件連結。
error-link-expired = 這個連結已過期或已使用過。請到你的帳號頁面索取新的連結。
error-reset-link-expired = 這個重設連結已過期或已使用過。請到登入頁面索取新的連結。
error-email-already-confirmed = 你的電子郵件地址已經確認過了。

## 照片與版本。
error-file-too-large = 這個檔案太大。上限是 { $limit_mb } MB。
error-upload-empty = 上傳的內容是空的。請選擇一張照片。
error-unsupported-image = 這個檔案不是支援的圖片格式。請上傳 JPEG、PNG 或 WebP 照片。
error-heic = 這裡無法讀取 HEIC 照片（iPhone 相機的預設格式）。請改用 JPEG：在 iPhone 上前往「設定 → 相機 → 格式 → 最相容」，或以 JPEG 分享照片。
error-image-too-large = 這張圖片太大（{ $width } × { $height } 像素）。上限是 { $limit_mp } 百萬像素。
error-image-damaged = 這張圖片似乎已損壞，無法讀取。
error-too-many-pixels = 這樣會產生 { $width } × { $height } 的圖片；上限是 { $limit_mp } 百萬像素。請試試較小的尺寸。
error-unknown-format = 不認得的格式「{ $name }」。請選擇 png、jpeg 或 webp。
error-video-mp4-only = 影片只能下載為 MP4。
error-rate-only-edited = 只能為編輯過的圖片評分。
error-comment-too-long = 意見最多 { $max } 個字元。
error-upload-key-reused = 這個 Idempotency-Key 已用於另一張照片。請用新的鍵上傳。
error-upload-key-busy = 這個 Idempotency-Key 正在使用中。
error-image-flags-nothing = 請傳送商業用途標記或訓練同意設定。

## 對話與編輯。
error-title-empty = 請輸入標題。
error-title-too-long = 標題最多 { $max } 個字元。
error-conversation-nothing = 請傳送新的標題或商業用途標記。
error-needs-photo = 請先附上一張要編輯的照片。
error-no-font = 這台伺服器上沒有字型能畫出這些字元：{ $chars }。拉丁字母一定可以；中文則需要伺服器安裝 CJK 字型（例如 Noto Sans CJK）。
error-selection-unreadable = 無法讀取選取範圍。它應該是一張 PNG 圖片，塗抹過的地方為白色。
error-selection-too-large = 選取範圍的檔案太大（上限為 { $max } MB）。
error-tool-color = 「{ $value }」不是顏色。請寫成 # 加六位十六進位數字，例如 #ff8800。
error-tool-two-colors = 背景請給兩種顏色（上和下），或都不給，讓樣式來選。
error-tool-alone = 工具只處理一整張照片：請不要同時送出塗抹範圍或其他圖片。
error-tool-colors = 背景請給一種顏色，漸層給兩種（上和下），或都不給，用白色。
error-tool-nudge = 移動或縮放最多 { $max }%。
error-tool-seconds = 影片長度為 1 到 { $max } 秒。
error-selection-shape = 選取範圍（{ $width } × { $height }）和這張照片（{ $image_width } × { $image_height }）對不上。請在這張照片上重新塗抹。
error-selection-empty = 選取範圍是空的。請先塗抹你要處理的部分。
error-device-edit-plan = 讀不懂這個版本的步驟，所以沒有儲存。請重新製作後再儲存。
error-device-edit-image = 請把這個版本放在「image」部分，把步驟放在「edit」部分送出。
error-selection-everything = 選取範圍蓋住了整張照片，周圍沒有內容可以用來填補。請只塗抹要移除的東西。
error-selection-no-photo = 選取範圍需要一張照片。請先附上照片。
error-message-key-reused = 這個 Idempotency-Key 已用於這個對話中的另一則訊息。請用新的鍵傳送新訊息。
error-refused = ViNano 無法協助這個要求：它似乎涉及{ $category ->
    [sexual_minors] 與未成年人有關的性內容
    [non_consensual_imagery] 未經同意的真人性感或裸露圖片
    [violent_extremism] 暴力極端主義或恐怖主義宣傳
    [hate] 針對某群人的仇恨
    [self_harm] 自殺或自我傷害
   *[illegal_goods] 毒品、偽鈔或偽造文件等非法物品
}。請改為要求其他內容。{ $category ->
    [self_harm] 如果你正想傷害自己，請聯絡你信任的人或當地的危機專線。
   *[other] {""}
}
error-retry-only-failed = 只有失敗或已取消的編輯才能重試。
error-retry-crashed = 這個編輯已經讓編輯器停止兩次，所以不會再嘗試。請試試較小的變更或另一張照片。
error-retry-too-many = 這個編輯已經重試了 { $max } 次。請把它當成新訊息再傳送一次。

## 隱私與資料權利。
error-privacy-nothing = 請至少傳送一項要變更的設定。
error-versions = versions={ $value }：請使用 one 或 all。
error-date-format = 請以 YYYY-MM-DD 格式提供日期。
error-date-order = 最後一天早於第一天。
error-deletion-not-scheduled = 你的帳號並未排定刪除。
error-export-busy = 你的匯出正在準備中。準備好時我們會通知你。
error-export-expired = 這份匯出已過期：下載連結在 24 小時內有效。請重新申請。
error-restore-too-late = 已經來不及復原了：刪除的版本只能在 10 秒內復原。
error-preview-size = 沒有 { $size } 像素的預覽：預覽只有 256 和 768 像素，也不能轉成其他格式。
error-export-failed = 這份匯出無法準備完成。請重新申請。
error-export-pending = 這份匯出仍在準備中。
error-share-what = 請選擇要分享的一張圖片或一個對話。
error-share-held = 這張圖片因法律原因被保留，無法分享。
error-preset-name = 請為預設取一個 1 到 { $max } 個字元的名稱。
error-preset-steps = 這個版本的步驟不能存為預設：只有 ViNano 自己的編輯器從一整張照片做出的結果才可以（上傳的照片、模型的編輯、畫筆選取的區域或多張圖片的組合都不行）。
error-presets-full = 你已有 { $max } 個預設，已達上限。請先刪除一個再儲存新的。
error-preset-alone = 預設作用於一整張照片：請不要同時使用工具表單、畫筆選取區域或其他圖片。

## 用量上限。
error-quota-uploads = 你在過去一小時內已上傳 { $limit } 張照片，已達上限。請等 { $wait }後再試一次。
error-quota-jobs = 你已有 { $limit } 個編輯在等待或進行中。請等其中一個完成。
error-quota-storage = 你的圖片已用完 { $mb } MB 的儲存空間。請刪除一些較舊的版本來騰出空間。
error-quota-conversations = 你在過去一小時內已開始 { $limit } 個對話，已達上限。請等 { $wait }後再試一次。
error-quota-conversions = 你在過去一小時內已轉換 { $limit } 次下載格式，已達上限。請等 { $wait }後再試一次。
error-quota-streams = 你已同時追蹤 { $limit } 個編輯。請關閉另一個分頁後再試一次。
error-credits-short = 這需要 { $cost } 點額度，你的 { $plan } 方案只剩 { $balance } 點。新的額度會在下個週期開始時發放；「我的 → 訂閱」會顯示日期和可選的方案。
error-plan-unknown = 沒有名為「{ $plan }」的方案可選。請選擇 Pro 或 Studio。
error-plan-current = 你已在使用這個方案。
error-plan-free-no-cancel = 你使用的是免費方案，沒有需要取消的訂閱。
error-signups-closed = 這個 ViNano 目前不開放註冊。請向管理者索取帳號。
error-signups-invite-only = 這個 ViNano 只接受受邀註冊：請開啟邀請中的連結。
error-invite-invalid = 這個邀請已被使用或已過期。請索取新的邀請。
error-checkout-closed = 這次結帳已結束：已付款或已過期。請從「我的 → 訂閱」重新開始。
error-card-number = 這個卡號無效。請檢查後再試一次。
error-card-expiry = 請依卡片上的到期日輸入（月份 1–12）。
error-card-expired = 這張卡已過期。
error-card-cvc = 請輸入卡片上 3 或 4 位數的安全碼。
error-card-declined = 你的卡被拒絕了。請換一張卡。
error-card-insufficient-funds = 你的卡餘額不足。請換一張卡。
error-card-test-only = 這是測試結帳，不會向真實卡片收費。請使用測試卡，例如 4242 4242 4242 4242。
error-card-authentication = 付款未獲確認，因此沒有收費。請再試一次或換一張卡。
error-card-none = 沒有可以扣款的卡。請在「我的 → 訂閱」中新增一張卡。
error-plan-change-past-due = 你上一次續訂還沒有付款。請先付款（我的 → 訂閱 → 立即付款），再更換方案。
error-plan-change-from-free = 你使用的是免費方案：請選擇一個付費方案並完成結帳。
error-plan-change-to-free = 要改用免費方案，請取消訂閱：目前的方案會保留到已付費期間結束。
error-nothing-due = 目前沒有待付款的項目。
error-billing-unavailable = 付款服務目前沒有回應。沒有扣款，也沒有任何變更；請幾分鐘後再試。
error-plan-change-instead = 你已經有付費方案了。要換成其他方案，請在「我的 → 訂閱」使用「變更方案」。
error-billing-portal-none = 付款服務上還沒有可以管理的內容：請先訂閱一個方案。
error-credits-past-due = 這需要 { $cost } 點，你只剩 { $balance } 點：你的 { $plan } 續訂尚未付款，因此本期額度還沒入帳。請在「我的 → 訂閱」中付款。
error-adjust-reason = 請說明原因（3 到 200 個字元）：帳本會記下它。
error-adjust-amount = 請輸入不為 0 的整數點數，增減最多 { $max } 點。
error-adjust-below-zero = 這會讓餘額低於零：目前剩 { $balance } 點。
error-disable-self = 你不能停用自己的帳號。
error-account-disabled = 這個帳號已被本 ViNano 的管理員停用。請聯絡他們重新啟用；你仍可申請取得或刪除你的資料。
error-webhook-signature = 這個事件的簽章不符。
error-webhook-body = 無法讀取這個事件。

## 請求（傳送請求的程式做錯了什麼）。
error-json-content-type = 請以 JSON 傳送這個請求（Content-Type: application/json）。
error-json-object = 請求內容必須是 JSON 物件。
error-request-too-large = 這個請求太大。
error-request-unreadable = 我們無法讀取這個請求：{ $detail }
error-query-unreadable = 我們無法讀取查詢字串：{ $detail }
error-cross-site = 這個請求來自其他網站，已被拒絕。
error-report-batch = 每次請傳送 1 到 { $max } 個事件。
error-report-event = 不認得的事件「{ $name }」。
error-report-duration = 一個事件最長一天。
error-report-kind = 請使用 panic 或 request。

## 伺服器。
error-not-found = 我們找不到這個項目。
error-request-timeout = 上傳速度太慢，已經停止。請換一個較好的網路連線再試一次。
error-storage-full = 伺服器的儲存空間已滿，ViNano 暫時無法儲存任何內容。你已有的內容都安全，仍可檢視和下載。請稍後再試。
error-internal = 我們這邊出了點問題。請再試一次。

## 合作網站上的小工具。
error-widget-partner-unknown = 這個網站的 ViNano 編輯器尚未設定好（合作夥伴代碼不存在或已移除）。網站的擁有者可以修正。
error-widget-token-invalid = 無法驗證你在這個網站的登入，編輯器無法開啟。請重新載入頁面；若一直發生，請告訴網站的擁有者。
error-widget-token-expired = 你在這個網站的登入已過期。請重新載入頁面再登入一次。
error-widget-token-replayed = 這次登入已經用過了。請重新載入頁面再登入一次。
error-widget-budget-spent = 這個網站本月的 ViNano 額度已用完，{ $date } 之前無法在這裡再編輯。
error-widget-credits-short = 這需要 { $cost } 點額度，你只剩 { $balance } 點。你在這個網站的額度會在 { $date } 更新。
error-widget-guests-off = 這個網站只開放已登入的會員使用編輯器。請先在網站上登入。
error-partner-name = 合作夥伴的名稱為 1 到 80 個字元。
error-partner-origins = 請列出 1 到 { $max } 個可以放置小工具的來源網址。
error-partner-origin = 「{ $origin }」無法使用：來源請寫成 https://主機 或 https://主機:埠號，不含路徑或萬用字元（只有開發時的 localhost 可用 http）。
