# 编辑器对一次编辑说的话：回复（做了什么，或为什么做不到）、计划的每个步骤、任务失败的原因；以及数据权利跟踪
# 如何称呼一项请求。每个键都是一个 `vinano_api::Msg`。

## 其他消息里的列表。
join-steps = {"，然后"}
join-list = {"、"}
quoted = “{ $text }”


## 对指令的回复。
reply-done = 完成：{ $steps }。
reply-done-left-out = 完成：{ $steps }。我没看懂{ $phrases }，所以略过了。
reply-with-note = { $reply }{ $note }
reply-not-understood = 抱歉，我没看懂这个指令。我可以调整亮度、对比度、曝光、饱和度、色温、色相和伽马；把照片变成黑白、复古棕褐色或负片；模糊、锐化或降噪；加上暗角或边框；去背、换背景颜色或把背景模糊（人像模式），或做白底产品图；裁剪（正方形、16:9，或“左边裁掉 10%”）、旋转、翻转或缩放；以及套用复古、电影感或黑白胶片等风格。试试“调亮一点，裁成正方形”或 "make it a bit warmer and crop it square"。
reply-too-many-steps = 这条消息里有 { $count } 项编辑；我一次最多能做 { $max } 项。请分成几条发送。
reply-text-too-long = 图片上的文字最多 { $max } 个字符。请缩短一些。
reply-video-seconds = 视频长度可以是 1 到 10 秒。
reply-posterize-levels = 色调分离可以设置 2 到 32 级。
reply-blur-range = 我可以模糊 0.5 到 50 像素。
reply-gamma-range = 伽马值范围是 0.2 到 5。
reply-border-range = 边框宽度可以是 1 到 500 像素。
reply-exposure-range = 曝光范围是 -3 到 +3 档。
reply-rotate-quarter = 我只能以 90 度为单位旋转：90、180 或 270 度。
reply-trim-range = 每条边可以裁掉 1% 到 45%。
reply-scale-range = 我可以缩放到 1% 到 400% 之间。
reply-resize-range = 我可以把长边缩放到 16 到 { $max } 像素之间。
reply-plan-steps = 这个计划没有步骤，或超过 { $max } 个步骤。
reply-plan-value = 这个计划要求的值超出范围：{ $step }。
reply-plan-video-last = 这个计划把视频放在其他步骤之前（视频必须是最后一步）。

## 计划的步骤。
op-brightness = 亮度 { $percent }%
op-contrast = 对比度 { $percent }%
op-grayscale = 黑白
op-rotate = 顺时针旋转 { $degrees }°
op-flip-horizontal = 水平翻转
op-flip-vertical = 垂直翻转
op-crop-square = 裁成正方形
op-crop-aspect = 裁成 { $w }:{ $h }
op-resize = 长边缩放到 { $pixels } 像素
op-scale = 缩放 ×{ $factor }
op-exposure = 曝光 { $stops } EV
op-saturation = 饱和度 { $percent }%
op-warmer = 色温调暖 +{ $percent }%
op-cooler = 色温调冷 { $percent }%
op-hue = 色相 { $degrees }°
op-gamma = 伽马 { $value }
op-sepia = 复古棕褐色
op-invert = 反转颜色
op-posterize = 色调分离（{ $levels } 级）
op-vignette = 暗角 { $strength }%
op-blur = 模糊 { $radius } 像素
op-sharpen = 锐化 { $amount }%
op-denoise = 降噪
op-trim = 裁掉 { $sides }
op-trim-left = 左边 { $percent }%
op-trim-top = 上方 { $percent }%
op-trim-right = 右边 { $percent }%
op-trim-bottom = 下方 { $percent }%
op-border = { $color ->
        [white] 白色
        [black] 黑色
        [red] 红色
        [blue] 蓝色
        [green] 绿色
        [yellow] 黄色
        [gold] 金色
        [gray] 灰色
        [pink] 粉色
       *[other] 彩色
    }边框 { $width } 像素
op-fill = 背景填充{ $color ->
        [white] 白色
        [black] 黑色
        [red] 红色
        [blue] 蓝色
        [green] 绿色
        [yellow] 黄色
        [gold] 金色
        [gray] 灰色
        [pink] 粉色
       *[other] 彩色
    }
op-caption = { $place ->
    [top] 在上方
    [center] 在中间
   *[bottom] 在下方
}加上文字“{ $text }”
op-poster = 海报“{ $title }”
op-remove-background = 去除背景（透明）
op-background-color = 背景换成{ $color ->
        [white] 白色
        [black] 黑色
        [red] 红色
        [blue] 蓝色
        [green] 绿色
        [yellow] 黄色
        [gold] 金色
        [gray] 灰色
        [pink] 粉色
       *[other] 彩色
    }
op-background-gradient = 渐变背景
op-background-blur = 背景模糊（{ $strength }）
op-id-photo = { $width } × { $height } 毫米证件照
op-id-sheet = 4 × 6 英寸冲印排版（{ $width } × { $height } 毫米证件照）
op-product-shot = { $color ->
        [white] 白色
        [black] 黑色
        [red] 红色
        [blue] 蓝色
        [green] 绿色
        [yellow] 黄色
        [gold] 金色
        [gray] 灰色
        [pink] 粉色
       *[other] 彩色
    }底产品图
op-product-shot-shadow = { $color ->
        [white] 白色
        [black] 黑色
        [red] 红色
        [blue] 蓝色
        [green] 绿色
        [yellow] 黄色
        [gold] 金色
        [gray] 灰色
        [pink] 粉色
       *[other] 彩色
    }底产品图，加阴影
op-product-scene = 产品图{ $scene ->
    [studio] （摄影棚）
    [table] （木桌上）
   *[sunlit] （窗边光线）
}
op-video = { $seconds } 秒视频：{ $motion ->
    [zoom-in] 缓慢推近
    [zoom-out] 拉远呈现全景
    [pan] 平移
    [parallax] 视差
   *[crossfade] 从上一个版本淡入
}
op-video-shaped = { $seconds } 秒视频：{ $motion ->
    [zoom-in] 缓慢推近
    [zoom-out] 拉远呈现全景
    [pan] 平移
    [parallax] 视差
   *[crossfade] 从上一个版本淡入
}，{ $shape }

## 编辑任务失败的原因。
reason-attempts = 这次编辑失败了好几次。请再试一次。
reason-transient = 编辑时出现问题。请再试一次。
reason-damaged = 这次编辑的数据已损坏，无法执行。请重新发送指令。
reason-planner-gone = 这次编辑所用的规划服务已不再配置。
reason-provider-gone = 这次编辑所用的图像服务已不再配置。
reason-image-deleted = 要编辑的图片已被删除。
reason-video-failed = 无法制作视频。请再试一次。
reason-panicked = 编辑器处理这次编辑时出了问题，所以已停止。请试试其他编辑。
reason-crossfade-needs-earlier = 淡入效果需要这张图片的较早版本作为起点。
reason-earlier-gone = 较早的版本已不存在。
reason-encode = 无法把结果保存为图片。请再试一次。
reason-too-large = 这样会生成 { $width } × { $height } 的图片；上限是 { $limit_mp } 百万像素。
reason-no-subject = 这张照片里找不到能和背景分开的明显主体。请换一张有单一人物或物品突出的照片。
reason-no-face = 这张照片里找不到脸。请用脸部清楚、正面受光并看着镜头的照片。
reason-faces-off = 这台服务器没有开启证件照：人脸检测模型没有安装。
reason-no-subject-there = 你点的地方没有明显的主体。请直接点在那个东西上，或用笔刷涂过它。
subject-point = 点选的位置必须在照片内：x 和 y 都要提供，介于 0 到 1 之间。
variants-range = 一次可以要求 1 到 { $max } 个变体。
variant-not-here = 这个版本不是这条回复的变体之一。
reason-segmentation-off = 这台服务器没有开启背景编辑：分割模型没有安装。
reason-segmentation-failed = 无法把主体和背景分开，请再试一次。
reason-device-no-clips = 短片要在服务器上制作。请关闭“在这台设备上编辑”后再试。
reason-device-model = 无法把背景模型载入这台设备。请检查网络连接后再试，或关闭“在这台设备上编辑”。
reply-transparent-as-png = JPEG 无法保留透明背景，所以这个版本存成 PNG。
reason-image-service-down = 图像服务目前没有响应。请过几分钟再试。
reason-image-service-safety = 图像服务出于安全原因拒绝了这个请求。
reason-image-service-rejected = 图像服务拒绝了这个请求：{ $detail }
reason-image-service-bad-answer = 图像服务返回的内容不是可用的图片。
reason-video-service-down = 视频服务目前没有响应。请过几分钟再试。
reason-video-service-safety = 视频服务出于安全原因拒绝了这个请求。
reason-video-service-rejected = 视频服务拒绝了这个请求：{ $detail }

## 数据权利请求的内容（我的 → 你的数据 中的跟踪表）。
request-whole-account = 整个账号
request-processor-customer = 你在付款服务（{ $processor }）的客户资料，会随账号一起在那里删除
request-images-range = { $from } 至 { $to } 的图片
request-export = 你所有数据的副本（ZIP）
request-corrected = 更正了{ $fields }
field-name = 姓名
field-username = 用户名
field-email = 电子邮件
field-date-of-birth = 出生日期

## 删除时的说明。
note-held = 这些内容中有一部分因法律原因（有进行中的内容审查）而保留，所以没有删除。
note-conversation-held = 对话已删除。其中 { $retained } 张图片因法律原因（证据保全）而保留，保全结束后会删除。

## Edits inside a selection (a brush mask)
op-erase = 消除选取范围（用周围内容填补）
op-pixelate = 马赛克（横向 { $blocks } 格）
op-in-selection = { $step }（仅限选取范围）
reply-service-done = 完成：这个版本由图像服务制作。
reply-service-done-in-selection = 完成：图像服务修改了选取的范围，其余部分保持原样。
reply-needs-selection-erase = 我无法自行判断要移除哪个部分，猜错会改到照片里不该改的地方。请点“选取范围”，涂抹要移除的东西，再发送“消除这个”。
reply-needs-selection-edit = 如果只想修改照片的一部分，请先点“选取范围”涂抹那个部分，再发送一次指令。照现在的写法，会改到整张照片。
reply-selection-whole-photo = “{ $step }”会改变整张照片，无法只在选取范围内进行。请先清除选取范围。
reason-no-selection = 这个步骤需要选取范围：请先涂抹要处理的区域。
op-auto-levels = 自动色阶
op-white-balance = 白平衡（去除偏色）

## Instructions with several images (numbered in the order attached; 1 is the photo being edited)
op-image-number = 图 { $image }
op-overlay = 把图 { $image } 放在{ $place ->
    [top-left] 左上角
    [top-right] 右上角
    [bottom-left] 左下角
    [bottom-right] 右下角
   *[center] 正中间
}（宽 { $size }%）
op-overlay-cut-out = 把图 { $image } 抠图后放在{ $place ->
    [top-left] 左上角
    [top-right] 右上角
    [bottom-left] 左下角
    [bottom-right] 右下角
   *[center] 正中间
}（宽 { $size }%）
op-combine = { $images }{ $layout ->
    [row] 左右并排
    [column] 上下排列
   *[grid] 拼成网格
}
op-background-image = 用图 { $image } 作背景
reply-no-such-image = 这个指令提到图 { $image }，但只附上了 { $count } 张图。图片按附加顺序编号，第 1 张是要编辑的照片：请附上你说的图片后再发送一次。
reply-attach-references = 这个指令需要另一张图（提到了图 { $image }）。请把图片和指令一起附上：要编辑的照片是图 1，接着附加的是图 2。
reply-combine-needs-two = 拼合图片至少需要两张。请把其他图片和指令一起附上，再发送一次。
reason-reference-deleted = 这次编辑用到的一张图已被删除。请重新附上它，再发送一次指令。
references-too-many = 一个指令最多可以附上 { $max } 张图。
references-no-photo = 其他图片必须搭配一张要编辑的照片：请先附上那张照片。
reply-edit-other-image = 每个指令只编辑一张照片，也就是图 1（在输入框选定的那张）；图 { $image } 可以放在它上面、排在它旁边或作它的背景。要修改图 { $image } 本身，请先把它选为要编辑的照片，再发送一次指令。
