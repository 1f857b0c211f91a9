# What the editor says about an edit: its reply (what it did, or why it couldn't), each step of a plan, and
# why a job failed; and how the data-rights tracker names a request. Each key is a `vinano_api::Msg`.

## Lists inside other messages (the "steps" of a plan, any other list).
join-steps = {", then "}
join-list = {", "}
quoted = "{ $text }"


## The reply to an instruction.
reply-done = Done: { $steps }.
reply-done-left-out = Done: { $steps }. I didn't understand { $phrases } and left that out.
reply-with-note = { $reply } { $note }
reply-not-understood = Sorry, I didn't understand that. I can change brightness, contrast, exposure, saturation, warmth, hue and gamma; make a photo black and white, sepia or a negative; blur, sharpen or reduce noise; add a vignette or a border; remove the background, replace it with a colour or blur it (portrait mode), or make a product shot on white; crop it (square, 16:9, or "remove 10% from the left"), rotate, flip or resize it; and apply looks like vintage, cinematic or black-and-white film. Try "make it a bit warmer and crop it square" or "調亮一點，裁成正方形".
reply-too-many-steps = That is { $count } edits in one message; I can do up to { $max } at a time. Please send them in smaller groups.
reply-text-too-long = Text on an image can be up to { $max } characters. Please shorten it.
reply-video-seconds = A video can be 1 to 10 seconds long.
reply-posterize-levels = Posterize takes 2 to 32 levels.
reply-blur-range = I can blur by 0.5 to 50 pixels.
reply-gamma-range = Gamma goes from 0.2 to 5.
reply-border-range = A border can be 1 to 500 pixels wide.
reply-exposure-range = Exposure goes from -3 to +3 stops.
reply-rotate-quarter = I can rotate by quarter turns only: 90, 180 or 270 degrees.
reply-trim-range = I can trim 1% to 45% from an edge.
reply-scale-range = I can resize between 1% and 400%.
reply-resize-range = I can resize to between 16 and { $max } pixels on the long side.
reply-plan-steps = The plan asks for no steps, or more than { $max }.
reply-plan-value = The plan asks for a value out of range: { $step }.
reply-plan-video-last = The plan asks for a video before other steps (it has to be the last one).

## The steps of a plan.
op-brightness = brightness { $percent }%
op-contrast = contrast { $percent }%
op-grayscale = black and white
op-rotate = rotate { $degrees }° clockwise
op-flip-horizontal = flip horizontally
op-flip-vertical = flip vertically
op-crop-square = crop square
op-crop-aspect = crop to { $w }:{ $h }
op-resize = resize to { $pixels } px on the long side
op-scale = resize ×{ $factor }
op-exposure = exposure { $stops } EV
op-saturation = saturation { $percent }%
op-warmer = warmer +{ $percent }%
op-cooler = cooler { $percent }%
op-hue = hue { $degrees }°
op-gamma = gamma { $value }
op-sepia = sepia
op-invert = invert colours
op-posterize = posterize ({ $levels } levels)
op-vignette = vignette { $strength }%
op-blur = blur { $radius } px
op-sharpen = sharpen { $amount }%
op-denoise = reduce noise
op-trim = trim { $sides }
op-trim-left = { $percent }% left
op-trim-top = { $percent }% top
op-trim-right = { $percent }% right
op-trim-bottom = { $percent }% bottom
op-border = { $color ->
        [white] white
        [black] black
        [red] red
        [blue] blue
        [green] green
        [yellow] yellow
        [gold] gold
        [gray] gray
        [pink] pink
       *[other] coloured
    } border { $width } px
op-fill = fill background { $color ->
        [white] white
        [black] black
        [red] red
        [blue] blue
        [green] green
        [yellow] yellow
        [gold] gold
        [gray] gray
        [pink] pink
       *[other] coloured
    }
op-caption = text "{ $text }" { $place ->
    [top] at the top
    [center] in the middle
   *[bottom] at the bottom
}
op-poster = poster "{ $title }"
op-remove-background = remove background (transparent)
op-background-color = { $color ->
        [white] white
        [black] black
        [red] red
        [blue] blue
        [green] green
        [yellow] yellow
        [gold] gold
        [gray] gray
        [pink] pink
       *[other] coloured
    } background
op-background-gradient = gradient background
op-background-blur = blur the background ({ $strength })
op-id-photo = ID photo { $width } × { $height } mm
op-id-sheet = 4 × 6 in print sheet of { $width } × { $height } mm ID photos
op-product-shot = product shot on { $color ->
        [white] white
        [black] black
        [red] red
        [blue] blue
        [green] green
        [yellow] yellow
        [gold] gold
        [gray] gray
        [pink] pink
       *[other] coloured
    }
op-product-shot-shadow = product shot on { $color ->
        [white] white
        [black] black
        [red] red
        [blue] blue
        [green] green
        [yellow] yellow
        [gold] gold
        [gray] gray
        [pink] pink
       *[other] coloured
    }, with a shadow
op-product-scene = product shot { $scene ->
    [studio] in a studio
    [table] on a wooden table
   *[sunlit] in window light
}
op-video = { $seconds } s video: { $motion ->
    [zoom-in] slow zoom
    [zoom-out] zoom-out reveal
    [pan] pan
    [parallax] parallax
   *[crossfade] crossfade from the previous version
}
op-video-shaped = { $seconds } s video: { $motion ->
    [zoom-in] slow zoom
    [zoom-out] zoom-out reveal
    [pan] pan
    [parallax] parallax
   *[crossfade] crossfade from the previous version
}, { $shape }

## Why an edit job failed.
reason-attempts = This edit failed several times. Please try again.
reason-transient = Something went wrong while editing. Please try again.
reason-damaged = This edit is damaged and can't be run. Please send the instruction again.
reason-planner-gone = The planner for this edit is not configured any more.
reason-provider-gone = The image service for this edit is not configured any more.
reason-image-deleted = The image to edit has been deleted.
reason-video-failed = The video could not be made. Please try again.
reason-panicked = Something went wrong in the editor with this edit, so it was stopped. Please try another edit.
reason-crossfade-needs-earlier = A crossfade needs an earlier version of this image to fade from.
reason-earlier-gone = The earlier version is gone.
reason-encode = The result could not be saved as an image. Please try again.
reason-too-large = This would make a { $width } × { $height } image; the limit is { $limit_mp } megapixels.
reason-no-subject = I couldn't find a clear subject in this photo to separate from its background. Try a photo where one person or thing stands out.
reason-no-face = I couldn't find a face in this photo. Use a photo where the face is clear, lit from the front and looking at the camera.
reason-faces-off = ID photos are off on this server: its face detection model is not installed.
reason-no-subject-there = Nothing stands out where you tapped. Tap on the thing itself, or brush over it.
subject-point = The tapped point must be inside the photo: x and y from 0 to 1, both given.
variants-range = Ask for 1 to { $max } variants at a time.
variant-not-here = That version isn't one of this reply's variants.
reason-segmentation-off = Background editing is off on this server: its segmentation model is not installed.
reason-segmentation-failed = The subject could not be separated from the background. Please try again.
reason-device-no-clips = Clips are made on the server. Turn off “Edit on this device” to make one.
reason-device-model = The background model could not be loaded onto this device. Check your connection and try again, or turn off “Edit on this device”.
reply-transparent-as-png = JPEG can't keep a transparent background, so this version is a PNG.
reason-image-service-down = The image service is not responding right now. Please try again in a few minutes.
reason-image-service-safety = The image service refused this request for safety reasons.
reason-image-service-rejected = The image service rejected the request: { $detail }
reason-image-service-bad-answer = The image service sent back something that isn't a usable image.
reason-video-service-down = The video service is not responding right now. Please try again in a few minutes.
reason-video-service-safety = The video service refused this request for safety reasons.
reason-video-service-rejected = The video service rejected the request: { $detail }

## What a data-rights request was about (the tracker in Me → Your data).
request-whole-account = the whole account
request-processor-customer = your customer record at the payment service ({ $processor }), deleted there with the account
request-images-range = images from { $from } to { $to }
request-export = a copy of all your data (ZIP)
request-corrected = corrected { $fields }
field-name = name
field-username = username
field-email = email
field-date-of-birth = date of birth

## Notes on a deletion.
note-held = Some of this content is kept for legal reasons (a content review is open), so it was not deleted.
note-conversation-held = The conversation is deleted. { $retained ->
    [one] 1 image from it is
   *[other] { $retained } images from it are
} kept for legal reasons (an evidence hold) and will be deleted when the hold ends.

## Edits inside a selection (a brush mask)
op-erase = erase the selected area (filled from its surroundings)
op-pixelate = pixelate ({ $blocks } blocks across)
op-in-selection = { $step }, inside the selection
reply-service-done = Done: the image service made this version.
reply-service-done-in-selection = Done: the image service changed the selected area; the rest of the photo is as it was.
reply-needs-selection-erase = I can't tell by myself which part to remove, and guessing could change the wrong part of your photo. Tap "Select area", brush over what should go, then send "erase this".
reply-needs-selection-edit = To change only one part of the photo, tap "Select area" and brush over it first, then send the instruction again. As written, it would change the whole photo.
reply-selection-whole-photo = "{ $step }" changes the whole photo, so it can't be done inside a selection. Clear the selection to do it.
reason-no-selection = This step needs a selection: brush over the area first.
op-auto-levels = auto levels
op-white-balance = white balance (colour cast removed)

## Instructions with several images (numbered in the order attached; 1 is the photo being edited)
op-image-number = image { $image }
op-overlay = image { $image } placed { $place ->
    [top-left] at the top left
    [top-right] at the top right
    [bottom-left] at the bottom left
    [bottom-right] at the bottom right
   *[center] in the middle
} ({ $size }% wide)
op-overlay-cut-out = image { $image } cut out and placed { $place ->
    [top-left] at the top left
    [top-right] at the top right
    [bottom-left] at the bottom left
    [bottom-right] at the bottom right
   *[center] in the middle
} ({ $size }% wide)
op-combine = { $images } { $layout ->
    [row] side by side
    [column] one above the other
   *[grid] in a grid
}
op-background-image = image { $image } as the background
reply-no-such-image = This instruction names image { $image }, but only { $count } came with it. Images are numbered in the order you attach them, starting with the photo being edited: attach the ones you mean and send it again.
reply-attach-references = This instruction needs another image (it names image { $image }). Attach the images with the instruction: the photo being edited is image 1, the next one you attach is image 2.
reply-combine-needs-two = Putting pictures together needs at least two. Attach the others with the instruction and send it again.
reason-reference-deleted = An image this edit uses was deleted. Attach it again and send the instruction again.
references-too-many = An instruction can come with at most { $max } images.
references-no-photo = Other images can only come with a photo to edit: attach that one first.
reply-edit-other-image = Each instruction edits one photo, image 1 (the one chosen in the composer); image { $image } can be placed on it, put beside it or used as its background. To change image { $image } itself, choose it as the photo to edit and send the instruction again.
