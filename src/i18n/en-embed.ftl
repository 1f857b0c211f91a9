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
