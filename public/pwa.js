// The installable app's browser glue, which the WASM app calls as `window.vinano.*` (src/state/pwa.rs):
// the service worker's registration and updates, the install prompt, photos shared to the app, and
// sharing or copying a result. Plain browser APIs, kept out of the WASM bundle.
(() => {
  'use strict';
  const state = { waiting: null, taking: false, install: null };
  const tell = (name) => window.dispatchEvent(new Event(`vinano:${name}`));
  // Whether files can be shared (`canShareFiles`), once asked.
  let canShare;

  /** Remembers a worker of a new build that waits to take over, and tells the app. */
  function watch(registration) {
    const waiting = () => {
      // Only an update waits while another worker controls the page; the first install takes over at once.
      if (registration.waiting && navigator.serviceWorker.controller) {
        state.waiting = registration.waiting;
        tell('update');
      }
    };
    waiting();
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      next?.addEventListener('statechange', () => next.state === 'installed' && waiting());
    });
    // Ask for a new build now and then, and whenever the app comes back to the screen.
    setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
  }

  // The widget inside a partner's page is not the app: nothing to install or keep offline there.
  const embedded = location.pathname === '/embed' || location.pathname.startsWith('/embed/');
  if ('serviceWorker' in navigator && !embedded) {
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      // A new build took over because the person asked: show it.
      if (state.taking && !reloading) {
        reloading = true;
        location.reload();
      }
    });
    // (Some browsers that block service workers answer with no registration: nothing to watch then.)
    const register = () =>
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).then((r) => r && watch(r), () => {});
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register);
  }

  window.addEventListener('beforeinstallprompt', (event) => {
    // Offered in Me ("Install the app") rather than by the browser's own bar.
    event.preventDefault();
    state.install = event;
    tell('installable');
  });
  window.addEventListener('appinstalled', () => {
    state.install = null;
    tell('installed');
  });

  /** The response's image as a PNG blob (what clipboards take everywhere). */
  async function png(url) {
    const blob = await (await fetch(url, { credentials: 'same-origin' })).blob();
    if (blob.type === 'image/png') return blob;
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    return canvas.convertToBlob({ type: 'image/png' });
  }

  window.vinano = {
    /** Whether a new build waits to take over. */
    updateReady: () => state.waiting !== null,
    /** Lets the waiting build take over; the page reloads when it has. */
    applyUpdate() {
      if (!state.waiting) return location.reload();
      state.taking = true;
      state.waiting.postMessage('vinano:take-over');
    },
    /** Whether the browser offers to install the app. */
    canInstall: () => state.install !== null,
    /** Shows the browser's install dialog; resolves to whether the person accepted. */
    async install() {
      const prompt = state.install;
      if (!prompt) return false;
      state.install = null;
      prompt.prompt();
      const { outcome } = await prompt.userChoice;
      if (outcome !== 'accepted') {
        state.install = prompt;
      }
      tell('installable');
      return outcome === 'accepted';
    },
    /** Photos shared to the app (kept by the service worker), as files; taking them removes them. */
    async takeShared() {
      if (!('caches' in window)) return [];
      const cache = await caches.open('vinano-shared');
      const files = [];
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        const blob = await response.blob();
        const name = decodeURIComponent(response.headers.get('x-name') || 'photo');
        files.push(new File([blob], name, { type: blob.type }));
      }
      await caches.delete('vinano-shared');
      return files;
    },
    /** Whether this browser can share an image file with other apps (asked once: every result's menu asks,
     *  and the probe costs milliseconds on a phone). */
    canShareFiles() {
      if (canShare === undefined) {
        try {
          const probe = new File([new Uint8Array(1)], 'x.png', { type: 'image/png' });
          canShare = typeof navigator.canShare === 'function' && navigator.canShare({ files: [probe] });
        } catch (e) {
          canShare = false;
        }
      }
      return canShare;
    },
    /** Opens the system share sheet with the image at `url`; resolves to false when the person closed it. */
    async shareImage(url, name, title) {
      const blob = await (await fetch(url, { credentials: 'same-origin' })).blob();
      const file = new File([blob], name, { type: blob.type });
      try {
        await navigator.share({ files: [file], title });
        return true;
      } catch (e) {
        if (e && e.name === 'AbortError') return false;
        throw e;
      }
    },
    /** Whether this browser has a share sheet for a link. */
    canShareLinks: () => typeof navigator.share === 'function',
    /** Opens the system share sheet with a link; resolves to false when the person closed it. */
    async shareLink(url, title) {
      try {
        await navigator.share({ url, title });
        return true;
      } catch (e) {
        if (e && e.name === 'AbortError') return false;
        throw e;
      }
    },
    /** Puts `text` on the clipboard. */
    async copyText(text) {
      await navigator.clipboard.writeText(text);
    },
    /** Whether this browser can put an image on the clipboard. */
    canCopyImage: () => typeof ClipboardItem === 'function' && !!navigator.clipboard?.write,
    /** Puts the image at `url` on the clipboard as a PNG. */
    async copyImage(url) {
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': png(url) })]);
    },
  };
})();
