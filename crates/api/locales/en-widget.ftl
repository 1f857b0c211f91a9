## The widget on a partner's site.
error-widget-partner-unknown = This site's ViNano editor isn't set up (its partner id is unknown or was removed). The site's owner can fix it.
error-widget-token-invalid = Your sign-in from this site couldn't be checked, so the editor can't open. Reload the page; if it keeps happening, tell the site's owner.
error-widget-token-expired = Your sign-in from this site has expired. Reload the page to sign in again.
error-widget-token-replayed = This sign-in was already used once. Reload the page to sign in again.
error-widget-budget-spent = This site's ViNano credits for the month are used up, so no more edits can be made here until { $date }.
error-widget-credits-short = This costs { $cost ->
    [one] one credit
   *[other] { $cost } credits
} and you have { $balance } left. Your credits on this site renew on { $date }.
error-widget-guests-off = This site lets only its signed-in members use the editor. Sign in on the site first.
error-partner-name = A partner's name is 1 to 80 characters.
error-partner-origins = List 1 to { $max } origins where the widget may appear.
error-partner-origin = "{ $origin }" can't be used: write an origin as https://host or https://host:port, without a path or wildcards (plain http only for localhost while developing).
