## English words of the embed chunk, brought with it (src/i18n/mod.rs, `Part`).
embed-starting = Opening the editor…
embed-not-here = This page can't show the ViNano editor.
embed-mark = · editing with ViNano
embed-credits = { $n ->
    [one] { $n } credit left
   *[other] { $n } credits left
}
embed-attach = Add a photo
embed-placeholder = What should change? Or what should we make?
embed-send = Send
embed-working = Working…
embed-download = Download
embed-failed = That edit didn't work. Please try again.
embed-result-alt = The result, { $width } × { $height }
embed-terms = Using this editor means accepting ViNano's terms and its
embed-data = Your data here
embed-data-lead = What you make here is kept in a ViNano account of your own for this site, which nobody else on the site can see. A guest's account is deleted after 30 days without use.
embed-data-copy = Download a copy of everything
embed-data-preparing = Preparing your copy… it takes a few seconds.
embed-data-ready = Your copy is ready.
embed-data-save = Save vinano-my-data.zip
embed-data-slow = Your copy isn't ready yet. Please try again in a minute.
embed-data-delete = Delete everything
embed-data-delete-question = Delete everything you made here, with your account on this site? This can't be undone.
embed-data-delete-confirm = Yes, delete everything
embed-data-keep = Keep it
embed-data-deleted = Everything you made here is deleted.
