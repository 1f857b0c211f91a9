# 編輯器對一次編輯說的話：回覆（做了什麼，或為什麼做不到）、計畫的每個步驟、工作失敗的原因；以及資料權利追蹤
# 如何稱呼一項要求。每個鍵都是一個 `vinano_api::Msg`。

## 其他訊息裡的清單。
join-steps = {"，然後"}
join-list = {"、"}
quoted = 「{ $text }」


## 對指令的回覆。
reply-done = 完成：{ $steps }。
reply-done-left-out = 完成：{ $steps }。我看不懂{ $phrases }，所以略過了。
reply-with-note = { $reply }{ $note }
reply-not-understood = 抱歉，我看不懂這個指令。我可以調整亮度、對比、曝光、飽和度、色溫、色相和伽瑪；把照片變成黑白、復古棕褐色或負片；模糊、銳化或降噪；加上暗角或邊框；去背、換背景顏色或把背景模糊（人像模式），或做白底產品圖；裁切（正方形、16:9，或「左邊裁掉 10%」）、旋轉、翻轉或縮放；以及套用復古、電影感或黑白底片等風格。試試「調亮一點，裁成正方形」或 "make it a bit warmer and crop it square"。
reply-too-many-steps = 這則訊息裡有 { $count } 項編輯；我一次最多能做 { $max } 項。請分成幾則傳送。
reply-text-too-long = 圖片上的文字最多 { $max } 個字元。請縮短一些。
reply-video-seconds = 影片長度可以是 1 到 10 秒。
reply-posterize-levels = 色調分離可以設定 2 到 32 階。
reply-blur-range = 我可以模糊 0.5 到 50 像素。
reply-gamma-range = 伽瑪值範圍是 0.2 到 5。
reply-border-range = 邊框寬度可以是 1 到 500 像素。
reply-exposure-range = 曝光範圍是 -3 到 +3 級。
reply-rotate-quarter = 我只能以 90 度為單位旋轉：90、180 或 270 度。
reply-trim-range = 每個邊可以裁掉 1% 到 45%。
reply-scale-range = 我可以縮放到 1% 到 400% 之間。
reply-resize-range = 我可以把長邊縮放到 16 到 { $max } 像素之間。
reply-plan-steps = 這個計畫沒有步驟，或超過 { $max } 個步驟。
reply-plan-value = 這個計畫要求的值超出範圍：{ $step }。
reply-plan-video-last = 這個計畫把影片放在其他步驟之前（影片必須是最後一步）。

## 計畫的步驟。
op-brightness = 亮度 { $percent }%
op-contrast = 對比 { $percent }%
op-grayscale = 黑白
op-rotate = 順時針旋轉 { $degrees }°
op-flip-horizontal = 水平翻轉
op-flip-vertical = 垂直翻轉
op-crop-square = 裁成正方形
op-crop-aspect = 裁成 { $w }:{ $h }
op-resize = 長邊縮放到 { $pixels } 像素
op-scale = 縮放 ×{ $factor }
op-exposure = 曝光 { $stops } EV
op-saturation = 飽和度 { $percent }%
op-warmer = 色溫調暖 +{ $percent }%
op-cooler = 色溫調冷 { $percent }%
op-hue = 色相 { $degrees }°
op-gamma = 伽瑪 { $value }
op-sepia = 復古棕褐色
op-invert = 反轉顏色
op-posterize = 色調分離（{ $levels } 階）
op-vignette = 暗角 { $strength }%
op-blur = 模糊 { $radius } 像素
op-sharpen = 銳化 { $amount }%
op-denoise = 降噪
op-trim = 裁掉 { $sides }
op-trim-left = 左邊 { $percent }%
op-trim-top = 上方 { $percent }%
op-trim-right = 右邊 { $percent }%
op-trim-bottom = 下方 { $percent }%
op-border = { $color ->
        [white] 白色
        [black] 黑色
        [red] 紅色
        [blue] 藍色
        [green] 綠色
        [yellow] 黃色
        [gold] 金色
        [gray] 灰色
        [pink] 粉紅色
       *[other] 彩色
    }邊框 { $width } 像素
op-fill = 背景填滿{ $color ->
        [white] 白色
        [black] 黑色
        [red] 紅色
        [blue] 藍色
        [green] 綠色
        [yellow] 黃色
        [gold] 金色
        [gray] 灰色
        [pink] 粉紅色
       *[other] 彩色
    }
op-caption = { $place ->
    [top] 在上方
    [center] 在中間
   *[bottom] 在下方
}加上文字「{ $text }」
op-poster = 海報「{ $title }」
op-remove-background = 去除背景（透明）
op-background-color = 背景換成{ $color ->
        [white] 白色
        [black] 黑色
        [red] 紅色
        [blue] 藍色
        [green] 綠色
        [yellow] 黃色
        [gold] 金色
        [gray] 灰色
        [pink] 粉紅色
       *[other] 彩色
    }
op-background-gradient = 漸層背景
op-background-blur = 背景模糊（{ $strength }）
op-id-photo = { $width } × { $height } 毫米證件照
op-id-sheet = 4 × 6 吋沖印排版（{ $width } × { $height } 毫米證件照）
op-product-shot = { $color ->
        [white] 白色
        [black] 黑色
        [red] 紅色
        [blue] 藍色
        [green] 綠色
        [yellow] 黃色
        [gold] 金色
        [gray] 灰色
        [pink] 粉紅色
       *[other] 彩色
    }底產品圖
op-product-shot-shadow = { $color ->
        [white] 白色
        [black] 黑色
        [red] 紅色
        [blue] 藍色
        [green] 綠色
        [yellow] 黃色
        [gold] 金色
        [gray] 灰色
        [pink] 粉紅色
       *[other] 彩色
    }底產品圖，加陰影
op-product-scene = 產品圖{ $scene ->
    [studio] （攝影棚）
    [table] （木桌上）
   *[sunlit] （窗邊光線）
}
op-video = { $seconds } 秒影片：{ $motion ->
    [zoom-in] 緩慢推近
    [zoom-out] 拉遠呈現全景
    [pan] 平移
    [parallax] 視差
   *[crossfade] 從上一個版本淡入
}
op-video-shaped = { $seconds } 秒影片：{ $motion ->
    [zoom-in] 緩慢推近
    [zoom-out] 拉遠呈現全景
    [pan] 平移
    [parallax] 視差
   *[crossfade] 從上一個版本淡入
}，{ $shape }

## 編輯工作失敗的原因。
reason-attempts = 這次編輯失敗了好幾次。請再試一次。
reason-transient = 編輯時發生問題。請再試一次。
reason-damaged = 這次編輯的資料已損壞，無法執行。請重新傳送指令。
reason-planner-gone = 這次編輯所用的規劃服務已不再設定。
reason-provider-gone = 這次編輯所用的影像服務已不再設定。
reason-image-deleted = 要編輯的圖片已被刪除。
reason-video-failed = 無法製作影片。請再試一次。
reason-panicked = 編輯器處理這次編輯時出了問題，所以已停止。請試試其他編輯。
reason-crossfade-needs-earlier = 淡入效果需要這張圖片的較早版本作為起點。
reason-earlier-gone = 較早的版本已不存在。
reason-encode = 無法把結果儲存為圖片。請再試一次。
reason-too-large = 這樣會產生 { $width } × { $height } 的圖片；上限是 { $limit_mp } 百萬像素。
reason-no-subject = 這張照片裡找不到能和背景分開的明顯主體。請換一張有單一人物或物品突出的照片。
reason-no-face = 這張照片裡找不到臉。請用臉部清楚、正面受光並看著鏡頭的照片。
reason-faces-off = 這台伺服器沒有開啟證件照：人臉偵測模型沒有安裝。
reason-no-subject-there = 你點的地方沒有明顯的主體。請直接點在那個東西上，或用筆刷塗過它。
subject-point = 點選的位置必須在照片內：x 和 y 都要提供，介於 0 到 1 之間。
variants-range = 一次可以要求 1 到 { $max } 個變化版本。
variant-not-here = 這個版本不是這則回覆的變化版本之一。
reason-segmentation-off = 這台伺服器沒有開啟背景編輯：分割模型沒有安裝。
reason-segmentation-failed = 無法把主體和背景分開，請再試一次。
reason-device-no-clips = 短片要在伺服器上製作。請關閉「在這台裝置上編輯」後再試。
reason-device-model = 無法把背景模型載入這台裝置。請檢查網路連線後再試，或關閉「在這台裝置上編輯」。
reply-transparent-as-png = JPEG 無法保留透明背景，所以這個版本存成 PNG。
reason-image-service-down = 影像服務目前沒有回應。請過幾分鐘再試。
reason-image-service-safety = 影像服務基於安全理由拒絕了這個要求。
reason-image-service-rejected = 影像服務拒絕了這個要求：{ $detail }
reason-image-service-bad-answer = 影像服務傳回的內容不是可用的圖片。
reason-video-service-down = 影片服務目前沒有回應。請過幾分鐘再試。
reason-video-service-safety = 影片服務基於安全理由拒絕了這個要求。
reason-video-service-rejected = 影片服務拒絕了這個要求：{ $detail }

## 資料權利要求的內容（我的 → 你的資料 中的追蹤表）。
request-whole-account = 整個帳號
request-processor-customer = 你在付款服務（{ $processor }）的客戶資料，會隨帳號一起在那裡刪除
request-images-range = { $from } 至 { $to } 的圖片
request-export = 你所有資料的副本（ZIP）
request-corrected = 更正了{ $fields }
field-name = 姓名
field-username = 使用者名稱
field-email = 電子郵件
field-date-of-birth = 出生日期

## 刪除時的說明。
note-held = 這些內容中有一部分因法律原因（有進行中的內容審查）而保留，所以沒有刪除。
note-conversation-held = 對話已刪除。其中 { $retained } 張圖片因法律原因（證據保全）而保留，保全結束後會刪除。

## Edits inside a selection (a brush mask)
op-erase = 消除選取範圍（以周圍內容填補）
op-pixelate = 馬賽克（橫向 { $blocks } 格）
op-in-selection = { $step }（僅限選取範圍）
reply-service-done = 完成：這個版本由影像服務製作。
reply-service-done-in-selection = 完成：影像服務修改了選取的範圍，其餘部分維持原樣。
reply-needs-selection-erase = 我無法自行判斷要移除哪個部分，猜錯會改到照片裡不該改的地方。請點「選取範圍」，塗抹要移除的東西，再傳送「消除這個」。
reply-needs-selection-edit = 如果只想修改照片的一部分，請先點「選取範圍」塗抹那個部分，再傳送一次指令。照現在的寫法，會改到整張照片。
reply-selection-whole-photo = 「{ $step }」會改變整張照片，無法只在選取範圍內進行。請先清除選取範圍。
reason-no-selection = 這個步驟需要選取範圍：請先塗抹要處理的區域。
op-auto-levels = 自動色階
op-white-balance = 白平衡（去除偏色）

## Instructions with several images (numbered in the order attached; 1 is the photo being edited)
op-image-number = 圖 { $image }
op-overlay = 把圖 { $image } 放在{ $place ->
    [top-left] 左上角
    [top-right] 右上角
    [bottom-left] 左下角
    [bottom-right] 右下角
   *[center] 正中央
}（寬 { $size }%）
op-overlay-cut-out = 把圖 { $image } 去背後放在{ $place ->
    [top-left] 左上角
    [top-right] 右上角
    [bottom-left] 左下角
    [bottom-right] 右下角
   *[center] 正中央
}（寬 { $size }%）
op-combine = { $images }{ $layout ->
    [row] 左右並排
    [column] 上下排列
   *[grid] 拼成格狀
}
op-background-image = 用圖 { $image } 當背景
reply-no-such-image = 這個指示提到圖 { $image }，但只附上了 { $count } 張圖。圖片依附加的順序編號，第 1 張是要編輯的照片：請附上你指的圖片後再傳送一次。
reply-attach-references = 這個指示需要另一張圖（提到了圖 { $image }）。請把圖片和指示一起附上：要編輯的照片是圖 1，接著附加的是圖 2。
reply-combine-needs-two = 拼合圖片至少需要兩張。請把其他圖片和指示一起附上，再傳送一次。
reason-reference-deleted = 這次編輯用到的一張圖已被刪除。請重新附上它，再傳送一次指示。
references-too-many = 一個指示最多可以附上 { $max } 張圖。
references-no-photo = 其他圖片必須搭配一張要編輯的照片：請先附上那張照片。
reply-edit-other-image = 每個指示只編輯一張照片，也就是圖 1（在輸入框選定的那張）；圖 { $image } 可以放在它上面、排在它旁邊或當它的背景。要修改圖 { $image } 本身，請先把它選為要編輯的照片，再傳送一次指示。
