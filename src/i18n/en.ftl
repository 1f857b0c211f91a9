## The frame's English words: the header, banners, dialogs and Home, which every first load needs. A page that
## is its own chunk brings its words with it (en-editor.ftl, en-me.ftl, en-account.ftl, en-embed.ftl; see
## `Part` in mod.rs). Traditional and Simplified Chinese (zh-Hant.ftl, zh-Hans.ftl) have every key of them all.

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
home-feature-chat = Plain-language edits: warmer, brighter, cropped square, the background removed or blurred, posters from a few words, short videos.
home-feature-versions = Every edit is kept as a new version next to the original.
home-feature-private = Your photos are re-encoded without location data and only you can see them.
home-cta = Start editing
home-cta-signup = Create a free account


auth-password-hint = At least 8 characters.
auth-name = Name
auth-email = Email
auth-username = Username
auth-dob = Date of birth

me-logout = Log out
policy-language = Language of the policy
policy-version = Version { $version }
policy-accept-lead = We've changed our privacy policy (version { $version }). Please read it, then accept it to keep using ViNano.
policy-accept = I have read and accept the privacy policy
policy-banner = We've updated our privacy policy (version { $version }).
policy-banner-read = Read and accept
footer-privacy = Privacy policy
problem-request = Something went wrong on our side. We've been told automatically.
problem-crashed = ViNano ran into a problem and had to reload. We've been told automatically.
problem-tell = Tell us what happened
problem-label = What were you doing? (optional — please leave out passwords and personal details)
problem-send = Send
problem-close = Dismiss
problem-thanks = Thank you. Your note was sent with the report.
export-banner = Your data export is ready. Download it before { $until }.
export-banner-open = Go to download
deletion-banner = Your account is scheduled for deletion on { $date }.
deletion-keep = Keep my account
image-expires = Will be deleted on { $date }
image-retained = Kept for legal reasons

image-original-alt = Your photo ({ $width } × { $height })
image-result-alt = Edited image: { $steps } ({ $width } × { $height })
image-made-alt = Image made by ViNano from your words: { $steps } ({ $width } × { $height })
image-clip-alt = Clip made by ViNano: { $steps } ({ $width } × { $height })
image-too-big = This file is too large. The limit is { $mb } MB.
image-wrong-type = Please choose a JPEG, PNG or WebP photo.

error-network = Can't reach ViNano. Check your connection and try again.
error-decode = ViNano sent a response we couldn't read. Please try again.
error-session-expired = Your session has expired. Please log in again.
not-found-title = Page not found
not-found-body = There's nothing at this address.
not-found-home = Go to the home page
page-load-failed-title = This page didn't load
page-load-failed-body = Part of ViNano couldn't be downloaded. Check your connection, then try again.
page-load-failed-retry = Try again

image-show-more = Show more

image-empty-file = This file is empty. Please choose another photo.

library-title = All my images
library-empty = No images yet. Edited images and uploads appear here.
library-need-login = Log in to see your images.
library-open = Open the conversation with { $what }

# Attachments and photo preparation
attach-list = Attached photos
attach-size = Upload size
attach-size-recommended = 2048 px (recommended)
attach-size-px = { $px } px
attach-size-full = Full resolution
attach-preparing = Preparing on your device…
attach-uploading = Uploading { $name }
attach-ready = Ready · { $width } × { $height }
attach-remove = Remove { $name }
attach-number = Image { $n }
attach-numbered = Name them in the instruction: “put image 2 in the bottom right corner of image 1”, “put them side by side”, “use image 2 as the background”.
prep-heic = This is a HEIC photo (the iPhone camera's default), which this browser can't read. Choose JPEG: on the iPhone, Settings → Camera → Formats → Most Compatible, or share the photo as JPEG.
prep-unsupported = This file is not a supported image. Please choose a JPEG, PNG or WebP photo.
prep-worker = Your browser couldn't prepare this photo. Reload the page and try again.

# Versions
image-regenerate-busy = Regenerating…

# Edit jobs
verify-title = Confirm your email
forgot-title = Forgot your password?
reset-title = Choose a new password
reset-new-password = New password
toast-close = Dismiss
dialog-cancel = Cancel
shared-page-title = Shared

## The installable app: offline, updates, installing, sharing.
offline-title = You're offline.
offline-body = What you write is kept, and what you send goes as soon as ViNano can be reached again.
update-ready = A new version of ViNano is ready.
update-reload = Reload

## Plans and credits (Me → Subscription, the editor's balance and the cost of an edit).
credits-balance = { $count ->
    [one] one credit left
   *[other] { $count } credits left
}
checkout-title = Checkout
checkout-number = Card number
checkout-exp = Expiry date
checkout-exp-hint = MM/YY
checkout-exp-format = Enter the expiry date as MM/YY, such as 12/30.
checkout-cvc = Security code
checkout-name = Name on the card
admin-title = Admin
