/*! ViNano widget loader, protocol version 1. Docs: docs/widget.md.
 *
 * On the partner's page:
 *   <script>window.vinano=window.vinano||function(){(vinano.q=vinano.q||[]).push(arguments)};</script>
 *   <script src="https://vinano.example/widget.js" data-partner="pt_…" async></script>
 *   <script>
 *     vinano('open', {mode: 'inline', target: '#editor', token: tokenFromYourServer});
 *     vinano('on', 'image', function (image) { … image.url, image.width, image.height, image.format … });
 *   </script>
 * Calls made before this file has loaded wait in `vinano.q` and run in order once it has.
 */
(function () {
  'use strict';
  var VERSION = 1;
  var script = document.currentScript;
  if (!script) {
    var found = document.querySelectorAll('script[data-partner]');
    script = found[found.length - 1];
  }
  if (!script || !script.src) return;
  var base = new URL(script.src, location.href).origin;
  var partner = script.getAttribute('data-partner') || '';
  var queued = (window.vinano && window.vinano.q) || [];
  var listeners = {};
  var frame = null;
  var shell = null;
  var ready = false;
  var waiting = [];
  var options = {};
  var lastFocus = null;

  function emit(name, detail) {
    (listeners[name] || []).slice().forEach(function (callback) {
      try {
        callback(detail);
      } catch (error) {
        setTimeout(function () { throw error; });
      }
    });
  }

  /** The commands' messages leave in the order they were given, even when one must read a file first. */
  var chain = Promise.resolve();
  function inOrder(step) {
    chain = chain.then(step, step);
  }

  /** Sends to the widget once it is ready (queued until then). */
  function post(message) {
    message.vinano = VERSION;
    if (frame && ready) frame.contentWindow.postMessage(message, base);
    else waiting.push(message);
  }

  function modal() {
    var overlay = document.createElement('div');
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-label', options.title || 'ViNano image editor');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(15,15,25,.55);' +
      'display:flex;align-items:center;justify-content:center;padding:12px';
    var box = document.createElement('div');
    box.style.cssText = 'position:relative;width:min(720px,100%);max-height:100%;overflow:auto;' +
      'background:#fff;border-radius:14px;box-shadow:0 12px 48px rgba(0,0,0,.35)';
    var shut = document.createElement('button');
    shut.type = 'button';
    shut.textContent = '\u00d7';
    shut.setAttribute('aria-label', options.closeLabel || 'Close');
    shut.style.cssText = 'position:absolute;top:4px;right:6px;z-index:1;width:44px;height:44px;border:0;' +
      'background:transparent;font-size:28px;line-height:1;cursor:pointer;color:#333';
    shut.addEventListener('click', close);
    overlay.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
    overlay.addEventListener('click', function (e) { if (e.target === overlay) close(); });
    box.appendChild(shut);
    box.appendChild(frame);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    frame.style.height = 'min(80vh, 760px)';
    lastFocus = document.activeElement;
    shut.focus();
    return overlay;
  }

  function open(opts) {
    if (frame) return;
    options = opts || {};
    frame = document.createElement('iframe');
    frame.src = base + '/embed?partner=' + encodeURIComponent(partner) +
      '&origin=' + encodeURIComponent(location.origin);
    frame.title = options.title || 'ViNano image editor';
    frame.setAttribute('allow', 'clipboard-write');
    frame.style.cssText = 'border:0;width:100%;height:420px;display:block;color-scheme:normal';
    if (options.mode === 'modal') {
      shell = modal();
      return;
    }
    var target = typeof options.target === 'string' ? document.querySelector(options.target) : options.target;
    if (!target || !target.appendChild) {
      frame = null;
      emit('error', { code: 'no_target', message: 'vinano("open"): no element matches the target.' });
      return;
    }
    target.appendChild(frame);
  }

  function close() {
    if (!frame) return;
    var element = shell || frame;
    if (element.parentNode) element.parentNode.removeChild(element);
    frame = null;
    shell = null;
    ready = false;
    waiting = [];
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    emit('closed', {});
  }

  function attach(item) {
    if (typeof Blob !== 'undefined' && item instanceof Blob) {
      inOrder(function () { post({ type: 'attach', file: item, name: item.name || 'photo' }); });
      return;
    }
    var url;
    try {
      url = new URL(String(item), location.href);
    } catch (e) {
      url = null;
    }
    // A URL of the page's own origin only: the page can read it, and nothing else is fetched on its behalf.
    if (!url || url.origin !== location.origin) {
      emit('error', { code: 'attach_url', message: 'vinano("attach"): give a Blob, a File, or a URL of this site.' });
      return;
    }
    inOrder(function () {
      return fetch(url.href, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.blob() : Promise.reject(new Error('HTTP ' + r.status)); })
        .then(function (blob) { post({ type: 'attach', file: blob, name: url.pathname.split('/').pop() || 'photo' }); })
        .catch(function () { emit('error', { code: 'attach_failed', message: 'vinano("attach"): the photo could not be read.' }); });
    });
  }

  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== base) return;
    var m = event.data;
    if (!m || m.vinano !== VERSION || typeof m.type !== 'string') return;
    switch (m.type) {
      case 'loaded':
        frame.contentWindow.postMessage({
          vinano: VERSION, type: 'init', token: options.token || null, language: options.language || null,
          modal: !!shell
        }, base);
        break;
      case 'ready':
        ready = true;
        var pending = waiting;
        waiting = [];
        pending.forEach(post);
        emit('ready', { visitor: m.visitor, credits: m.credits });
        break;
      case 'resize':
        var height = Math.max(120, Math.min(Number(m.height) || 0, 4000));
        if (!shell) frame.style.height = height + 'px';
        emit('resize', { height: height });
        break;
      case 'image':
        emit('image', { id: m.id, url: m.url, width: m.width, height: m.height, format: m.format, expiresAt: m.expires_at });
        break;
      case 'error':
        emit('error', { code: m.code, message: m.message });
        break;
      case 'closed':
        close();
        break;
    }
  });

  function vinano(command, argument, callback) {
    switch (command) {
      case 'open': open(argument); break;
      case 'prompt':
        inOrder(function () { post({ type: 'prompt', text: String(argument) }); });
        break;
      case 'attach': attach(argument); break;
      case 'on':
        if (typeof callback === 'function') (listeners[argument] = listeners[argument] || []).push(callback);
        break;
      case 'off':
        listeners[argument] = (listeners[argument] || []).filter(function (c) { return c !== callback; });
        break;
      case 'close':
        if (frame && ready) post({ type: 'close' });
        else close();
        break;
      default:
        if (window.console) console.warn('ViNano widget: unknown command "' + command + '"');
    }
  }
  vinano.version = VERSION;
  window.vinano = vinano;
  for (var i = 0; i < queued.length; i++) vinano.apply(null, queued[i]);
})();
