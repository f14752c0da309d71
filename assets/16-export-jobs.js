/* 导出 links run as background jobs: POST /export/jobs/<name>.<ext>, poll the status, then download.
   Without this script (or if it fails) the link's own href downloads the file directly. */
(function () {
  function note(link) {
    var el = link.parentNode.querySelector('.export-progress');
    if (!el) {
      el = document.createElement('span');
      el.className = 'export-progress';
      link.parentNode.appendChild(el);
    }
    return el;
  }
  function download(url) {
    var a = document.createElement('a');
    a.href = url; a.setAttribute('download', ''); a.style.display = 'none';
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }
  function poll(link, statusUrl, el) {
    fetch(statusUrl, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.status === 'done') {
        el.textContent = '已生成'; link.classList.remove('disabled'); download(s.file_url);
        setTimeout(function () { el.textContent = ''; }, 4000);
      } else if (s.status === 'error' || s.status === 'missing') {
        el.textContent = s.message || '导出失败'; el.classList.add('text-danger'); link.classList.remove('disabled');
      } else {
        el.textContent = (s.message || '正在生成') + ' ' + (s.progress || 0) + '%';
        setTimeout(function () { poll(link, statusUrl, el); }, 400);
      }
    }).catch(function () { el.textContent = '网络错误，请重试'; link.classList.remove('disabled'); });
  }
  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('a.export-link');
    if (!link || !window.fetch) return;
    var href = link.getAttribute('href') || '';
    if (href.indexOf('/export/') !== 0) return;
    ev.preventDefault();
    if (link.classList.contains('disabled')) return;
    var el = note(link);
    el.classList.remove('text-danger'); el.textContent = '正在生成…'; link.classList.add('disabled');
    fetch(href.replace('/export/', '/export/jobs/'), {method: 'POST'}).then(function (r) {
      return r.text().then(function (t) {
        var body; try { body = JSON.parse(t); } catch (e) { body = {message: t}; }   // 400s are plain Chinese text
        return {ok: r.ok, body: body};
      });
    }).then(function (res) {
      if (!res.ok) { el.textContent = res.body.message || '导出失败'; el.classList.add('text-danger');
                     link.classList.remove('disabled'); return; }
      poll(link, res.body.status_url, el);
    }).catch(function () { link.classList.remove('disabled'); window.location.href = href; });
  }, true);
})();
