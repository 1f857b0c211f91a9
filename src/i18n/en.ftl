## English strings for the ViNano SPA. Every user-visible string lives here; Traditional Chinese follows
## as zh-Hant.ftl with the same keys.

app-name = ViNano
app-tagline = Create and edit images by talking to them.
skip-to-content = Skip to content
loading = Loading…

nav-main = Main
nav-home = Home
nav-image = AI Image
nav-video = AI Video
nav-tools = AI Tools
nav-me = Me
nav-login = Log in
nav-signup = Sign up
nav-logout = Log out

home-title = Edit photos by saying what you want
home-lead = Upload a photo, type "make it black and white and crop it square", and get a new version in seconds.
home-cta = Start editing
home-cta-signup = Create a free account
home-feature-chat = Plain-language edits: brightness, contrast, black and white, rotate, flip, crop and resize.
home-feature-private = Your photos are re-encoded without location data and only you can see them.
home-feature-versions = Every edit is kept as a new version next to the original.

video-title = AI Video
video-body = Turn any image into a short looping clip: open it in AI Image and ask, for example, "make a video with a slow zoom", "animate it with a 5 second pan", "make a zoom out reveal clip", or "crossfade video from the previous version". The clip appears in the conversation and downloads as a GIF.
video-open = Open AI Image
tools-title = AI Tools
tools-body = Poster maker, product photos, social-media resizer and ID photos are coming here.

auth-login-title = Log in
auth-signup-title = Create your account
auth-login-field = Email or username
auth-password = Password
auth-password-hint = At least 8 characters.
auth-name = Name
auth-email = Email
auth-username = Username
auth-username-hint = 3–30 letters, digits, _, . or -
auth-dob = Date of birth
auth-dob-hint = You must be at least 13 years old.
auth-submit-login = Log in
auth-submit-signup = Create account
auth-working = Please wait…
auth-have-account = Already have an account?
auth-no-account = New to ViNano?
auth-accept-terms = I accept the ViNano terms of service.
auth-accept-privacy = I have read and accept the privacy policy.
auth-accept-responsibility = I am responsible for the photos I upload and the images I ask for, and I have the right to use them.
auth-forgot-link = Forgot your password?

me-title = Me
me-account = Account
me-signed-in-as = Signed in as { $name }
me-member-since = Member since { $date }
me-logout = Log out
me-need-login = Log in to see your account.
me-security = Security
me-email-verified = Your email address is confirmed.
me-email-unverified = Your email address isn't confirmed yet: open the link we emailed you.
me-email-pending = We sent a link to { $email }: open it to start using that address.
me-email-resend = Send the link again
me-email-resent = A new link is on its way.
me-language = Language
policy-language = Language of the policy
policy-version = Version { $version }
policy-accept-lead = We've changed our privacy policy (version { $version }). Please read it, then accept it to keep using ViNano.
policy-accept = I have read and accept the privacy policy
policy-banner = We've updated our privacy policy (version { $version }).
policy-banner-read = Read and accept
footer-privacy = Privacy policy
data-title = Your data
data-requests = Your requests
data-requests-none = No requests yet. Deletions, exports and corrections you make are listed here with the date they are due (within a month).
data-request-what = Request
data-request-status = Status
data-request-received = Received
data-request-kind-export = Export
data-request-kind-deletion = Deletion
data-request-kind-correction = Correction
data-request-status-received = Received
data-request-status-in-progress = In progress
data-request-status-completed = Completed
data-request-status-cancelled = Cancelled
data-request-due = Due
data-everything = Everything we hold about you
data-everything-lead = Every record with your name on it, as stored (times in your time zone). Passwords and keys are never shown: we only keep their hashes. For images, “expires at” is the day they are deleted.
data-correct = Something wrong or out of date? Correct it:
data-correct-account = your account details
data-correct-privacy = your privacy choices
problem-request = Something went wrong on our side. We've been told automatically.
problem-crashed = ViNano ran into a problem and had to reload. We've been told automatically.
problem-tell = Tell us what happened
problem-label = What were you doing? (optional — please leave out passwords and personal details)
problem-send = Send
problem-close = Dismiss
problem-thanks = Thank you. Your note was sent with the report.
export-title = Download a copy of your data
export-lead = One ZIP file with your photos and edits, a page you can open in any browser, and all your data as JSON for other apps. We prepare it in the background and email you when it's ready; the download then works for 24 hours.
export-ask = Prepare my copy
export-again = Prepare a new copy
export-preparing = We're preparing your copy (asked for { $time }). You can leave this page: we'll email you when it's ready.
export-ready = Your copy is ready: { $size }, { $files } files. You can download it until { $until }.
export-download = Download ZIP
export-expired = Your last copy (asked for { $time }) has expired.
export-reauth = For your security, enter your password to download your data.
export-gone = That copy can't be downloaded any more (copies last 24 hours). Please prepare a new one.
export-password = Your password, to download
export-reauth-submit = Confirm and download
export-banner = Your data export is ready. Download it before { $until }.
export-banner-open = Go to download
data-range = Delete images by date
data-range-from = From
data-range-to = To (inclusive)
data-range-submit = Delete these images
data-range-confirm = Delete every image you made from { $from } to { $to }? This can't be undone.
data-range-done = { $count ->
    [one] One image deleted.
   *[other] { $count } images deleted.
}
data-account = Delete your account
data-account-lead = Everything goes: your photos, edits, conversations and settings. You have 30 days to change your mind by logging in; after that it can't be undone. Some content may be kept if the law requires it.
data-account-password = Your password
data-account-submit = Delete my account
data-account-confirm = Delete your account? You'll be signed out everywhere, and everything is deleted in 30 days unless you log in and keep it.
data-account-scheduled = Your account will be deleted in 30 days. Log in before then to keep it.
deletion-banner = Your account is scheduled for deletion on { $date }.
deletion-keep = Keep my account
image-delete-version = Delete this version
image-delete-all = Delete all versions
image-delete-all-confirm = Delete this image and every version of it? You can undo this for a few seconds.
me-privacy = Privacy
me-privacy-gpc = Your browser sends Global Privacy Control, so we turned off analytics and AI training for you. You can still turn them on here.
me-privacy-images = Your images
me-privacy-training = Allow my images to be used, anonymised, to train ViNano's AI
me-privacy-training-hint = Images you mark for commercial use are never used unless you agree for that image.
me-privacy-usage = Usage
me-privacy-analytics = Usage analytics
me-privacy-analytics-hint = Which features you use and how long edits take, to improve ViNano.
me-privacy-email = Email
me-privacy-news = Product news
me-privacy-news-hint = New features, now and then.
me-privacy-tips = Tips
me-privacy-tips-hint = Ideas for getting more out of ViNano.
me-privacy-policy-mail = Privacy policy changes
me-privacy-policy-mail-hint = Always sent: you need to know when the rules change.
me-consents = Your consent history
consent-what-terms = Terms of service
consent-what-privacy-policy = Privacy policy
consent-what-user-responsibility = Responsibility for what you upload
consent-what-ai-training = Your images for AI training
consent-what-analytics = Usage analytics
consent-what-email-news = Product news emails
consent-what-email-tips = Tips emails
consent-what-gpc = Global Privacy Control (your browser's signal)
consent-what-image = AI training on one commercial image
consent-value-accepted = accepted
consent-value-on = on
consent-value-off = off
consent-value-applied = applied
consent-value-given = consent given
consent-value-none = no consent
consent-value-withdrawn = consent withdrawn
consent-source-signup = at sign-up
consent-source-settings = in Me → Privacy
consent-source-gpc = by your browser's Global Privacy Control
consent-source-image = on the image
consent-source-banner = from the notice of a new policy
consent-version = version { $version }
consent-policy = privacy policy { $version }
image-privacy = Privacy
image-expires = Will be deleted on { $date }
image-retained = Kept for legal reasons
image-commercial = Commercial use: never use this image for AI training
image-training-consent = I consent to using this commercial image for AI training anyway
image-conversation-commercial = Commercial use
me-avatar-alt = Your profile picture
me-avatar-choose = Choose a profile picture
me-avatar-remove = Remove the picture
me-avatar-working = Preparing your picture…
me-time-zone = Time zone
me-current-password = Your password, to confirm the new email
me-current-password-why = Needed to move your account to another address. We'll also tell your current address.
me-current-password-needed = Enter your current password to change your email address.
me-save = Save changes
me-saved = Saved.
me-password = Password
me-password-current = Current password
me-password-others = Also sign out on every other device
me-password-submit = Change password
me-password-done = Password changed. { $count ->
    [0] No other devices were signed out.
    [one] One other device was signed out.
   *[other] { $count } other devices were signed out.
}
me-sessions = Where you're signed in
me-session-current = This device
me-session-facts = { $ip } · signed in { $started } · last used { $seen }
me-session-end = Sign out
me-session-end-this = Sign out here
me-logout-everywhere = Sign out everywhere

image-title = AI Image
image-conversations = Conversations
image-new = New conversation
image-no-conversations = No conversations yet.
image-need-login = Log in or sign up to start editing images.
image-empty-thread = Attach a photo and tell ViNano what to change, for example "make it brighter and crop it square".
image-attach = Attach a photo
image-settings = Settings
image-settings-done = Done
image-conversations-open = Conversations
image-conversations-close = Close the list
image-instruction = Instruction
image-instruction-placeholder = Describe the edit, e.g. make it black and white and rotate it 90 degrees
image-send = Send
image-sending = Working…
image-you = You
image-assistant = ViNano
image-original-alt = Your photo ({ $width } × { $height })
image-result-alt = Edited image: { $steps } ({ $width } × { $height })
image-made-alt = Image made by ViNano from your words: { $steps } ({ $width } × { $height })
image-clip-alt = Clip made by ViNano: { $steps } ({ $width } × { $height })
image-need-photo = Please attach a photo to edit first.
image-too-big = This file is too large. The limit is { $mb } MB.
image-wrong-type = Please choose a JPEG, PNG or WebP photo.
image-not-found = This conversation doesn't exist or isn't yours.

error-network = Can't reach ViNano. Check your connection and try again.
error-decode = ViNano sent a response we couldn't read. Please try again.
error-session-expired = Your session has expired. Please log in again.
not-found-title = Page not found
not-found-body = There's nothing at this address.
not-found-home = Go to the home page
page-load-failed-title = This page didn't load
page-load-failed-body = Part of ViNano couldn't be downloaded. Check your connection, then try again.
page-load-failed-retry = Try again

image-use-target = Edit this one next
image-target-selected = Selected for the next edit
image-target-chip = Next edit applies to: { $what }
image-target-clear = Use the latest image instead
image-download = Download
image-generation = { $steps } · { $provider } · { $ms } ms
image-enter-hint = Enter sends, Shift+Enter adds a line.
provider-local = local engine

image-search = Search conversations
image-search-placeholder = Search titles and prompts
image-no-matches = No conversations match.
image-show-more = Show more
image-rename = Rename
image-rename-label = Conversation title
image-rename-save = Save
image-rename-cancel = Cancel
image-delete = Delete
image-delete-confirm = Delete this conversation and its images? This cannot be undone.

image-compare = Compare with before
image-compare-close = Close compare
image-compare-slider = Before and after: slide to reveal the original
image-compare-before-alt = Before the edit

feedback-up = Good result
feedback-down = Bad result
feedback-thanks = Thanks for the feedback.
feedback-comment = Add a comment
feedback-comment-label = Your comment about this result
feedback-comment-save = Save comment
image-empty-file = This file is empty. Please choose another photo.

library-title = All my images
library-empty = No images yet. Edited images and uploads appear here.
library-need-login = Log in to see your images.
library-open = Open the conversation with { $what }

# Attachments and photo preparation
image-send-hint = Type an instruction or attach a photo to send.
attach-list = Attached photos
attach-camera = Take a photo
attach-size = Upload size
attach-size-recommended = 2048 px (recommended)
attach-size-px = { $px } px
attach-size-full = Full resolution
attach-drop = Drop photos to attach them
attach-preparing = Preparing on your device…
attach-uploading = Uploading { $name }
attach-ready = Ready · { $width } × { $height }
attach-remove = Remove { $name }
attach-wait = Waiting for photos to finish uploading…
attach-remove-failed = Remove the photos that couldn't be added, then send again.
prep-heic = This is a HEIC photo (the iPhone camera's default), which this browser can't read. Choose JPEG: on the iPhone, Settings → Camera → Formats → Most Compatible, or share the photo as JPEG.
prep-unsupported = This file is not a supported image. Please choose a JPEG, PNG or WebP photo.
prep-worker = Your browser couldn't prepare this photo. Reload the page and try again.

# Request parameters
param-legend = Result settings
param-aspect = Aspect ratio
param-aspect-original = Original
param-aspect-square = 1:1 square
param-aspect-landscape = 4:3 landscape
param-aspect-portrait = 3:4 portrait
param-aspect-wide = 16:9 widescreen
param-aspect-tall = 9:16 story
param-style = Style
param-style-none = No style
param-style-vivid = Vivid
param-style-mono = Black and white
param-style-bright = Bright
param-style-soft = Soft
param-format = Format
param-format-auto = Best for the image
param-format-jpeg = JPEG
param-format-png = PNG
param-format-webp = WebP

# Versions
versions-title = Versions
versions-label = Version { $n }
versions-previous = Previous version
versions-next = Next version
versions-position = Version { $n } of { $total } is the next edit's target
image-download-as = Download as { $format }
image-regenerate = Regenerate
image-regenerate-busy = Regenerating…

# Edit jobs
job-label = Edit progress
job-queued = Waiting to start…
job-running = Editing… { $percent }%
job-cancel = Cancel
job-cancelled = Cancelled.
job-failed = This edit failed: { $reason }
job-failed-unknown = This edit failed.
job-retry = Retry
verify-title = Confirm your email
verify-working = Confirming…
verify-done = Thank you: { $email } is confirmed.
verify-to-account = Go to your account
forgot-title = Forgot your password?
forgot-lead = Enter your account's email address and we'll send you a link to choose a new password.
forgot-submit = Send the link
forgot-sent = If an account uses that address, a link to choose a new password is on its way. It works once, for 30 minutes.
reset-title = Choose a new password
reset-new-password = New password
reset-submit = Save the new password
reset-done = Your password is changed and you are signed out everywhere. Log in with the new password.
image-menu = More for this version
image-deleted = { $count ->
    [one] Version deleted.
   *[other] { $count } versions deleted.
}
image-restored = Brought back.
toast-undo = Undo
toast-close = Dismiss
dialog-cancel = Cancel
feedback-title = Rate this result
image-conversation-menu = More for this conversation
viewer-title = Full-screen viewer
viewer-open = View full screen: { $image }
viewer-position = Version { $n } of { $total }
viewer-close = Close the viewer
viewer-zoom-in = Zoom in
viewer-zoom-out = Zoom out
image-examples = Examples to try
image-next = Next edits to try
example-warm-square = Make it warmer and crop it square
example-poster = A poster for a summer sale
example-mono = Make it black and white with more contrast
next-brighter = Make it a little brighter
next-square = Crop it square
next-contrast = Add more contrast
next-warmer = Make it warmer
next-mono = Make it black and white
next-sharpen = Sharpen it
next-vignette = Add a vignette
image-shortcuts = Keyboard shortcuts
shortcuts-title = Keyboard shortcuts
shortcut-instruction = Write an instruction
shortcut-versions = Choose the previous or next version for the next edit
shortcut-help = Show these shortcuts
shortcut-viewer-versions = In the full-screen viewer: previous or next version
shortcut-viewer-zoom = In the viewer: zoom in, zoom out, fit to the screen
shortcut-close = Close the viewer, a menu or a dialog
dialog-close = Close
theme-title = Appearance
theme-system = As on this device
theme-light = Light
theme-dark = Dark

## The installable app: offline, updates, installing, sharing.
offline-title = You're offline.
offline-body = What you write is kept, and what you send goes as soon as ViNano can be reached again.
update-ready = A new version of ViNano is ready.
update-reload = Reload
image-send-queued = Waiting for the connection: this will be sent when ViNano is back.
pwa-install-title = The app
pwa-install-body = Install ViNano on this device: it opens from your home screen in its own window, and starts even without a connection.
pwa-install = Install the app
pwa-installed = Installed: ViNano is on your home screen.
share-image = Share…
copy-image = Copy image
copy-image-done = Image copied.
copy-failed = The image couldn't be copied. Please try again.
share-failed = The image couldn't be shared. Please try again.
shared-lost = The shared photo didn't reach ViNano. Share it again, or attach it here.
shared-none = Nothing to attach came with the share: ViNano takes JPEG, PNG, WebP and HEIC photos.

## Plans and credits (Me → Subscription, the editor's balance and the cost of an edit).
sub-title = Subscription
sub-plan = Plan
sub-left = Credits left
sub-left-of = { $left } of { $granted }
sub-used = Used this period
sub-credits = { $count ->
    [one] one credit
   *[other] { $count } credits
}
sub-renews = Next credits
sub-renews-on = { $date }: { $count } new credits
sub-ends = ends on { $date }
sub-status-past-due = payment overdue
sub-status-cancelled = cancelled
sub-plans = Plans
sub-price = Price
sub-monthly = Credits a month
sub-largest = Largest image
sub-price-free = Free
sub-price-month = { $price } a month
sub-costs = What edits cost
sub-cost-edit = An edit: { $count ->
    [one] one credit
   *[other] { $count } credits
} for every 4 megapixels it works on
sub-cost-clip = A short clip: { $count } credits
sub-cost-provider = An image from the model provider: { $count } credits
sub-cost-video = A clip from the video model: { $count } credits
credits-balance = { $count ->
    [one] one credit left
   *[other] { $count } credits left
}
credits-estimate = This costs about { $cost ->
    [one] one credit
   *[other] { $cost } credits
} ({ $left } left).
sub-choose = Choose { $plan }
checkout-title = Checkout
checkout-need-login = Log in to choose a plan.
checkout-summary = { $plan }: { $price }, { $credits } a month.
checkout-test-mode = Test mode: no card is charged. Use 4242 4242 4242 4242 with any future date and any 3-digit code (4000 0000 0000 0002 is declined; 4000 0025 0000 3155 asks you to confirm).
checkout-number = Card number
checkout-exp = Expiry date
checkout-exp-hint = MM/YY
checkout-exp-format = Enter the expiry date as MM/YY, such as 12/30.
checkout-cvc = Security code
checkout-name = Name on the card
checkout-pay = Pay { $price }
checkout-confirm-lead = Your card asks you to confirm this payment (with a real card, your bank's page opens here).
checkout-confirm = Confirm the payment
checkout-refuse = Don't confirm
checkout-done = Paid: you're on { $plan }, and its credits are ready.
checkout-to-editor = Start editing
checkout-to-subscription = See your subscription
checkout-expired = This checkout expired before it was paid. Start again from Me → Subscription.
sub-cancel = Cancel { $plan }
sub-cancel-question = Cancel { $plan }? It stays, with its credits, until { $date }; then you are on Free.
sub-cancel-confirm = End { $plan } on { $date }
sub-keep = Keep { $plan }
sub-then-free = { $date }: Free from then on
sub-history = Billing history
sub-history-empty = No invoices yet.
sub-invoice-date = Date
sub-invoice-amount = Amount
sub-invoice-status = Status
sub-invoice = Invoice
sub-invoice-paid = Paid
sub-invoice-open = View
