/*
 * Chat widget for the Konselor Pemberdayaan Masyarakat bot (Rasa socket.io channel).
 *
 * Embed with one script tag (see README, "Web chat"):
 *   <script src="https://PAGE-HOST/widget.js" data-server-url="https://RASA-HOST" defer></script>
 * Attributes: data-server-url (Rasa's URL; without it the widget reads
 * config.json next to widget.js), data-mode ("floating", the default, or
 * "inline" with data-target="#element-id"), data-title, data-socket-path.
 *
 * Safety: every text from the bot or the user is put in the page with
 * textContent, never innerHTML, so HTML in a message is shown as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var BASE = new URL(".", script ? script.src : document.baseURI);
  var SCALE_BAR = /^([■□]{5})\s+([1-5])\/5\s+(.+)$/;
  // The server cuts longer messages too (rasa_ext/message_limit.py); here the
  // field stops at the same length and says so instead of cutting silently.
  var MAX_CHARACTERS = 2000;
  var TEXT = {
    title: "Konselor Karier",
    subtitle: "Tanya soal profesi konselor pemberdayaan masyarakat",
    placeholder: "Tulis pesanmu…",
    send: "Kirim",
    open: "Buka obrolan",
    close: "Tutup obrolan",
    restart: "Mulai percakapan baru",
    restartConfirm: "Mulai percakapan baru? Percakapan ini akan dihapus dari layar.",
    erase: "Hapus percakapan",
    connecting: "Menghubungkan…",
    online: "Siap membantu",
    offline: "Koneksi terputus, mencoba lagi…",
    typing: "Bot sedang mengetik…",
    tooLong: "Pesanmu sudah " + MAX_CHARACTERS.toLocaleString("id-ID") + " karakter, batas satu pesan. " +
      "Lebihnya tidak ikut terkirim, jadi kirim sisanya di pesan berikutnya, ya.",
    noReply: "Balasannya belum datang. Coba kirim lagi sebentar lagi, ya.",
    configError: "Alamat server chat belum diatur. Hubungi pengelola halaman ini.",
    chartCaption: "Rincian per sifat (skala 1–5)",
    you: "Kamu",
    bot: "Bot",
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var SVG_NS = "http" + "://www.w3.org/2000/svg";  // an XML namespace name, never fetched
  var ICONS = {
    // A sprout: the bot's avatar.
    sprout: "M12 21v-7M12 14c0-4 2.5-6.5 7-7 0 4.5-2.5 7-7 7zM12 12C12 8.5 10 6 5.5 5.5 5.5 9.5 7.5 12 12 12z",
    // A speech bubble: the launcher.
    chat: "M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z",
  };

  function icon(name) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "kc-svg");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function storage() {
    try {
      var probe = "__kc_probe__";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      var memory = {};
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; },
      };
    }
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.io) return resolve();
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(tag);
    });
  }

  function loadStyle(href) {
    if (document.querySelector('link[data-kc-style]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-kc-style", "");
    document.head.appendChild(link);
  }

  function readConfig() {
    var attr = function (name) { return script ? script.getAttribute("data-" + name) : null; };
    var config = {
      serverUrl: attr("server-url"),
      socketPath: attr("socket-path") || "/socket.io/",
      mode: attr("mode") === "inline" ? "inline" : "floating",
      target: attr("target"),
      title: attr("title") || TEXT.title,
    };
    if (config.serverUrl) return Promise.resolve(config);
    return fetch(new URL("config.json", BASE).href, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (json) {
        config.serverUrl = json && typeof json.serverUrl === "string" ? json.serverUrl : null;
        return config;
      });
  }

  function Widget(config) {
    this.config = config;
    this.store = storage();
    this.key = "konselor-chat:" + (config.serverUrl || "") + ":session";
    this.sessionId = this.store.getItem(this.key);
    this.ready = false;
    this.outbox = [];
    this.pendingSince = null;
    this.noReplyTimer = null;
    this.stats = { latencies: [] };
    this.build();
  }

  Widget.prototype.build = function () {
    var c = this.config;
    var root = el("div", "kc-widget kc-" + c.mode);
    var panel = el("section", "kc-panel");
    panel.setAttribute("aria-label", c.title);

    var header = el("header", "kc-header");
    var avatar = el("div", "kc-avatar");
    avatar.appendChild(icon("sprout"));
    var heading = el("div", "kc-heading");
    heading.appendChild(el("h2", "kc-title", c.title));
    this.status = el("p", "kc-status", TEXT.connecting);
    this.status.setAttribute("role", "status");
    heading.appendChild(this.status);
    var restart = el("button", "kc-icon kc-restart", "↺");
    restart.type = "button";
    restart.title = TEXT.restart;
    restart.setAttribute("aria-label", TEXT.restart);
    var erase = el("button", "kc-icon kc-erase", "🗑");
    erase.type = "button";
    erase.title = TEXT.erase;
    erase.setAttribute("aria-label", TEXT.erase);
    header.appendChild(avatar);
    header.appendChild(heading);
    header.appendChild(erase);
    header.appendChild(restart);

    this.log = el("ol", "kc-log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-relevant", "additions");

    this.typing = el("div", "kc-typing");
    this.typing.hidden = true;
    for (var i = 0; i < 3; i++) this.typing.appendChild(el("span", "kc-dot"));
    this.typing.appendChild(el("span", "kc-sr", TEXT.typing));

    var form = el("form", "kc-composer");
    form.setAttribute("autocomplete", "off");
    this.input = el("input", "kc-input");
    this.input.type = "text";
    this.input.maxLength = MAX_CHARACTERS;
    this.input.placeholder = TEXT.placeholder;
    this.input.setAttribute("aria-label", TEXT.placeholder);
    this.input.setAttribute("enterkeyhint", "send");
    this.sendButton = el("button", "kc-send", TEXT.send);
    this.sendButton.type = "submit";
    form.appendChild(this.input);
    form.appendChild(this.sendButton);
    var limitNotice = el("p", "kc-limit", TEXT.tooLong);
    limitNotice.id = "kc-limit-" + Math.random().toString(36).slice(2);
    limitNotice.setAttribute("aria-live", "polite");
    limitNotice.hidden = true;
    var input = this.input;
    var showLimit = function () {
      var full = input.value.length >= MAX_CHARACTERS;
      limitNotice.hidden = !full;
      if (full) input.setAttribute("aria-describedby", limitNotice.id);
      else input.removeAttribute("aria-describedby");
    };
    this.input.addEventListener("input", showLimit);

    panel.appendChild(header);
    panel.appendChild(this.log);
    panel.appendChild(this.typing);
    panel.appendChild(limitNotice);
    panel.appendChild(form);

    var self = this;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      showLimit();
      self.send(text, text, {});
    });
    // The bot asks first (Ya, hapus / Batal) and erases the stored conversation.
    erase.addEventListener("click", function () {
      self.send("/delete_my_data", TEXT.erase, {});
    });
    restart.addEventListener("click", function () {
      if (self.log.children.length && !window.confirm(TEXT.restartConfirm)) return;
      self.restart();
    });

    if (c.mode === "floating") {
      var launcher = el("button", "kc-launcher");
      launcher.appendChild(icon("chat"));
      launcher.type = "button";
      launcher.setAttribute("aria-label", TEXT.open);
      var close = el("button", "kc-icon kc-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", TEXT.close);
      header.appendChild(close);
      var openKey = "konselor-chat:open";
      var setOpen = function (open) {
        root.classList.toggle("kc-open", open);
        launcher.setAttribute("aria-expanded", String(open));
        self.store.setItem(openKey, open ? "1" : "0");
        if (open) { self.scrollDown(); self.input.focus(); }
      };
      launcher.addEventListener("click", function () { setOpen(!root.classList.contains("kc-open")); });
      close.addEventListener("click", function () { setOpen(false); launcher.focus(); });
      root.appendChild(launcher);
      setOpen(this.store.getItem(openKey) === "1");
    }
    root.appendChild(panel);

    var target = c.mode === "inline" && c.target ? document.querySelector(c.target) : null;
    (target || document.body).appendChild(root);
    this.root = root;
  };

  Widget.prototype.setStatus = function (text, state) {
    this.status.textContent = text;
    this.root.setAttribute("data-state", state);
  };

  Widget.prototype.connect = function () {
    var self = this;
    if (!this.config.serverUrl) {
      this.setStatus(TEXT.configError, "error");
      return;
    }
    var socket = window.io(this.config.serverUrl, {
      path: this.config.socketPath,
      withCredentials: false,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    this.setStatus(TEXT.connecting, "connecting");

    socket.on("connect", function () {
      self.ready = false;
      socket.emit("session_request", { session_id: self.sessionId, history: true });
    });
    socket.on("session_confirm", function (sessionId) {
      if (typeof sessionId !== "string") return;
      if (sessionId !== self.sessionId) {
        self.sessionId = sessionId;
        self.store.setItem(self.key, sessionId);
      }
    });
    socket.on("session_history", function (data) {
      var messages = data && Array.isArray(data.messages) ? data.messages : [];
      var erased = self.erased;
      self.erased = false;
      if (!erased) self.renderHistory(messages);  // after an erase, the notice stays readable
      self.ready = true;
      self.setStatus(TEXT.online, "online");
      if (!messages.length && !erased) self.emitMessage("/greet", { hidden: true });
      var queued = self.outbox;
      self.outbox = [];
      queued.forEach(function (m) {
        self.appendUser(m.shown);  // the history above was drawn without it
        self.emitMessage(m.text, m.metadata);
      });
      self.scrollDown();
    });
    socket.on("bot_uttered", function (message) { self.receive(message); });
    socket.on("disconnect", function () {
      self.ready = false;
      self.setStatus(TEXT.offline, "offline");
    });
    socket.on("connect_error", function () {
      self.setStatus(TEXT.offline, "offline");
    });
  };

  Widget.prototype.restart = function () {
    this.store.removeItem(this.key);
    this.sessionId = null;
    this.clearLog();
    if (this.socket) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null, history: true });
    }
  };

  Widget.prototype.clearLog = function () {
    while (this.log.firstChild) this.log.removeChild(this.log.firstChild);
  };

  Widget.prototype.renderHistory = function (messages) {
    this.clearLog();
    var self = this;
    messages.forEach(function (m) {
      if (m && m.sender === "user") self.appendUser(m.text);
      else if (m) self.appendBot(m);
    });
    this.scrollDown();
  };

  // Sends `payload` to the bot and shows `shown` as the user's bubble.
  Widget.prototype.send = function (payload, shown, metadata) {
    this.anchor = null;
    this.appendUser(shown);
    this.scrollDown();
    if (payload !== shown) metadata.display = shown;
    if (this.ready) this.emitMessage(payload, metadata);
    else this.outbox.push({ text: payload, shown: shown, metadata: metadata });
    this.showTyping();
  };

  Widget.prototype.emitMessage = function (text, metadata) {
    this.pendingSince = window.performance.now();
    this.socket.emit("user_uttered", { message: text, session_id: this.sessionId, metadata: metadata || {} });
    this.showTyping();
  };

  Widget.prototype.showTyping = function () {
    var self = this;
    this.typing.hidden = false;
    this.root.classList.add("kc-busy");
    window.clearTimeout(this.noReplyTimer);
    this.noReplyTimer = window.setTimeout(function () {
      self.hideTyping();
      self.appendNotice(TEXT.noReply);
    }, 60000);
    this.scrollDown();
  };

  Widget.prototype.hideTyping = function () {
    this.typing.hidden = true;
    this.root.classList.remove("kc-busy");
    window.clearTimeout(this.noReplyTimer);
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
    if (this.pendingSince !== null) {
      this.stats.latencies.push(window.performance.now() - this.pendingSince);
      this.pendingSince = null;
    }
    this.hideTyping();
    if (message.custom && typeof message.custom === "object") {
      // A payload for the page, not a bubble.
      if (message.custom.conversation_erased === true) this.forgetSession();
      return;
    }
    this.appendBot(message);
    // The verdict comes in several bubbles: keep its headline in view, not the last bubble.
    var result = this.log.querySelector("li:last-child .kc-result");
    if (result) this.anchor = result;
    this.scrollDown();
  };

  // The server erased this conversation: the page forgets its session id too,
  // and the next message goes to a new, empty session.
  Widget.prototype.forgetSession = function () {
    // The erased conversation leaves the screen too; only the bot's last word stays.
    var last = this.log.lastElementChild;
    this.clearLog();
    if (last) this.log.appendChild(last);
    this.store.removeItem(this.key);
    this.sessionId = null;
    this.erased = true;
    if (this.socket) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null, history: true });
    }
  };

  Widget.prototype.removeQuickReplies = function () {
    var groups = this.log.querySelectorAll(".kc-quick");
    for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
  };

  Widget.prototype.appendUser = function (text) {
    this.removeQuickReplies();
    var item = el("li", "kc-msg kc-user");
    item.appendChild(el("span", "kc-sr", TEXT.you + ": "));
    item.appendChild(el("div", "kc-bubble", text));
    this.log.appendChild(item);
  };

  Widget.prototype.appendNotice = function (text) {
    this.log.appendChild(el("li", "kc-msg kc-notice", text));
    this.scrollDown();
  };

  // Help-line numbers in the crisis reply (counselor/helplines.py writes them as
  // "• SAPA 129: ..." and "segera hubungi 112") become tel: links, so a phone can
  // call them with one tap. "119 ext 8" dials the extension after a pause.
  var HELPLINE = /(^• (?:[A-Z]+ )?(\d{3,5})(?: ext (\d{1,4}))?(?=:))|(hubungi (\d{3,5})\b)/gm;

  function appendWithPhoneLinks(node, text) {
    var last = 0;
    text.replace(HELPLINE, function (match, bullet, number, extension, urgent, urgentNumber, offset) {
      var start = bullet ? offset + 2 : offset + "hubungi ".length;
      var shown = bullet ? bullet.slice(2) : urgentNumber;
      var dialled = (number || urgentNumber) + (extension ? "," + extension : "");
      node.appendChild(document.createTextNode(text.slice(last, start)));
      var link = el("a", "kc-tel", shown);
      link.href = "tel:" + dialled;
      node.appendChild(link);
      last = start + shown.length;
      return match;
    });
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  Widget.prototype.appendBot = function (message) {
    var text = typeof message.text === "string" ? message.text : "";
    var quick = Array.isArray(message.quick_replies) ? message.quick_replies : [];
    if (!text && !quick.length) return;
    var item = el("li", "kc-msg kc-bot");
    item.appendChild(el("span", "kc-sr", TEXT.bot + ": "));
    if (text) item.appendChild(this.bubble(text));
    if (quick.length) item.appendChild(this.quickReplies(quick));
    this.log.appendChild(item);
  };

  // A bot text bubble; lines such as "■■■■□ 4/5  Empati" become a bar chart.
  Widget.prototype.bubble = function (text) {
    var bubble = el("div", "kc-bubble");
    var lines = text.split("\n");
    var bars = lines.filter(function (line) { return SCALE_BAR.test(line.trim()); });
    if (/^Hasil tes kecocokanmu:/.test(text)) bubble.classList.add("kc-result");
    if (bars.length < 2) {
      if (bubble.classList.contains("kc-result")) {
        bubble.appendChild(el("strong", "kc-result-title", lines[0]));
        if (lines.length > 1) bubble.appendChild(el("span", null, lines.slice(1).join("\n")));
      } else {
        appendWithPhoneLinks(bubble, text);
      }
      return bubble;
    }
    var paragraph = [];
    var chart = null;
    var flush = function () {
      if (paragraph.length) bubble.appendChild(el("p", "kc-para", paragraph.join("\n")));
      paragraph = [];
    };
    lines.forEach(function (line) {
      var match = SCALE_BAR.exec(line.trim());
      if (!match) {
        chart = null;
        paragraph.push(line);
        return;
      }
      flush();
      if (!chart) {
        bubble.classList.add("kc-has-chart");
        chart = el("div", "kc-chart");
        chart.setAttribute("role", "list");
        chart.setAttribute("aria-label", TEXT.chartCaption);
        bubble.appendChild(chart);
      }
      var value = Number(match[2]);
      var row = el("div", "kc-bar-row kc-level-" + value);
      row.setAttribute("role", "listitem");
      row.appendChild(el("span", "kc-bar-label", match[3]));
      var track = el("span", "kc-bar-track");
      track.setAttribute("aria-hidden", "true");
      var fill = el("span", "kc-bar-fill");
      fill.style.width = value * 20 + "%";
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(el("span", "kc-bar-value", value + "/5"));
      chart.appendChild(row);
    });
    flush();
    return bubble;
  };

  Widget.prototype.quickReplies = function (buttons) {
    var self = this;
    var group = el("div", "kc-quick");
    buttons.forEach(function (button) {
      if (!button || typeof button.payload !== "string") return;
      var title = typeof button.title === "string" && button.title ? button.title : button.payload;
      var node = el("button", "kc-quick-reply", title);
      node.type = "button";
      node.addEventListener("click", function () { self.send(button.payload, title, {}); });
      group.appendChild(node);
    });
    return group;
  };

  Widget.prototype.scrollDown = function () {
    var log = this.log;
    var anchor = this.anchor && this.anchor.isConnected ? this.anchor : null;
    window.requestAnimationFrame(function () {
      if (anchor) {
        log.scrollTop += anchor.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
      } else {
        log.scrollTop = log.scrollHeight;
      }
    });
  };

  loadStyle(new URL("widget.css", BASE).href);
  var api = (window.KonselorChat = window.KonselorChat || {});
  Promise.all([readConfig(), loadScript(new URL("vendor/socket.io.min.js", BASE).href)])
    .then(function (results) {
      var widget = new Widget(results[0]);
      api.widget = widget;
      api.stats = widget.stats;
      widget.connect();
    })
    .catch(function (error) {
      if (window.console) window.console.error("Konselor chat:", error);
    });
})();
