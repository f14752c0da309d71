/* 大屏 (/screen): rotation, keys (← → space F), full screen, reload on a new build, the clock.
   Acts only while a .screen-root is on the page; the browser history is never touched. */
(function () {
  "use strict";
  var S = { root: null, index: 0, timer: null, paused: false, buildTimer: null };
  var TZ = "Asia/Shanghai";
  var fmtTime = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, hour: "2-digit", minute: "2-digit",
                                                   second: "2-digit", hour12: false });
  var fmtHm = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hour12: false });
  var fmtDate = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, month: "long", day: "numeric", weekday: "long" });

  function panels() { return S.root ? Array.prototype.slice.call(S.root.querySelectorAll(".screen-panel")) : []; }

  function show(i) {
    var ps = panels();
    if (!ps.length) { return; }
    S.index = ((i % ps.length) + ps.length) % ps.length;
    var id = ps[S.index].getAttribute("data-panel");
    ps.forEach(function (p, k) { p.classList.toggle("is-active", k === S.index); });
    S.root.querySelectorAll(".screen-page").forEach(function (p) {
      p.classList.toggle("is-active", p.getAttribute("data-panel") === id);
    });
    S.root.setAttribute("data-active", id);
    schedule();
  }

  function seconds() {
    var p = panels()[S.index];
    var s = p ? parseFloat(p.getAttribute("data-seconds")) : 20;
    return s > 0 ? s : 20;
  }

  function schedule() {
    clearTimeout(S.timer);
    var bar = S.root.querySelector(".screen-progress-bar");
    var rotating = !S.paused && !S.root.getAttribute("data-pinned");
    if (bar) {                            // restart the thin progress bar under the footer
      bar.style.transition = "none";
      bar.style.width = "0";
      void bar.offsetWidth;
      if (rotating) { bar.style.transition = "width " + seconds() + "s linear"; bar.style.width = "100%"; }
    }
    S.root.classList.toggle("is-paused", S.paused);
    if (rotating) { S.timer = setTimeout(function () { show(S.index + 1); }, seconds() * 1000); }
  }

  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
  }

  function checkBuild() {                 // also when Dash callbacks of an upgraded server no longer match
    if (!S.root) { return; }
    var url = S.root.getAttribute("data-build-url"), mine = S.root.getAttribute("data-build");
    fetch(url, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && body.build && mine && body.build !== mine) { location.reload(); } })
      .catch(function () {});             // server down: keep the screen as it is
  }

  function attach(root) {
    S.root = root;
    S.paused = false;
    var ids = panels().map(function (p) { return p.getAttribute("data-panel"); });
    var pinned = root.getAttribute("data-pinned");
    show(pinned && ids.indexOf(pinned) >= 0 ? ids.indexOf(pinned) : 0);
    clearInterval(S.buildTimer);
    var every = Math.max(parseInt(root.getAttribute("data-refresh-ms"), 10) || 60000, 10000);
    S.buildTimer = setInterval(checkBuild, every);
  }

  function detach() { clearTimeout(S.timer); clearInterval(S.buildTimer); S.root = null; }

  // Dash renders the page after this file runs: look for the screen root until it appears (and if it goes).
  setInterval(function () {
    var root = document.querySelector(".screen-root:not(.screen-root-error)");
    if (root !== S.root) { if (S.root) { detach(); } if (root) { attach(root); } }
  }, 300);

  document.addEventListener("keydown", function (e) {
    if (!S.root || e.ctrlKey || e.altKey || e.metaKey) { return; }
    if (e.key === "ArrowRight") { show(S.index + 1); }
    else if (e.key === "ArrowLeft") { show(S.index - 1); }
    else if (e.key === " " || e.key === "Spacebar") { S.paused = !S.paused; schedule(); }
    else if (e.key === "f" || e.key === "F") { fullscreen(); }
    else { return; }
    e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    if (S.root && e.target && e.target.id === "screen-fullscreen") { fullscreen(); }
  });

  // Clientside callback: the clock from the server's time, the "数据更新中断" marker, reload on a new build.
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    screen: {
      tick: function (_n, status) {
        var st = status || {};
        if (st.server_ms && st.server_ms !== S.seenServer) {
          S.seenServer = st.server_ms;
          S.offset = st.server_ms - Date.now();
        }
        var now = new Date(Date.now() + (S.offset || 0));
        var stale = st.last_ok && (now.getTime() - st.last_ok > (st.stale_ms || 900000));
        var down = st.ok === false || !!stale;
        var root = document.getElementById("screen-root");
        if (st.build && root && root.getAttribute("data-build") && st.build !== root.getAttribute("data-build")) {
          location.reload();
        }
        var marker = down ? "数据更新中断 · 最后更新 " + (st.last_ok ? fmtHm.format(new Date(st.last_ok)) : "—") : "";
        return [fmtTime.format(now), fmtDate.format(now), marker, down ? "screen-marker is-on" : "screen-marker"];
      }
    }
  });
})();
