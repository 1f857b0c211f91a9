# What a share link shows (`/s/:token`, src/pages/share.rs): its own chunk's words.
shared-loading = Opening what was shared…
shared-kicker = Shared from ViNano
shared-image = A picture shared with you
shared-conversation = A conversation shared with you
shared-until = This link works until { $date }. It only shows this page: nothing can be changed through it.
shared-read-only = This link only shows this page: nothing can be changed through it.
shared-download = Download
shared-edit-copy = Edit a copy in ViNano
shared-gone-title = This link doesn't work any more
shared-gone = Whoever shared it turned it off, it expired, or what it showed was deleted.
shared-to-vinano = Go to ViNano
