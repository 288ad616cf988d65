//! The page's stylesheet and script, inlined so that it makes no network request.

pub(super) const CSS: &str = r#"
:root{--ink:#1d2733;--muted:#5b6775;--line:#d9dee4;--bg:#f5f7fa;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;opacity:.85}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;position:sticky;top:0;z-index:2;font-size:13px}
nav a{color:var(--accent);margin-right:14px;text-decoration:none;white-space:nowrap}
nav a:hover{text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:20px 32px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 4px}
.sub{color:var(--muted);margin:0 0 12px;font-size:13px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:18px}
.kpi{background:#fff;border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:6px;padding:10px 14px}
.kpi b{display:block;font-size:24px;font-weight:600}
.kpi span{color:var(--muted);font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-bottom:18px}
td.id{white-space:nowrap}
b.id{overflow-wrap:anywhere}
@media (max-width:1000px){.grid2{grid-template-columns:1fr}}
.grid2 section{margin:0}
svg{display:block;max-width:100%;height:auto}
svg text{font:12px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;margin-top:8px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.tablewrap{overflow-x:auto;max-height:640px;overflow-y:auto;border:1px solid var(--line);border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;position:sticky;top:0;font-weight:600}
td{overflow-wrap:anywhere}
table.work{table-layout:fixed;border:1px solid var(--line)}
table.work td{font-size:12.5px}
table.work th.track{font-size:10px;writing-mode:vertical-rl;transform:rotate(180deg);vertical-align:bottom;padding:6px 2px}
table.work td.track{border-left:1px solid var(--line)}
.summary p,.summary li{font-size:15px;max-width:75em}
.summary ol{margin:4px 0 8px;padding-left:24px}
.h3{font-size:14px;margin:14px 0 6px}
ul.limits{margin:4px 0 8px;padding-left:20px}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \25B2";font-size:10px}
table.sortable th[aria-sort=descending]::after{content:" \25BC";font-size:10px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
.st{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
.msg{min-width:220px}
.toolbar{display:flex;gap:12px;align-items:center;margin:0 0 10px;flex-wrap:wrap}
.toolbar input,.toolbar select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:4px}
.toolbar input{min-width:280px}
.note{color:var(--muted);font-size:12px;margin:8px 0 0}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 24px}
@page{size:landscape;margin:10mm}
@media print{body{background:#fff;font-size:11px}nav,.toolbar{display:none}header{padding:8px 12px}main{max-width:none;padding:0}.tablewrap{max-height:none;overflow:visible;border:0}th{position:static}section{padding:8px 10px;border:0}.grid2{grid-template-columns:1fr 1fr}table{font-size:10px}table.work td{font-size:10px}tr{break-inside:avoid}thead{display:table-header-group}.kpi b{font-size:18px}#gaprecords .tablewrap,#data .tablewrap,#gapfilter{display:none}.printnote{display:block}}
.printnote{display:none}
"#;

/// Sorting by clicking a header, and a text filter plus risk filter on the gap table. The
/// page is complete without it.
pub(super) const JS: &str = r#"
(function(){
  function val(td){var v=td.getAttribute('data-v');return v!==null?parseFloat(v):td.textContent.trim().toLowerCase();}
  document.querySelectorAll('table.sortable').forEach(function(t){
    t.querySelectorAll('th').forEach(function(th,i){
      th.setAttribute('tabindex','0');
      function sort(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
        rows.sort(function(a,b){var x=val(a.cells[i]),y=val(b.cells[i]);
          if(typeof x==='number'&&typeof y==='number'){return asc?x-y:y-x;}
          x=String(x);y=String(y);return asc?x.localeCompare(y):y.localeCompare(x);});
        rows.forEach(function(r){tb.appendChild(r);});
      }
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(e){if(e.key==='Enter'){sort();}});
    });
  });
  var bar=document.getElementById('gapfilter');
  if(bar){
    bar.hidden=false;
    var q=document.getElementById('gapq'),r=document.getElementById('gaprisk'),n=document.getElementById('gapn');
    var rows=document.querySelectorAll('#gaps tbody tr');
    function apply(){
      var s=q.value.trim().toLowerCase(),rv=r.value,shown=0;
      rows.forEach(function(tr){
        var ok=(!s||tr.textContent.toLowerCase().indexOf(s)>=0)&&(!rv||tr.getAttribute('data-risk')===rv);
        tr.style.display=ok?'':'none';if(ok){shown++;}
      });
      n.textContent=shown+' of '+rows.length+' shown';
    }
    q.addEventListener('input',apply);r.addEventListener('change',apply);apply();
  }
})();
"#;
