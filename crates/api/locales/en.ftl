# What the server (and the input rules the app shares with it) can tell a person. Each key is a
# `vinano_api::Msg`; the server writes its English `message` from this file, and the app shows the same key
# in the person's language. Keep the three files (en, zh-Hant, zh-Hans) in step: a test checks them.

## Waits, used inside other messages.
wait-seconds = { $n ->
    [one] { $n } second
   *[other] { $n } seconds
}
wait-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

## Sessions and sign-in.
error-unauthenticated = Please log in to continue.
error-invalid-credentials = That email/username and password don't match an account.
error-reauth-required = For your security, please enter your password again.
error-login-missing = Please enter your email or username and your password.
error-password-wrong = That password isn't right.
error-current-password-wrong = Your current password isn't right.
error-email-change-needs-password = To change your email address, enter your current password.
error-rate-limited = Too many attempts. Please wait { $wait } and try again.

## Input rules (shown next to the field).
error-name-empty = Please enter your name.
error-name-too-long = Names can be at most { $max } characters.
error-email-invalid = Please enter a valid email address, like name@example.com.
error-username-length = Usernames are { $min } to { $max } characters long.
error-username-characters = Usernames use letters, digits, '_', '.' or '-', and start with a letter or digit.
error-password-too-short = Passwords need at least { $min } characters.
error-password-too-long = Passwords can be at most { $max } characters.
error-password-common = This password is one of the most common ones and easy to guess. Please choose another.
error-date-of-birth-format = Please enter your date of birth as YYYY-MM-DD.
error-date-of-birth-unreal = Please enter your real date of birth.
error-under-age = Sorry, you must be at least { $age } years old to use ViNano.
error-under-age-deleted = ViNano is only for people { $age } and older, so this account and its data have been deleted.
error-prompt-empty = Please type what you would like to do with the image.
error-prompt-too-long = Instructions can be at most { $max } characters.
error-accept-terms = Please accept the terms of service to create an account.
error-accept-privacy = Please accept the privacy policy to create an account.
error-accept-responsibility = Please confirm that you are responsible for what you upload and ask for.
error-time-zone = Please choose a time zone from the list.
error-language = Please choose English, 繁體中文 or 简体中文.
error-avatar = That picture can't be used.
error-field-empty = This can't be empty.
error-field-too-long = At most { $max } characters, please.
error-email-taken = An account with this email already exists. Try logging in.
error-email-in-use = Another account uses this email address now.
error-username-taken = That username is taken. Please choose another.

## Email links.
error-link-expired = This link has expired or was already used. Ask for a new one from your account page.
error-reset-link-expired = This reset link has expired or was already used. Ask for a new one on the log-in page.
error-email-already-confirmed = Your email address is already confirmed.

## Photos and versions.
error-file-too-large = This file is too large. The limit is { $limit_mb } MB.
error-upload-empty = The upload was empty. Please choose a photo.
error-unsupported-image = This file is not a supported image. Please upload a JPEG, PNG or WebP photo.
error-heic = HEIC photos (the iPhone camera's default) can't be read here. Please choose JPEG: on the iPhone, Settings → Camera → Formats → Most Compatible, or share the photo as JPEG.
error-image-too-large = This image is too large ({ $width } × { $height } pixels). The limit is { $limit_mp } megapixels.
error-image-damaged = This image appears to be damaged and could not be read.
error-too-many-pixels = This would make a { $width } × { $height } image; the limit is { $limit_mp } megapixels. Try a smaller size.
error-unknown-format = Unknown format "{ $name }". Choose png, jpeg or webp.
error-video-mp4-only = A video downloads as MP4 only.
error-rate-only-edited = Only edited images can be rated.
error-comment-too-long = Comments can be at most { $max } characters.
error-upload-key-reused = This Idempotency-Key was already used for a different photo. Upload it with a new key.
error-upload-key-busy = This Idempotency-Key is in use.
error-image-flags-nothing = Send the commercial-use flag or the training consent.

## Conversations and edits.
error-title-empty = Please enter a title.
error-title-too-long = Titles can be at most { $max } characters.
error-conversation-nothing = Send a new title or the commercial-use flag.
error-needs-photo = Please attach a photo to edit first.
error-no-font = There is no font on this server that can draw these characters: { $chars }. Latin letters always work; for Chinese, the server needs a CJK font (such as Noto Sans CJK).
error-selection-unreadable = The selection could not be read. It should be a PNG image, white where you brushed.
error-selection-too-large = The selection is too large a file (the limit is { $max } MB).
error-tool-color = “{ $value }” is not a colour. Write it as # and six hex digits, like #ff8800.
error-tool-two-colors = Give the background two colours (top and bottom), or none to let the style choose.
error-tool-alone = A tool works on one whole photo: send it without a brushed area or other images.
error-tool-colors = Give the backdrop one colour, two for a gradient (top and bottom), or none for white.
error-tool-nudge = Move or resize by at most { $max } % either way.
error-tool-seconds = A clip is 1 to { $max } seconds long.
error-selection-shape = The selection ({ $width } × { $height }) doesn't fit this photo ({ $image_width } × { $image_height }). Please brush over this photo again.
error-selection-empty = The selection is empty. Brush over the part you mean first.
error-device-edit-plan = This version’s steps could not be read, so it was not saved. Make it again and save it.
error-device-edit-image = Send the version as the “image” part and its steps as the “edit” part.
error-selection-everything = The selection covers the whole photo, so there is nothing around it to fill it from. Brush over just what should go.
error-selection-no-photo = A selection needs a photo to select in. Attach one first.
error-message-key-reused = This Idempotency-Key was already used for a different message in this conversation. Send a new message with a new key.
error-refused = ViNano can't help with this request: it looks like it involves { $category ->
    [sexual_minors] sexual content involving minors
    [non_consensual_imagery] sexual or undressed images of real people without their consent
    [violent_extremism] violent extremism or terrorist propaganda
    [hate] hate against a group of people
    [self_harm] suicide or self-harm
   *[illegal_goods] illegal goods such as drugs, counterfeit money or forged documents
}. Please ask for something else.{ $category ->
    [self_harm] {" "}If you are thinking about harming yourself, please reach out to someone you trust or a local crisis line.
   *[other] {""}
}
error-retry-only-failed = Only a failed or cancelled edit can be retried.
error-retry-crashed = This edit stopped the editor twice, so it won't be tried again. Try a smaller change or another photo.
error-retry-too-many = This edit has been retried { $max } times already. Please send it again as a new message.

## Privacy and data rights.
error-privacy-nothing = Send at least one setting to change.
error-versions = versions={ $value }: use one or all.
error-date-format = Please give a date as YYYY-MM-DD.
error-date-order = The last day comes before the first.
error-deletion-not-scheduled = Your account isn't scheduled for deletion.
error-export-busy = Your export is already being prepared. We'll tell you when it is ready.
error-export-expired = This export has expired: downloads work for 24 hours. Please ask for a new one.
error-restore-too-late = It is too late to bring this back: a deleted version can be restored for 10 seconds.
error-preview-size = There is no { $size } px preview: previews are 256 or 768 px, and not converted to another format.
error-export-failed = This export could not be prepared. Please ask for a new one.
error-export-pending = This export is still being prepared.
error-share-what = Choose one picture or one conversation to share.
error-share-held = This picture is kept for legal reasons, so it can't be shared.
error-preset-name = Give the preset a name of 1 to { $max } characters.
error-preset-steps = This version's steps can't be saved as a preset: only a result ViNano's own editor made from one whole photo can be (not an upload, a model's edit, a brushed area or a mix of several images).
error-presets-full = You have { $max } presets, the most you can keep. Delete one to save another.
error-preset-alone = A preset runs on one whole photo: send it without a tool's form, a brushed area or other images.

## Limits.
error-quota-uploads = You have uploaded { $limit ->
    [one] one photo
   *[other] { $limit } photos
} in the last hour, the most allowed. Please wait { $wait } and try again.
error-quota-jobs = You already have { $limit } edits waiting or running. Please wait for one to finish.
error-quota-storage = Your images use all of your { $mb } MB of storage. Delete some older versions to make room.
error-quota-conversations = You have started { $limit ->
    [one] one conversation
   *[other] { $limit } conversations
} in the last hour, the most allowed. Please wait { $wait } and try again.
error-quota-conversions = You have converted { $limit } downloads in the last hour, the most allowed. Please wait { $wait } and try again.
error-quota-streams = You are following { $limit } edits at once already. Close another tab and try again.
error-credits-short = This costs { $cost ->
    [one] one credit
   *[other] { $cost } credits
} and you have { $balance } left on the { $plan } plan. New credits come at the start of your next period; Me → Subscription shows when, and the plans on offer.
error-plan-unknown = There is no plan called “{ $plan }” to choose. Choose Pro or Studio.
error-plan-current = You are on this plan already.
error-plan-free-no-cancel = You are on the Free plan: there is nothing to cancel.
error-signups-closed = This ViNano isn't taking new accounts. Ask the people who run it for one.
error-signups-invite-only = This ViNano takes new accounts by invitation: open the link in your invitation.
error-invite-invalid = This invitation has been used or has expired. Ask for a new one.
error-checkout-closed = This checkout is closed: it was paid, or it expired. Start again from Me → Subscription.
error-card-number = This card number isn't valid. Check it and try again.
error-card-expiry = Enter the expiry date as it is on the card (month 1–12).
error-card-expired = This card has expired.
error-card-cvc = Enter the 3 or 4 digit security code from the card.
error-card-declined = Your card was declined. Try another card.
error-card-insufficient-funds = Your card has insufficient funds. Try another card.
error-card-test-only = This is the test checkout: no real card is charged. Use a test card such as 4242 4242 4242 4242.
error-card-authentication = The payment wasn't confirmed, so nothing was charged. Try again or use another card.
error-card-none = There is no card on file to charge. Add a card in Me → Subscription.
error-plan-change-past-due = Your last renewal isn't paid yet. Pay it first (Me → Subscription → Pay now), then change the plan.
error-plan-change-from-free = You are on the Free plan: choose a paid plan to go through checkout.
error-plan-change-to-free = To move to Free, cancel your plan: it stays until the end of the period you paid for.
error-nothing-due = Nothing is waiting to be paid.
error-billing-unavailable = The payment service isn't answering right now. Nothing was charged or changed; please try again in a few minutes.
error-plan-change-instead = You have a paid plan already. To move to another, use “Change plan” on Me → Subscription.
error-billing-portal-none = There is nothing to manage at the payment service yet: subscribe to a plan first.
error-credits-past-due = This costs { $cost ->
    [one] one credit
   *[other] { $cost } credits
} and you have { $balance } left: your { $plan } renewal isn't paid yet, so this period's credits haven't come. Pay it in Me → Subscription.
error-adjust-reason = Say why, in 3 to 200 characters: the ledger keeps it.
error-adjust-amount = Enter a whole number of credits other than 0, at most { $max } either way.
error-adjust-below-zero = That would take the balance below zero: { $balance } left.
error-disable-self = You can't disable your own account.
error-account-disabled = This account has been disabled by the people who run this ViNano. Ask them to enable it again; you can still ask for your data or its deletion.
error-webhook-signature = This event's signature doesn't match.
error-webhook-body = This event couldn't be read.

## Requests (what a program sending them did wrong).
error-json-content-type = Send this request as JSON (Content-Type: application/json).
error-json-object = The request body must be a JSON object.
error-request-too-large = This request is too large.
error-request-unreadable = We couldn't read that request: { $detail }
error-query-unreadable = We couldn't read the query string: { $detail }
error-cross-site = This request came from another site and was refused.
error-report-batch = Send 1 to { $max } events at a time.
error-report-event = Unknown event "{ $name }".
error-report-duration = An event lasts at most a day.
error-report-kind = Use panic or request.

## The server.
error-not-found = We couldn't find that.
error-request-timeout = The upload was too slow and was stopped. Please try again on a better connection.
error-storage-full = ViNano can't save anything right now: the server is out of space. Everything you have is safe and can still be viewed and downloaded. Please try again later.
error-internal = Something went wrong on our side. Please try again.
