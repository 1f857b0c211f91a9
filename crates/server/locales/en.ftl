# The server's own words, in the account's language: the emails (each is `<kind>-subject` and
# `<kind>-body`; `$name` is the account's name) and the export's index.html. Keep en, zh-Hant and zh-Hans in step: a test checks them.

mail-verify-subject = Confirm your email address for ViNano
mail-verify-body =
    Hello { $name },

    Please confirm that { $address } is your email address for ViNano by opening this link:

    { $link }

    The link works once and expires in 2 days. If you didn't ask for this, ignore this email.

    — ViNano

mail-reset-subject = Reset your ViNano password
mail-reset-body =
    Hello { $name },

    Someone (hopefully you) asked to reset the password of your ViNano account. To choose a new password, open this link:

    { $link }

    The link works once and expires in 30 minutes. Resetting signs you out everywhere. If you didn't ask for this, ignore this email: your password stays as it is.

    — ViNano

mail-password-changed-subject = Your ViNano password was changed
mail-password-changed-body =
    Hello { $name },

    The password of your ViNano account was { $how ->
        [reset] reset with an emailed link
       *[changed] changed
    } on { $when }.

    If that was you, there is nothing to do.

    If it wasn't, someone else may know your password: choose a new one now at { $site }/forgot-password and sign out every device at { $site }/me/security.

    — ViNano

mail-email-change-subject = A change of email address was requested for your ViNano account
mail-email-change-body =
    Hello { $name },

    On { $when } someone signed in to your ViNano account asked to change its email address from this one to { $address }. The change happens only once the link sent to the new address is opened.

    If that was you, there is nothing to do.

    If it wasn't, change your password now at { $site }/me/security and sign out every other device; the pending change is cancelled when you change your password.

    — ViNano

mail-deletion-subject = Your ViNano account will be deleted
mail-deletion-body =
    Hello { $name },

    As you asked, your ViNano account and everything in it will be deleted on { $date }.

    Changed your mind? Log in before then and choose "Keep my account".

    — ViNano

mail-export-subject = Your ViNano data export is ready
mail-export-body =
    Hello { $name },

    The copy of your ViNano data you asked for is ready. Download it from

    {"  "}{ $site }/me/data

    until { $until }. For your security we will ask for your password before the download starts.

    The ZIP file holds an index.html page you can open in any browser, your images, and your data as JSON.

    Didn't ask for this? Change your password and sign out your other devices from Me → Security.

    — ViNano

mail-policy-subject = We've updated our privacy policy
mail-policy-body =
    Hello { $name },

    We have updated the ViNano privacy policy (version { $version }). Please read it and accept it the next time you use ViNano:

    { $site }/privacy

    — ViNano

## The export's index.html (values are already HTML-escaped).
export-title = Your ViNano data
export-intro = Everything ViNano held about <strong>{ $name }</strong> ({ $email }) on { $when }. This page works offline. The same data for programs is in the <code>data</code> folder as JSON (times there are Unix milliseconds, UTC); your images are in the <code>images</code> folder.
export-contents = Contents
export-none = None.
export-thread-dates = Started { $started }, last activity { $updated }.
export-you = You
export-edited-from = edited from { $parent }
export-original = original
export-image-alt = Image { $id }
export-image-gone = This image is no longer held.
export-table-users = Account
export-table-sessions = Signed-in devices
export-table-images = Images
export-table-conversations = Conversations
export-table-messages = Messages
export-table-feedback = Feedback on results
export-table-preferences = Preferences
export-table-jobs = Edit jobs
export-table-consents = Consent history
export-table-email-tokens = Email links
export-table-outbox = Emails sent to you
export-table-privacy-settings = Privacy settings
export-table-data-requests = Data-rights requests
export-table-error-reports = Error reports
export-table-exports = Data exports

mail-payment-failed-subject = Your ViNano { $plan } renewal wasn't paid
mail-payment-failed-body =
    Hello { $name },

    We couldn't charge { $amount } for your { $plan } plan: { $reason }

    Your plan's new credits come once it is paid. We will try the card again on { $retry }; to pay now or use another card, go to { $site }/me/subscription.

    — ViNano

mail-payment-received-subject = Payment received: ViNano { $plan }
mail-payment-received-body =
    Hello { $name },

    Thank you: { $amount } for your { $plan } plan was paid with { $card }, and the period's credits are yours. The invoice is in { $site }/me/subscription.

    — ViNano

mail-plan-ended-unpaid-subject = Your ViNano { $plan } plan has ended
mail-plan-ended-unpaid-body =
    Hello { $name },

    We tried several times to charge the renewal of your { $plan } plan and couldn't, so your account is on the { $free } plan now, with its credits. Nothing of yours was deleted.

    To go back to { $plan }, choose it again at { $site }/me/subscription.

    — ViNano
